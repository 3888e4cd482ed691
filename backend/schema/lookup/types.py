"""Answers of the stock lookup queries (plain data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from backend.core.errors import ErrorCode
from backend.inventory import stock_lookup as lookup
from backend.schema.errors import InputError, NotFoundError, StateError
from backend.schema.types import Bin, Item, Lot


@strawberry.type
class StockLine:
    item_sku: str
    item_name: str
    bin_code: str
    bin_label: str
    zone_code: str
    warehouse_code: str
    lot_number: str | None
    expiry: date | None
    status: str
    on_hand: int
    reserved: int
    free: int

    @classmethod
    def of(cls, line: lookup.StockLine) -> StockLine:
        return cls(**{**line.__dict__, "free": line.free})


@strawberry.type(
    description="A bin whose quantities are not shown to this reader now, and why "
    "(COUNT_IN_PROGRESS: a blind count holds it; floor roles see it again when it closes)."
)
class WithheldBin:
    bin_code: str
    bin_label: str
    code: ErrorCode

    @classmethod
    def of(cls, row: lookup.WithheldBin) -> WithheldBin:
        return cls(bin_code=row.bin_code, bin_label=row.bin_label, code=row.code)


_WITHHELD = "Bins left out of lines and totals for this reader (a blind count holds them)."


@strawberry.type
class StockTotals:
    on_hand: int
    reserved: int
    free: int = strawberry.field(description="Unreserved units in status AVAILABLE.")


def totals(summary: lookup.StockSummary) -> StockTotals:
    return StockTotals(on_hand=summary.on_hand, reserved=summary.reserved, free=summary.free)


@strawberry.type
class ItemStock:
    item: Item
    totals: StockTotals
    lines: list[StockLine] = strawberry.field(description="First to expire first, then by bin.")
    withheld: list[WithheldBin] = strawberry.field(description=_WITHHELD)


@strawberry.type
class BinContents:
    bin: Bin
    totals: StockTotals
    lines: list[StockLine]
    withheld: list[WithheldBin] = strawberry.field(description=_WITHHELD)


@strawberry.type(description="Stock of one item, lot and status on a bin a move starts from.")
class MoveSourceLine:
    item_sku: str
    lot_number: str | None
    status: str
    has_free: bool = strawberry.field(description="Some of it is unreserved.")
    free: int | None = strawberry.field(
        description="Unreserved units; null for a caller who may not read stock (the book "
        "stays blind to the floor, as in counts and moves)."
    )

    @classmethod
    def of(cls, line: lookup.StockLine, sees_stock: bool) -> MoveSourceLine:
        return cls(
            item_sku=line.item_sku,
            lot_number=line.lot_number,
            status=line.status,
            has_free=line.free > 0,
            free=line.free if sees_stock else None,
        )


@strawberry.type(description="A bin about to be moved from: its stock and the items behind it.")
class MoveSource:
    bin: Bin
    lines: list[MoveSourceLine]
    items: list[Item] = strawberry.field(description="Each item on the bin once (with its GTINs).")


@strawberry.type(description="One ledger move with who, when and why.")
class LedgerLine:
    id: strawberry.ID
    at: datetime
    item_sku: str
    lot_number: str | None
    quantity: int
    from_bin: str | None
    from_status: str | None
    to_bin: str | None
    to_status: str | None
    reason: str
    reference: str | None
    username: str | None
    task_id: strawberry.ID | None

    @classmethod
    def of(cls, line: lookup.LedgerLine) -> LedgerLine:
        data = dict(line.__dict__)
        data["id"] = strawberry.ID(str(line.id))
        data["task_id"] = None if line.task_id is None else strawberry.ID(str(line.task_id))
        return cls(**data)


@strawberry.type
class StockHistory:
    lines: list[LedgerLine] = strawberry.field(description="Newest first.")
    next_before_id: strawberry.ID | None = strawberry.field(
        description="Pass as beforeId for the next (older) page; null at the end."
    )


@strawberry.type
class LotReceipt:
    receipt_id: strawberry.ID
    received_at: datetime
    quantity: int
    kind: str
    po_number: str | None
    supplier_code: str | None
    supplier_name: str | None
    warehouse_code: str
    reference: str = strawberry.field(description="The delivery note or ASN on the receipt.")
    closed_at: datetime | None


@strawberry.type
class LotShipment:
    order_number: str
    customer_code: str
    customer_name: str
    quantity: int
    carton_sscc: str | None
    carton_state: str
    warehouse_code: str
    packed_at: datetime | None = strawberry.field(description="When the carton was closed.")
    shipment_id: strawberry.ID | None
    waybill_no: str | None
    tracking_number: str | None
    shipped_at: datetime | None


@strawberry.type
class LotTrace:
    item: Item
    lot: Lot
    received: list[LotReceipt]
    on_hand: list[StockLine]
    totals: StockTotals
    shipped: list[LotShipment]
    withheld: list[WithheldBin] = strawberry.field(description=_WITHHELD)

    @classmethod
    def of(cls, trace: lookup.LotTrace) -> LotTrace:
        return cls(
            item=Item.of(trace.item),
            lot=Lot.of(trace.lot),
            received=[
                LotReceipt(**{**r.__dict__, "receipt_id": strawberry.ID(str(r.receipt_id))})
                for r in trace.receipts
            ],
            on_hand=[StockLine.of(x) for x in trace.stock.lines],
            totals=totals(trace.stock),
            shipped=[
                LotShipment(
                    **{
                        **s.__dict__,
                        "shipment_id": None
                        if s.shipment_id is None
                        else strawberry.ID(str(s.shipment_id)),
                    }
                )
                for s in trace.shipments
            ],
            withheld=[WithheldBin.of(x) for x in trace.stock.withheld],
        )


ItemStockResult = Annotated[
    ItemStock | NotFoundError | InputError | StateError, strawberry.union("ItemStockResult")
]
BinContentsResult = Annotated[
    BinContents | NotFoundError | InputError | StateError, strawberry.union("BinContentsResult")
]
MoveSourceResult = Annotated[
    MoveSource | NotFoundError | InputError, strawberry.union("MoveSourceResult")
]
StockHistoryResult = Annotated[
    StockHistory | NotFoundError | InputError | StateError, strawberry.union("StockHistoryResult")
]
LotTraceResult = Annotated[
    LotTrace | NotFoundError | InputError | StateError, strawberry.union("LotTraceResult")
]
