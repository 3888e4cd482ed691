"""Cycle counting: plans, count tasks, blind count sheets, variances, recounts, approval.

A count holds its bin from the task's creation until its variances are decided
(`HOLDING_COUNT_STATES`, with a unique partial index as the backstop): no second
count, and no moves in or out, while it is open. The counter never sees the book:
the sheet lists what to count, never how many the system expects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.alerts.signals import SignalKind, record_signal
from backend.analytics.aggregates import COUNT_REFERENCE
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import (
    Adjustment,
    AdjustmentReason,
    AdjustmentState,
    Count,
    CountLine,
    CountLineState,
    CountPlan,
    CountPlanKind,
    CountSchedule,
    CountState,
    VarianceCause,
)
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place
from backend.inventory.lookup import bin_by_scan, item_by_scan
from backend.tasks import engine

from .common import (
    StockRefused,
    check_count_quantity,
    holding_count,
    lot_id_of,
    lot_number_of,
    on_hand,
    take,
)
from .config import ControlSettings

MAX_COUNT_LINES = 500
MAX_ADHOC_BINS = 500
# Write-offs found by a count take free stock in this order of status.
WRITE_OFF_ORDER = (
    m.StockStatus.AVAILABLE,
    m.StockStatus.DAMAGED,
    m.StockStatus.QUARANTINE,
    m.StockStatus.BLOCKED,
)


# ---------------------------------------------------------------- plans and tasks


async def create_plan(
    uow: UnitOfWork,
    principal: Principal,
    *,
    warehouse_id: int,
    name: str,
    kind: str,
    abc_class: str | None = None,
    zone_code: str | None = None,
    interval_days: int | None = None,
    bin_codes: list[str] | None = None,
) -> CountPlan:
    session = uow.session
    if not principal.in_scope(warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "warehouseId")
    name = name.strip()
    if not name or len(name) > 120:
        raise DomainError(ErrorCode.INVALID_INPUT, "A name of 1–120 characters.", "name")
    if kind not in set(CountPlanKind):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown kind of count plan.", "kind")
    if interval_days is not None and not 1 <= interval_days <= 3660:
        raise DomainError(ErrorCode.INVALID_INPUT, "An interval of 1–3660 days.", "intervalDays")
    plan = CountPlan(
        warehouse_id=warehouse_id,
        name=name,
        kind=kind,
        interval_days=interval_days,
        created_by=principal.user_id,
        created_at=utcnow(),
        bin_ids={},
    )
    if kind == CountPlanKind.ABC:
        if abc_class not in ("A", "B", "C"):
            raise DomainError(ErrorCode.INVALID_INPUT, "Choose the class A, B or C.", "abcClass")
        plan.abc_class = abc_class
    if kind == CountPlanKind.ZONE:
        zone = await session.scalar(
            select(m.Zone).where(
                m.Zone.warehouse_id == warehouse_id, m.Zone.code == (zone_code or "").strip()
            )
        )
        if zone is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such zone here.", "zoneCode")
        plan.zone_id = zone.id
    if kind == CountPlanKind.ADHOC:
        codes = bin_codes or []
        if not codes or len(codes) > MAX_ADHOC_BINS:
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"List 1–{MAX_ADHOC_BINS} bins to count.", "binCodes"
            )
        ids: list[int] = []
        for code in codes:
            bin_row = await bin_by_scan(session, code, principal, "binCodes")
            if bin_row.warehouse_id != warehouse_id:
                raise DomainError(ErrorCode.WRONG_BIN, "A bin of another warehouse.", "binCodes")
            if bin_row.id not in ids:
                ids.append(bin_row.id)
        plan.bin_ids = {"bins": ids}
    session.add(plan)
    await session.flush()
    return plan


@dataclass(frozen=True)
class Skipped:
    bin_code: str
    code: str


@dataclass(frozen=True)
class Generation:
    plan: CountPlan
    counts: list[Count]
    skipped: list[Skipped]


def _last_counted_before(since_days: int):  # type: ignore[no-untyped-def]
    """Bins with no count submitted in the last `since_days` days."""
    recent = select(Count.bin_id).where(
        Count.submitted_at.is_not(None), Count.submitted_at >= utcnow() - timedelta(days=since_days)
    )
    return m.Bin.id.not_in(recent)


async def _plan_bins(uow: UnitOfWork, plan: CountPlan, settings: ControlSettings) -> list[m.Bin]:
    stmt = select(m.Bin).where(m.Bin.warehouse_id == plan.warehouse_id)
    if plan.kind == CountPlanKind.ABC:
        holding = (
            select(m.Quant.bin_id)
            .join(m.Item, m.Item.id == m.Quant.item_id)
            .where(m.Item.abc_class == plan.abc_class, m.Quant.on_hand > 0)
        )
        stmt = stmt.where(m.Bin.id.in_(holding))
        schedule = await uow.session.get(CountSchedule, plan.warehouse_id)
        days = plan.interval_days or (
            {"A": schedule.a_days, "B": schedule.b_days}.get(plan.abc_class or "C", schedule.c_days)
            if schedule
            else settings.interval_days(plan.abc_class or "C")
        )
        stmt = stmt.where(_last_counted_before(days))
    elif plan.kind == CountPlanKind.ZONE:
        stmt = stmt.where(m.Bin.zone_id == plan.zone_id)
        if plan.interval_days:
            stmt = stmt.where(_last_counted_before(plan.interval_days))
    elif plan.kind == CountPlanKind.FLAGGED:
        stmt = stmt.where(m.Bin.needs_count.is_(True))
    else:
        stmt = stmt.where(m.Bin.id.in_(plan.bin_ids.get("bins", [])))
    # Walking order: aisle by aisle, bay by bay.
    stmt = stmt.order_by(m.Bin.aisle, m.Bin.bay, m.Bin.level, m.Bin.id)
    return list(await uow.session.scalars(stmt))


async def open_count(
    uow: UnitOfWork,
    principal: Principal | None,
    bin_row: m.Bin,
    *,
    origin: str,
    plan_id: int | None = None,
    recount_of_id: int | None = None,
    priority: int = 5,
) -> Count:
    """A count of one bin and its COUNT task (pushed to the floor); refused if held."""
    if await holding_count(uow.session, bin_row.id) is not None:
        raise DomainError(
            ErrorCode.COUNT_IN_PROGRESS, f"Bin {bin_row.label} is already being counted.", "binCode"
        )
    title = f"{'Recount' if recount_of_id else 'Count'} {bin_row.label}"
    task = await engine.create_task(
        uow,
        engine.NewTask(
            warehouse_id=bin_row.warehouse_id,
            kind=m.TaskKind.COUNT,
            title=title,
            priority=priority,
            bin_id=bin_row.id,
            reference=f"PLAN-{plan_id}" if plan_id else origin,
        ),
        created_by=principal.user_id if principal else None,
    )
    count = Count(
        warehouse_id=bin_row.warehouse_id,
        bin_id=bin_row.id,
        task_id=task.id,
        plan_id=plan_id,
        recount_of_id=recount_of_id,
        origin=origin,
        state=CountState.OPEN,
        created_at=utcnow(),
    )
    uow.session.add(count)
    await uow.session.flush()
    task.payload = {"count_id": count.id}
    return count


async def generate_tasks(
    uow: UnitOfWork,
    principal: Principal,
    plan_id: int,
    limit: int | None = None,
    *,
    settings: ControlSettings,
) -> Generation:
    plan = await uow.session.get(CountPlan, plan_id)
    if plan is None or not principal.in_scope(plan.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such count plan.", "planId")
    cap = settings.max_tasks_per_generation
    if limit is not None:
        if not 1 <= limit <= cap:
            raise DomainError(ErrorCode.INVALID_INPUT, f"A limit of 1–{cap}.", "limit")
        cap = limit
    counts: list[Count] = []
    skipped: list[Skipped] = []
    for bin_row in await _plan_bins(uow, plan, settings):
        if len(counts) >= cap:
            break
        if await holding_count(uow.session, bin_row.id) is not None:
            skipped.append(Skipped(bin_row.code, ErrorCode.COUNT_IN_PROGRESS.value))
            continue
        counts.append(await open_count(uow, principal, bin_row, origin="PLAN", plan_id=plan.id))
    plan.last_generated_at = utcnow()
    await uow.session.flush()
    return Generation(plan, counts, skipped)


async def request_bin_count(uow: UnitOfWork, principal: Principal, bin_code: str) -> Count:
    bin_row = await bin_by_scan(uow.session, bin_code, principal)
    return await open_count(uow, principal, bin_row, origin="ADHOC", priority=4)


# ---------------------------------------------------------------- the blind sheet


@dataclass(frozen=True)
class SheetLine:
    sku: str
    name: str
    base_unit: str
    tracking: str
    lot_number: str | None
    expiry: object


@dataclass(frozen=True)
class Sheet:
    task: m.Task
    count: Count | None
    bin: m.Bin
    zone_code: str
    lines: list[SheetLine]  # what to count; never how many the book says


async def _expected(session: AsyncSession, bin_id: int) -> list[SheetLine]:
    rows = await session.execute(
        select(m.Item, m.Lot)
        .join(m.Quant, m.Quant.item_id == m.Item.id)
        .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
        .where(m.Quant.bin_id == bin_id, m.Quant.on_hand > 0)
        .distinct()
        .order_by(m.Item.sku, m.Lot.lot_number)
    )
    return [
        SheetLine(
            sku=item.sku,
            name=item.name,
            base_unit=item.base_unit,
            tracking=item.tracking,
            lot_number=lot.lot_number if lot else None,
            expiry=lot.expiry if lot else None,
        )
        for item, lot in rows
    ]


async def sheet_of_count(session: AsyncSession, count: Count) -> Sheet:
    task = await session.get(m.Task, count.task_id)
    bin_row = await session.get(m.Bin, count.bin_id)
    assert task is not None and bin_row is not None  # foreign keys
    zone = await session.get(m.Zone, bin_row.zone_id)
    return Sheet(
        task, count, bin_row, zone.code if zone else "", await _expected(session, bin_row.id)
    )


async def count_task_sheet(session: AsyncSession, principal: Principal, task_id: int) -> Sheet:
    """The sheet of a COUNT task the caller may work: the one they hold, or an open one."""
    task = await session.get(m.Task, task_id)
    if task is None or not principal.in_scope(task.warehouse_id) or task.kind != m.TaskKind.COUNT:
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such count task.", "taskId")
    if task.bin_id is None:
        raise DomainError(ErrorCode.INVALID_STATE, "This count task names no bin.", "taskId")
    supervisor = "supervisor" in principal.roles or "admin" in principal.roles
    if not supervisor and task.assignee_id not in (None, principal.user_id):
        raise DomainError(ErrorCode.TASK_HELD_BY_OTHER, "Another person holds this task.", "taskId")
    count = await session.scalar(select(Count).where(Count.task_id == task.id))
    bin_row = await session.get(m.Bin, task.bin_id)
    assert bin_row is not None  # foreign key
    zone = await session.get(m.Zone, bin_row.zone_id)
    return Sheet(
        task, count, bin_row, zone.code if zone else "", await _expected(session, bin_row.id)
    )


# ---------------------------------------------------------------- submission


@dataclass(frozen=True)
class CountedLine:
    item_code: str
    quantity: int
    lot_number: str | None = None


@dataclass(frozen=True)
class Submission:
    count: Count
    task: m.Task
    lines_counted: int
    recount: Count | None


async def _count_for_task(uow: UnitOfWork, task: m.Task) -> Count:
    count = await uow.session.scalar(select(Count).where(Count.task_id == task.id))
    if count is not None:
        return count
    # A COUNT task made by hand (createTask) or by demo data: its count starts now.
    if task.bin_id is None:
        raise DomainError(ErrorCode.INVALID_STATE, "This count task names no bin.", "taskId")
    holder = await holding_count(uow.session, task.bin_id)
    if holder is not None:
        raise DomainError(ErrorCode.COUNT_IN_PROGRESS, "Another count holds this bin.", "taskId")
    count = Count(
        warehouse_id=task.warehouse_id,
        bin_id=task.bin_id,
        task_id=task.id,
        origin="TASK",
        state=CountState.OPEN,
        created_at=utcnow(),
    )
    uow.session.add(count)
    await uow.session.flush()
    return count


async def _open_count_of(
    uow: UnitOfWork, principal: Principal, task_id: int
) -> tuple[m.Task, Count]:
    """The open count of a COUNT task in the caller's warehouses, the task claimed."""
    task = await uow.session.get(m.Task, task_id, with_for_update=True, populate_existing=True)
    if task is None or not principal.in_scope(task.warehouse_id) or task.kind != m.TaskKind.COUNT:
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such count task.", "taskId")
    if task.state in (m.TaskState.DONE, m.TaskState.CANCELLED):
        raise DomainError(ErrorCode.INVALID_STATE, "This count was already submitted.", "taskId")
    task = await engine.claim(uow, principal, task.id)  # open: take it; held by another: refused
    count = await _count_for_task(uow, task)
    if count.state != CountState.OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, "This count was already submitted.", "taskId")
    return task, count


