"""Dispositions: free stock sent to rework or scrap, with a reason.

The approval rule is the adjustments' one: worth more than the threshold
(quantity x unit cost), a disposition waits as PENDING for someone other than its
requester; otherwise it is applied at once. Applied means one ledger entry in the
same transaction: SCRAP takes the units off the ledger (a SCRAP move out), REWORK
changes their status on the bin to REWORK (a STATUS_CHANGE move), where they are
not available to pick until someone releases them.
"""

from __future__ import annotations

from sqlalchemy import func

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import AdjustmentState, DispositionKind, StockDisposition
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place, check_quantity
from backend.inventory.lookup import bin_by_scan, item_by_scan

from .common import StockRefused, lock_quants, lot_id_of, lot_number_of, refuse_if_counting, take
from .config import ControlSettings
from .moves import single_lot

# What may be sent to rework or scrap: anything but what is already in rework, which
# may still be scrapped.
FROM_STATUSES = {
    DispositionKind.REWORK: {
        m.StockStatus.AVAILABLE,
        m.StockStatus.DAMAGED,
        m.StockStatus.QUARANTINE,
        m.StockStatus.BLOCKED,
    },
    DispositionKind.SCRAP: set(m.StockStatus),
}


async def _free(uow: UnitOfWork, row: StockDisposition) -> int:
    quants = await lock_quants(
        uow.session,
        m.Quant.bin_id == row.bin_id,
        m.Quant.item_id == row.item_id,
        func.coalesce(m.Quant.lot_id, 0) == (row.lot_id or 0),
        m.Quant.status == row.status,
    )
    return sum(q.on_hand - q.reserved for q in quants)


async def _apply(uow: UnitOfWork, row: StockDisposition, user_id: int) -> None:
    if await _free(uow, row) < row.quantity:
        raise StockRefused(
            "Not that much free stock here (reserved or moved since).",
            "quantity",
            warehouse_id=row.warehouse_id,
            bin_id=row.bin_id,
            item_id=row.item_id,
            quantity=row.quantity,
        )
    scrap = row.kind == DispositionKind.SCRAP
    move = await take(
        uow.session,
        MoveRequest(
            item_id=row.item_id,
            quantity=row.quantity,
            reason=m.MoveReason.SCRAP if scrap else m.MoveReason.STATUS_CHANGE,
            lot_id=row.lot_id,
            source=Place(row.bin_id, row.status),
            destination=None if scrap else Place(row.bin_id, m.StockStatus.REWORK),
            reference=f"DSP-{row.id} {row.kind} {row.reason}"[:80],
            user_id=user_id,
        ),
        row.warehouse_id,
    )
    row.move_id = move.id
    row.state = AdjustmentState.APPROVED


def _check(kind: str, status: str, quantity: int, reason: str | None) -> str:
    if kind not in set(DispositionKind):
        raise DomainError(ErrorCode.INVALID_INPUT, "REWORK or SCRAP.", "kind")
    if status not in FROM_STATUSES[DispositionKind(kind)]:
        raise DomainError(ErrorCode.INVALID_INPUT, "Not a status to take this from.", "status")
    check_quantity(quantity)
    text = (reason or "").strip()
    if not text or len(text) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, "Say why, in 1–200 characters.", "reason")
    return text


async def create_disposition(
    uow: UnitOfWork,
    principal: Principal,
    *,
    kind: str,
    bin_code: str,
    item_code: str,
    quantity: int,
    reason: str | None,
    lot_number: str | None = None,
    status: str = m.StockStatus.AVAILABLE,
    settings: ControlSettings,
) -> StockDisposition:
    text = _check(kind, status, quantity, reason)
    session = uow.session
    bin_row = await bin_by_scan(session, bin_code, principal)
    await refuse_if_counting(session, bin_row, "binCode")
    scanned = await item_by_scan(session, item_code)
    lot_id = await lot_id_of(session, scanned.item, lot_number_of(scanned, lot_number))
    if lot_id is None and scanned.item.tracking == m.Tracking.LOT:
        lot_id = await single_lot(uow, bin_row.id, scanned.item, status)
    row = StockDisposition(
        warehouse_id=bin_row.warehouse_id,
        kind=kind,
        bin_id=bin_row.id,
        item_id=scanned.item.id,
        lot_id=lot_id,
        status=status,
        quantity=quantity,
        reason=text,
        value_cents=quantity * scanned.item.unit_cost_cents,
        state=AdjustmentState.PENDING,
        requested_by=principal.user_id,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    if await _free(uow, row) < quantity:
        raise StockRefused(
            "Not that much free stock here.",
            "quantity",
            warehouse_id=row.warehouse_id,
            bin_id=row.bin_id,
            item_id=row.item_id,
            quantity=quantity,
        )
    if not settings.needs_approval(quantity, scanned.item.unit_cost_cents):
        await _apply(uow, row, principal.user_id)
    await session.flush()
    return row


async def _pending(uow: UnitOfWork, principal: Principal, disposition_id: int) -> StockDisposition:
    row = await uow.session.get(
        StockDisposition, disposition_id, with_for_update=True, populate_existing=True
    )
    if row is None or not principal.in_scope(row.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such disposition.", "dispositionId")
    if row.state != AdjustmentState.PENDING:
        raise DomainError(
            ErrorCode.INVALID_STATE, f"This disposition is {row.state.lower()}.", "dispositionId"
        )
    if row.requested_by == principal.user_id:
        raise DomainError(
            ErrorCode.SELF_APPROVAL,
            "Someone other than the requester must decide.",
            "dispositionId",
        )
    return row


async def approve_disposition(
    uow: UnitOfWork, principal: Principal, disposition_id: int
) -> StockDisposition:
    row = await _pending(uow, principal, disposition_id)
    bin_row = await uow.session.get(m.Bin, row.bin_id)
    assert bin_row is not None  # foreign key
    await refuse_if_counting(uow.session, bin_row, "dispositionId")
    await _apply(uow, row, principal.user_id)
    row.decided_by = principal.user_id
    row.decided_at = utcnow()
    await uow.session.flush()
    return row


async def reject_disposition(
    uow: UnitOfWork, principal: Principal, disposition_id: int
) -> StockDisposition:
    row = await _pending(uow, principal, disposition_id)
    row.state = AdjustmentState.REJECTED
    row.decided_by = principal.user_id
    row.decided_at = utcnow()
    await uow.session.flush()
    return row
