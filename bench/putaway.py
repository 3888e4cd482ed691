"""Putaway benchmark: suggest_bins on a 20,000-bin warehouse with 5,000 items.

    .venv/bin/python bench/putaway.py               # SQLite file, 500 suggestions
    .venv/bin/python bench/putaway.py --pg          # and PostgreSQL (scratch database)
    .venv/bin/python bench/putaway.py --quick       # 100 suggestions

The warehouse (50 aisles x 50 bays x 4 levels x 2 sides, 40 QC bins) is
migrated with Alembic and filled with bulk inserts of items, lots and quants
(no ledger entries: the suggestion reads quants only). About 60% of the
storage bins hold stock. Requests draw a random item (85% AMBIENT, 10% COLD,
5% HAZARDOUS), its lot if it has stock, 1-200 units, 95% AVAILABLE and 5%
QUARANTINE. Prints figures; asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade_async
from backend.core.db.models import Bin, Item, Lot, Quant, Warehouse, Zone
from backend.inbound.putaway import PutawayRequest, suggest_bins
from backend.inbound.putaway import loader as putaway_loader
from backend.inbound.putaway.core import ItemFacts, rank

AISLES, BAYS, LEVELS = 50, 50, 4
ITEMS = 5000
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/scratch_putaway_bench"


def aisle_class(aisle: int) -> str:
    return "COLD" if 40 <= aisle < 45 else "HAZARDOUS" if aisle >= 47 else "AMBIENT"


async def build(
    engine: AsyncEngine, rng: random.Random
) -> tuple[int, list[tuple[int, int | None]]]:
    """Layout, items, lots and stock; returns the warehouse id and (item, lot) pairs."""
    sessions = session_factory(engine)
    async with sessions() as s, s.begin():
        wh = Warehouse(
            code="B1",
            name="Bench DC",
            n_aisles=AISLES,
            cells_per_aisle=BAYS,
            cell_length_m=1.3,
            aisle_pitch_m=3.2,
            cross_aisle_width_m=3.0,
            n_blocks=2,
            depot_aisle=AISLES // 2,
        )
        s.add(wh)
        await s.flush()
        zones = {}
        for code, kind in [("QC", "QC"), ("RSV", "RESERVE"), ("PF", "PICK_FACE")]:
            zones[code] = Zone(warehouse_id=wh.id, code=code, name=code, kind=kind)
            s.add(zones[code])
        await s.flush()
        bins: list[dict[str, Any]] = [
            dict(
                warehouse_id=wh.id,
                zone_id=zones["QC"].id,
                code=f"BIN-B1-QC-{n:02d}",
                label=f"QC-{n:02d}",
                capacity_units=2000,
                capacity_volume_cm3=0,
                capacity_weight_g=0,
                storage_class=klass,
            )
            for n, klass in enumerate(["AMBIENT"] * 30 + ["COLD"] * 6 + ["HAZARDOUS"] * 4)
        ]
        for aisle in range(AISLES):
            for bay in range(BAYS):
                for level in range(1, LEVELS + 1):
                    for side in "LR":
                        pick_face = level <= 2 and aisle < 30
                        bins.append(
                            dict(
                                warehouse_id=wh.id,
                                zone_id=zones["PF" if pick_face else "RSV"].id,
                                code=f"BIN-B1-{aisle:02d}-{bay:02d}-{level}{side}",
                                label=f"{aisle:02d}-{bay:02d}-{level}{side}",
                                aisle=aisle,
                                bay=bay,
                                level=level,
                                side=side,
                                capacity_units=150 if pick_face else 600,
                                capacity_volume_cm3=400_000 if pick_face else 1_500_000,
                                capacity_weight_g=150_000 if pick_face else 600_000,
                                storage_class=aisle_class(aisle),
                                blocked=rng.random() < 0.01,
                            )
                        )
        await s.execute(insert(Bin), bins)
        item_rows = []
        for n in range(ITEMS):
            r = rng.random()
            klass = "AMBIENT" if r < 0.85 else "COLD" if r < 0.95 else "HAZARDOUS"
            item_rows.append(
                dict(
                    sku=f"B-{n:05d}",
                    name=f"Bench item {n}",
                    length_mm=rng.randint(30, 250),
                    width_mm=rng.randint(30, 200),
                    height_mm=rng.randint(20, 200),
                    weight_g=rng.randint(50, 2500),
                    abc_class=rng.choices("ABC", weights=(20, 30, 50))[0],
                    storage_class=klass,
                    tracking="LOT" if n % 3 == 0 else "NONE",
                )
            )
        await s.execute(insert(Item), item_rows)
        items = (await s.execute(select(Item.id, Item.storage_class, Item.tracking))).all()
        await s.execute(
            insert(Lot),
            [dict(item_id=i, lot_number=f"L{i}") for i, _, t in items if t == "LOT"],
        )
        lot_of = dict((await s.execute(select(Lot.item_id, Lot.id))).all())
        storage = (
            await s.execute(
                select(Bin.id, Bin.storage_class).where(Bin.aisle.is_not(None), ~Bin.blocked)
            )
        ).all()
        by_class: dict[str, list[int]] = {}
        for i, klass, _ in items:
            by_class.setdefault(klass, []).append(i)
        quants = []
        for bin_id, klass in storage:
            if rng.random() < 0.6:
                for item_id in rng.sample(by_class[klass], k=rng.choice([1, 1, 2])):
                    quants.append(
                        dict(
                            item_id=item_id,
                            bin_id=bin_id,
                            lot_id=lot_of.get(item_id),
                            on_hand=rng.randint(1, 40),
                        )
                    )
        await s.execute(insert(Quant), quants)
        print(f"built: {len(bins)} bins, {len(items)} items, {len(quants)} quants")
        return wh.id, [(i, lot_of.get(i)) for i, _, _ in items]


def requests(wid: int, pairs: list[tuple[int, int | None]], n: int) -> list[PutawayRequest]:
    rng = random.Random(11)
    out = []
    for _ in range(n):
        item_id, lot_id = rng.choice(pairs)
        status = "QUARANTINE" if rng.random() < 0.05 else "AVAILABLE"
        out.append(PutawayRequest(wid, item_id, lot_id, rng.randint(1, 200), status))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(engine: AsyncEngine, reqs: list[PutawayRequest]) -> dict[str, list[float]]:
    sessions = session_factory(engine)
    wid = reqs[0].warehouse_id
    prepares = []
    async with sessions() as s:  # build the bin cache and every item profile's ordering
        facts = await putaway_loader.warehouse_facts(s, wid)
        params = await putaway_loader.ranking_params(s, wid, facts)
        for klass in ("AMBIENT", "COLD", "HAZARDOUS"):
            for abc in "ABC":
                for status in ("AVAILABLE", "QUARANTINE"):
                    t0 = time.perf_counter()
                    facts.candidates(ItemFacts(0, klass, abc, 0.0, 0), status, params)
                    prepares.append((time.perf_counter() - t0) * 1000)
        await putaway_loader.snapshot_loads(s, facts, wid)
    full, cpu, pure, empty = [], [], [], 0
    for req in reqs:
        async with sessions() as s:
            t0, c0 = time.perf_counter(), time.process_time()
            got = await suggest_bins(s, req)
            full.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            empty += not got
            # The pure ranking alone, on the same inputs the call just read.
            item = await putaway_loader.item_facts(s, req)
            facts = await putaway_loader.warehouse_facts(s, req.warehouse_id)
            params = await putaway_loader.ranking_params(s, req.warehouse_id, facts)
            stock = await putaway_loader.item_stock(s, req)
            loads = await putaway_loader.snapshot_loads(s, facts, req.warehouse_id)
            candidates = facts.candidates(item, req.status, params)
            t0 = time.perf_counter()
            rank(req, item, candidates, loads, stock, params, 3)
            pure.append((time.perf_counter() - t0) * 1000)
    with_puts = []
    for req in reqs:
        async with sessions() as s:
            t0 = time.perf_counter()
            got = await suggest_bins(s, req)
            with_puts.append((time.perf_counter() - t0) * 1000)
        if got:
            await put_away(sessions, req, got[0].bin_id)
    fresh, refresh_bins, refresh_loads = [], [], []
    for req in reqs[:20]:
        async with sessions() as s:
            t0 = time.perf_counter()
            await suggest_bins(s, req, fresh=True)
            fresh.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            facts = await putaway_loader.warehouse_facts(s, req.warehouse_id, refresh=True)
            refresh_bins.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await putaway_loader.snapshot_loads(s, facts, req.warehouse_id, refresh=True)
            refresh_loads.append((time.perf_counter() - t0) * 1000)
    print(f"  {empty} of {len(reqs)} requests found no bin")
    return {
        "suggest_bins": full,
        "  its CPU time": cpu,
        "rank (pure)": pure,
        "with a put after": with_puts,
        "fresh=True": fresh,
        "bin cache build": refresh_bins,
        "loads snapshot": refresh_loads,
        "order 1 profile": prepares,
    }


async def put_away(sessions: Any, req: PutawayRequest, bin_id: int) -> None:
    """The put the suggestion was for, as its own transaction (as a handheld would)."""
    async with sessions() as s, s.begin():
        status = "QUARANTINE" if req.status == "QUARANTINE" else "AVAILABLE"
        quant = await s.scalar(
            select(Quant).where(
                Quant.item_id == req.item_id,
                Quant.bin_id == bin_id,
                Quant.status == status,
                Quant.lot_id.is_(None) if req.lot_id is None else Quant.lot_id == req.lot_id,
            )
        )
        if quant is None:
            s.add(
                Quant(
                    item_id=req.item_id,
                    bin_id=bin_id,
                    lot_id=req.lot_id,
                    status=status,
                    on_hand=req.quantity,
                )
            )
        else:
            quant.on_hand += req.quantity


def table(name: str, figures: dict[str, list[float]]) -> None:
    print(f"\n{name}")
    print(f"{'':18} {'n':>5} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}")
    for label, values in figures.items():
        print(
            f"{label:18} {len(values):5d} {statistics.median(values):10.2f}"
            f" {percentile(values, 0.99):8.2f} {max(values):8.2f}"
        )


async def run(url: str, name: str, n: int) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        t0 = time.perf_counter()
        wid, pairs = await build(engine, random.Random(3))
        print(f"  generated in {time.perf_counter() - t0:.1f} s")
        table(name, await measure(engine, requests(wid, pairs, n)))
    finally:
        await engine.dispose()


async def pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--pg", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="100 suggestions")
    args = parser.parse_args()
    n = 100 if args.quick else 500
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/putaway.sqlite3", "SQLite", n)
    if args.pg:
        await pg_admin("DROP DATABASE IF EXISTS scratch_putaway_bench WITH (FORCE)")
        await pg_admin("CREATE DATABASE scratch_putaway_bench")
        try:
            await run(PG_URL, "PostgreSQL", n)
        finally:
            await pg_admin("DROP DATABASE IF EXISTS scratch_putaway_bench WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main())