async def _tally(uow: UnitOfWork, lines: list[CountedLine]) -> dict[tuple[int, int | None], int]:
    """Counted units per (item, lot); scanning the same twice adds up."""
    if len(lines) > MAX_COUNT_LINES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"At most {MAX_COUNT_LINES} lines.", "lines")
    counted: dict[tuple[int, int | None], int] = defaultdict(int)
    for line in lines:
        check_count_quantity(line.quantity, "lines")
        scanned = await item_by_scan(uow.session, line.item_code, "lines")
        number = lot_number_of(scanned, line.lot_number, "lines")
        if number is None and scanned.item.tracking == m.Tracking.LOT:
            raise DomainError(ErrorCode.LOT_REQUIRED, "Scan or type the lot.", "lines")
        # Stock of a lot the system has never seen is still stock: the lot is recorded.
        lot_id = await lot_id_of(uow.session, scanned.item, number, create=True, field="lines")
        counted[(scanned.item.id, lot_id)] += line.quantity
    return counted


async def _book(uow: UnitOfWork, bin_id: int) -> dict[tuple[int, int | None], int]:
    rows = await uow.session.execute(
        select(m.Quant.item_id, m.Quant.lot_id, func.sum(m.Quant.on_hand))
        .where(m.Quant.bin_id == bin_id)
        .group_by(m.Quant.item_id, m.Quant.lot_id)
    )
    return {(item_id, lot_id): int(total) for item_id, lot_id, total in rows if total}


