"""Daily per-item flows and hourly picker and packer figures, folded in from the ledger.

The ledger module stays untouched: instead of updating aggregates in the
transaction of every move, `refresh` folds in the moves after a high-water mark
(the last stock_moves.id processed) with one INSERT … SELECT … ON CONFLICT DO
UPDATE per table, and advances the mark in the same transaction. Queries call it
first (it costs one indexed lookup when nothing is new) and the alert scheduler
calls it on every cycle.

Ids are handed out when a move is inserted but become visible when its
transaction commits, so a later id can be visible before an earlier one. Moves
younger than `settle_seconds` are left for the next refresh, and the mark stops
before the first of them: a transaction that writes a move and commits within
that time is never skipped (the ledger's transactions last milliseconds).

Year-long reports would read hundreds of thousands of daily rows, so each
refresh also rebuilds the monthly rows (`analytics_item_months`,
`analytics_picker_months`) of every (warehouse, month, item or picker) its moves
touched, from the daily and hourly rows, in the same transaction. Rebuilding
sets the monthly figures rather than adding to them, so running it again
changes nothing and a move is never counted twice; a monthly row always equals
the sum of its month's daily rows.

Demand is what leaves storage for a customer: PICK moves, and SHIP moves whose
source is not a packing or shipping bin (shipped straight from storage); a SHIP
from a packing bench carries units already counted when they were picked.
Days and hours are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import AnalyticsWatermark, StockMove

LEDGER_MARK = "ledger"
# The counting flow (backend/control/counts.py) references its adjustments "ADJ-<id> COUNT-<id>".
COUNT_REFERENCE = "COUNT-"
SETTLE_SECONDS = 5
BATCH_MOVES = 250_000

_FLOWS = """
INSERT INTO analytics_item_days (warehouse_id, day, item_id, receipt_qty, demand_qty,
    demand_lines, ship_qty, adjust_in_qty, adjust_out_qty, net_qty)
SELECT coalesce(fb.warehouse_id, tb.warehouse_id), {day}, m.item_id,
    sum(CASE WHEN m.reason = 'RECEIPT' THEN m.quantity ELSE 0 END),
    sum(CASE WHEN {demand} THEN m.quantity ELSE 0 END),
    sum(CASE WHEN {demand} THEN 1 ELSE 0 END),
    sum(CASE WHEN m.reason = 'SHIP' THEN m.quantity ELSE 0 END),
    sum(CASE WHEN m.reason = 'ADJUST_IN' THEN m.quantity ELSE 0 END),
    sum(CASE WHEN m.reason = 'ADJUST_OUT' THEN m.quantity ELSE 0 END),
    sum(CASE WHEN m.from_bin_id IS NULL THEN m.quantity
             WHEN m.to_bin_id IS NULL THEN -m.quantity ELSE 0 END)
FROM stock_moves m
LEFT JOIN bins fb ON fb.id = m.from_bin_id
LEFT JOIN zones fz ON fz.id = fb.zone_id
LEFT JOIN bins tb ON tb.id = m.to_bin_id
WHERE m.id > :lo AND m.id <= :hi
GROUP BY 1, 2, 3
ON CONFLICT (warehouse_id, day, item_id) DO UPDATE SET
    receipt_qty = analytics_item_days.receipt_qty + excluded.receipt_qty,
    demand_qty = analytics_item_days.demand_qty + excluded.demand_qty,
    demand_lines = analytics_item_days.demand_lines + excluded.demand_lines,
    ship_qty = analytics_item_days.ship_qty + excluded.ship_qty,
    adjust_in_qty = analytics_item_days.adjust_in_qty + excluded.adjust_in_qty,
    adjust_out_qty = analytics_item_days.adjust_out_qty + excluded.adjust_out_qty,
    net_qty = analytics_item_days.net_qty + excluded.net_qty
