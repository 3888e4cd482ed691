"""Stock reports read straight from the ledger and the quants: stock age by receipt
date and end-of-day stock levels. Unlike the other reports they do not read the
folded aggregates, so they are exact at the moment they are asked.

Times are UTC. Day boundaries are computed here as aware datetimes and compared
with the stored ones (the column type converts them for each database), so no SQL
date function and no session time zone is involved.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from backend.core.db.models import Bin, Item, Quant, StockMove, Warehouse
from backend.core.errors import DomainError, ErrorCode

DEFAULT_EDGES: tuple[int, ...] = (30, 60, 90, 180, 365)
MAX_EDGES = 12
MAX_LEVEL_DAYS = 730


@dataclass(frozen=True)
class AgeBucket:
    """Stock received between `from_days` and `to_days` days ago (`to_days` None: older)."""

    from_days: int
    to_days: int | None
    quantity: int
    value_cents: int


@dataclass(frozen=True)
class StockAgeRow:
    item_id: int
    sku: str
    name: str
    warehouse_code: str
    on_hand: int
    value_cents: int
    buckets: tuple[AgeBucket, ...]


@dataclass(frozen=True)
class StockAge:
    as_of: datetime
    edges: tuple[int, ...]
    totals: tuple[AgeBucket, ...]
    rows: tuple[StockAgeRow, ...]


@dataclass(frozen=True)
class LevelDay:
    day: date
    received: int  # units that came into the warehouse that day
    issued: int  # units that left it
    on_hand: int  # at the end of the day (UTC)


@dataclass(frozen=True)
class StockLevels:
    item_id: int
    sku: str
    warehouse_code: str
    opening: int  # on hand at the start of the first day
    days: tuple[LevelDay, ...]


def check_edges(edges: Sequence[int]) -> tuple[int, ...]:
    """Bucket edges in days: strictly increasing, positive, at most MAX_EDGES."""
    out = tuple(int(e) for e in edges)
    if not out or len(out) > MAX_EDGES or out[0] <= 0 or any(b <= a for a, b in pairwise(out)):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Age bucket edges must be 1 to {MAX_EDGES} increasing whole days above 0.",
            "edges",
        )
    return out


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def _buckets(edges: tuple[int, ...], qty: list[int], value: list[int]) -> tuple[AgeBucket, ...]:
    starts = (0, *(e + 1 for e in edges))
    ends: tuple[int | None, ...] = (*edges, None)
    return tuple(AgeBucket(s, e, q, v) for s, e, q, v in zip(starts, ends, qty, value, strict=True))


async def _aged_layers(
    session: AsyncSession,
    stock: Any,
    warehouse_ids: Sequence[int],
    now: datetime,
    edges: tuple[int, ...],
) -> dict[tuple[int, int], list[int]]:
    """Units on hand per (item, warehouse) and age bucket, from the inbound moves."""
    dst = aliased(Bin)
    # Whole days of age as bucket numbers, from boundaries computed here (portable SQL).
    bucket = case(
        *((StockMove.at > now - timedelta(days=e + 1), i) for i, e in enumerate(edges)),
        else_=len(edges),
    )
    newer = (
        func.sum(StockMove.quantity).over(
            partition_by=(StockMove.item_id, dst.warehouse_id),
            order_by=(StockMove.at.desc(), StockMove.id.desc()),
        )
        - StockMove.quantity
    )
    inbound = (
        select(
            StockMove.item_id.label("item_id"),
            dst.warehouse_id.label("wh"),
            StockMove.quantity.label("qty"),
            newer.label("newer"),
            bucket.label("bucket"),
        )
        .join(dst, dst.id == StockMove.to_bin_id)
        .where(
            StockMove.from_bin_id.is_(None),
            StockMove.item_id.in_(select(stock.c.item_id)),
            dst.warehouse_id.in_(warehouse_ids),
        )
    ).subquery()
    # The part of each inbound move still on hand (the scalar two-argument min).
    smaller = func.least if _dialect(session) == "postgresql" else func.min
    covered = smaller(inbound.c.qty, stock.c.qty - inbound.c.newer)
    layers = await session.execute(
        select(inbound.c.item_id, inbound.c.wh, inbound.c.bucket, func.sum(covered))
        .join(stock, and_(stock.c.item_id == inbound.c.item_id, stock.c.wh == inbound.c.wh))
        .where(inbound.c.newer < stock.c.qty)
        .group_by(inbound.c.item_id, inbound.c.wh, inbound.c.bucket)
    )
    aged: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * (len(edges) + 1))
    for item, wh, b, qty in layers:
        aged[(item, wh)][int(b)] += int(qty)
    return aged


async def stock_age(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    edges: Sequence[int] = DEFAULT_EDGES,
    item_id: int | None = None,
    limit: int = 500,
) -> StockAge:
    """On hand per item and warehouse, aged first-in first-out: what is on hand is
    taken to be the latest inbound units (receipts, returns, openings, stock found by
    a count: every move with no source bin), newest first, until the on-hand is
    covered. Age in days = whole days since that move. Units on hand beyond every
    recorded inbound move (stock older than the ledger) fall into the oldest bucket.
    Rows are ordered by value, most first."""
    edges = check_edges(edges)
    on_hand = (
        select(
            Quant.item_id.label("item_id"),
            Bin.warehouse_id.label("wh"),
            func.sum(Quant.on_hand).label("qty"),
        )
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id.in_(warehouse_ids), Quant.on_hand > 0)
        .group_by(Quant.item_id, Bin.warehouse_id)
    )
    if item_id is not None:
        on_hand = on_hand.where(Quant.item_id == item_id)
    stock = on_hand.cte("stock")
    aged = await _aged_layers(session, stock, warehouse_ids, now, edges)
    heads = await session.execute(
        select(stock.c.item_id, stock.c.wh, stock.c.qty, Item.sku, Item.name)
        .add_columns(Item.unit_cost_cents, Warehouse.code)
        .join(Item, Item.id == stock.c.item_id)
        .join(Warehouse, Warehouse.id == stock.c.wh)
    )
    rows = []
    total_q, total_v = [0] * (len(edges) + 1), [0] * (len(edges) + 1)
    for item, wh, qty, sku, name, cost, code in heads:
        qty_b = aged[(item, wh)]
        qty_b[-1] += int(qty) - sum(qty_b)  # older than every inbound move on record
        val_b = [q * int(cost or 0) for q in qty_b]
        for i in range(len(qty_b)):
            total_q[i] += qty_b[i]
            total_v[i] += val_b[i]
        rows.append(
            StockAgeRow(item, sku, name, code, int(qty), sum(val_b), _buckets(edges, qty_b, val_b))
        )
    rows.sort(key=lambda r: (-r.value_cents, r.sku, r.warehouse_code))
    return StockAge(now, edges, _buckets(edges, total_q, total_v), tuple(rows[: max(1, limit)]))


def _utc_day(session: AsyncSession) -> ColumnElement[Any]:
    """The UTC calendar day of a move. PostgreSQL stores `timestamptz`: converted to
    UTC explicitly, whatever the session's TimeZone. SQLite stores UTC text without
    a zone (naive times are UTC by the column type's rule), whose date() is the day."""
    if _dialect(session) == "postgresql":
        return cast(func.timezone("UTC", StockMove.at), Date)
    return func.date(StockMove.at)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


async def stock_levels(
    session: AsyncSession,
    readable: Sequence[int],
    item_id: int,
    warehouse_id: int,
    first: date,
    last: date,
) -> StockLevels:
    """End-of-day on hand of one item in one warehouse for each UTC day from `first`
    to `last`: the ledger's balance before `first` (the opening), then each day's net
    flow across the warehouse's edge (moves between two of its bins do not count)."""
    if last < first or (last - first).days >= MAX_LEVEL_DAYS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"The range must run forward and span at most {MAX_LEVEL_DAYS} days.",
            "to",
        )
    item = await session.get(Item, item_id)
    warehouse = await session.get(Warehouse, warehouse_id)
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {item_id}.", "itemId")
    if warehouse is None or warehouse_id not in readable:  # another's warehouse: not found
        raise DomainError(ErrorCode.NOT_FOUND, f"No warehouse {warehouse_id}.", "warehouseId")
    src, dst = aliased(Bin), aliased(Bin)
    inside_to = dst.warehouse_id == warehouse_id
    inside_from = src.warehouse_id == warehouse_id
    into = case((and_(inside_to, or_(src.id.is_(None), ~inside_from)), StockMove.quantity), else_=0)
    out = case((and_(inside_from, or_(dst.id.is_(None), ~inside_to)), StockMove.quantity), else_=0)
    base = (
        select()
        .select_from(StockMove)
        .outerjoin(src, src.id == StockMove.from_bin_id)
        .outerjoin(dst, dst.id == StockMove.to_bin_id)
        .where(StockMove.item_id == item_id, or_(inside_to, inside_from))
    )
    start, end = _day_start(first), _day_start(last + timedelta(days=1))
    opening = await session.scalar(
        base.add_columns(func.coalesce(func.sum(into - out), 0)).where(StockMove.at < start)
    )
    utc_day = _utc_day(session)
    moved = await session.execute(
        base.add_columns(utc_day, func.sum(into), func.sum(out))
        .where(StockMove.at >= start, StockMove.at < end)
        .group_by(utc_day)
    )
    received: dict[date, int] = defaultdict(int)
    issued: dict[date, int] = defaultdict(int)
    for on, n_in, n_out in moved:
        on = on if isinstance(on, date) else date.fromisoformat(str(on)[:10])
        received[on] += int(n_in or 0)
        issued[on] += int(n_out or 0)
    level = int(opening or 0)
    days = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        level += received[day] - issued[day]
        days.append(LevelDay(day, received[day], issued[day], level))
    return StockLevels(item.id, item.sku, warehouse.code, int(opening or 0), tuple(days))


def _bucket_label(b: AgeBucket) -> str:
    return f"{b.from_days}-{b.to_days}" if b.to_days is not None else f">{b.from_days - 1}"


def stock_age_csv(report: StockAge) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    labels = [_bucket_label(b) for b in report.totals]
    writer.writerow(
        ["sku", "name", "warehouse", "on_hand", "value_cents"]
        + [f"qty_{x}" for x in labels]
        + [f"value_{x}" for x in labels]
    )
    for r in report.rows:
        writer.writerow(
            [r.sku, r.name, r.warehouse_code, r.on_hand, r.value_cents]
            + [b.quantity for b in r.buckets]
            + [b.value_cents for b in r.buckets]
        )
    return buffer.getvalue()


def stock_levels_csv(levels: StockLevels) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["day", "sku", "warehouse", "received", "issued", "on_hand"])
    for d in levels.days:
        writer.writerow(
            [d.day.isoformat(), levels.sku, levels.warehouse_code, d.received, d.issued, d.on_hand]
        )
    return buffer.getvalue()
