"""Import throughput and memory: 100,000 items, then 100,000 opening-stock rows.

Each measurement runs in its own process on a freshly migrated database (SQLite
file or a new PostgreSQL database), with a warehouse of 10,000 bins made by the
layout generator. Files are CSV written to disk first; the importer streams them
(`backend.imports.runner.run_import`, the code behind POST /imports/{kind}),
apply mode, one transaction. Figures: rows per second and the process's peak RSS,
at 20,000 and at 100,000 rows (flat memory means the two peaks are close).

    PYTHONPATH=$PWD .venv/bin/python bench/import.py                 # both databases
    PYTHONPATH=$PWD .venv/bin/python bench/import.py --db sqlite --rows 20000

Last measured (2026-12-05, shared 2-core machine; rows/s, peak RSS MB; see bench/README.md):

    db             rows  items/s  stock/s  RSS MB: start  items  stock
    sqlite        20000    14836    19744          136.2  140.6  141.0
    sqlite       100000    14259    18512          134.1  149.5  150.0
    postgresql    20000     8865    12679          132.8  132.8  132.8
    postgresql   100000     5996     7141          132.8  143.0  143.0
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PG_ADMIN = os.environ.get("WMS_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_URL = os.environ.get("WMS_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432")


def ean13(n: int) -> str:
    body = f"29{n:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def write_files(folder: Path, rows: int) -> tuple[Path, Path]:
    items = folder / "items.csv"
    stock = folder / "stock.csv"
    with items.open("w", encoding="utf-8") as f:
        f.write("sku,name,category,base_unit,gtin,case_qty,case_gtin,weight_g,abc_class\n")
        for n in range(rows):
            f.write(f"B-{n:06d},Article {n} 商品,Bench,EA,{ean13(n)},12,,250,C\n")
    with stock.open("w", encoding="utf-8") as f:
        f.write("bin,sku,quantity\n")
        for n in range(rows):
            aisle, rest = divmod(n % 10_000, 500)
            bay, rest = divmod(rest, 10)
            level, side = divmod(rest, 2)
            f.write(
                f"A{aisle + 1:02d}-{bay + 1:03d}-{level + 1}{'LR'[side]},B-{n:06d},{1 + n % 40}\n"
            )
    return items, stock


async def one(db: str, rows: int) -> dict[str, object]:
    import asyncpg
    from sqlalchemy import func, select

    from backend.core.auth.service import create_user
    from backend.core.db import models as m
    from backend.core.db.engine import create_engine, session_factory
    from backend.core.db.migrate import upgrade_async
    from backend.imports.kinds import KINDS, Context
    from backend.imports.runner import run_import
    from backend.layout.generator import LayoutSpec, save_layout
    from backend.layout.sites import WarehouseSpec, save_warehouse

    folder = Path(tempfile.mkdtemp(prefix="wms-bench-import-"))
    name = f"wms_bench_{uuid.uuid4().hex[:8]}"
    if db == "postgresql":
        conn = await asyncpg.connect(PG_ADMIN)
        await conn.execute(f"CREATE DATABASE {name}")
        await conn.close()
        url = f"{PG_URL}/{name}"
    else:
        url = f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}"
    await upgrade_async(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        wh = await save_warehouse(session, WarehouseSpec("B1", "Bench"), create=True)
        await save_layout(session, LayoutSpec(wh.id, aisles=20, bays=50, levels=5))
        user = await create_user(
            session,
            username="bench",
            display_name="Bench",
            password="x" * 12,
            roles=["admin"],
            warehouse_ids=[wh.id],
        )
        wid, uid = wh.id, user.id
    items_csv, stock_csv = write_files(folder, rows)
    figures: dict[str, object] = {"db": db, "rows": rows}
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for kind, path in (("items", items_csv), ("opening_stock", stock_csv)):
        async with sessions() as session:
            await session.begin()
            started = time.perf_counter()
            report = await run_import(
                session, KINDS[kind], path, Context(wid, "B1", uid, "BENCH"), dry_run=False
            )
            assert report.applied, report.as_json()
            await session.commit()
            seconds = time.perf_counter() - started
        figures[f"{kind}_rows_per_s"] = round(rows / seconds)
        figures[f"{kind}_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
    figures["rss_before_imports_mb"] = round(base_rss / 1024, 1)
    async with sessions() as session:
        moves = await session.scalar(select(func.count()).select_from(m.StockMove))
        figures["ledger_entries"] = moves
    await engine.dispose()
    if db == "postgresql":
        conn = await asyncpg.connect(PG_ADMIN)
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(asyncio.run(one(args.db, args.rows))))
        return
    dbs = [args.db] if args.db else ["sqlite", "postgresql"]
    sizes = [args.rows] if args.rows else [20_000, 100_000]
    print(
        f"{'db':<11}{'rows':>8}{'items/s':>9}{'stock/s':>9}{'RSS MB: start':>15}{'items':>7}{'stock':>7}"
    )
    for db in dbs:
        for rows in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", "--db", db, "--rows", str(rows)],
                capture_output=True,
                text=True,
                check=True,
            )
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{db:<11}{rows:>8}{f['items_rows_per_s']:>9}{f['opening_stock_rows_per_s']:>9}"
                f"{f['rss_before_imports_mb']:>15}{f['items_peak_rss_mb']:>7}"
                f"{f['opening_stock_peak_rss_mb']:>7}",
                flush=True,
            )


if __name__ == "__main__":
    main()
