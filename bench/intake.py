"""Order intake against its raw floor, side by side in one run on PostgreSQL.

    .venv/bin/python bench/intake.py                  # 1,000 orders x 3 lines per phase
    .venv/bin/python bench/intake.py --orders 200     # quicker

Creates and drops its own database (``bench_intake``): the FULL demo warehouse
with every untracked item on a pick face (plenty for every order), a customer
without credit limit and ten planners. The same 1,000 orders of 3 lines (3
different SKUs, 1-3 units each) are taken by:

- ``floor``: Starlette + asyncpg, one transaction per order (bench/floors.py
  ``intake``: customer, the items' quants locked in id order and read once, the
  order, lines, reserved units, reservations and idempotency row written
  set-based);
- ``project``: the project's server (bench/counted_app.py) through the office's
  own ``createSalesOrder`` document (pwa/src/features/desk-orders/ops.ts),
  reserved at intake.

Each is run with 1 client and with 10 concurrent clients on one worker process,
then 10 clients on two; every phase takes a fresh set of order numbers.
Figures: total time for the orders, orders/s, server CPU per order (utime +
stime of the server's processes over the phase, /proc), statements per order
(project), p50/p95/p99, the ratio to the floor. Each phase ends by checking
that every order landed reserved in full. Nothing is asserted about time.

``--profile out.json`` runs the project's one-client phase under bench/sampler.py
(a sampling profiler of the server's event loop) and prints where its Python
time went; that phase's figures then include the sampler's cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade
from backend.demo import FULL, seed
from backend.inventory.ledger import MoveRequest, Place, apply_move
from bench.floors import create_intake_tables
from bench.hotpath import CpuMeter, pct
from bench.http1 import Connection
from bench.sampler import summary
from bench.serving import free_port

REPO = Path(__file__).resolve().parents[1]
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "bench_intake"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DB}"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB}"
CUSTOMER = "C-BENCH"
PASSWORD = "bench-password"
CLIENTS = 10
STOCK = 1_000_000  # units per SKU: every order is reserved in full

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
  deviceId: "bench"}) { ... on SignInSuccess { token } ... on UserError { code message } } }"""
# The office's own document (pwa/src/features/desk-orders/ops.ts).
ORDER = (
    "id number state warehouseId customerCode carrierCode service channel priority cutoffAt"
    " createdAt waveId shipTo { name city country } lines { lineNo itemSku itemName quantity"
    " reserved picked short backordered backorderedQuantity } promisedDate source creditDecision"
    " createdById backorderedUnits"
)
CREATE_SALES_ORDERS = f"""
mutation CreateSalesOrders($input: CreateSalesOrdersInput!) {{
  createSalesOrders(input: $input) {{ __typename ... on SalesOrdersSuccess {{ orders {{ {ORDER} }} }}
  ... on UserError {{ code message field }} }}
}}"""
CREATE_SALES_ORDER = f"""
mutation OfficeCreateSalesOrder($input: CreateSalesOrderInput!) {{
  createSalesOrder(input: $input) {{ __typename ... on SalesOrderSuccess {{ order {{ {ORDER} }} }}
  ... on UserError {{ code message field }} }}
}}"""


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def prepare() -> list[str]:
    """The database, both sides' stock; answers the SKUs orders are drawn from."""
    await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    await admin(f"CREATE DATABASE {DB}")
    await asyncio.to_thread(upgrade, URL, "heads")
    engine = create_engine(URL)
    async with session_factory(engine)() as session, session.begin():
        await seed(session, FULL)
        wid = await session.scalar(select(m.Warehouse.id))
        assert wid is not None
        session.add(m.Customer(code=CUSTOMER, name="Bench customer", min_shelf_life_days=0))
        for k in range(CLIENTS):
            await create_user(
                session,
                username=f"planner_b{k}",
                display_name=f"planner {k}",
                password=PASSWORD,
                roles=["planner"],
                warehouse_ids=[wid],
            )
        items = list(
            await session.scalars(
                select(m.Item)
                .where(m.Item.tracking == m.Tracking.NONE, m.Item.active.is_(True))
                .order_by(m.Item.id)
            )
        )
        faces = list(
            await session.scalars(
                select(m.Bin)
                .join(m.Zone, m.Zone.id == m.Bin.zone_id)
                .where(m.Zone.kind == m.ZoneKind.PICK_FACE, m.Bin.blocked.is_(False))
                .order_by(m.Bin.id)
            )
        )
        for n, item in enumerate(items):
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=STOCK,
                    reason=m.MoveReason.OPENING,
                    destination=Place(faces[n % len(faces)].id),
                    reference="bench-intake",
                ),
            )
        skus = [item.sku for item in items]
    await engine.dispose()
    await create_intake_tables(DSN, CUSTOMER, {sku: STOCK for sku in skus})
    return skus