def _record_lines(
    uow: UnitOfWork,
    principal: Principal,
    count: Count,
    book: dict[tuple[int, int | None], int],
    counted: dict[tuple[int, int | None], int],
    recount: bool,
) -> bool:
    """One count line per (item, lot) on the book or counted; True if any waits for a
    decision."""
    pending = False
    for item_id, lot_id in sorted(set(book) | set(counted), key=lambda k: (k[0], k[1] or 0)):
        expected, found = book.get((item_id, lot_id), 0), counted.get((item_id, lot_id), 0)
        variance = found - expected
        if variance == 0:
            state = CountLineState.MATCH
        elif recount:
            state = CountLineState.SUPERSEDED
        else:
            state = CountLineState.PENDING
            pending = True
            # A variance to decide is what the count-variance alert rules weigh; lines a
            # recount supersedes are not reported (the recount measures them again).
            record_signal(
                uow.session,
                SignalKind.COUNT_VARIANCE,
                warehouse_id=count.warehouse_id,
                item_id=item_id,
                bin_id=count.bin_id,
                quantity=variance,
                reference=f"{COUNT_REFERENCE}{count.id}",
                user_id=principal.user_id,
            )
        uow.session.add(
            CountLine(
                count_id=count.id,
                item_id=item_id,
                lot_id=lot_id,
                counted=found,
                book=expected,
                variance=variance,
                state=state,
            )
        )
    return pending


