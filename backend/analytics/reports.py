"""Analytics reads. Stock value reads the quants (current state, one row per
item/bin/lot/status); everything over time reads the aggregates, which the
caller refreshes first (`aggregates.refresh`): daily trends the daily rows,
the rest whole months from the monthly rollups and the edge days from the daily
rows (`analytics.rollup`).

Windows are the last `days` UTC days including today.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import distinct, func, literal, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.analytics.abc import classify
from backend.analytics.aggregates import COUNT_REFERENCE
from backend.analytics.rollup import Worker, item_flows, worker_figures
from backend.core.db.models import (
    Bin,
    Item,
    ItemDayFlow,
    MoveReason,
    Quant,
    StockMove,
    Task,
    TaskKind,
    TaskState,
    User,
    Warehouse,
    WaveTour,
)

MAX_DAYS = 730


class ValueGroup(StrEnum):
    CATEGORY = "CATEGORY"
    WAREHOUSE = "WAREHOUSE"
    STATUS = "STATUS"


class TurnoverGroup(StrEnum):
    ITEM = "ITEM"
    CATEGORY = "CATEGORY"


class Bucket(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"


class AbcMeasure(StrEnum):
    LINES = "LINES"  # pick frequency: what slotting cares about
    UNITS = "UNITS"
    VALUE = "VALUE"  # units × unit cost


@dataclass(frozen=True)
class ValueRow:
    key: str
    quantity: int
    value_cents: int
    items: int


@dataclass(frozen=True)
class TurnoverRow:
    key: str
    demand: int
    on_hand: int
    average_on_hand: float
    turns: float | None
    annual_turns: float | None
    days_of_supply: float | None


@dataclass(frozen=True)
class AbcRow:
    item_id: int
    sku: str
    lines: int
    units: int
    measure: float
    share: float
    cumulative_share: float
    proposed_class: str
    current_class: str


@dataclass(frozen=True)
class TrendRow:
    period: date
    received: int
    shipped: int
    demand: int
    demand_lines: int


@dataclass(frozen=True)
class AccuracyFigure:
    counts: int
    counts_with_variance: int
    accuracy: float | None
    units_adjusted: int


@dataclass(frozen=True)
class ProductivityRow:
    user_id: int
    username: str
    lines: int
    units: int
    active_hours: int
    lines_per_hour: float
    units_per_hour: float
    # Planned route metres of the pick tasks the picker finished (packers: 0).
    metres_walked: float = 0.0


def window_start(now: datetime, days: int) -> date:
    if not 0 < days <= MAX_DAYS:
        raise ValueError(f"days must lie between 1 and {MAX_DAYS}")
    return now.date() - timedelta(days=days - 1)


async def stock_value(
    session: AsyncSession, warehouse_ids: Sequence[int], group: ValueGroup
) -> list[ValueRow]:
    key = {
        ValueGroup.CATEGORY: Item.category,
        ValueGroup.WAREHOUSE: Warehouse.code,
        ValueGroup.STATUS: Quant.status,
    }[group]
    stmt = (
        select(
            key,
            func.sum(Quant.on_hand),
            func.sum(Quant.on_hand * Item.unit_cost_cents),
            func.count(distinct(Quant.item_id)),
        )
        .join(Item, Item.id == Quant.item_id)
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id.in_(warehouse_ids), Quant.on_hand > 0)
        .group_by(key)
        .order_by(key)
    )
    if group is ValueGroup.WAREHOUSE:
        stmt = stmt.join(Warehouse, Warehouse.id == Bin.warehouse_id)
    rows = await session.execute(stmt)
    return [ValueRow(str(k or ""), int(q or 0), int(v or 0), int(n)) for k, q, v, n in rows]


async def turnover(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    days: int,
    group: TurnoverGroup = TurnoverGroup.ITEM,
    limit: int = 100,
) -> list[TurnoverRow]:
    """Turns = demand over the window / average on hand, the average being the mean
    of the on-hand at the window's start (now minus the net flow in the window)
    and now. Days of supply = on hand / mean daily demand. Grouped, ordered and
    limited in one statement, so only the rows shown leave the database."""
    window = item_flows(warehouse_ids, window_start(now, days))
    key = Item.sku if group is TurnoverGroup.ITEM else Item.category
    flows = select(
        key.label("key"),
        window.c.demand_qty.label("demand"),
        window.c.net_qty.label("net"),
        literal(0).label("on_hand"),
    ).join(Item, Item.id == window.c.item_id)
    stock = (
        select(key, literal(0), literal(0), Quant.on_hand)
        .join(Item, Item.id == Quant.item_id)
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id.in_(warehouse_ids), Quant.on_hand > 0)
    )
    both = union_all(flows, stock).subquery()
    demand, net, on_hand = (
        func.sum(both.c.demand),
        func.sum(both.c.net),
        func.sum(both.c.on_hand),
    )
    rows = await session.execute(
        select(both.c.key, demand, net, on_hand)
        .group_by(both.c.key)
        .having(or_(demand > 0, on_hand > 0))
        .order_by(demand.desc(), both.c.key)
        .limit(limit)
    )
    out = []
    for name, d_raw, n_raw, oh_raw in rows:
        d, end_qty = int(d_raw or 0), int(oh_raw or 0)
        start_qty = max(end_qty - int(n_raw or 0), 0)
        average = (start_qty + end_qty) / 2
        turns = d / average if average > 0 else None
        out.append(
            TurnoverRow(
                key=str(name or ""),
                demand=d,
                on_hand=end_qty,
                average_on_hand=average,
                turns=turns,
                annual_turns=turns * 365 / days if turns is not None else None,
                days_of_supply=end_qty / (d / days) if d > 0 else None,
            )
        )
    return out


async def abc_analysis(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    days: int,
    measure: AbcMeasure = AbcMeasure.LINES,
) -> list[AbcRow]:
    """Every active item, classed by its share of picks (items never picked are C)."""
    window = item_flows(warehouse_ids, window_start(now, days))
    picked = {
        i: (int(lines or 0), int(units or 0))
        for i, lines, units in await session.execute(
            select(
                window.c.item_id, func.sum(window.c.demand_lines), func.sum(window.c.demand_qty)
            ).group_by(window.c.item_id)
        )
    }
    items = {
        i: (sku, klass, cost)
        for i, sku, klass, cost in await session.execute(
            select(Item.id, Item.sku, Item.abc_class, Item.unit_cost_cents).where(
                Item.active.is_(True)
            )
        )
    }

    def value(item_id: int) -> float:
        lines, units = picked.get(item_id, (0, 0))
        if measure is AbcMeasure.LINES:
            return float(lines)
        if measure is AbcMeasure.UNITS:
            return float(units)
        return float(units * items[item_id][2])

    entries = classify({i: value(i) for i in items})
    return [
        AbcRow(
            item_id=e.item_id,
            sku=items[e.item_id][0],
            lines=picked.get(e.item_id, (0, 0))[0],
            units=picked.get(e.item_id, (0, 0))[1],
            measure=e.measure,
            share=e.share,
            cumulative_share=e.cumulative_share,
            proposed_class=e.abc_class,
            current_class=items[e.item_id][1],
        )
        for e in entries
    ]


async def reclassify_abc(session: AsyncSession, rows: list[AbcRow]) -> int:
    """Write the proposed classes to items.abc_class; returns how many changed."""
    changed = 0
    for klass in ("A", "B", "C"):
        ids = [r.item_id for r in rows if r.proposed_class == klass and r.current_class != klass]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            await session.execute(update(Item).where(Item.id.in_(part)).values(abc_class=klass))
            changed += len(part)
    return changed


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # ISO weeks start on Monday


async def movement_trends(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    days: int,
    bucket: Bucket = Bucket.DAY,
) -> list[TrendRow]:
    """Units received, shipped and demanded per day or ISO week, zeros included."""
    start = window_start(now, days)
    rows = await session.execute(
        select(
            ItemDayFlow.day,
            func.sum(ItemDayFlow.receipt_qty),
            func.sum(ItemDayFlow.ship_qty),
            func.sum(ItemDayFlow.demand_qty),
            func.sum(ItemDayFlow.demand_lines),
        )
        .where(ItemDayFlow.warehouse_id.in_(warehouse_ids), ItemDayFlow.day >= start)
        .group_by(ItemDayFlow.day)
    )
    period = _week_start if bucket is Bucket.WEEK else (lambda d: d)
    totals: dict[date, list[int]] = {}
    day = start
    while day <= now.date():
        totals.setdefault(period(day), [0, 0, 0, 0])
        day += timedelta(days=1)
    for d, received, shipped, demand, lines in rows:
        acc = totals.setdefault(period(d), [0, 0, 0, 0])
        for n, v in enumerate((received, shipped, demand, lines)):
            acc[n] += int(v or 0)
    return [TrendRow(p, *v) for p, v in sorted(totals.items())]


async def inventory_accuracy(
    session: AsyncSession, warehouse_ids: Sequence[int], now: datetime, days: int
) -> AccuracyFigure:
    """Share of counts that matched the book. A count is a COUNT task finished in
    the window; it missed when its approval posted an adjustment (the counting
    flow references those ledger entries "COUNT-<count id>"). Counts whose
    variance was rejected stand as matched: the book was upheld."""
    start = window_start(now, days)
    since = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
    counts = int(
        await session.scalar(
            select(func.count()).where(
                Task.kind == TaskKind.COUNT,
                Task.state == TaskState.DONE,
                Task.warehouse_id.in_(warehouse_ids),
                Task.finished_at >= since,
            )
        )
        or 0
    )
    references = await session.scalars(
        select(StockMove.reference)
        .join(Bin, Bin.id == func.coalesce(StockMove.to_bin_id, StockMove.from_bin_id))
        .where(
            Bin.warehouse_id.in_(warehouse_ids),
            StockMove.at >= since,
            StockMove.reason.in_([MoveReason.ADJUST_IN, MoveReason.ADJUST_OUT]),
            StockMove.reference.like(f"%{COUNT_REFERENCE}%"),
        )
    )
    missed = {ref[ref.index(COUNT_REFERENCE) :].split()[0] for ref in references if ref is not None}
    window = item_flows(warehouse_ids, start)
    adjusted = await session.scalar(
        select(func.sum(window.c.adjust_in_qty + window.c.adjust_out_qty))
    )
    return AccuracyFigure(
        counts=counts,
        counts_with_variance=len(missed),
        accuracy=(1 - min(len(missed), counts) / counts) if counts else None,
        units_adjusted=int(adjusted or 0),
    )


async def worker_productivity(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    days: int,
    worker: Worker = Worker.PICKER,
) -> list[ProductivityRow]:
    """Lines and units per picker (PICK moves) or packer (PACK moves: a closed carton's
    contents); per hour means per hour in which the worker did that at least once, in
    each warehouse (an hour in two warehouses counts twice), so whole months can be
    read from the monthly rollup. Pickers' metres are the routes of the pick tasks they
    finished in the window (as planned: the route a cart was sent on)."""
    start = window_start(now, days)
    since = datetime.combine(start, datetime.min.time(), tzinfo=now.tzinfo)
    picks = worker_figures(warehouse_ids, since, worker)
    rows = await session.execute(
        select(
            picks.c.user_id,
            User.username,
            func.sum(picks.c.lines),
            func.sum(picks.c.units),
            func.sum(picks.c.active_hours),
        )
        .join(User, User.id == picks.c.user_id)
        .group_by(picks.c.user_id, User.username)
    )
    metres = await _metres_walked(session, warehouse_ids, since) if worker is Worker.PICKER else {}
    out = []
    for uid, name, lines_raw, units_raw, hours_raw in rows:
        lines, units, hours = int(lines_raw or 0), int(units_raw or 0), int(hours_raw or 0)
        out.append(
            ProductivityRow(
                user_id=uid,
                username=name,
                lines=lines,
                units=units,
                active_hours=hours,
                lines_per_hour=lines / hours if hours else 0.0,
                units_per_hour=units / hours if hours else 0.0,
                metres_walked=round(metres.get(uid, 0.0), 1),
            )
        )
    out.sort(key=lambda r: (-r.lines, r.user_id))
    return out


async def _metres_walked(
    session: AsyncSession, warehouse_ids: Sequence[int], since: datetime
) -> dict[int, float]:
    rows = await session.execute(
        select(Task.assignee_id, func.sum(WaveTour.metres))
        .join(WaveTour, WaveTour.task_id == Task.id)
        .where(
            Task.warehouse_id.in_(warehouse_ids),
            Task.kind == TaskKind.PICK,
            Task.state == TaskState.DONE,
            Task.finished_at >= since,
            Task.assignee_id.is_not(None),
        )
        .group_by(Task.assignee_id)
    )
    return {uid: float(m or 0) for uid, m in rows.all() if uid is not None}


def to_csv(rows: Sequence[Any], row_type: type) -> str:
    """Rows of one of the dataclasses above as CSV with a header line."""
    buffer = io.StringIO()
    names = [f.name for f in fields(row_type)]
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        values = asdict(row)
        writer.writerow(
            [
                ""
                if values[n] is None
                else (round(values[n], 4) if isinstance(values[n], float) else values[n])
                for n in names
            ]
        )
    return buffer.getvalue()


class CsvKind(StrEnum):
    STOCK_VALUE = "STOCK_VALUE"
    TURNOVER = "TURNOVER"
    ABC = "ABC"
    TRENDS = "TRENDS"
    ACCURACY = "ACCURACY"
    PRODUCTIVITY = "PRODUCTIVITY"
    PACKER_PRODUCTIVITY = "PACKER_PRODUCTIVITY"


async def analytics_csv(
    session: AsyncSession,
    kind: CsvKind,
    warehouse_ids: Sequence[int],
    now: datetime,
    days: int = 90,
    *,
    value_group: ValueGroup = ValueGroup.CATEGORY,
    turnover_group: TurnoverGroup = TurnoverGroup.ITEM,
    bucket: Bucket = Bucket.DAY,
    limit: int = 10_000,
) -> str:
    if kind is CsvKind.STOCK_VALUE:
        return to_csv(await stock_value(session, warehouse_ids, value_group), ValueRow)
    if kind is CsvKind.TURNOVER:
        rows = await turnover(session, warehouse_ids, now, days, turnover_group, limit)
        return to_csv(rows, TurnoverRow)
    if kind is CsvKind.ABC:
        return to_csv(await abc_analysis(session, warehouse_ids, now, days), AbcRow)
    if kind is CsvKind.TRENDS:
        return to_csv(await movement_trends(session, warehouse_ids, now, days, bucket), TrendRow)
    if kind is CsvKind.ACCURACY:
        return to_csv([await inventory_accuracy(session, warehouse_ids, now, days)], AccuracyFigure)
    worker = Worker.PACKER if kind is CsvKind.PACKER_PRODUCTIVITY else Worker.PICKER
    return to_csv(
        await worker_productivity(session, warehouse_ids, now, days, worker), ProductivityRow
    )