"""

# Per worker and hour, for pickers (PICK moves) and packers (PACK moves: closing a
# carton moves its contents off the bench), into tables of the same shape.
_WORKERS = """
INSERT INTO {hours} (warehouse_id, hour, user_id, lines, units)
SELECT fb.warehouse_id, {hour}, m.user_id, count(*), sum(m.quantity)
FROM stock_moves m
JOIN bins fb ON fb.id = m.from_bin_id
WHERE m.id > :lo AND m.id <= :hi AND m.reason = '{reason}' AND m.user_id IS NOT NULL
GROUP BY 1, 2, 3
ON CONFLICT (warehouse_id, hour, user_id) DO UPDATE SET
    lines = {hours}.lines + excluded.lines,
    units = {hours}.units + excluded.units
"""

# The (warehouse, item, month) keys that the moves in (lo, hi] touched, rebuilt from
# their month's daily rows. The warehouse is compared as a difference on purpose: as a
# plain equality PostgreSQL reads the primary key (warehouse_id, day, item_id) over the
# whole month, every item of it, once per key (0.7 s for 2,000 moves on a year of
# history), where the (item_id, day) index reads the item's own days only.
_ITEM_MONTHS = """
INSERT INTO analytics_item_months (warehouse_id, month, item_id, receipt_qty, demand_qty,
    demand_lines, demand_sq, ship_qty, adjust_in_qty, adjust_out_qty, net_qty)
SELECT t.warehouse_id, t.month, t.item_id, sum(d.receipt_qty), sum(d.demand_qty),
    sum(d.demand_lines), sum(CAST(d.demand_qty AS BIGINT) * d.demand_qty), sum(d.ship_qty),
    sum(d.adjust_in_qty), sum(d.adjust_out_qty), sum(d.net_qty)
FROM (
    SELECT DISTINCT coalesce(fb.warehouse_id, tb.warehouse_id) AS warehouse_id,
        m.item_id AS item_id, {month} AS month
    FROM stock_moves m
    LEFT JOIN bins fb ON fb.id = m.from_bin_id
    LEFT JOIN bins tb ON tb.id = m.to_bin_id
    WHERE m.id > :lo AND m.id <= :hi
) t
JOIN analytics_item_days d ON d.item_id = t.item_id AND d.warehouse_id - t.warehouse_id = 0
    AND d.day >= t.month AND d.day < {next_month}
GROUP BY t.warehouse_id, t.month, t.item_id
ON CONFLICT (warehouse_id, month, item_id) DO UPDATE SET
    receipt_qty = excluded.receipt_qty,
    demand_qty = excluded.demand_qty,
    demand_lines = excluded.demand_lines,
    demand_sq = excluded.demand_sq,
    ship_qty = excluded.ship_qty,
    adjust_in_qty = excluded.adjust_in_qty,
    adjust_out_qty = excluded.adjust_out_qty,
    net_qty = excluded.net_qty
"""

_WORKER_MONTHS = """
INSERT INTO {months} (warehouse_id, month, user_id, lines, units, active_hours)
SELECT t.warehouse_id, t.month, t.user_id, sum(h.lines), sum(h.units), count(*)
FROM (
    SELECT DISTINCT fb.warehouse_id AS warehouse_id, m.user_id AS user_id, {month} AS month
    FROM stock_moves m
    JOIN bins fb ON fb.id = m.from_bin_id
    WHERE m.id > :lo AND m.id <= :hi AND m.reason = '{reason}' AND m.user_id IS NOT NULL
) t
JOIN {hours} h ON h.warehouse_id = t.warehouse_id AND h.user_id = t.user_id
    AND h.hour >= {month_start} AND h.hour < {next_month_start}
GROUP BY t.warehouse_id, t.month, t.user_id
ON CONFLICT (warehouse_id, month, user_id) DO UPDATE SET
    lines = excluded.lines,
    units = excluded.units,
    active_hours = excluded.active_hours
