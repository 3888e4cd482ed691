"""Stock lookup: where an item is, what a bin holds, who moved what, where a lot went.

Reads only, each scoped by the caller's warehouses (a ``ReadScope``): stock on
bins outside the scope is never shown, and a ledger move is shown when one of its
ends lies inside it.

Floor roles count blind, so a ``blind`` read (a caller without STOCK_READ) never
shows the book of a bin a count holds: such a bin's lines are replaced by a
``WithheldBin`` carrying COUNT_IN_PROGRESS, asking for the bin itself is refused
with that code, and ledger moves through it are left out of a history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.core.db import models as m
from backend.core.db.models.control import HOLDING_COUNT_STATES
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import ReadScope


@dataclass(frozen=True)
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

    @property
    def free(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class WithheldBin:
    """A bin whose quantities a blind reader may not see now, and why."""

    bin_code: str
    bin_label: str
    code: ErrorCode = ErrorCode.COUNT_IN_PROGRESS


@dataclass(frozen=True)
class StockSummary:
    lines: tuple[StockLine, ...]
    withheld: tuple[WithheldBin, ...] = ()

    @property
    def on_hand(self) -> int:
        return sum(line.on_hand for line in self.lines)

    @property
    def reserved(self) -> int:
        return sum(line.reserved for line in self.lines)

    @property
    def free(self) -> int:
        return sum(line.free for line in self.lines if line.status == m.StockStatus.AVAILABLE)


def _held_bins() -> Select[Any]:
    """Ids of bins a count holds (open or waiting for approval)."""
    return select(m.Count.bin_id).where(m.Count.state.in_(HOLDING_COUNT_STATES))


async def _is_held(session: AsyncSession, bin_id: int) -> bool:
    return (await session.scalar(_held_bins().where(m.Count.bin_id == bin_id))) is not None


async def _lines(
    session: AsyncSession, scope: ReadScope, *where: ColumnElement[bool], blind: bool = False
) -> StockSummary:
    rows = await session.execute(
        select(
            m.Quant.bin_id,
            m.Item.sku,
            m.Item.name,
            m.Bin.code,
            m.Bin.label,
            m.Zone.code,
            m.Warehouse.code,
            m.Lot.lot_number,
            m.Lot.expiry,
            m.Quant.status,
            m.Quant.on_hand,
            m.Quant.reserved,
        )
        .join(m.Item, m.Item.id == m.Quant.item_id)
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .join(m.Warehouse, m.Warehouse.id == m.Bin.warehouse_id)
        .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
        .where(m.Quant.on_hand > 0, scope.clause(m.Bin.warehouse_id), *where)
        # First to expire first, then by bin: the order a picker would take them.
        .order_by(m.Lot.expiry.is_(None), m.Lot.expiry, m.Bin.code, m.Quant.id)
    )
    found = [(int(row[0]), StockLine(*row[1:])) for row in rows]  # type: ignore[call-arg]
    held: set[int] = set()
    if blind and found:
        bin_ids = sorted({bin_id for bin_id, _ in found})
        held = set(await session.scalars(_held_bins().where(m.Count.bin_id.in_(bin_ids))))
    withheld: dict[str, WithheldBin] = {}
    for bin_id, line in found:
        if bin_id in held:
            withheld.setdefault(line.bin_code, WithheldBin(line.bin_code, line.bin_label))
    return StockSummary(
        tuple(line for bin_id, line in found if bin_id not in held), tuple(withheld.values())
    )


async def item_by_code(session: AsyncSession, code: str) -> m.Item:
    """An item by SKU or any GTIN (8–14 digits)."""
    text = code.strip()
    item = await session.scalar(select(m.Item).where(m.Item.sku == text))
    if item is None and text.isdigit() and 8 <= len(text) <= 14:
        item = await session.scalar(
            select(m.Item)
            .join(m.ItemBarcode, m.ItemBarcode.item_id == m.Item.id)
            .where(m.ItemBarcode.gtin == text.zfill(14))
        )
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {text}.", "code")
    return item


async def bin_by_code(session: AsyncSession, scope: ReadScope, code: str) -> m.Bin:
    """A bin by its scanned code, or by its label when that names one bin in scope."""
    text = code.strip().upper()
    found = await session.scalar(select(m.Bin).where(m.Bin.code == text))
    if found is None:
        by_label = list(
            await session.scalars(
                select(m.Bin).where(m.Bin.label == text, scope.clause(m.Bin.warehouse_id)).limit(2)
            )
        )
        found = by_label[0] if len(by_label) == 1 else None
    if found is None or not scope.allows(found.warehouse_id):
        raise DomainError(ErrorCode.BIN_NOT_FOUND, f"No bin {text}.", "code")
    return found


async def item_stock(
    session: AsyncSession, scope: ReadScope, code: str, *, blind: bool = False
) -> tuple[m.Item, StockSummary]:
    item = await item_by_code(session, code)
    return item, await _lines(session, scope, m.Quant.item_id == item.id, blind=blind)


async def _refuse_if_held(session: AsyncSession, row: m.Bin) -> None:
    if await _is_held(session, row.id):
        raise DomainError(
            ErrorCode.COUNT_IN_PROGRESS,
            f"Bin {row.label} is being counted; its contents show again when the count is done.",
            "code",
        )


async def bin_contents(
    session: AsyncSession, scope: ReadScope, code: str, *, blind: bool = False
) -> tuple[m.Bin, StockSummary]:
    row = await bin_by_code(session, scope, code)
    if blind:
        await _refuse_if_held(session, row)
    return row, await _lines(session, scope, m.Quant.bin_id == row.id)


async def move_source(
    session: AsyncSession, scope: ReadScope, code: str
) -> tuple[m.Bin, StockSummary, list[m.Item]]:
    """A bin about to be moved from: what it holds and the items behind it, so a
    handheld can check the next scans (item, lot, quantity) while offline."""
    row, summary = await bin_contents(session, scope, code)
    skus = sorted({line.item_sku for line in summary.lines})
    items = list(
        await session.scalars(select(m.Item).where(m.Item.sku.in_(skus)).order_by(m.Item.sku))
    )
    return row, summary, items


@dataclass(frozen=True)
class LedgerLine:
    id: int
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
    task_id: int | None


async def history(
    session: AsyncSession,
    scope: ReadScope,
    *,
    item_code: str | None = None,
    bin_code: str | None = None,
    before_id: int | None = None,
    limit: int = 50,
    blind: bool = False,
) -> list[LedgerLine]:
    """Ledger moves of an item and/or a bin, newest first, with who, when and why.

    A blind read leaves out moves through a bin a count holds (their quantities
    would give the book away) and refuses the history of such a bin outright."""
    if item_code is None and bin_code is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Name an item or a bin.", "itemCode")
    src, dst = aliased(m.Bin), aliased(m.Bin)
    stmt = (
        select(
            m.StockMove.id,
            m.StockMove.at,
            m.Item.sku,
            m.Lot.lot_number,
            m.StockMove.quantity,
            src.code,
            m.StockMove.from_status,
            dst.code,
            m.StockMove.to_status,
            m.StockMove.reason,
            m.StockMove.reference,
            m.User.username,
            m.StockMove.task_id,
        )
        .join(m.Item, m.Item.id == m.StockMove.item_id)
        .outerjoin(m.Lot, m.Lot.id == m.StockMove.lot_id)
        .outerjoin(src, src.id == m.StockMove.from_bin_id)
        .outerjoin(dst, dst.id == m.StockMove.to_bin_id)
        .outerjoin(m.User, m.User.id == m.StockMove.user_id)
        .where(or_(scope.clause(src.warehouse_id), scope.clause(dst.warehouse_id)))
        .order_by(m.StockMove.id.desc())
        .limit(max(1, min(limit, 500)))
    )
    if item_code is not None:
        item = await item_by_code(session, item_code)
        stmt = stmt.where(m.StockMove.item_id == item.id)
    if bin_code is not None:
        row = await bin_by_code(session, scope, bin_code)
        if blind:
            await _refuse_if_held(session, row)
        stmt = stmt.where(or_(m.StockMove.from_bin_id == row.id, m.StockMove.to_bin_id == row.id))
    if blind:
        for end in (m.StockMove.from_bin_id, m.StockMove.to_bin_id):
            stmt = stmt.where(or_(end.is_(None), end.not_in(_held_bins())))
    if before_id is not None:
        stmt = stmt.where(m.StockMove.id < before_id)
    rows: list[Any] = list((await session.execute(stmt)).all())
    return [LedgerLine(*row) for row in rows]


@dataclass(frozen=True)
class LotReceipt:
    receipt_id: int
    received_at: datetime
    quantity: int
    kind: str
    po_number: str | None
    supplier_code: str | None
    supplier_name: str | None
    warehouse_code: str
    reference: str = ""  # the delivery note or ASN number written on the receipt
    closed_at: datetime | None = None


@dataclass(frozen=True)
class LotShipment:
    order_number: str
    customer_code: str
    customer_name: str
    quantity: int
    carton_sscc: str | None
    carton_state: str
    warehouse_code: str
    packed_at: datetime | None = None  # the carton's closing
    shipment_id: int | None = None
    waybill_no: str | None = None
    tracking_number: str | None = None
    shipped_at: datetime | None = None


@dataclass(frozen=True)
class LotTrace:
    item: m.Item
    lot: m.Lot
    receipts: tuple[LotReceipt, ...]
    stock: StockSummary
    shipments: tuple[LotShipment, ...]


async def lot_trace(
    session: AsyncSession,
    scope: ReadScope,
    item_code: str,
    lot_number: str,
    *,
    blind: bool = False,
) -> LotTrace:
    """Where a lot came from (receipts, purchase orders, suppliers), where it is now,
    and which customers' cartons it went into."""
    item = await item_by_code(session, item_code)
    lot = await session.scalar(
        select(m.Lot).where(m.Lot.item_id == item.id, m.Lot.lot_number == lot_number.strip())
    )
    if lot is None:
        raise DomainError(
            ErrorCode.LOT_NOT_FOUND, f"No lot {lot_number} of {item.sku}.", "lotNumber"
        )
    receipts = await session.execute(
        select(
            m.Receipt.id,
            m.ReceiptLine.received_at,
            m.ReceiptLine.quantity,
            m.Receipt.kind,
            m.PurchaseOrder.number,
            m.Supplier.code,
            m.Supplier.name,
            m.Warehouse.code,
            m.Receipt.reference,
            m.Receipt.closed_at,
        )
        .join(m.Receipt, m.Receipt.id == m.ReceiptLine.receipt_id)
        .join(m.Warehouse, m.Warehouse.id == m.Receipt.warehouse_id)
        .outerjoin(m.PurchaseOrder, m.PurchaseOrder.id == m.Receipt.po_id)
        .outerjoin(m.Supplier, m.Supplier.id == m.PurchaseOrder.supplier_id)
        .where(m.ReceiptLine.lot_id == lot.id, scope.clause(m.Receipt.warehouse_id))
        .order_by(m.ReceiptLine.id)
    )
    shipments = await session.execute(
        select(
            m.SalesOrder.number,
            m.Customer.code,
            m.Customer.name,
            m.CartonContent.quantity,
            m.Carton.sscc,
            m.Carton.state,
            m.Warehouse.code,
            m.Carton.closed_at,
            m.Shipment.id,
            m.Shipment.waybill_no,
            m.Shipment.tracking_number,
            m.Shipment.shipped_at,
        )
        .join(m.Carton, m.Carton.id == m.CartonContent.carton_id)
        .outerjoin(m.Shipment, m.Shipment.id == m.Carton.shipment_id)
        .join(m.SalesOrder, m.SalesOrder.id == m.Carton.order_id)
        .join(m.Customer, m.Customer.id == m.SalesOrder.customer_id)
        .join(m.Warehouse, m.Warehouse.id == m.Carton.warehouse_id)
        .where(m.CartonContent.lot_id == lot.id, scope.clause(m.Carton.warehouse_id))
        .order_by(m.CartonContent.id)
    )
    return LotTrace(
        item=item,
        lot=lot,
        receipts=tuple(LotReceipt(*r) for r in list[Any](receipts.all())),
        stock=await _lines(session, scope, m.Quant.lot_id == lot.id, blind=blind),
        shipments=tuple(LotShipment(*s) for s in shipments),
    )
