"""Plain data for printed documents.

Shipping, packing and counting code fills these frozen dataclasses and hands
them to ``DocumentRenderer``; nothing here touches the database. Quantities
are integers in the item's base unit, weights integer grams, times UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class DocumentKind(StrEnum):
    """Built-in documents; the value is the template name (``<value>.html.j2``)."""

    SHIPPING_LABEL = "shipping_label"
    CARTON_LABEL = "carton_label"
    PACKING_SLIP = "packing_slip"
    WAYBILL = "waybill"
    PICK_LIST = "pick_list"
    BIN_LABELS = "bin_labels"
    COUNT_SHEET = "count_sheet"
    USER_BADGE = "user_badge"


@dataclass(frozen=True)
class Address:
    name: str
    line1: str
    city: str
    country: str
    postal_code: str = ""
    line2: str = ""
    region: str = ""
    company: str = ""
    phone: str = ""

    def lines(self) -> tuple[str, ...]:
        """The address as printed, one string a line, empty parts left out."""
        city_line = " ".join(p for p in (self.postal_code, self.city, self.region) if p)
        parts = (self.company, self.name, self.line1, self.line2, city_line, self.country)
        return tuple(p for p in parts if p)


@dataclass(frozen=True)
class LotQuantity:
    lot: str
    quantity: int
    expiry: date | None = None


@dataclass(frozen=True)
class DocumentLine:
    """One order line as shipped: the quantity, and where tracked, lots and serials."""

    line_no: int
    sku: str
    description: str
    quantity: int
    unit: str = "EA"
    gtin: str = ""
    ordered: int | None = None  # when it differs from ``quantity`` (short shipped)
    lots: tuple[LotQuantity, ...] = ()
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShippingLabel:
    """A 4×6 in carrier label for one carton."""

    ship_from: Address
    ship_to: Address
    carrier: str
    service: str
    tracking_number: str
    sscc: str
    weight_g: int
    order_ref: str
    ship_date: date
    carton_no: int = 1
    carton_count: int = 1
    reference: str = ""  # customer PO or reference printed for the consignee


@dataclass(frozen=True)
class CartonLine:
    sku: str
    description: str
    quantity: int
    unit: str = "EA"
    lot: str = ""
    expiry: date | None = None


@dataclass(frozen=True)
class CartonContentLabel:
    """A 4×6 in label listing what one carton (identified by its SSCC) holds."""

    sscc: str
    order_ref: str
    ship_to: Address
    lines: tuple[CartonLine, ...]
    carton_no: int = 1
    carton_count: int = 1
    weight_g: int | None = None
    packed_by: str = ""
    packed_at: datetime | None = None


@dataclass(frozen=True)
class PackingSlip:
    order_ref: str
    order_date: date
    ship_date: date
    ship_from: Address
    ship_to: Address
    lines: tuple[DocumentLine, ...]
    customer_ref: str = ""
    bill_to: Address | None = None
    carrier: str = ""
    tracking_number: str = ""
    cartons: tuple[str, ...] = ()  # SSCCs
    notes: str = ""


@dataclass(frozen=True)
class Waybill:
    """Delivery note / waybill travelling with the goods, signed on hand-over."""

    waybill_no: str
    ship_date: date
    ship_from: Address
    ship_to: Address
    carrier: str
    lines: tuple[DocumentLine, ...]
    order_refs: tuple[str, ...] = ()
    service: str = ""
    tracking_number: str = ""
    vehicle: str = ""
    carton_count: int = 0
    pallet_count: int = 0
    total_weight_g: int | None = None
    cartons: tuple[str, ...] = ()  # SSCCs
    notes: str = ""


@dataclass(frozen=True)
class PickStop:
    """One stop of a pick route: go to ``bin_code``, take ``quantity`` of ``sku``."""

    sequence: int
    bin_code: str
    sku: str
    description: str
    quantity: int
    unit: str = "EA"
    lot: str = ""
    order_ref: str = ""
    tote: str = ""


@dataclass(frozen=True)
class PickList:
    """Paper backup of a pick route; ``stops`` are already in route order."""

    list_ref: str
    warehouse: str
    created_at: datetime
    stops: tuple[PickStop, ...]
    wave_ref: str = ""
    picker: str = ""
    zone: str = ""


@dataclass(frozen=True)
class BinLabel:
    """``code`` is the full scannable bin code including its check character,
    e.g. ``BIN-A01-003-2-K``; it is encoded as Code 128 and printed large."""

    code: str
    caption: str = ""  # e.g. zone or "Aisle A01 · Bay 003 · Level 2"

    @property
    def body(self) -> str:
        head, sep, _check = self.code.rpartition("-")
        return head + sep if sep else self.code

    @property
    def check_char(self) -> str:
        _head, sep, check = self.code.rpartition("-")
        return check if sep else ""


@dataclass(frozen=True)
class BinLabelSheet:
    """A sheet of bin labels (A4, ``columns`` × ``rows`` labels a page)."""

    labels: tuple[BinLabel, ...]
    columns: int = 2
    rows: int = 7
    title: str = ""


@dataclass(frozen=True)
class CountSheetLine:
    """A place to count. There is deliberately no book quantity: counts are blind."""

    sequence: int
    bin_code: str
    sku: str
    description: str
    unit: str = "EA"
    lot: str = ""
    expiry: date | None = None


@dataclass(frozen=True)
class CountSheet:
    count_ref: str
    warehouse: str
    created_at: datetime
    lines: tuple[CountSheetLine, ...]
    zone: str = ""
    counter: str = ""
    notes: str = field(default="")


@dataclass(frozen=True)
class UserBadge:
    """A credit-card sized badge: scanned (``badge_code`` as Code 128) and followed
    by the person's PIN, it signs them in on a handheld. ``badge_code`` is the full
    internal code with its check character, e.g. ``BADGE-ALICE-7``."""

    badge_code: str
    display_name: str
    username: str
    roles: tuple[str, ...] = ()
    warehouses: tuple[str, ...] = ()


Document = (
    ShippingLabel
    | CartonContentLabel
    | PackingSlip
    | Waybill
    | PickList
    | BinLabelSheet
    | CountSheet
    | UserBadge
)

DOCUMENT_TYPES: dict[DocumentKind, type] = {
    DocumentKind.SHIPPING_LABEL: ShippingLabel,
    DocumentKind.CARTON_LABEL: CartonContentLabel,
    DocumentKind.PACKING_SLIP: PackingSlip,
    DocumentKind.WAYBILL: Waybill,
    DocumentKind.PICK_LIST: PickList,
    DocumentKind.BIN_LABELS: BinLabelSheet,
    DocumentKind.COUNT_SHEET: CountSheet,
    DocumentKind.USER_BADGE: UserBadge,
}