"""

# The ledger reason each worker table counts, and its hourly and monthly tables.
WORKER_TABLES = (
    {"reason": "PICK", "hours": "analytics_picker_hours", "months": "analytics_picker_months"},
    {"reason": "PACK", "hours": "analytics_packer_hours", "months": "analytics_packer_months"},
)

_DEMAND = "(m.reason = 'PICK' OR (m.reason = 'SHIP' AND coalesce(fz.kind, '') NOT IN ('PACKING', 'SHIPPING')))"

_DIALECT_SQL = {
    "postgresql": {
        "day": "(m.at AT TIME ZONE 'UTC')::date",
        "hour": "date_trunc('hour', m.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
        "month": "CAST(date_trunc('month', m.at AT TIME ZONE 'UTC') AS date)",
        "next_month": "CAST(t.month + interval '1 month' AS date)",
        "month_start": "CAST(t.month AS timestamp) AT TIME ZONE 'UTC'",
        "next_month_start": "(t.month + interval '1 month') AT TIME ZONE 'UTC'",
    },
    "sqlite": {
        "day": "date(m.at)",
        "hour": "strftime('%Y-%m-%d %H:00:00.000000', m.at)",
        "month": "date(m.at, 'start of month')",
        "next_month": "date(t.month, '+1 month')",
        # Hours are stored as 'YYYY-MM-DD HH:…' text, which orders like the day it starts with.
        "month_start": "t.month",
        "next_month_start": "date(t.month, '+1 month')",
    },
}


@dataclass(frozen=True)
class RefreshResult:
    from_move_id: int
    to_move_id: int

    @property
    def moves(self) -> int:
        return self.to_move_id - self.from_move_id


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


async def _lock_mark(session: AsyncSession) -> int:
    """The mark, locked for this transaction so two refreshes never fold a move twice."""
    insert = pg_insert if _dialect(session) == "postgresql" else sqlite_insert
    await session.execute(
        insert(AnalyticsWatermark)
        .values(name=LEDGER_MARK, last_move_id=0, refreshed_at=func.now())
        .on_conflict_do_nothing()
    )
    mark = await session.scalar(
        select(AnalyticsWatermark.last_move_id)
        .where(AnalyticsWatermark.name == LEDGER_MARK)
        .with_for_update()
    )
    return int(mark or 0)


async def refresh(
    session: AsyncSession, now: datetime, settle_seconds: float = SETTLE_SECONDS
) -> RefreshResult:
    """Fold every settled move after the mark into the aggregates. Runs in the
    caller's transaction; the caller commits."""
    low = await _lock_mark(session)
    cutoff = now - timedelta(seconds=settle_seconds)
    first_unsettled = await session.scalar(
        select(func.min(StockMove.id)).where(StockMove.id > low, StockMove.at >= cutoff)
    )
    if first_unsettled is not None:
        high = first_unsettled - 1
    else:
        high = int(await session.scalar(select(func.max(StockMove.id))) or 0)
    if high <= low:
        return RefreshResult(low, low)
    sql = _DIALECT_SQL.get(_dialect(session), _DIALECT_SQL["sqlite"])
    flows = text(_FLOWS.format(day=sql["day"], demand=_DEMAND))
    workers = [text(_WORKERS.format(hour=sql["hour"], **kind)) for kind in WORKER_TABLES]
    start = low
    while start < high:
        stop = min(start + BATCH_MOVES, high)
        await session.execute(flows, {"lo": start, "hi": stop})
        for statement in workers:
            await session.execute(statement, {"lo": start, "hi": stop})
        start = stop
    # After every daily batch: a month whose days span two batches is rebuilt once, whole.
    await session.execute(text(_ITEM_MONTHS.format(**sql)), {"lo": low, "hi": high})
    for kind in WORKER_TABLES:
        await session.execute(text(_WORKER_MONTHS.format(**sql, **kind)), {"lo": low, "hi": high})
    await session.execute(
        update(AnalyticsWatermark)
        .where(AnalyticsWatermark.name == LEDGER_MARK)
        .values(last_move_id=high, refreshed_at=now)
    )
    return RefreshResult(low, high)
