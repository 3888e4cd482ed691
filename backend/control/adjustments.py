"""Adjustments: signed corrections of the book with a reason.

Worth more than the approval threshold (|quantity| x unit cost), an adjustment waits
as PENDING for someone other than its requester; otherwise it is applied at once.
Applied means one ledger entry (ADJUST_IN / ADJUST_OUT) in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import Adjustment, AdjustmentReason, AdjustmentState
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place, check_quantity
from backend.inventory.lookup import bin_by_scan, item_by_scan

from .common import (
    StockRefused,
    lot_id_of,
    lot_number_of,
    refuse_if_counting,
    take,
)
from .config import ControlSettings
from .moves import single_lot

ADDS_STOCK = {AdjustmentReason.FOUND}


async def _free(uow: UnitOfWork, adjustment: Adjustment) -> int:
    free = await uow.session.scalar(
        select(m.Quant.on_hand - m.Quant.reserved).where(
            m.Quant.bin_id == adjustment.bin_id,
            m.Quant.item_id == adjustment.item_id,
            func.coalesce(m.Quant.lot_id, 0) == (adjustment.lot_id or 0),
            m.Quant.status == adjustment.status,
        )
    )
    return int(free or 0)


def _below_zero(adjustment: Adjustment) -> StockRefused:
    return StockRefused(
        "That would take the bin below zero (or into reserved stock).",
        "quantity",
        warehouse_id=adjustment.warehouse_id,
        bin_id=adjustment.bin_id,
        item_id=adjustment.item_id,
        quantity=-adjustment.quantity,
    )


async def _apply(uow: UnitOfWork, adjustment: Adjustment, user_id: int) -> None:
    place = Place(adjustment.bin_id, adjustment.status)
    adds = adjustment.quantity > 0
    if not adds and await _free(uow, adjustment) < -adjustment.quantity:
        raise _below_zero(adjustment)
    move = await take(
        uow.session,
        MoveRequest(
            item_id=adjustment.item_id,
            quantity=abs(adjustment.quantity),
            reason=m.MoveReason.ADJUST_IN if adds else m.MoveReason.ADJUST_OUT,
            lot_id=adjustment.lot_id,
            source=None if adds else place,
            destination=place if adds else None,
            reference=f"ADJ-{adjustment.id} {adjustment.reason}",
            user_id=user_id,
        ),
        adjustment.warehouse_id,
    )
    adjustment.move_id = move.id
    adjustment.state = AdjustmentState.APPROVED


async def adjust_stock(
    uow: UnitOfWork,
    principal: Principal,
    *,
    bin_code: str,
    item_code: str,
    quantity: int,
    reason: str,
    lot_number: str | None = None,
    note: str | None = None,
    status: str = m.StockStatus.AVAILABLE,
    settings: ControlSettings,
) -> Adjustment:
    session = uow.session
    if reason not in set(AdjustmentReason):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown reason.", "reasonCode")
    if status not in set(m.StockStatus):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown stock status.", "status")
    if quantity == 0:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "Adjust by at least one unit.", "quantity")
    check_quantity(abs(quantity))
    adds = reason in ADDS_STOCK
    if adds != (quantity > 0):
        raise DomainError(
            ErrorCode.INVALID_QUANTITY,
            "FOUND adds stock (positive); the other reasons remove it (negative).",
            "quantity",
        )
    text = (note or "").strip()
    if len(text) > 400:
        raise DomainError(ErrorCode.INVALID_INPUT, "A note of at most 400 characters.", "note")
    bin_row = await bin_by_scan(session, bin_code, principal)
    await refuse_if_counting(session, bin_row, "binCode")
    scanned = await item_by_scan(session, item_code)
    number = lot_number_of(scanned, lot_number)
    lot_id = await lot_id_of(session, scanned.item, number, create=adds)
    if lot_id is None and scanned.item.tracking == m.Tracking.LOT:
        if adds:
            raise DomainError(ErrorCode.LOT_REQUIRED, "Scan or type the lot.", "lotNumber")
        lot_id = await single_lot(uow, bin_row.id, scanned.item, status)
    adjustment = Adjustment(
        warehouse_id=bin_row.warehouse_id,
        bin_id=bin_row.id,
        item_id=scanned.item.id,
        lot_id=lot_id,
        status=status,
        quantity=quantity,
        reason=reason,
        note=text,
        value_cents=abs(quantity) * scanned.item.unit_cost_cents,
        state=AdjustmentState.PENDING,
        requested_by=principal.user_id,
        created_at=utcnow(),
    )
    session.add(adjustment)
    await session.flush()
    if not adds and await _free(uow, adjustment) < -quantity:
        raise _below_zero(adjustment)
    if not settings.needs_approval(quantity, scanned.item.unit_cost_cents):
        await _apply(uow, adjustment, principal.user_id)
    await session.flush()
    return adjustment


async def _pending(uow: UnitOfWork, principal: Principal, adjustment_id: int) -> Adjustment:
    adjustment = await uow.session.get(
        Adjustment, adjustment_id, with_for_update=True, populate_existing=True
    )
    if adjustment is None or not principal.in_scope(adjustment.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such adjustment.", "adjustmentId")
    if adjustment.state != AdjustmentState.PENDING:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"This adjustment is {adjustment.state.lower()}.",
            "adjustmentId",
        )
    if adjustment.requested_by == principal.user_id:
        raise DomainError(
            ErrorCode.SELF_APPROVAL, "Someone other than the requester must decide.", "adjustmentId"
        )
    return adjustment


async def approve_adjustment(
    uow: UnitOfWork, principal: Principal, adjustment_id: int
) -> Adjustment:
    adjustment = await _pending(uow, principal, adjustment_id)
    await _apply(uow, adjustment, principal.user_id)
    adjustment.decided_by = principal.user_id
    adjustment.decided_at = utcnow()
    await uow.session.flush()
    return adjustment


async def reject_adjustment(
    uow: UnitOfWork, principal: Principal, adjustment_id: int
) -> Adjustment:
    adjustment = await _pending(uow, principal, adjustment_id)
    adjustment.state = AdjustmentState.REJECTED
    adjustment.decided_by = principal.user_id
    adjustment.decided_at = utcnow()
    await uow.session.flush()
    return adjustment
