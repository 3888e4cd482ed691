"""Putaway tasks of received stock: suggested bin, scan to confirm, override with a reason.

The ranking itself is ``backend.inbound.putaway``; this module only runs the task.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Role
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.common import parse_id, text
from backend.inbound.putaway import PutawayRequest, Suggestion, check_bin, suggest_bins
from backend.inventory.ledger import MoveRequest, Place, apply_move, check_quantity
from backend.outbound.orders import release_backorders
from backend.scan import InternalScan, parse_scan
from backend.tasks import engine
from backend.tasks.engine import NewTask, create_task


@dataclass(frozen=True)
class Plan:
    task: m.Task
    job: m.PutawayJob
    item: m.Item
    lot: m.Lot | None
    from_bin: m.Bin
    remaining: int
    suggestions: list[Suggestion]


async def create_job(
    uow: UnitOfWork, principal: Principal, receipt: m.Receipt, line: m.ReceiptLine
) -> m.PutawayJob:
    item = await uow.session.get(m.Item, line.item_id)
    assert item is not None
    task = await create_task(
        uow,
        NewTask(
            warehouse_id=receipt.warehouse_id,
            kind=m.TaskKind.PUTAWAY,
            title=f"Put away {line.quantity} × {item.sku}",
            priority=5,
            bin_id=receipt.dock_bin_id,
            reference=f"RC-{receipt.id}",
            payload={"receipt_id": receipt.id, "receipt_line_id": line.id},
            # The people who unloaded it put it away; the task row holds a single role.
            role=Role.RECEIVER.value,
        ),
        principal.user_id,
    )
    job = m.PutawayJob(
        task_id=task.id,
        receipt_line_id=line.id,
        warehouse_id=receipt.warehouse_id,
        item_id=line.item_id,
        lot_id=line.lot_id,
        status=m.StockStatus.AVAILABLE,
        from_bin_id=receipt.dock_bin_id,
        quantity=line.quantity,
    )
    uow.session.add(job)
    await uow.session.flush()
    return job


def _request(job: m.PutawayJob, quantity: int) -> PutawayRequest:
    return PutawayRequest(
        warehouse_id=job.warehouse_id,
        item_id=job.item_id,
        lot_id=job.lot_id,
        quantity=quantity,
        status=job.status,
    )


async def _task_and_job(
    session: AsyncSession, principal: Principal, raw_task_id: object, *, lock: bool
) -> tuple[m.Task, m.PutawayJob]:
    task_id = parse_id(raw_task_id, "taskId")
    # Task and job in one read; only the task row is locked (the job is changed under it).
    stmt = (
        select(m.Task, m.PutawayJob)
        .outerjoin(m.PutawayJob, m.PutawayJob.task_id == m.Task.id)
        .where(m.Task.id == task_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update(of=m.Task)
    row = (await session.execute(stmt)).first()
    if row is None or not principal.in_scope(row[0].warehouse_id):
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such task.", "taskId")
    task, job = row[0], row[1]
    if task.kind != m.TaskKind.PUTAWAY or job is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "This is not a putaway task.", "taskId")
    return task, job


async def plan(session: AsyncSession, principal: Principal, raw_task_id: object) -> Plan:
    task, job = await _task_and_job(session, principal, raw_task_id, lock=False)
    remaining = job.quantity - job.put_away
    suggestions: list[Suggestion] = []
    if remaining > 0 and task.state in (m.TaskState.OPEN, m.TaskState.CLAIMED):
        suggestions = await suggest_bins(session, _request(job, remaining))
    item = await session.get(m.Item, job.item_id)
    from_bin = await session.get(m.Bin, job.from_bin_id)
    lot = await session.get(m.Lot, job.lot_id) if job.lot_id else None
    assert item is not None and from_bin is not None
    return Plan(task, job, item, lot, from_bin, remaining, suggestions)


@dataclass(frozen=True)
class PutOutcome:
    task: m.Task
    job: m.PutawayJob
    bin: m.Bin
    quantity: int
    overridden: bool
    # For the rest of the task, when some is left: where to go next.
    next_suggestions: list[Suggestion]

    @property
    def remaining(self) -> int:
        return self.job.quantity - self.job.put_away


async def scan_putaway(
    uow: UnitOfWork,
    principal: Principal,
    *,
    task_id: object,
    bin_code: str,
    quantity: int | None,
    override_reason: str | None,
) -> PutOutcome:
    session = uow.session
    task, job = await _task_and_job(session, principal, task_id, lock=True)
    if task.state not in (m.TaskState.OPEN, m.TaskState.CLAIMED):
        raise DomainError(ErrorCode.INVALID_STATE, f"The task is {task.state.lower()}.", "taskId")
    task = await engine.claim(uow, principal, task.id)  # refuses a task someone else holds
    remaining = job.quantity - job.put_away
    qty = remaining if quantity is None else quantity
    check_quantity(qty)
    if qty > remaining:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY, f"Only {remaining} are left to put away.", "quantity"
        )
    target = await _target_bin(session, job, bin_code)
    request = _request(job, qty)
    suggested = await suggest_bins(session, request)
    suggested_ids = [s.bin_id for s in suggested]
    reason = text(override_reason, "overrideReason", 200) or None
    overridden = target.id not in suggested_ids
    if overridden:
        broken = await check_bin(session, request, target.id)
        if broken:
            raise DomainError(
                ErrorCode.BIN_NOT_SUITABLE,
                f"{target.label} cannot take this: {', '.join(broken)}.",
                "binCode",
            )
        if reason is None:
            raise DomainError(
                ErrorCode.OVERRIDE_REASON_REQUIRED,
                f"{target.label} is not a suggested bin: say why.",
                "overrideReason",
            )
    await apply_move(
        session,
        MoveRequest(
            item_id=job.item_id,
            quantity=qty,
            reason=m.MoveReason.PUTAWAY,
            lot_id=job.lot_id,
            source=Place(job.from_bin_id, job.status),
            destination=Place(target.id, job.status),
            reference=task.reference,
            user_id=principal.user_id,
            task_id=task.id,
        ),
    )
    session.add(
        m.PutawayConfirmation(
            job_id=job.id,
            bin_id=target.id,
            suggested_bin_id=suggested_ids[0] if suggested_ids else None,
            quantity=qty,
            override_reason=reason if overridden else None,
            user_id=principal.user_id,
            at=utcnow(),
        )
    )
    job.put_away += qty
    if job.status == m.StockStatus.AVAILABLE:
        # Orders waiting on this item get it now, not at the next manual retry.
        await release_backorders(session, target.warehouse_id, [job.item_id], principal.user_id)
    if job.put_away >= job.quantity:
        await engine.finish(uow, task)
    await session.flush()
    # Where the rest goes, ranked from the job already loaded (not the whole plan again).
    left = job.quantity - job.put_away
    after = await suggest_bins(session, _request(job, left)) if left > 0 else []
    return PutOutcome(task, job, target, qty, overridden, after)


async def _target_bin(session: AsyncSession, job: m.PutawayJob, bin_code: str) -> m.Bin:
    scan = parse_scan(bin_code)
    if not isinstance(scan, InternalScan) or scan.kind.value != "BIN":
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan the bin's label.", "binCode")
    target = await session.scalar(select(m.Bin).where(m.Bin.code == scan.code))
    if target is None or target.warehouse_id != job.warehouse_id:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "No such bin in this warehouse.", "binCode")
    return target
