"""Station printers: which printer a document goes to, and a printer's settings.

A station prints on its first active printer; a named printer must be one of
the caller's warehouses (any other is "no such printer", as any read out of
scope).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.documents.queue import split_address

MAX_NAME = 64
MAX_ADDRESS = 200
MAX_STATION = 40


@dataclass(frozen=True)
class PrinterSpec:
    """A printer as a person enters it; ``kind`` is a ``StationPrinterKind`` value."""

    name: str
    kind: str
    address: str
    station: str = ""
    raw: bool = False
    active: bool = True
    warehouse_id: object | None = None  # as given; the caller's home warehouse when None


async def printer_by_id(
    session: AsyncSession, principal: Principal, printer_id: int
) -> m.PrinterRow:
    row = await session.get(m.PrinterRow, printer_id)
    if row is None or not principal.in_scope(row.warehouse_id):
        raise DomainError(ErrorCode.PRINTER_NOT_FOUND, "No such printer.", "printerId")
    return row


async def station_printer(session: AsyncSession, warehouse_id: int, station: str) -> m.PrinterRow:
    """The station's first active printer in the warehouse."""
    station = station.strip()
    if not station:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose a printer or a station.", "printerId")
    row = await session.scalar(
        select(m.PrinterRow)
        .where(
            m.PrinterRow.warehouse_id == warehouse_id,
            m.PrinterRow.station == station,
            m.PrinterRow.active.is_(True),
        )
        .order_by(m.PrinterRow.id)
        .limit(1)
    )
    if row is None:
        raise DomainError(
            ErrorCode.PRINTER_NOT_FOUND, f"Station {station} has no printer.", "station"
        )
    return row


def _checked(spec: PrinterSpec) -> PrinterSpec:
    """The spec trimmed, or a refusal naming the field that is wrong."""
    name = spec.name.strip()
    if not name or len(name) > MAX_NAME:
        raise DomainError(ErrorCode.INVALID_INPUT, f"A name of 1–{MAX_NAME} characters.", "name")
    address = spec.address.strip()
    if not address or len(address) > MAX_ADDRESS:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"An address of 1–{MAX_ADDRESS} characters.", "address"
        )
    kinds = {k.value for k in m.StationPrinterKind}
    if spec.kind not in kinds:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"A printer is {' or '.join(sorted(kinds))}.", "kind"
        )
    if spec.kind == m.StationPrinterKind.RAW_TCP:
        split_address(address)  # refuses a bad host:port now, not at the first print
    return PrinterSpec(
        name=name,
        kind=spec.kind,
        address=address,
        station=spec.station.strip()[:MAX_STATION],
        raw=spec.raw,
        active=spec.active,
        warehouse_id=spec.warehouse_id,
    )


async def save_printer(uow: UnitOfWork, principal: Principal, spec: PrinterSpec) -> m.PrinterRow:
    """Add a printer to a warehouse, or change the one of that name."""
    warehouse_id = acting_warehouse(principal, spec.warehouse_id)
    spec = _checked(spec)
    session = uow.session
    row = await session.scalar(
        select(m.PrinterRow).where(
            m.PrinterRow.warehouse_id == warehouse_id, m.PrinterRow.name == spec.name
        )
    )
    if row is None:
        row = m.PrinterRow(warehouse_id=warehouse_id, name=spec.name)
        session.add(row)
    row.kind = spec.kind
    row.address = spec.address
    row.station = spec.station
    row.raw = spec.raw
    row.active = spec.active
    await session.flush()
    return row