async def submit_count(
    uow: UnitOfWork,
    principal: Principal,
    task_id: int,
    lines: list[CountedLine],
    *,
    settings: ControlSettings,
) -> Submission:
    session = uow.session
    task, count = await _open_count_of(uow, principal, task_id)
    counted = await _tally(uow, lines)
    book = await _book(uow, count.bin_id)
    recount = count.recount_of_id is None and any(
        settings.needs_recount(book.get(k, 0), counted.get(k, 0)) for k in set(book) | set(counted)
    )
    pending = _record_lines(uow, principal, count, book, counted, recount)
    count.counted_by = principal.user_id
    count.submitted_at = utcnow()
    count.state = (
        CountState.RECOUNTED
        if recount
        else CountState.PENDING_APPROVAL
        if pending
        else CountState.CLOSED
    )
    bin_row = await session.get(m.Bin, count.bin_id)
    assert bin_row is not None
    bin_row.needs_count = False
    await session.flush()  # the bin is free for the recount's hold
    await engine.finish(uow, task)
    again = None
    if recount:
        again = await open_count(
            uow,
            principal,
            bin_row,
            origin="RECOUNT",
            plan_id=count.plan_id,
            recount_of_id=count.id,
            priority=2,
        )
        again.due_at = count.due_at
    return Submission(count, task, len(lines), again)


# ---------------------------------------------------------------- decisions


