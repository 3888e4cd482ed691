"""Analytics benchmark: a year of history, 5,000 items, 1 million ledger moves.

    .venv/bin/python bench/analytics.py                 # generate, fold, time (about 3–5 min)
    .venv/bin/python bench/analytics.py --moves 200000  # smaller
    .venv/bin/python bench/analytics.py --reuse         # time again on the generated database
    .venv/bin/python bench/analytics.py --reuse --only stock  # only the stock reports

Needs PostgreSQL on 127.0.0.1 (WMS_BENCH_PG_DSN, default
postgresql://postgres@127.0.0.1:5432/postgres); works in its own database
`bench_analytics`, dropped and created again unless --reuse. Moves are written
with COPY (asyncpg). Pick popularity follows a Zipf-like curve so ABC classes
look like a real warehouse's. Quants are generated on their own (the benchmark
times reads; it does not replay the ledger into them). Prints figures; asserts
nothing about timings.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.alerts.evaluator import evaluate_alerts
from backend.analytics import reports
from backend.analytics import stock_reports as SR
from backend.analytics.aggregates import refresh
from backend.analytics.rollup import Worker
from backend.core.db.base import Base
from backend.core.db.engine import create_engine, session_factory
from backend.replenishment.suggestions import purchase_suggestions

ADMIN_DSN = os.environ.get("WMS_BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
DB = "bench_analytics"
ITEMS = 5000
PICKERS = 25
CATEGORIES = [f"Category {n:02d}" for n in range(20)]


def url_of(dsn: str, database: str) -> str:
    base = dsn.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+asyncpg://") + f"/{database}"


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def admin_db(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN.rsplit("/", 1)[0] + f"/{DB}")
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def create_schema(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await engine.dispose()


def move_rows(
    rng: random.Random, n_moves: int, start: datetime, bins: dict[str, list[int]], users: list[int]
) -> list[tuple[Any, ...]]:
    weights = list(itertools.accumulate(1 / (rank + 1) ** 0.9 for rank in range(ITEMS)))
    total = weights[-1]
    popular = list(range(1, ITEMS + 1))
    rng.shuffle(popular)

    def item() -> int:
        return popular[bisect.bisect_left(weights, rng.random() * total)]

    reserve, face, bench = bins["RESERVE"], bins["PICK_FACE"], bins["PACKING"]
    span = 365 * 86400
    times = sorted(rng.random() * span for _ in range(n_moves))
    rows = []
    for n, offset in enumerate(times, start=1):
        at = start + timedelta(seconds=offset)
        at = at.replace(hour=6 + at.hour % 16)  # the floor works 06:00–22:00
        roll = rng.random()
        if roll < 0.08:
            row = (
                None,
                None,
                rng.choice(reserve),
                "AVAILABLE",
                "RECEIPT",
                rng.randint(24, 480),
                None,
            )
        elif roll < 0.18:
            row = (
                rng.choice(reserve),
                "AVAILABLE",
                rng.choice(face),
                "AVAILABLE",
                "REPLENISH",
                rng.randint(12, 120),
                None,
            )
        elif roll < 0.71:
            row = (
                rng.choice(face),
                "AVAILABLE",
                rng.choice(bench),
                "AVAILABLE",
                "PICK",
                rng.randint(1, 12),
                rng.choice(users),
            )
        elif roll < 0.83:
            # A closed carton moves its contents along the benches (packers are people too).
            row = (
                rng.choice(bench),
                "AVAILABLE",
                rng.choice(bench),
                "AVAILABLE",
                "PACK",
                rng.randint(1, 12),
                rng.choice(users),
            )
        elif roll < 0.98:
            row = (rng.choice(bench), "AVAILABLE", None, None, "SHIP", rng.randint(1, 24), None)
        else:
            row = (
                rng.choice(reserve),
                "AVAILABLE",
                None,
                None,
                "ADJUST_OUT",
                rng.randint(1, 3),
                None,
            )
        src, src_status, dst, dst_status, reason, qty, user = row
        reference = f"ADJ-{n} COUNT-{n}" if reason == "ADJUST_OUT" else None
        rows.append(
            (
                n,
                at,
                item(),
                None,
                qty,
                src,
                src_status,
                dst,
                dst_status,
                reason,
                reference,
                user,
                None,
            )
        )
    return rows


async def generate(url: str, n_moves: int) -> None:
    rng = random.Random(2026)
    now = datetime.now(UTC)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(
            """INSERT INTO warehouses (id, code, name, address, timezone, n_aisles, cells_per_aisle,
            cell_length_m, aisle_pitch_m, cross_aisle_width_m, n_blocks, depot_aisle, active)
            VALUES (1, 'B1', 'Bench DC', '{}', 'Europe/Amsterdam', 40, 50, 1.3, 3.0, 3.0, 1, 0, true)"""
        )
        zones = {"RESERVE": 1, "PICK_FACE": 2, "PACKING": 3}
        for kind, zid in zones.items():
            await connection.execute(
                "INSERT INTO zones (id, warehouse_id, code, name, kind, storage_class) VALUES ($1, 1, $2, $2, $2, 'AMBIENT')",
                zid,
                kind,
            )
        counts = {"RESERVE": 2000, "PICK_FACE": 2000, "PACKING": 10}
        bins: dict[str, list[int]] = {}
        bin_rows = []
        next_id = 1
        for kind, count in counts.items():
            bins[kind] = list(range(next_id, next_id + count))
            for bid in bins[kind]:
                bin_rows.append(
                    (
                        bid,
                        1,
                        zones[kind],
                        f"BIN-B1-{bid:05d}",
                        f"{kind[:2]}-{bid:05d}",
                        100,
                        0,
                        0,
                        "AMBIENT",
                        False,
                        False,
                        True,
                    )
                )
            next_id += count
        await connection.copy_records_to_table(
            "bins",
            records=bin_rows,
            columns=[
                "id",
                "warehouse_id",
                "zone_id",
                "code",
                "label",
                "capacity_units",
                "capacity_volume_cm3",
                "capacity_weight_g",
                "storage_class",
                "blocked",
                "needs_count",
                "active",
            ],
        )
        item_rows = [
            (
                i,
                f"B-{i:05d}",
                f"Bench item {i}",
                "",
                "",
                "EA",
                "NONE",
                False,
                0,
                0,
                0,
                0,
                "C",
                "AMBIENT",
                CATEGORIES[i % len(CATEGORIES)],
                rng.randint(50, 5000),
                True,
                now,
            )
            for i in range(1, ITEMS + 1)
        ]
        await connection.copy_records_to_table(
            "items",
            records=item_rows,
            columns=[
                "id",
                "sku",
                "name",
                "specification",
                "brand",
                "base_unit",
                "tracking",
                "expiry_tracked",
                "length_mm",
                "width_mm",
                "height_mm",
                "weight_g",
                "abc_class",
                "storage_class",
                "category",
                "unit_cost_cents",
                "active",
                "created_at",
            ],
        )
        users = list(range(1, PICKERS + 1))
        await connection.copy_records_to_table(
            "users",
            records=[(u, f"picker{u}", f"Picker {u}", "x", "en", True, 1, now) for u in users],
            columns=[
                "id",
                "username",
                "display_name",
                "password_hash",
                "locale",
                "active",
                "token_version",
                "created_at",
            ],
        )
        quants = []
        for i in range(1, ITEMS + 1):
            for bid in rng.sample(bins["PICK_FACE"], 2) + rng.sample(bins["RESERVE"], 2):
                quants.append(
                    (
                        i,
                        bid,
                        None,
                        rng.choice(("AVAILABLE",) * 9 + ("QUARANTINE",)),
                        rng.randint(0, 300),
                        0,
                        now,
                        now,
                    )
                )
        await connection.copy_records_to_table(
            "quants",
            records=quants,
            columns=[
                "item_id",
                "bin_id",
                "lot_id",
                "status",
                "on_hand",
                "reserved",
                "received_at",
                "updated_at",
            ],
        )
        started = time.perf_counter()
        midnight = datetime.combine(now.date(), datetime.min.time(), UTC)
        rows = move_rows(rng, n_moves, midnight - timedelta(days=365), bins, users)
        made = time.perf_counter() - started
        started = time.perf_counter()
        await connection.copy_records_to_table(
            "stock_moves",
            records=rows,
            columns=[
                "id",
                "at",
                "item_id",
                "lot_id",
                "quantity",
                "from_bin_id",
                "from_status",
                "to_bin_id",
                "to_status",
                "reason",
                "reference",
                "user_id",
                "task_id",
            ],
        )
        copied = time.perf_counter() - started
        for table in ("warehouses", "zones", "bins", "items", "users", "stock_moves"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        await connection.execute(
            """INSERT INTO tasks (warehouse_id, kind, state, role, title, priority, payload, version,
            created_at, finished_at) SELECT 1, 'COUNT', 'DONE', 'picker', 'count', 5, '{}', 1, $1, $1
            FROM generate_series(1, 3000)""",
            now - timedelta(days=10),
        )
        # What the counting flow reports when a count is submitted with a variance
        # (backend/control/counts.py), a couple of hours before its approval's adjustment.
        await connection.execute(
            """INSERT INTO alert_signals (kind, warehouse_id, item_id, bin_id, quantity, reference, at)
            SELECT 'COUNT_VARIANCE', 1, item_id, from_bin_id, -quantity,
                substring(reference from 'COUNT-[0-9]+'), at - interval '2 hours'
            FROM stock_moves WHERE reason = 'ADJUST_OUT' AND reference LIKE '%COUNT-%'"""
        )
        await connection.execute(
            """INSERT INTO alert_rules (warehouse_id, name, combine, conditions, severity, repeat_minutes,
            email_to, webhook_url, webhook_secret, active, created_at) VALUES
            (1, 'Below safety stock', 'ANY', '[{"kind": "BELOW_SAFETY_STOCK", "threshold": null, "days": null}]',
             'WARNING', 240, '', '', '', true, $1),
            (1, 'Idle or miscounted', 'ANY', '[{"kind": "NO_MOVEMENT", "threshold": null, "days": 60},
             {"kind": "COUNT_VARIANCE", "threshold": 5, "days": 30}]', 'INFO', 1440, '', '', '', true, $1)""",
            now,
        )
        await connection.execute("ANALYZE")
        print(f"generated {n_moves:,} moves in {made:.1f} s, COPY {copied:.1f} s")
    finally:
        await connection.close()