def make_orders(skus: list[str], prefix: str, n: int, seed_: int) -> list[dict[str, Any]]:
    rng = random.Random(seed_)
    return [
        {
            "number": f"{prefix}-{k:05d}",
            "customerCode": CUSTOMER,
            "priority": rng.randint(1, 9),
            "lines": [
                {"itemSku": sku, "quantity": rng.randint(1, 3)} for sku in rng.sample(skus, 3)
            ],
        }
        for k in range(n)
    ]


# -- servers -----------------------------------------------------------------------


@dataclass
class Server:
    kind: str
    base: str
    cpu: CpuMeter
    pid: int
    profile: Path | None


@contextmanager
def start(kind: str, workers: int, tmp: Path, profile: Path | None = None) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "BROADCAST_URL": "redis://127.0.0.1:6379/0" if workers > 1 else "memory://",
        "WMS_SECRET_KEY": "bench-intake-secret",
        "WMS_DATA_DIR": str(tmp),
        "PYTHONPATH": str(REPO),
    }
    if kind == "project":
        command = [
            sys.executable, "-m", "uvicorn", "bench.counted_app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
        probe = "/healthz"
        if profile is not None:
            command = [
                sys.executable, "-m", "bench.sampler", "--port", str(port), "--out", str(profile),
            ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "bench.floors", "intake", "--port", str(port),
            "--workers", str(workers),
        ]  # fmt: skip
        probe = "/"
    log_path = tmp / f"{kind}-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + probe, timeout=1)
                    break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{kind} did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            time.sleep(0.5 if workers > 1 else 0.1)  # all workers up
            yield Server(kind, base, CpuMeter(process.pid), process.pid, profile)
        finally:
            process.terminate()
            process.wait(timeout=20)


# -- clients -----------------------------------------------------------------------


@dataclass
class Phase:
    label: str
    orders: int
    wall: float
    cpu: float
    seconds: list[float]
    statements: float | None
    errors: list[str]


async def counts(connection: Connection) -> dict[str, int]:
    status, data = await connection.request("GET", "/bench/statements")
    return dict(json.loads(data)) if status == 200 else {}


async def take(
    server: Server,
    orders: list[dict[str, Any]],
    clients: int,
    workers: int,
    label: str,
    batch: int = 1,
) -> Phase:
    connections = [Connection.to(server.base) for _ in range(clients)]
    tokens: list[str | None] = [None] * clients
    if server.kind == "project":
        for k, connection in enumerate(connections):
            body = await connection.post_json(
                "/graphql", {"query": SIGN_IN, "variables": {"u": f"planner_b{k}", "p": PASSWORD}}
            )
            tokens[k] = body["data"]["signIn"]["token"]
        # warm the path (document cache, pool) outside the measured phase
        await send(server, connections[0], tokens[0], orders[0])
        orders = orders[1:]
    else:
        await send(server, connections[0], None, orders[0])
        orders = orders[1:]
    queue = list(reversed([orders[n : n + batch] for n in range(0, len(orders), batch)]))
    seconds: list[float] = []
    errors: list[str] = []

    async def client(k: int) -> None:
        while queue:
            chunk = queue.pop()
            started = time.perf_counter()
            if batch == 1:
                problem = await send(server, connections[k], tokens[k], chunk[0])
            else:
                problem = await send_batch(connections[k], tokens[k], chunk)
            seconds.append(time.perf_counter() - started)
            if problem:
                errors.append(problem)

    before = await counts(connections[0]) if server.kind == "project" else {}
    if server.profile:
        os.kill(server.pid, signal.SIGUSR1)
    cpu_before = server.cpu.read()
    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    wall = time.perf_counter() - started
    cpu = server.cpu.read() - cpu_before
    if server.profile:
        os.kill(server.pid, signal.SIGUSR2)
        await asyncio.sleep(1)
    statements = None
    if server.kind == "project" and workers == 1:
        after = await counts(connections[0])
        statements = (after.get("statements", 0) - before.get("statements", 0)) / len(orders)
    for connection in connections:
        await connection.close()
    return Phase(label, len(orders), wall, cpu, seconds, statements, errors)


async def send(
    server: Server, connection: Connection, token: str | None, order: dict[str, Any]
) -> str | None:
    """One order; answers what went wrong, or None when it was reserved in full."""
    if server.kind == "project":
        variables = {"input": {**order, "idempotencyKey": uuid.uuid4().hex}}
        body = await connection.post_json(
            "/graphql",
            {"query": CREATE_SALES_ORDER, "variables": variables},
            {"authorization": f"Bearer {token}"},
        )
        if body.get("errors"):
            return f"{order['number']}: {body['errors']}"
        result = body["data"]["createSalesOrder"]
        if result["__typename"] != "SalesOrderSuccess":
            return f"{order['number']}: {result}"
        answer = result["order"]
    else:
        body = await connection.post_json("/order", {**order, "key": uuid.uuid4().hex})
        if body.get("errors"):
            return f"{order['number']}: {body['errors']}"
        answer = body["data"]["order"]
    if answer["state"] != "RESERVED":
        return f"{order['number']}: {answer['state']}"
    return None


async def send_batch(
    connection: Connection, token: str | None, orders: list[dict[str, Any]]
) -> str | None:
    """Orders in one createSalesOrders request (one transaction for all of them)."""
    variables = {"input": {"orders": orders, "idempotencyKey": uuid.uuid4().hex}}
    body = await connection.post_json(
        "/graphql",
        {"query": CREATE_SALES_ORDERS, "variables": variables},
        {"authorization": f"Bearer {token}"},
    )
    if body.get("errors"):
        return f"{orders[0]['number']}..: {body['errors']}"
    result = body["data"]["createSalesOrders"]
    if result["__typename"] != "SalesOrdersSuccess":
        return f"{orders[0]['number']}..: {result}"
    states = [o["state"] for o in result["orders"]]
    if len(states) != len(orders) or any(state != "RESERVED" for state in states):
        return f"{orders[0]['number']}..: {states}"
    return None


async def landed(kind: str, prefix: str) -> tuple[int, int]:
    """(orders, reserved units) stored under this prefix, read from the database."""
    connection = await asyncpg.connect(DSN)
    try:
        if kind == "project":
            row = await connection.fetchrow(
                "SELECT count(DISTINCT o.id) AS n, coalesce(sum(l.reserved), 0) AS units"
                " FROM sales_orders o JOIN sales_order_lines l ON l.order_id = o.id"
                " WHERE o.number LIKE $1 AND o.state = 'RESERVED'",
                prefix + "-%",
            )
        else:
            row = await connection.fetchrow(
                "SELECT count(DISTINCT o.id) AS n, coalesce(sum(l.reserved), 0) AS units"
                " FROM bench_intake_orders o JOIN bench_intake_lines l ON l.order_id = o.id"
                " WHERE o.number LIKE $1 AND o.state = 'RESERVED'",
                prefix + "-%",
            )
        assert row is not None
        return int(row["n"]), int(row["units"])
    finally:
        await connection.close()


def report(phases: dict[tuple[str, int, int], Phase]) -> None:
    """One row per phase; ratios to the floor's phase with as many clients and workers."""
    print(
        f"\n{'target':<9}{'clients':>8}{'workers':>8}{'orders':>7}{'total s':>9}{'orders/s':>10}"
        f"{'x floor':>8}{'CPU ms/order':>13}{'x floor':>8}{'stmts':>7}{'p50/p95/p99 ms':>18}"
    )
    for (kind, clients, workers), phase in phases.items():
        floor = phases.get(("floor", clients, workers))
        rate = phase.orders / phase.wall
        cpu = 1000 * phase.cpu / phase.orders
        ms = [1000 * s for s in phase.seconds]
        rate_x = f"{rate / (floor.orders / floor.wall):8.2f}" if floor else f"{'':8}"
        cpu_x = (
            f"{cpu / (1000 * floor.cpu / floor.orders):8.1f}" if floor and floor.cpu else f"{'':8}"
        )
        stmts = f"{phase.statements:7.1f}" if phase.statements is not None else f"{'':>7}"
        print(
            f"{kind:<9}{clients:>8}{workers:>8}{phase.orders:>7}{phase.wall:9.2f}{rate:10.1f}"
            f"{rate_x}{cpu:13.2f}{cpu_x}{stmts}"
            f"{'/'.join(f'{pct(ms, p):.0f}' for p in (50, 95, 99)):>18}"
        )
        if phase.errors:
            print(f"  {len(phase.errors)} errors, first: {phase.errors[0][:300]}")
    print(
        "\nstmts: cursor executes per order on the project's server (one worker);"
        " CPU: the server's processes over the phase."
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1000, help="orders per phase")
    parser.add_argument("--two-workers", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument(
        "--batch", type=int, default=100, help="orders per createSalesOrders request (0: none)"
    )
    parser.add_argument("--profile", type=Path, default=None, help="sample the project, 1 client")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    started = time.perf_counter()
    skus = await prepare()
    print(f"prepared in {time.perf_counter() - started:.0f} s: {len(skus)} SKUs", flush=True)
    runs = [(1, 1), (CLIENTS, 1)] + ([(CLIENTS, 2)] if args.two_workers else [])
    phases: dict[tuple[str, int, int], Phase] = {}
    with tempfile.TemporaryDirectory() as raw_tmp:
        tmp = Path(raw_tmp)
        for n, (clients, workers) in enumerate(runs):
            for kind in ("floor", "project"):
                prefix = f"SO-{kind[:2].upper()}{clients}C{workers}W"
                # one more than counted: the first warms the path
                orders = make_orders(skus, prefix, args.orders + 1, seed_=n)
                profile = args.profile if kind == "project" and clients == 1 else None
                with start(kind, workers, tmp, profile) as server:
                    phase = await take(server, orders, clients, workers, prefix)
                stored, units = await landed(kind, prefix)
                expected = sum(line["quantity"] for o in orders for line in o["lines"])
                if stored != len(orders) or units != expected:
                    phase.errors.append(
                        f"landed {stored}/{len(orders)} orders reserved, {units}/{expected} units"
                    )
                phases[(kind, clients, workers)] = phase
                print(
                    f"{kind} {clients} client(s) {workers} worker(s): {phase.orders} orders"
                    f" in {phase.wall:.2f} s",
                    flush=True,
                )
        if args.batch:
            # The same intake through createSalesOrders: one transaction per batch.
            for clients in (1, CLIENTS):
                prefix = f"SO-BA{clients}C"
                orders = make_orders(skus, prefix, args.orders + 1, seed_=10 + clients)
                with start("project", 1, tmp) as server:
                    phase = await take(server, orders, clients, 1, prefix, batch=args.batch)
                stored, units = await landed("project", prefix)
                expected = sum(line["quantity"] for o in orders for line in o["lines"])
                if stored != len(orders) or units != expected:
                    phase.errors.append(
                        f"landed {stored}/{len(orders)} orders reserved, {units}/{expected} units"
                    )
                phases[(f"batch{args.batch}", clients, 1)] = phase
                print(f"batch {clients} client(s): {phase.orders} orders in {phase.wall:.2f} s")
    report(phases)
    if args.profile:
        print(f"\nsampled profile of the project, one client ({args.profile}):")
        print(summary(args.profile))
    print(f"load average at end: {os.getloadavg()}")
    await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main())