async def _counters(session: AsyncSession, count: Count) -> set[int]:
    """Everyone who counted this bin in this chain of counts and recounts."""
    people: set[int] = set()
    current: Count | None = count
    while current is not None:
        if current.counted_by is not None:
            people.add(current.counted_by)
        current = await session.get(Count, current.recount_of_id) if current.recount_of_id else None
    return people


async def _pending_count(uow: UnitOfWork, principal: Principal, count_id: int) -> Count:
    count = await uow.session.get(Count, count_id, with_for_update=True, populate_existing=True)
    if count is None or not principal.in_scope(count.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such count.", "countId")
    if count.state != CountState.PENDING_APPROVAL:
        raise DomainError(
            ErrorCode.INVALID_STATE, "This count has no variance to decide.", "countId"
        )
    if principal.user_id in await _counters(uow.session, count):
        raise DomainError(
            ErrorCode.SELF_APPROVAL, "Someone other than the counter must decide.", "countId"
        )
    return count


async def _write_off_parts(
    uow: UnitOfWork, count: Count, item_id: int, lot_id: int | None, quantity: int
) -> list[tuple[str, int]]:
    bin_id = count.bin_id
    quants = await uow.session.scalars(
        select(m.Quant)
        .where(
            m.Quant.bin_id == bin_id,
            m.Quant.item_id == item_id,
            func.coalesce(m.Quant.lot_id, 0) == (lot_id or 0),
        )
        .order_by(m.Quant.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    free = {q.status: q.on_hand - q.reserved for q in quants}
    parts: list[tuple[str, int]] = []
    left = quantity
    for status in WRITE_OFF_ORDER:
        take = min(left, max(free.get(status, 0), 0))
        if take:
            parts.append((status, take))
            left -= take
    if left:
        raise StockRefused(
            "Reserved or moved stock stands in the way: release it or count again.",
            "countId",
            warehouse_id=count.warehouse_id,
            bin_id=bin_id,
            item_id=item_id,
            quantity=quantity,
        )
    return parts


def check_cause(cause: str | None) -> str | None:
    if cause is not None and cause not in set(VarianceCause):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown variance cause.", "cause")
    return cause


async def _pending_lines(session: AsyncSession, count: Count) -> list[tuple[CountLine, m.Item]]:
    rows = await session.execute(
        select(CountLine, m.Item)
        .join(m.Item, m.Item.id == CountLine.item_id)
        .where(CountLine.count_id == count.id, CountLine.state == CountLineState.PENDING)
        .order_by(CountLine.id)
    )
    return [(line, item) for line, item in rows]


async def approve_count(
    uow: UnitOfWork,
    principal: Principal,
    count_id: int,
    *,
    settings: ControlSettings,
    cause: str | None = None,
) -> Count:
    """Applies the variances; worth more than the approval threshold, they need a cause
    (CAUSE_REQUIRED), which is kept on the count, its adjustments and their ledger rows."""
    session = uow.session
    count = await _pending_count(uow, principal, count_id)
    check_cause(cause)
    pending = await _pending_lines(session, count)
    value = sum(abs(line.variance) * item.unit_cost_cents for line, item in pending)
    if cause is None and value > settings.adjust_approval_cents:
        raise DomainError(
            ErrorCode.CAUSE_REQUIRED,
            f"Variances worth {value / 100:.2f} need a cause.",
            "cause",
        )
    now = utcnow()
    for line, item in pending:
        assert item is not None and count.counted_by is not None
        if line.variance > 0:
            parts = [(m.StockStatus.AVAILABLE.value, line.variance)]
        else:
            parts = await _write_off_parts(uow, count, line.item_id, line.lot_id, -line.variance)
        for status, quantity in parts:
            signed = quantity if line.variance > 0 else -quantity
            adjustment = Adjustment(
                warehouse_id=count.warehouse_id,
                bin_id=count.bin_id,
                item_id=line.item_id,
                lot_id=line.lot_id,
                status=status,
                quantity=signed,
                reason=AdjustmentReason.FOUND if signed > 0 else AdjustmentReason.LOST,
                note=f"count {count.id}",
                value_cents=quantity * item.unit_cost_cents,
                state=AdjustmentState.PENDING,  # APPROVED once its move exists
                requested_by=count.counted_by,
                decided_by=principal.user_id,
                decided_at=now,
                count_id=count.id,
                created_at=now,
                cause=cause,
            )
            session.add(adjustment)
            await session.flush()
            place = Place(count.bin_id, status)
            move = await take(
                session,
                MoveRequest(
                    item_id=line.item_id,
                    quantity=quantity,
                    reason=m.MoveReason.ADJUST_IN if signed > 0 else m.MoveReason.ADJUST_OUT,
                    lot_id=line.lot_id,
                    source=None if signed > 0 else place,
                    destination=place if signed > 0 else None,
                    reference=f"ADJ-{adjustment.id} {COUNT_REFERENCE}{count.id}"
                    + (f" {cause}" if cause else ""),
                    user_id=principal.user_id,
                ),
                count.warehouse_id,
            )
            adjustment.move_id = move.id
            adjustment.state = AdjustmentState.APPROVED
            line.adjustment_id = line.adjustment_id or adjustment.id
        line.state = CountLineState.APPROVED
    count.state = CountState.CLOSED
    count.cause = cause
    count.decided_by = principal.user_id
    count.decided_at = now
    await session.flush()
    return count


async def reject_count(
    uow: UnitOfWork, principal: Principal, count_id: int, *, cause: str | None = None
) -> Count:
    """The book stands; the variances are kept on record as rejected."""
    count = await _pending_count(uow, principal, count_id)
    count.cause = check_cause(cause)
    lines = await uow.session.scalars(
        select(CountLine).where(
            CountLine.count_id == count.id, CountLine.state == CountLineState.PENDING
        )
    )
    for line in lines:
        line.state = CountLineState.REJECTED
    count.state = CountState.CLOSED
    count.decided_by = principal.user_id
    count.decided_at = utcnow()
    await uow.session.flush()
    return count


# ---------------------------------------------------------------- opportunistic counts


async def confirm_remaining(
    uow: UnitOfWork,
    principal: Principal,
    *,
    bin_code: str,
    item_code: str,
    quantity: int,
    lot_number: str | None = None,
) -> tuple[m.Bin, m.Item, Count | None]:
    """A picker leaving a bin nearly empty says what is left. A mismatch opens a count
    task (unless a count already holds the bin). The answer to the picker says nothing
    about the book either way, so this cannot be used to probe it."""
    session = uow.session
    bin_row = await bin_by_scan(session, bin_code, principal)
    check_count_quantity(quantity)
    scanned = await item_by_scan(session, item_code)
    number = lot_number_of(scanned, lot_number)
    lot_id = await lot_id_of(session, scanned.item, number) if number else None
    book = await on_hand(session, bin_row.id, scanned.item.id, lot_id, any_lot=number is None)
    if book == quantity or await holding_count(session, bin_row.id) is not None:
        return bin_row, scanned.item, None
    count = await open_count(uow, principal, bin_row, origin="PICKER", priority=3)
    return bin_row, scanned.item, count


async def recount_variance(uow: UnitOfWork, principal: Principal, count_id: int) -> Count:
    """Neither accept nor reject: the bin is counted again. The count's variances are
    closed as superseded (the count RECOUNTED) and a recount task opens on the bin,
    in the same plan and due when the first count was."""
    count = await _pending_count(uow, principal, count_id)
    lines = await uow.session.scalars(
        select(CountLine).where(
            CountLine.count_id == count.id, CountLine.state == CountLineState.PENDING
        )
    )
    for line in lines:
        line.state = CountLineState.SUPERSEDED
    count.state = CountState.RECOUNTED
    count.decided_by = principal.user_id
    count.decided_at = utcnow()
    await uow.session.flush()  # the bin is free for the recount's hold
    bin_row = await uow.session.get(m.Bin, count.bin_id)
    assert bin_row is not None  # foreign key
    again = await open_count(
        uow,
        principal,
        bin_row,
        origin="RECOUNT",
        plan_id=count.plan_id,
        recount_of_id=count.id,
        priority=2,
    )
    again.due_at = count.due_at
    await uow.session.flush()
    return again


async def approve_count_with_adjustments(
    uow: UnitOfWork,
    principal: Principal,
    count_id: int,
    *,
    settings: ControlSettings,
    cause: str | None = None,
) -> tuple[Count, list[int]]:
    """`approve_count`, and the ids of the adjustments it applied."""
    count = await approve_count(uow, principal, count_id, settings=settings, cause=cause)
    ids = await uow.session.scalars(
        select(Adjustment.id).where(Adjustment.count_id == count.id).order_by(Adjustment.id)
    )
    return count, list(ids)