NEW_MOVES = 2000


async def add_recent_moves(url: str, n: int, now: datetime) -> None:
    """The last n moves again, a minute old: what piles up between two alert cycles."""
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(
            """INSERT INTO stock_moves (at, item_id, lot_id, quantity, from_bin_id, from_status,
                to_bin_id, to_status, reason, reference, user_id, task_id)
            SELECT $1, item_id, lot_id, quantity, from_bin_id, from_status, to_bin_id, to_status,
                reason, reference, user_id, task_id
            FROM stock_moves ORDER BY id DESC LIMIT $2""",
            now - timedelta(minutes=1),
            n,
        )
    finally:
        await connection.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed(
    sessions: Any, label: str, runs: int, fn: Callable[[AsyncSession], Awaitable[Any]]
) -> None:
    times = []
    size = 0
    for _ in range(runs):
        async with sessions() as session:
            started = time.perf_counter()
            result = await fn(session)
            times.append((time.perf_counter() - started) * 1000)
            await session.rollback()
        size = len(result) if isinstance(result, list | str) else 1
        if isinstance(result, SR.StockAge):
            size = len(result.rows)
        elif isinstance(result, SR.StockLevels):
            size = len(result.days)
    print(f"{label:<44} {statistics.median(times):>8.1f} {percentile(times, 0.95):>8.1f} {size:>8}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--moves", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the generated database")
    parser.add_argument("--only", default="", help="time only the queries whose label has this")
    args = parser.parse_args()
    url = url_of(ADMIN_DSN, DB)
    if not args.reuse:
        await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        await admin(f"CREATE DATABASE {DB}")
        await create_schema(url)
        await generate(url, args.moves)
    engine = create_engine(url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        started = time.perf_counter()
        folded = await refresh(session, now + timedelta(minutes=1))
        print(
            f"first refresh folded {folded.moves:,} moves in {time.perf_counter() - started:.1f} s"
        )
    async with sessions() as session, session.begin():
        started = time.perf_counter()
        await refresh(session, now + timedelta(minutes=1))
        print(f"refresh with nothing new: {(time.perf_counter() - started) * 1000:.1f} ms")
    await add_recent_moves(url, NEW_MOVES, now)
    async with sessions() as session, session.begin():
        started = time.perf_counter()
        folded = await refresh(session, now + timedelta(minutes=1))
        print(
            f"refresh after {folded.moves:,} new moves (days and months rebuilt): "
            f"{(time.perf_counter() - started) * 1000:.1f} ms"
        )

    wh = [1]
    today = now.date()
    async with sessions() as session:
        busiest = int(
            await session.scalar(
                text(
                    "SELECT item_id FROM stock_moves GROUP BY item_id ORDER BY count(*) DESC LIMIT 1"
                )
            )
        )
    print(f"\n{'query (one warehouse, 5,000 items)':<44} {'p50 ms':>8} {'p95 ms':>8} {'rows':>8}")
    R = reports
    cases: list[tuple[str, Callable[[AsyncSession], Awaitable[Any]]]] = [
        ("stockValue by category", lambda s: R.stock_value(s, wh, R.ValueGroup.CATEGORY)),
        ("stockValue by status", lambda s: R.stock_value(s, wh, R.ValueGroup.STATUS)),
        ("turnover per item, 90 days (top 100)", lambda s: R.turnover(s, wh, now, 90)),
        ("turnover per item, 365 days (all)", lambda s: R.turnover(s, wh, now, 365, limit=10_000)),
        (
            "turnover per category, 365 days",
            lambda s: R.turnover(s, wh, now, 365, R.TurnoverGroup.CATEGORY),
        ),
        ("abcAnalysis by lines, 90 days", lambda s: R.abc_analysis(s, wh, now, 90)),
        (
            "abcAnalysis by value, 365 days",
            lambda s: R.abc_analysis(s, wh, now, 365, R.AbcMeasure.VALUE),
        ),
        ("movementTrends per day, 90 days", lambda s: R.movement_trends(s, wh, now, 90)),
        (
            "movementTrends per week, 365 days",
            lambda s: R.movement_trends(s, wh, now, 365, R.Bucket.WEEK),
        ),
        ("inventoryAccuracy, 90 days", lambda s: R.inventory_accuracy(s, wh, now, 90)),
        ("pickerProductivity, 30 days", lambda s: R.worker_productivity(s, wh, now, 30)),
        ("pickerProductivity, 365 days", lambda s: R.worker_productivity(s, wh, now, 365)),
        (
            "packerProductivity, 365 days",
            lambda s: R.worker_productivity(s, wh, now, 365, Worker.PACKER),
        ),
        (
            "analyticsCsv turnover, 90 days (all items)",
            lambda s: R.analytics_csv(s, R.CsvKind.TURNOVER, wh, now, 90),
        ),
        ("purchaseSuggestions, 90-day window", lambda s: purchase_suggestions(s, 1, now)),
        ("stockAge, all items (top 500 by value)", lambda s: SR.stock_age(s, wh, now)),
        (
            "stockAge, all items, 12 edges",
            lambda s: SR.stock_age(
                s, wh, now, (7, 14, 30, 45, 60, 90, 120, 180, 240, 300, 365, 540)
            ),
        ),
        ("stockAge, busiest item", lambda s: SR.stock_age(s, wh, now, item_id=busiest)),
        (
            "stockLevelHistory, busiest item, 90 days",
            lambda s: SR.stock_levels(s, wh, busiest, 1, today - timedelta(days=89), today),
        ),
        (
            "stockLevelHistory, busiest item, 365 days",
            lambda s: SR.stock_levels(s, wh, busiest, 1, today - timedelta(days=364), today),
        ),
    ]
    for label, fn in cases:
        if args.only.lower() in label.lower():
            await timed(sessions, label, args.runs, fn)
    if args.only.lower() not in "evaluate_alerts":
        await engine.dispose()
        return
    await timed(
        sessions,
        "evaluate_alerts (2 warehouse-wide rules)",
        max(3, args.runs // 4),
        lambda s: evaluate_alerts(s, now),
    )
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
