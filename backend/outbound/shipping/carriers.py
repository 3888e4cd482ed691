"""Carriers behind one interface.

``carriers.adapter`` names the adapter a carrier row uses:

- ``own_fleet``: the warehouse's own vans. Tracking numbers are made here, in
  the UPU S10 shape ``WF12345678 5 NL`` (two letters, an 8-digit serial from a
  database sequence, a mod-11 check digit, the country), so that a driver's
  handheld can reject a mistyped number.
- ``manual``: a carrier whose labels come from its own portal or paper book;
  the shipper types or scans the tracking number it issued.
- a carrier reached over its web API implements ``RemoteCarrierApi``. None is
  bundled: booking with a real carrier needs its contract and credentials, and
  a fake would only hide that. Such a booking is network I/O and must happen
  before the ship transaction opens, never inside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.errors import DomainError, ErrorCode
from backend.outbound.shipping.numbers import Series, next_value
from backend.outbound.shipping.settings import ShippingSettings

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check_digit(serial8: str) -> int:
    if len(serial8) != 8 or not (serial8.isascii() and serial8.isdigit()):
        raise ValueError(f"an S10 serial has 8 digits, got {serial8!r}")
    remainder = 11 - sum(int(d) * w for d, w in zip(serial8, S10_WEIGHTS, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def own_fleet_tracking_number(prefix: str, serial: int, country: str) -> str:
    if not 0 < serial < 10**8:
        raise ValueError(f"own-fleet serial {serial} does not fit in 8 digits")
    digits = f"{serial:08d}"
    return f"{prefix}{digits}{s10_check_digit(digits)}{country}"


def is_valid_own_fleet_number(number: str) -> bool:
    if len(number) != 13 or not number.isascii():
        return False
    prefix, digits, check, country = number[:2], number[2:10], number[10], number[11:]
    return (
        prefix.isalpha()
        and country.isalpha()
        and digits.isdigit()
        and check.isdigit()
        and s10_check_digit(digits) == int(check)
    )


@dataclass(frozen=True)
class Parcel:
    sscc: str
    weight_g: int | None


@dataclass(frozen=True)
class ConsignmentRequest:
    carrier_code: str
    service: str
    warehouse_id: int
    order_refs: tuple[str, ...]
    parcels: tuple[Parcel, ...]
    # Only for adapters whose numbers come from outside (``manual``).
    tracking_number: str | None = None


class CarrierAdapter(Protocol):
    name: str

    def services(self, configured: Sequence[str]) -> Sequence[str]: ...

    async def tracking_number(self, session: AsyncSession, request: ConsignmentRequest) -> str:
        """The consignment's tracking number, allocated inside the ship transaction."""
        ...


class RemoteCarrierApi(Protocol):
    """A carrier booked over its web API (not bundled; see the module docstring)."""

    name: str

    async def create_consignment(self, request: ConsignmentRequest) -> str:
        """Book the consignment and return the carrier's tracking number."""
        ...

    async def cancel_consignment(self, tracking_number: str) -> None: ...

    async def label_pdf(self, tracking_number: str) -> bytes: ...


class OwnFleetAdapter:
    name = "own_fleet"

    def __init__(self, settings: ShippingSettings) -> None:
        self.settings = settings

    def services(self, configured: Sequence[str]) -> Sequence[str]:
        return configured or ("SAME_DAY", "NEXT_DAY")

    async def tracking_number(self, session: AsyncSession, request: ConsignmentRequest) -> str:
        if request.tracking_number:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "The own fleet numbers its consignments itself; leave the tracking number empty.",
                "trackingNumber",
            )
        serial = await next_value(session, Series.OWN_FLEET)
        return own_fleet_tracking_number(
            self.settings.own_fleet_prefix, serial, self.settings.own_fleet_country
        )


class ManualAdapter:
    name = "manual"

    def services(self, configured: Sequence[str]) -> Sequence[str]:
        return configured or ("STANDARD",)

    async def tracking_number(self, session: AsyncSession, request: ConsignmentRequest) -> str:
        number = (request.tracking_number or "").strip().upper()
        if not number:
            raise DomainError(
                ErrorCode.TRACKING_NUMBER_REQUIRED,
                "This carrier's tracking number comes from its own label: scan or type it.",
                "trackingNumber",
            )
        if len(number) > 40 or not all(c.isalnum() or c in "-" for c in number):
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "A tracking number of up to 40 letters, digits and dashes.",
                "trackingNumber",
            )
        return number


def adapter_for(name: str, settings: ShippingSettings) -> CarrierAdapter:
    if name == OwnFleetAdapter.name:
        return OwnFleetAdapter(settings)
    if name == ManualAdapter.name:
        return ManualAdapter()
    raise DomainError(
        ErrorCode.CARRIER_NOT_SUPPORTED,
        f"Carrier adapter {name!r} is not installed on this server.",
        "carrierCode",
    )
