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

from sqlalchemy import Date, case, cast, func, or_, select
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


async def _inbound_since(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    edges: tuple[int, ...],
    item_id: int | None,
) -> dict[tuple[int, int], list[int]]:
    """Per (item, warehouse): units that came in during the last `e` whole days, for
    each edge e. Inbound means a move with no source bin (receipts, returns, openings,
    stock found by a count). Only the moves of the widest window are read."""
    dst = aliased(Bin)
    cutoffs = [now - timedelta(days=e + 1) for e in edges]
    stmt = (
        select(
            StockMove.item_id,
            dst.warehouse_id,
            *(func.sum(case((StockMove.at > c, StockMove.quantity), else_=0)) for c in cutoffs),
        )
        .join(dst, dst.id == StockMove.to_bin_id)
        .where(
            StockMove.from_bin_id.is_(None),
            StockMove.at > cutoffs[-1],
            dst.warehouse_id.in_(warehouse_ids),
        )
        .group_by(StockMove.item_id, dst.warehouse_id)
    )
    if item_id is not None:
        stmt = stmt.where(StockMove.item_id == item_id)
    return {(r[0], r[1]): [int(x or 0) for x in r[2:]] for r in await session.execute(stmt)}


def _fifo_buckets(on_hand: int, inbound: list[int]) -> list[int]:
    """First in, first out: the units on hand are the newest that came in, so of them
    min(on_hand, came in within e days) are at most e days old. The differences of
    these running figures are the buckets; what no window covers is the oldest."""
    younger = [min(on_hand, n) for n in inbound]
    return [b - a for a, b in zip([0, *younger], [*younger, on_hand], strict=True)]


async def stock_age(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    edges: Sequence[int] = DEFAULT_EDGES,
    item_id: int | None = None,
    limit: int = 500,
) -> StockAge:
    """On hand per item and warehouse, aged first-in first-out: what is on hand is
    taken to be the latest inbound units, newest first, until the on-hand is covered
    (`_fifo_buckets`). Age in days = whole days since the move that brought the unit
    in; bucket i holds ages up to edges[i], the last one anything older (including
    stock older than the ledger). Rows are ordered by value, most first."""
    edges = check_edges(edges)
    on_hand = (
        select(
            Quant.item_id,
            Bin.warehouse_id,
            func.sum(Quant.on_hand),
            Item.sku,
            Item.name,
            Item.unit_cost_cents,
            Warehouse.code,
        )
        .join(Bin, Bin.id == Quant.bin_id)
        .join(Item, Item.id == Quant.item_id)
        .join(Warehouse, Warehouse.id == Bin.warehouse_id)
        .where(Bin.warehouse_id.in_(warehouse_ids), Quant.on_hand > 0)
        .group_by(Quant.item_id, Bin.warehouse_id, Item.id, Warehouse.id)
    )
    if item_id is not None:
        on_hand = on_hand.where(Quant.item_id == item_id)
    inbound = await _inbound_since(session, warehouse_ids, now, edges, item_id)
    nothing = [0] * len(edges)
    total_q, total_v = [0] * (len(edges) + 1), [0] * (len(edges) + 1)
    found = []
    for item, wh, qty, sku, name, cost, code in await session.execute(on_hand):
        qty_b = _fifo_buckets(int(qty), inbound.get((item, wh), nothing))
        val_b = [q * int(cost or 0) for q in qty_b]
        for i in range(len(qty_b)):
            total_q[i] += qty_b[i]
            total_v[i] += val_b[i]
        found.append((-sum(val_b), sku, code, item, name, int(qty), qty_b, val_b))
    # Every row counts in the totals; only the rows shown become objects.
    found.sort(key=lambda f: f[:3])
    rows = tuple(
        StockAgeRow(item, sku, name, code, qty, -neg_value, _buckets(edges, qty_b, val_b))
        for neg_value, sku, code, item, name, qty, qty_b, val_b in found[: max(1, limit)]
    )
    return StockAge(now, edges, _buckets(edges, total_q, total_v), rows)


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
    flow across the warehouse's edge."""
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
    # Stock crosses a warehouse's edge only on moves with one side empty: receipts,
    # returns, openings and found stock come from nowhere, shipments, write-offs and
    # transfers out go nowhere (a transfer arrives as a receipt of its own). Moves between
    # two bins are internal and leave the level unchanged, so they are not read.
    src, dst = aliased(Bin), aliased(Bin)
    into = case((dst.warehouse_id == warehouse_id, StockMove.quantity), else_=0)
    out = case((src.warehouse_id == warehouse_id, StockMove.quantity), else_=0)
    base = (
        select()
        .select_from(StockMove)
        .outerjoin(src, src.id == StockMove.from_bin_id)
        .outerjoin(dst, dst.id == StockMove.to_bin_id)
        .where(
            StockMove.item_id == item_id,
            or_(StockMove.from_bin_id.is_(None), StockMove.to_bin_id.is_(None)),
            or_(dst.warehouse_id == warehouse_id, src.warehouse_id == warehouse_id),
        )
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
