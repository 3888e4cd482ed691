"""Outbound benchmark on PostgreSQL: order intake, wave planning and the release of
a wave of 1,000 orders x 3 lines; then the push latency from commit to a picker's
subscription with two server processes sharing Redis.

    .venv/bin/python bench/release.py                 # 1,000 orders, 200 pushes
    .venv/bin/python bench/release.py --orders 200 --pushes 50

Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379.
It creates and drops its own database (``bench_outbound``). Prints figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import websockets
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade
from backend.core.db.uow import UnitOfWork
from backend.demo import FULL, seed
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.wave import planning, release
from bench.serving import server, sign_in

ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "bench_outbound"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB}"
REDIS = "redis://127.0.0.1:6379/0"


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


async def prepare(n_orders: int) -> tuple[list[int], float]:
    """Demo warehouse, plenty of stock, and n orders of 3 lines (reserved at intake)."""
    engine = create_engine(URL)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await seed(session, FULL)
        wid = await session.scalar(select(m.Warehouse.id))
        customer = m.Customer(code="C-BENCH", name="Bench customer", min_shelf_life_days=0)
        session.add(customer)
        items = list(
            await session.scalars(select(m.Item).where(m.Item.tracking == m.Tracking.NONE))
        )
        faces = list(
            await session.scalars(
                select(m.Bin)
                .join(m.Zone, m.Zone.id == m.Bin.zone_id)
                .where(m.Zone.kind == m.ZoneKind.PICK_FACE)
                .order_by(m.Bin.id)
            )
        )
        rng = random.Random(3)
        for item in items:
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=5000,
                    reason=m.MoveReason.OPENING,
                    destination=Place(rng.choice(faces).id),
                    reference="bench",
                ),
            )
        skus = [i.sku for i in items]
    rng = random.Random(11)
    order_ids: list[int] = []
    started = time.perf_counter()
    for n in range(n_orders):
        async with UnitOfWork(sessions) as uow:
            order = await sales.create_sales_order(
                uow,
                sales.NewSalesOrder(
                    warehouse_id=wid,
                    number=f"SO-BENCH-{n:05d}",
                    customer_code="C-BENCH",
                    lines=tuple(
                        sales.NewLine(sku, rng.randint(1, 3)) for sku in rng.sample(skus, 3)
                    ),
                    priority=rng.randint(1, 9),
                ),
                None,
            )
            order_ids.append(order.id)
            await uow.commit()
    intake = time.perf_counter() - started
    await engine.dispose()
    return order_ids, intake


async def plan_and_release(order_ids: list[int], method: planning.PlanMethod) -> dict[str, Any]:
    engine = create_engine(URL)
    sessions = session_factory(engine)
    published: list[int] = []

    async def publish(events: list[tuple[str, dict[str, Any]]]) -> None:
        published.append(len(events))

    async with UnitOfWork(sessions) as uow:
        wid = await uow.session.scalar(select(m.Warehouse.id))
        assert wid is not None
        started = time.perf_counter()
        orders = await planning.load_orders(uow.session, wid, order_ids, lock=True)
        planned = await planning.plan_wave(
            uow.session, wid, orders, CartLimits(totes=12, units=60), method
        )
        planned_s = time.perf_counter() - started
        wave = await planning.store_wave(uow.session, planned, None)
        await uow.commit()
        stored_s = time.perf_counter() - started - planned_s
        wave_id = wave.id
    started = time.perf_counter()
    async with UnitOfWork(sessions, publish) as uow:
        outcome = await release.release_wave(uow, wave_id, None)
        await uow.commit()
    release_s = time.perf_counter() - started
    await engine.dispose()
    return {
        "method": planned.method,
        "tours": len(planned.tours),
        "metres": planned.metres,
        "plan_s": planned_s,
        "store_s": stored_s,
        "release_s": release_s,
        "pick_tasks": len(outcome.pick_task_ids),
        "replenish_tasks": len(outcome.replenish_task_ids),
        "lines": outcome.lines,
        "events": sum(published),
    }


CREATE = """mutation($k: String!, $t: String!) { createTask(input: {kind: PICK, title: $t,
  idempotencyKey: $k}) { __typename } }"""


async def push_latency(pushes: int) -> list[float]:
    """ms from the task's commit (its created_at, set inside the transaction, so an
    upper bound) to the message on a picker's socket on the other process."""
    with tempfile.TemporaryDirectory() as raw:
        tmp = Path(raw)
        with (
            server(URL, tmp, broadcast_url=REDIS) as listen,
            server(URL, tmp, broadcast_url=REDIS) as act,
        ):
            async with httpx.AsyncClient(timeout=30) as http:
                picker = await sign_in(http, listen, "picker1", "demo-picker")
                boss = await sign_in(http, act, "supervisor1", "demo-supervisor")
                url = listen.replace("http", "ws") + "/graphql"
                async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
                    await ws.send(
                        json.dumps(
                            {
                                "type": "connection_init",
                                "payload": {"authorization": f"Bearer {picker}"},
                            }
                        )
                    )
                    await ws.recv()
                    query = "subscription { taskEvents { change task { title createdAt } } }"
                    await ws.send(
                        json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}})
                    )
                    await asyncio.sleep(0.5)
                    latencies: list[float] = []
                    for n in range(pushes):
                        title = f"bench push {n}"
                        await http.post(
                            f"{act}/graphql",
                            json={
                                "query": CREATE,
                                "variables": {"k": os.urandom(8).hex(), "t": title},
                            },
                            headers={"authorization": f"Bearer {boss}"},
                        )
                        while True:
                            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
                            if message.get("type") != "next":
                                continue
                            event = message["payload"]["data"]["taskEvents"]
                            if event["change"] == "CREATED" and event["task"]["title"] == title:
                                arrived = datetime.now(UTC)
                                created = datetime.fromisoformat(event["task"]["createdAt"])
                                latencies.append((arrived - created).total_seconds() * 1000)
                                break
                        await asyncio.sleep(0.02)
                    return latencies


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--pushes", type=int, default=200)
    args = parser.parse_args()
    await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    await admin(f"CREATE DATABASE {DB}")
    try:
        await asyncio.to_thread(upgrade, URL, "heads")
        order_ids, intake_s = await prepare(args.orders)
        print(
            f"intake: {args.orders} orders x 3 lines reserved at intake in {intake_s:.2f} s"
            f" ({args.orders / intake_s:.0f} orders/s, one transaction each)"
        )
        half = len(order_ids) // 2
        for method, ids in (
            (planning.PlanMethod.FIRST_COME, order_ids[:half]),
            (planning.PlanMethod.OPTIMISED, order_ids[half:]),
        ):
            r = await plan_and_release(ids, method)
            print(
                f"{r['method']:<22} {len(ids)} orders: plan {r['plan_s']:.2f} s, store"
                f" {r['store_s']:.2f} s, release {r['release_s']:.2f} s"
                f" ({r['pick_tasks']} pick tasks, {r['replenish_tasks']} replenish,"
                f" {r['lines']} lines, {r['events']} events, {r['metres']:.0f} m)"
            )
        r = await plan_and_release_all(args.orders)
        print(
            f"one wave of {args.orders} orders ({r['method']}): release {r['release_s']:.2f} s"
            f" in one transaction ({r['pick_tasks']} pick tasks, {r['lines']} lines)"
        )
        latencies = await push_latency(args.pushes)
        print(
            f"push latency commit -> picker socket, two processes + Redis, {len(latencies)}"
            f" tasks: p50 {statistics.median(latencies):.1f} ms, p99 {pct(latencies, 99):.1f} ms,"
            f" max {max(latencies):.1f} ms"
        )
    finally:
        await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


async def plan_and_release_all(n_orders: int) -> dict[str, Any]:
    """A fresh set of orders released as one wave: the figure the target is about."""
    engine = create_engine(URL)
    sessions = session_factory(engine)
    rng = random.Random(29)
    async with sessions() as session:
        skus = list(
            await session.scalars(select(m.Item.sku).where(m.Item.tracking == m.Tracking.NONE))
        )
        wid = await session.scalar(select(m.Warehouse.id))
    ids = []
    for n in range(n_orders):
        async with UnitOfWork(sessions) as uow:
            order = await sales.create_sales_order(
                uow,
                sales.NewSalesOrder(
                    warehouse_id=wid or 0,
                    number=f"SO-WAVE-{n:05d}",
                    customer_code="C-BENCH",
                    lines=tuple(sales.NewLine(sku, 1) for sku in rng.sample(skus, 3)),
                ),
                None,
            )
            ids.append(order.id)
            await uow.commit()
    await engine.dispose()
    return await plan_and_release(ids, planning.PlanMethod.FIRST_COME)


if __name__ == "__main__":
    asyncio.run(main())
