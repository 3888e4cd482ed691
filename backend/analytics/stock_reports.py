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

from sqlalchemy import Date, Subquery, case, cast, func, or_, select
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


def _least(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    """The smaller of two figures, in SQL both databases speak (SQLite has no LEAST)."""
    return case((a < b, a), else_=b)


def _inbound_since(
    warehouse_ids: Sequence[int], now: datetime, edges: tuple[int, ...], item_id: int | None
) -> Subquery:
    """Per (item, warehouse): units that came in during the last `e` whole days, for
    each edge e (columns in0, in1, ...). Inbound means a move with no source bin
    (receipts, returns, openings, stock found by a count). Only the moves of the
    widest window are read."""
    dst = aliased(Bin)
    cutoffs = [now - timedelta(days=e + 1) for e in edges]
    stmt = (
        select(
            StockMove.item_id,
            dst.warehouse_id,
            *(
                func.sum(case((StockMove.at > c, StockMove.quantity), else_=0)).label(f"in{i}")
                for i, c in enumerate(cutoffs)
            ),
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
    return stmt.subquery("inbound")


def _on_hand(warehouse_ids: Sequence[int], item_id: int | None) -> Subquery:
    """Per (item, warehouse) with stock: the units on hand (column qty)."""
    stmt = (
        select(Quant.item_id, Bin.warehouse_id, func.sum(Quant.on_hand).label("qty"))
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id.in_(warehouse_ids), Quant.on_hand > 0)
        .group_by(Quant.item_id, Bin.warehouse_id)
    )
    if item_id is not None:
        stmt = stmt.where(Quant.item_id == item_id)
    return stmt.subquery("on_hand")


async def stock_age(
    session: AsyncSession,
    warehouse_ids: Sequence[int],
    now: datetime,
    edges: Sequence[int] = DEFAULT_EDGES,
    item_id: int | None = None,
    limit: int = 500,
) -> StockAge:
    """On hand per item and warehouse, aged first-in first-out: what is on hand is
    taken to be the latest inbound units, newest first, until the on-hand is covered.
    So of the units on hand, min(on_hand, came in within e days) are at most e days
    old; the differences of these running figures are the buckets, and what no window
    covers is the oldest (including stock older than the ledger). Age in days = whole
    days since the move that brought the unit in; bucket i holds ages up to edges[i].
    Rows are ordered by value, most first, then SKU and warehouse code.

    One statement does it all, so the thousands of (item, warehouse) rows of a
    warehouse never reach Python: the buckets per row, the totals over every row
    (window sums, which are taken before the LIMIT) and only the rows shown."""
    edges = check_edges(edges)
    ins = _inbound_since(warehouse_ids, now, edges, item_id)
    have = _on_hand(warehouse_ids, item_id)
    qty = have.c.qty
    cost = func.coalesce(Item.unit_cost_cents, 0)
    younger = [_least(qty, func.coalesce(ins.c[f"in{i}"], 0)) for i in range(len(edges))]
    bucket_qty = [younger[0], *(b - a for a, b in pairwise([*younger, qty]))]
    # Ties in value are ordered by code point, as Python's sort would: PostgreSQL
    # compares text by the database's collation unless told otherwise.
    binary = _dialect(session) == "postgresql"
    sku = Item.sku.collate("C") if binary else Item.sku
    code = Warehouse.code.collate("C") if binary else Warehouse.code
    stmt = (
        select(
            have.c.item_id,
            Item.sku,
            Item.name,
            Warehouse.code,
            qty,
            cost,
            *bucket_qty,
            *(func.sum(q).over() for q in bucket_qty),
            *(func.sum(q * cost).over() for q in bucket_qty),
        )
        .select_from(have)
        .join(Item, Item.id == have.c.item_id)
        .join(Warehouse, Warehouse.id == have.c.warehouse_id)
        .outerjoin(
            ins, (ins.c.item_id == have.c.item_id) & (ins.c.warehouse_id == have.c.warehouse_id)
        )
        .order_by((qty * cost).desc(), sku, code)
        .limit(max(1, limit))
    )
    n = len(bucket_qty)
    total_q, total_v = [0] * n, [0] * n
    rows = []
    for r in await session.execute(stmt):
        item, sku_, name, code_, on_hand, unit = r[:6]
        qty_b = [int(x) for x in r[6 : 6 + n]]
        val_b = [q * int(unit) for q in qty_b]
        # Every row carries the same totals (window sums over all rows, not only these).
        total_q = [int(x) for x in r[6 + n : 6 + 2 * n]]
        total_v = [int(x) for x in r[6 + 2 * n :]]
        rows.append(
            StockAgeRow(
                item, sku_, name, code_, int(on_hand), sum(val_b), _buckets(edges, qty_b, val_b)
            )
        )
    return StockAge(now, edges, _buckets(edges, total_q, total_v), tuple(rows))


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
