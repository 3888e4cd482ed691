"""Cost growth: the picker's cycle on a fresh database and on databases with a year of history.

    .venv/bin/python bench/growth.py                   # 1,000,000 moves, 300,000 orders (4-5 min)
    .venv/bin/python bench/growth.py --moves 100000 --orders 30000 --cycles 60   # quicker
    .venv/bin/python bench/growth.py --keep            # keep the three databases afterwards

Needs PostgreSQL on 127.0.0.1:5432 (user postgres). The small demo warehouse is
seeded and its pick work laid out as in bench/hotpath.py (one-line orders of 8
units, released as carts of 10 lines) in ``bench_growth``; that database is then
copied (``CREATE DATABASE ... TEMPLATE``) twice and history is written into the
copies with COPY, past the app:

- ``bench_growth_moves``: a year of ledger moves (default 1,000,000) on the
  demo's items and bins;
- ``bench_growth_year``: the same moves plus a year of finished outbound work
  (default 300,000 SHIPPED orders, about 3.4 lines each): their waves (DONE),
  pick tasks (DONE, held by the pickers), tours, tour slots with totes from a
  pool of 400 that the live picks use too, order lines, consumed reservations and
  PICKED pick lines.

All three are vacuumed and analysed (autovacuum may be off on the server). One
server per database (``bench/counted_app.py``, one worker; the alert evaluator
and the analytics fold are off so that their periodic reads of the history do
not land inside a measured request), one picker each, driven with the PWA's
documents over bench/http1.py. The three are measured in turns, blocks of 10
cycles, so that the load of a shared machine falls on all of them alike.
Figures per mutation: p50 / p95, the app server's CPU and the PostgreSQL
backends' CPU (utime + stime from /proc, the backends found by their process
title) per request, statements per request, and each ratio to the fresh
database. Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import itertools
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.scan import CodeKind, make_code
from bench import hotpath
from bench.hotpath import CLK, LINES_PER_TASK, Picker, Prepared, Recorder, Server, pct
from bench.http1 import Connection

FRESH, MOVES, YEAR = "bench_growth", "bench_growth_moves", "bench_growth_year"
PHASES = {FRESH: "fresh", MOVES: "+ moves", YEAR: "+ outbound year"}
DSN = "postgresql://postgres@127.0.0.1:5432/{}"
URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/{}"
TOTES = 400  # totes in circulation: 40 carts of 10
ORDERS_PER_WAVE = 40
ORDERS_PER_TOUR = 10
BLOCK = 10  # cycles per database per turn
WARM = 10  # unmeasured cycles per database before the first turn
MUTATIONS = ("pickScanBin", "pickScanItem", "pickConfirm")
SERVER_ENV = {"WMS_ALERT_INTERVAL_SECONDS": "0", "WMS_ANALYTICS_FOLD_SECONDS": "0"}


def tote_pool() -> list[str]:
    return [make_code(CodeKind.TOTE, f"{n:04d}") for n in range(1, TOTES + 1)]


# -- history ----------------------------------------------------------------------


@dataclass
class Floor:
    warehouse_id: int
    items: list[int]
    bins: dict[str, list[int]]  # zone kind -> bins
    faces: dict[int, list[tuple[int, int, int | None]]]  # item -> (quant, bin, lot) on pick faces
    pickers: list[int]
    customers: list[int]
    carriers: list[int]


async def read_floor(connection: asyncpg.Connection) -> Floor:
    wid = await connection.fetchval("SELECT min(id) FROM warehouses")
    items = [r["id"] for r in await connection.fetch("SELECT id FROM items ORDER BY id")]
    bins: dict[str, list[int]] = {}
    for row in await connection.fetch(
        """SELECT b.id, z.kind FROM bins b JOIN zones z ON z.id = b.zone_id
        WHERE b.warehouse_id = $1 AND NOT b.blocked ORDER BY b.id""",
        wid,
    ):
        bins.setdefault(row["kind"], []).append(row["id"])
    faces: dict[int, list[tuple[int, int, int | None]]] = {}
    for row in await connection.fetch(
        """SELECT q.id, q.item_id, q.bin_id, q.lot_id FROM quants q
        JOIN bins b ON b.id = q.bin_id JOIN zones z ON z.id = b.zone_id
        WHERE b.warehouse_id = $1 AND z.kind = 'PICK_FACE' AND q.status = 'AVAILABLE'
        ORDER BY q.id""",
        wid,
    ):
        faces.setdefault(row["item_id"], []).append((row["id"], row["bin_id"], row["lot_id"]))
    pickers = [
        r["id"]
        for r in await connection.fetch(
            "SELECT id FROM users WHERE username LIKE 'picker%' ORDER BY id"
        )
    ]
    customers = [r["id"] for r in await connection.fetch("SELECT id FROM customers ORDER BY id")]
    carriers = [r["id"] for r in await connection.fetch("SELECT id FROM carriers ORDER BY id")]
    return Floor(wid, items, bins, faces, pickers, customers, carriers)


def year_times(rng: random.Random, n: int, end: datetime) -> list[datetime]:
    """n moments of the 365 days before ``end``, in order, in working hours (06:00-22:00)."""
    start = end - timedelta(days=365)
    out = []
    for offset in sorted(rng.random() * 365 * 86400 for _ in range(n)):
        at = start + timedelta(seconds=offset)
        out.append(at.replace(hour=6 + at.hour % 16))
    return out


async def next_id(connection: asyncpg.Connection, table: str) -> int:
    return int(await connection.fetchval(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))


async def set_sequences(connection: asyncpg.Connection, tables: tuple[str, ...]) -> None:
    for table in tables:
        await connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )


MOVE_COLUMNS = [
    "id", "at", "item_id", "lot_id", "quantity", "from_bin_id", "from_status", "to_bin_id",
    "to_status", "reason", "reference", "user_id", "task_id",
]  # fmt: skip


async def add_moves(database: str, n_moves: int) -> None:
    """A year of ledger moves on the demo's items and bins (the mix of bench/analytics.py:
    receipts, replenishments, picks, packs, shipments, count adjustments)."""
    rng = random.Random(2026)
    connection = await asyncpg.connect(DSN.format(database))
    try:
        floor = await read_floor(connection)
        reserve = floor.bins.get("RESERVE") or floor.bins["PICK_FACE"]
        face, bench = floor.bins["PICK_FACE"], floor.bins["PACKING"]
        weights = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(len(floor.items))))
        popular = list(floor.items)
        rng.shuffle(popular)
        first = await next_id(connection, "stock_moves")
        times = year_times(rng, n_moves, datetime.now(UTC) - timedelta(days=1))
        rows: list[tuple[Any, ...]] = []
        for n, at in enumerate(times):
            item = popular[bisect.bisect_left(weights, rng.random() * weights[-1])]
            roll = rng.random()
            user = None
            if roll < 0.08:
                src, dst, reason, qty = None, rng.choice(reserve), "RECEIPT", rng.randint(24, 480)
            elif roll < 0.18:
                src, dst, reason = rng.choice(reserve), rng.choice(face), "REPLENISH"
                qty = rng.randint(12, 120)
            elif roll < 0.71:
                src, dst, reason, qty = (
                    rng.choice(face),
                    rng.choice(bench),
                    "PICK",
                    rng.randint(1, 12),
                )
                user = rng.choice(floor.pickers)
            elif roll < 0.83:
                src, dst, reason, qty = (
                    rng.choice(bench),
                    rng.choice(bench),
                    "PACK",
                    rng.randint(1, 12),
                )
            elif roll < 0.98:
                src, dst, reason, qty = rng.choice(bench), None, "SHIP", rng.randint(1, 24)
            else:
                src, dst, reason, qty = rng.choice(reserve), None, "ADJUST_OUT", rng.randint(1, 3)
            rows.append(
                (
                    first + n, at, item, None, qty,
                    src, "AVAILABLE" if src else None, dst, "AVAILABLE" if dst else None,
                    reason, f"ADJ-{n}" if reason == "ADJUST_OUT" else None, user, None,
                )
            )  # fmt: skip
            if len(rows) == 200_000:
                await connection.copy_records_to_table(
                    "stock_moves", records=rows, columns=MOVE_COLUMNS
                )
                rows = []
        if rows:
            await connection.copy_records_to_table(
                "stock_moves", records=rows, columns=MOVE_COLUMNS
            )
        await set_sequences(connection, ("stock_moves",))
    finally:
        await connection.close()


COLUMNS = {
    "waves": [
        "id", "warehouse_id", "code", "state", "method", "metres", "cart_limits", "created_at",
        "released_at",
    ],
    "tasks": [
        "id", "warehouse_id", "kind", "state", "role", "title", "priority", "bin_id",
        "assignee_id", "reference", "payload", "version", "created_at", "claimed_at",
        "finished_at",
    ],
    "wave_tours": ["id", "wave_id", "seq", "metres", "task_id"],
    "sales_orders": [
        "id", "warehouse_id", "number", "customer_id", "carrier_id", "service", "channel",
        "priority", "source", "webhook_urls", "ship_to", "state", "wave_id", "created_at",
    ],
    "sales_order_lines": [
        "id", "order_id", "line_no", "item_id", "quantity", "reserved", "picked", "short",
        "backordered",
    ],
    "reservations": [
        "id", "quant_id", "item_id", "quantity", "reference", "state", "user_id", "created_at",
    ],
    "pick_lines": [
        "id", "tour_id", "seq", "order_id", "order_line_id", "reservation_id", "item_id",
        "lot_id", "bin_id", "quantity", "picked", "state", "arrive_metres", "bin_confirmed",
        "item_confirmed",
    ],
    "tour_orders": ["id", "tour_id", "order_id", "slot", "tote_code"],
}  # fmt: skip
LINES_PER_ORDER = (1, 1, 2, 2, 3, 3, 4, 5, 6, 7)  # 3.4 on average


async def add_outbound(database: str, n_orders: int) -> None:
    """A year of finished outbound work, every row in its final state, written in the
    foreign keys' order (the constraints stay on and check every row)."""
    rng = random.Random(2027)
    connection = await asyncpg.connect(DSN.format(database))
    try:
        floor = await read_floor(connection)
        stocked = [item for item in floor.items if item in floor.faces]
        ids = {table: await next_id(connection, table) for table in COLUMNS}
        totes = tote_pool()
        tote_cursor = 0
        n_waves = -(-n_orders // ORDERS_PER_WAVE)
        end = datetime.now(UTC) - timedelta(days=1)
        moments = year_times(rng, n_waves, end)
        limits = json.dumps({"totes": ORDERS_PER_TOUR, "units": 80, "volume": None, "weight": None})
        rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        order_no = 0

        def take(table: str) -> int:
            value = ids[table]
            ids[table] += 1
            return value

        for w, at in enumerate(moments):
            wave_id = take("waves")
            code = make_code(CodeKind.WAVE, str(wave_id))
            in_wave = min(ORDERS_PER_WAVE, n_orders - order_no)
            wave_metres = 0.0
            for seq, first in enumerate(range(0, in_wave, ORDERS_PER_TOUR), start=1):
                task_id, tour_id = take("tasks"), take("wave_tours")
                claimed = at + timedelta(minutes=rng.randint(5, 90))
                finished = claimed + timedelta(minutes=rng.randint(10, 40))
                picker = rng.choice(floor.pickers)
                stops = []
                for slot in range(1, min(ORDERS_PER_TOUR, in_wave - first) + 1):
                    order_id = take("sales_orders")
                    order_no += 1
                    rows["sales_orders"].append(
                        (
                            order_id, floor.warehouse_id, f"SO-Y-{order_no:07d}",
                            rng.choice(floor.customers),
                            rng.choice(floor.carriers) if floor.carriers else None, "", "DEFAULT",
                            5, "DESK", "[]",
                            json.dumps({"name": f"Customer {order_no}", "street": "Main 1",
                                        "city": "Utrecht", "country": "NL"}),
                            "SHIPPED", wave_id, at - timedelta(hours=rng.randint(1, 20)),
                        )
                    )  # fmt: skip
                    rows["tour_orders"].append(
                        (take("tour_orders"), tour_id, order_id, slot, totes[tote_cursor % TOTES])
                    )
                    tote_cursor += 1
                    k = min(rng.choice(LINES_PER_ORDER), len(stocked))
                    for line_no, item in enumerate(rng.sample(stocked, k), start=1):
                        quant, bin_id, lot = rng.choice(floor.faces[item])
                        line_id, reservation_id = take("sales_order_lines"), take("reservations")
                        qty = rng.randint(1, 4)
                        rows["sales_order_lines"].append(
                            (line_id, order_id, line_no, item, qty, 0, qty, 0, False)
                        )
                        rows["reservations"].append(
                            (reservation_id, quant, item, qty, f"SOL-{line_id}", "CONSUMED",
                             picker, at)
                        )  # fmt: skip
                        stops.append((bin_id, order_id, line_id, reservation_id, item, lot, qty))
                stops.sort()  # walking order, near enough
                metres = 0.0
                for stop_seq, (
                    bin_id,
                    order_id,
                    line_id,
                    reservation_id,
                    item,
                    lot,
                    qty,
                ) in enumerate(stops, start=1):
                    metres += rng.uniform(1.0, 6.0)
                    rows["pick_lines"].append(
                        (
                            take("pick_lines"), tour_id, stop_seq, order_id, line_id,
                            reservation_id, item, lot, bin_id, qty, qty, "PICKED",
                            round(metres, 1), True, True,
                        )
                    )  # fmt: skip
                wave_metres += metres
                rows["tasks"].append(
                    (
                        task_id, floor.warehouse_id, "PICK", "DONE", "picker",
                        f"Pick {code} cart {seq}: {len(stops)} lines", 5, stops[0][0], picker,
                        f"{code}/{seq}",
                        json.dumps({"waveId": wave_id, "tourId": tour_id, "lines": len(stops),
                                    "units": sum(s[6] for s in stops),
                                    "metres": round(metres, 1)}),
                        3, at, claimed, finished,
                    )
                )  # fmt: skip
                rows["wave_tours"].append((tour_id, wave_id, seq, round(metres, 1), task_id))
            rows["waves"].append(
                (
                    wave_id, floor.warehouse_id, code, "DONE", "FIRST_COME",
                    round(wave_metres, 1), limits, at - timedelta(minutes=30), at,
                )
            )  # fmt: skip
            if len(rows["sales_orders"]) >= 20_000 or w == n_waves - 1:
                async with connection.transaction():
                    for table, columns in COLUMNS.items():
                        await connection.copy_records_to_table(
                            table, records=rows[table], columns=columns
                        )
                rows = {table: [] for table in COLUMNS}
        await set_sequences(connection, tuple(COLUMNS))
    finally:
        await connection.close()


async def vacuum(database: str) -> None:
    connection = await asyncpg.connect(DSN.format(database))
    try:
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


COUNTED = ("stock_moves", "pick_lines", "sales_orders")


async def row_counts(database: str) -> dict[str, int]:
    connection = await asyncpg.connect(DSN.format(database))
    try:
        return {t: int(await connection.fetchval(f"SELECT count(*) FROM {t}")) for t in COUNTED}
    finally:
        await connection.close()


# -- measuring --------------------------------------------------------------------


class BackendMeter:
    """utime + stime of the PostgreSQL backends connected to one database, found by
    their process title (``postgres: ... <user> <database> <host>(<port>) ...``)."""

    def __init__(self, database: str) -> None:
        self.tag = f" {database} "
        self.pids: list[int] = []

    def refresh(self) -> None:
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    title = f.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres:") and self.tag in title and "(" in title:
                found.append(int(entry))
        self.pids = found

    def ticks(self) -> dict[int, int]:
        out = {}
        for pid in self.pids:
            ticks = hotpath.process_ticks(pid)
            if ticks is not None:
                out[pid] = ticks
        return out


@dataclass
class GrowthRecorder(Recorder):
    backends: BackendMeter | None = None
    db_cpu: list[tuple[str, float]] = field(default_factory=list)

    async def send(
        self, connection: Connection, label: str, path: str, payload: Any, token: str | None
    ) -> dict[str, Any]:
        before = self.backends.ticks() if self.backends else {}
        body = await super().send(connection, label, path, payload, token)
        after = self.backends.ticks() if self.backends else {}
        spent = sum(after[p] - before[p] for p in after.keys() & before.keys())
        self.db_cpu.append((label, spent / CLK))
        return body


class PoolPicker(Picker):
    """The hot path's picker, with totes from the pool the history used."""

    def __init__(self, tasks: list[int], prepared: Prepared, totes: list[str]) -> None:
        super().__init__(0, tasks, prepared, [])
        self.pool, self.cursor = totes, 0
        self.bound: dict[str, str] = {}

    def tote_for(self, stop: dict[str, Any]) -> str:
        if stop.get("toteCode"):
            return str(stop["toteCode"])
        order = stop["orderNumber"]
        if order not in self.bound:
            self.bound[order] = self.pool[self.cursor % len(self.pool)]
            self.cursor += 1
        return self.bound[order]


@dataclass
class Target:
    database: str
    server: Server
    picker: PoolPicker
    connection: Connection
    recorder: GrowthRecorder
    counts: dict[str, int]


@dataclass
class Row:
    label: str
    p50: float
    p95: float
    app_cpu: float
    db_cpu: float
    stmts: float
    n: int


def summarise(target: Target) -> dict[str, Row]:
    out = {}
    for label in MUTATIONS:
        samples = [s for s in target.recorder.samples if s.label == label]
        if not samples:
            continue
        ms = [s.seconds * 1000 for s in samples]
        db = [c for lab, c in target.recorder.db_cpu if lab == label]
        stmts = [
            sum(v for k, v in (s.statements or {}).items() if k != "checkouts") for s in samples
        ]
        out[label] = Row(
            label,
            pct(ms, 50),
            pct(ms, 95),
            1000 * sum(s.cpu or 0.0 for s in samples) / len(samples),
            1000 * sum(db) / max(1, len(db)),
            sum(stmts) / len(stmts),
            len(samples),
        )
    return out


def print_table(targets: list[Target]) -> None:
    fresh = summarise(targets[0])
    print(
        f"\n{'phase':<16}{'stock_moves':>12}{'pick_lines':>11}{'sales_orders':>13}  "
        f"{'request':<13}{'n':>4}{'p50 ms':>8}{'x':>6}{'p95 ms':>8}{'x':>6}"
        f"{'app CPU ms':>11}{'x':>6}{'db CPU ms':>10}{'x':>6}{'stmts':>7}"
    )

    def ratio(a: float, b: float) -> str:
        return f"{a / b:6.2f}" if b else f"{'-':>6}"

    for target in targets:
        rows = summarise(target)
        c = target.counts
        for n, label in enumerate(MUTATIONS):
            if label not in rows:
                continue
            r, f = rows[label], fresh[label]
            head = (
                f"{PHASES[target.database]:<16}{c['stock_moves']:>12,}{c['pick_lines']:>11,}"
                f"{c['sales_orders']:>13,}"
                if n == 0
                else " " * 52
            )
            print(
                f"{head}  {label:<13}{r.n:>4}{r.p50:8.1f}{ratio(r.p50, f.p50)}{r.p95:8.1f}"
                f"{ratio(r.p95, f.p95)}{r.app_cpu:11.2f}{ratio(r.app_cpu, f.app_cpu)}"
                f"{r.db_cpu:10.2f}{ratio(r.db_cpu, f.db_cpu)}{r.stmts:7.1f}"
            )
    print(
        "\nx: ratio to the fresh database's figure. CPU per request is read in clock ticks"
        f" ({1000 / CLK:.0f} ms) around each request and averaged; app = the server process,"
        "\ndb = the PostgreSQL backends of its database; stmts = statements + BEGIN/COMMIT"
        " (+ pings) per request."
    )
    for target in targets:
        if target.recorder.errors:
            errors = target.recorder.errors
            print(f"{target.database}: {len(errors)} errors, first: {errors[0][:300]}")


async def cycles(target: Target, n: int, recorder: Recorder) -> None:
    for _ in range(n):
        await target.picker.step(recorder, target.connection)


def load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cycles", type=int, default=150, help="measured pick cycles per phase")
    parser.add_argument("--moves", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="keep the databases at the end")
    args = parser.parse_args()
    print(f"load average at start: {load()}", flush=True)
    started = time.perf_counter()
    prepared = await hotpath.prepare(args.cycles + WARM + 2 * LINES_PER_TASK, database=FRESH)
    print(
        f"prepared {FRESH}: {len(prepared.pick_tasks)} pick tasks in"
        f" {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    databases = (FRESH, MOVES, YEAR)
    try:
        started = time.perf_counter()
        await hotpath.admin(f"DROP DATABASE IF EXISTS {MOVES} WITH (FORCE)")
        await hotpath.admin(f"CREATE DATABASE {MOVES} TEMPLATE {FRESH}")
        await add_moves(MOVES, args.moves)
        print(f"{MOVES}: {args.moves:,} moves in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        await hotpath.admin(f"DROP DATABASE IF EXISTS {YEAR} WITH (FORCE)")
        await hotpath.admin(f"CREATE DATABASE {YEAR} TEMPLATE {MOVES}")
        await add_outbound(YEAR, args.orders)
        print(
            f"{YEAR}: {args.orders:,} orders in {time.perf_counter() - started:.0f} s", flush=True
        )
        started = time.perf_counter()
        for database in databases:
            await vacuum(database)
        print(f"VACUUM ANALYZE in {time.perf_counter() - started:.0f} s", flush=True)
        counts = {database: await row_counts(database) for database in databases}
        with tempfile.TemporaryDirectory() as raw_tmp, contextlib.ExitStack() as stack:
            tmp = Path(raw_tmp)
            targets = []
            for database in databases:
                server = stack.enter_context(
                    hotpath.start("project", 1, tmp, URL.format(database), SERVER_ENV)
                )
                picker = PoolPicker(list(prepared.pick_tasks), prepared, tote_pool())
                connection = Connection.to(server.base)
                await picker.setup(connection, server)
                recorder = GrowthRecorder(server, True, backends=BackendMeter(database))
                targets.append(
                    Target(database, server, picker, connection, recorder, counts[database])
                )
            print(f"measuring, load average {load()}", flush=True)
            for target in targets:
                await cycles(target, WARM, Recorder(target.server, False))
            for turn in range(-(-args.cycles // BLOCK)):
                n = min(BLOCK, args.cycles - turn * BLOCK)
                for k in range(len(targets)):
                    target = targets[(turn + k) % len(targets)]
                    assert target.recorder.backends is not None
                    target.recorder.backends.refresh()
                    await cycles(target, n, target.recorder)
            for target in targets:
                await target.connection.close()
        print_table(targets)
    finally:
        if not args.keep:
            for database in databases:
                await hotpath.admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    print(f"\nload average at end: {load()}")


if __name__ == "__main__":
    asyncio.run(main())
