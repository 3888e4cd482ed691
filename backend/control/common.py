"""Lookups shared by moves, counts and adjustments: scans to rows, scope, count holds."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.models.control import HOLDING_COUNT_STATES, Count
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id as parse_id  # re-exported for this package
from backend.inventory.ledger import MAX_MOVE_QUANTITY, MoveRequest, apply_move
from backend.inventory.lookup import ItemScan


class StockRefused(DomainError):
    """INSUFFICIENT_STOCK, carrying what was refused where, so the mutation can report
    it to the alert rules (a signal) once its unit of work has rolled back."""

    def __init__(
        self,
        message: str,
        field: str | None,
        *,
        warehouse_id: int,
        bin_id: int | None,
        item_id: int | None,
        quantity: int,
    ) -> None:
        super().__init__(ErrorCode.INSUFFICIENT_STOCK, message, field)
        self.warehouse_id = warehouse_id
        self.bin_id = bin_id
        self.item_id = item_id
        self.quantity = quantity


async def take(session: AsyncSession, request: MoveRequest, warehouse_id: int) -> m.StockMove:
    """`apply_move`, with the ledger's refusal for lack of free stock at the source
    turned into a StockRefused (same code, message and field)."""
    try:
        return await apply_move(session, request)
    except DomainError as error:
        if error.code is not ErrorCode.INSUFFICIENT_STOCK or request.source is None:
            raise
        raise StockRefused(
            error.message,
            error.field,
            warehouse_id=warehouse_id,
            bin_id=request.source.bin_id,
            item_id=request.item_id,
            quantity=request.quantity,
        ) from error


def check_count_quantity(quantity: int, field: str = "quantity") -> None:
    """A counted quantity: zero is a real answer (the bin is empty), negatives are not."""
    if quantity < 0:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "A count cannot be negative.", field)
    if quantity > MAX_MOVE_QUANTITY:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"{quantity} is beyond any plausible count.", field
        )


def lot_number_of(scanned: ItemScan, typed: str | None, field: str = "lotNumber") -> str | None:
    typed = typed.strip() if typed else None
    if typed and scanned.lot_number and typed != scanned.lot_number:
        raise DomainError(ErrorCode.WRONG_LOT, "The barcode names another lot.", field)
    number = typed or scanned.lot_number
    if number is not None and len(number) > 40:
        raise DomainError(ErrorCode.INVALID_INPUT, "A lot number has at most 40 characters.", field)
    return number


async def lot_id_of(
    session: AsyncSession,
    item: m.Item,
    lot_number: str | None,
    *,
    create: bool = False,
    field: str = "lotNumber",
) -> int | None:
    if lot_number is None:
        return None
    lot = await session.scalar(
        select(m.Lot).where(m.Lot.item_id == item.id, m.Lot.lot_number == lot_number)
    )
    if lot is None:
        if not create:
            raise DomainError(ErrorCode.LOT_NOT_FOUND, "No such lot of this item.", field)
        lot = m.Lot(item_id=item.id, lot_number=lot_number)
        session.add(lot)
        await session.flush()
    return lot.id


async def holding_count(session: AsyncSession, bin_id: int) -> Count | None:
    return await session.scalar(
        select(Count).where(Count.bin_id == bin_id, Count.state.in_(HOLDING_COUNT_STATES))
    )


async def refuse_if_counting(session: AsyncSession, bin_row: m.Bin, field: str) -> None:
    if await holding_count(session, bin_row.id) is not None:
        raise DomainError(
            ErrorCode.COUNT_IN_PROGRESS,
            f"Bin {bin_row.label} is being counted; its stock cannot change hands now.",
            field,
        )


async def on_hand(
    session: AsyncSession,
    bin_id: int,
    item_id: int,
    lot_id: int | None = None,
    *,
    any_lot: bool = False,
) -> int:
    stmt = select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(
        m.Quant.bin_id == bin_id, m.Quant.item_id == item_id
    )
    if not any_lot:
        stmt = stmt.where(func.coalesce(m.Quant.lot_id, 0) == (lot_id or 0))
    return int(await session.scalar(stmt) or 0)


async def lock_quants(session: AsyncSession, *conditions: object) -> list[m.Quant]:
    """Quants matching the conditions, locked in id order (no-op lock on SQLite, which
    already holds the write lock from BEGIN IMMEDIATE)."""
    rows = await session.scalars(
        select(m.Quant)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(m.Quant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(rows)
