"""Counting by schedule: how often a bin is counted, by the ABC class of what it holds.

A warehouse's schedule says the days between counts for classes A, B and C (the
defaults of `ControlSettings` until someone sets one) and how many days a count
generated as due may take before it is overdue. `generate_due_counts` opens a count
for every bin holding stock whose last submitted count is older than the shortest
period of the classes it holds; a bin with a count open is passed over, so running
it twice creates nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import (
    HOLDING_COUNT_STATES,
    Count,
    CountPlan,
    CountSchedule,
    CountState,
)
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode

from .config import ControlSettings
from .counts import open_count

MAX_PERIOD_DAYS = 3660
DEFAULT_DUE_DAYS = 7


@dataclass(frozen=True)
class Schedule:
    warehouse_id: int
    a_days: int
    b_days: int
    c_days: int
    due_days: int
    configured: bool  # False: the defaults, nobody has set one here

    def days(self, abc_class: str) -> int:
        return {"A": self.a_days, "B": self.b_days}.get(abc_class, self.c_days)


def _scope(principal: Principal, warehouse_id: int) -> None:
    if not principal.in_scope(warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "warehouseId")


async def count_schedule(
    session: AsyncSession, warehouse_id: int, settings: ControlSettings
) -> Schedule:
    row = await session.get(CountSchedule, warehouse_id)
    if row is None:
        return Schedule(
            warehouse_id,
            settings.interval_a_days,
            settings.interval_b_days,
            settings.interval_c_days,
            DEFAULT_DUE_DAYS,
            configured=False,
        )
    return Schedule(warehouse_id, row.a_days, row.b_days, row.c_days, row.due_days, True)


async def set_count_schedule(
    uow: UnitOfWork,
    principal: Principal,
    *,
    warehouse_id: int,
    a_days: int,
    b_days: int,
    c_days: int,
    due_days: int = DEFAULT_DUE_DAYS,
) -> Schedule:
    _scope(principal, warehouse_id)
    for field, days in (("aDays", a_days), ("bDays", b_days), ("cDays", c_days)):
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise DomainError(ErrorCode.INVALID_INPUT, f"1–{MAX_PERIOD_DAYS} days.", field)
    if not 1 <= due_days <= 365:
        raise DomainError(ErrorCode.INVALID_INPUT, "1–365 days to do a count.", "dueDays")
    if not a_days <= b_days <= c_days:
        # A class is counted at least as often as the classes below it.
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Count A at least as often as B, and B as C.", "bDays"
        )
    row = await uow.session.get(CountSchedule, warehouse_id, with_for_update=True)
    if row is None:
        row = CountSchedule(warehouse_id=warehouse_id)
        uow.session.add(row)
    row.a_days, row.b_days, row.c_days, row.due_days = a_days, b_days, c_days, due_days
    row.updated_by = principal.user_id
    row.updated_at = utcnow()
    await uow.session.flush()
    return Schedule(warehouse_id, a_days, b_days, c_days, due_days, True)


def _due_bins(warehouse_id: int, schedule: Schedule, *, held: bool):  # type: ignore[no-untyped-def]
    """Bins of the warehouse holding stock of a class whose period has passed since
    their last submitted count (never counted: due); those a count holds (`held`), or
    those it does not."""
    now = utcnow()
    last = (
        select(func.max(Count.submitted_at))
        .where(Count.bin_id == m.Bin.id, Count.submitted_at.is_not(None))
        .correlate(m.Bin)
        .scalar_subquery()
    )
    due_by_class = []
    for abc in ("A", "B", "C"):
        holds = (
            select(m.Quant.bin_id)
            .join(m.Item, m.Item.id == m.Quant.item_id)
            .where(m.Quant.on_hand > 0, func.coalesce(m.Item.abc_class, "C") == abc)
        )
        cutoff = now - timedelta(days=schedule.days(abc))
        due_by_class.append(m.Bin.id.in_(holds) & (last.is_(None) | (last < cutoff)))
    holding = select(Count.bin_id).where(Count.state.in_(HOLDING_COUNT_STATES))
    return (
        select(m.Bin)
        .where(
            m.Bin.warehouse_id == warehouse_id,
            or_(*due_by_class),
            m.Bin.id.in_(holding) if held else m.Bin.id.not_in(holding),
        )
        .order_by(m.Bin.aisle, m.Bin.bay, m.Bin.level, m.Bin.id)
    )


@dataclass(frozen=True)
class DueGeneration:
    schedule: Schedule
    counts: list[Count]
    held: int  # bins due but already held by a count (not counted twice)


async def generate_due_counts(
    uow: UnitOfWork,
    principal: Principal,
    *,
    warehouse_id: int,
    settings: ControlSettings,
    limit: int | None = None,
) -> DueGeneration:
    _scope(principal, warehouse_id)
    cap = settings.max_tasks_per_generation
    if limit is not None:
        if not 1 <= limit <= cap:
            raise DomainError(ErrorCode.INVALID_INPUT, f"A limit of 1–{cap}.", "limit")
        cap = limit
    schedule = await count_schedule(uow.session, warehouse_id, settings)
    due_at = utcnow() + timedelta(days=schedule.due_days)
    bins = list(await uow.session.scalars(_due_bins(warehouse_id, schedule, held=False).limit(cap)))
    held = await uow.session.scalar(
        select(func.count()).select_from(
            _due_bins(warehouse_id, schedule, held=True).order_by(None).subquery()
        )
    )
    counts: list[Count] = []
    for bin_row in bins:
        count = await open_count(uow, principal, bin_row, origin="SCHEDULE")
        count.due_at = due_at
        counts.append(count)
    await uow.session.flush()
    return DueGeneration(schedule, counts, held=int(held or 0))


@dataclass(frozen=True)
class PlanProgress:
    plan: CountPlan
    bins_total: int
    bins_counted: int
    variances_open: int
    overdue: int


async def plan_progress(session: AsyncSession, principal: Principal, plan_id: int) -> PlanProgress:
    """Per bin the plan has counted, its latest count (a recount replaces the first):
    counted once submitted, an open variance while it waits for a decision."""
    plan = await session.get(CountPlan, plan_id)
    if plan is None or not principal.in_scope(plan.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such count plan.", "planId")
    rows = await session.execute(
        select(Count.bin_id, Count.state, Count.due_at)
        .where(Count.plan_id == plan.id, Count.state != CountState.CANCELLED)
        .order_by(Count.id)
    )
    latest: dict[int, tuple[str, datetime | None]] = {}
    for bin_id, state, due_at in rows:
        latest[bin_id] = (state, due_at)
    now = utcnow()
    return PlanProgress(
        plan,
        bins_total=len(latest),
        bins_counted=sum(1 for s, _ in latest.values() if s not in (CountState.OPEN,)),
        variances_open=sum(1 for s, _ in latest.values() if s == CountState.PENDING_APPROVAL),
        overdue=sum(
            1
            for s, due in latest.values()
            if s == CountState.OPEN and due is not None and due < now
        ),
    )
