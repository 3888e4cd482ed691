"""SIGKILL the server in the middle of a wave release and of a burst of ships,
start it again: the ledger still equals the quants, and replaying the same
requests with the same idempotency keys completes each exactly once."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.uow import UnitOfWork
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.wave import planning
from bench.labels_server import (
    CLOSE,
    SHIP,
    Wave,
    _wave,
    pack_scan,
    pick_wave,
    start_packing,
)
from bench.serving import free_port, graphql, sign_in

RELEASE = """mutation($w: ID!, $k: String!) { releaseWave(input: {waveId: $w, idempotencyKey: $k})
  { __typename ... on ReleaseWaveSuccess { pickTaskIds } ... on UserError { code message } } }"""
SHIPS = 6
RELEASE_ORDERS = 24


@contextmanager
def killable_server(database_url: str, tmp: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WMS_SECRET_KEY": "kill-test-secret",
        "WMS_DATA_DIR": str(tmp),
        "WMS_ANALYTICS_FOLD_SECONDS": "0",
    }
    log = open(tmp / f"server-{port}.log", "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "backend.cli",
            "serve",
            "--no-migrate",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp / f"server-{port}.log").read_text()
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        yield base, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        log.close()


def check_ledger(database_url: str, tmp: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backend.cli", "check-ledger"],
        env={**os.environ, "DATABASE_URL": database_url, "WMS_DATA_DIR": str(tmp)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ledger and quants agree" in result.stdout


async def prepare(database_url: str) -> tuple[Wave, int, str]:
    """A released wave of SHIPS one-unit orders (to pick, pack and ship) and a planned,
    unreleased wave of RELEASE_ORDERS orders; the item's GTIN."""
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            wid = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
            item = await session.scalar(
                select(m.Item)
                .where(m.Item.tracking == m.Tracking.NONE, m.Item.storage_class == "AMBIENT")
                .order_by(m.Item.id)
            )
            face = await session.scalar(
                select(m.Bin)
                .join(m.Zone, m.Zone.id == m.Bin.zone_id)
                .where(m.Zone.kind == m.ZoneKind.PICK_FACE, m.Bin.blocked.is_(False))
                .order_by(m.Bin.id)
            )
            assert wid is not None and item is not None and face is not None
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=SHIPS + RELEASE_ORDERS * 2 + 50,
                    reason=m.MoveReason.OPENING,
                    destination=Place(face.id),
                    reference="kill-test",
                ),
            )
            gtin = await session.scalar(
                select(m.ItemBarcode.gtin)
                .where(m.ItemBarcode.item_id == item.id, m.ItemBarcode.packaging_id.is_(None))
                .order_by(m.ItemBarcode.id)
            )
            assert gtin is not None
            sku = item.sku
        to_ship = await _wave(
            sessions,
            wid,
            [f"SO-KIL-{n:03d}" for n in range(SHIPS)],
            1,
            sku,
            CartLimits(totes=SHIPS, units=SHIPS),
        )
        ids = []
        for n in range(RELEASE_ORDERS):
            async with UnitOfWork(sessions) as uow:
                order = await sales.create_sales_order(
                    uow,
                    sales.NewSalesOrder(
                        warehouse_id=wid,
                        number=f"SO-REL-{n:03d}",
                        customer_code="CUS-ALBA",
                        lines=(sales.NewLine(sku, 2),),
                        carrier_code="OWN",
                    ),
                    None,
                )
                ids.append(order.id)
                await uow.commit()
        async with UnitOfWork(sessions) as uow:
            orders = await planning.load_orders(uow.session, wid, ids, lock=True)
            planned = await planning.plan_wave(
                uow.session,
                wid,
                orders,
                CartLimits(totes=8, units=16),
                planning.PlanMethod.FIRST_COME,
            )
            wave = await planning.store_wave(uow.session, planned, None)
            await uow.commit()
            return to_ship, wave.id, gtin
    finally:
        await engine.dispose()


@asynccontextmanager
async def engine_session(database_url: str) -> AsyncIterator[Any]:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def count(database_url: str, stmt: Any) -> int:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            return int(await session.scalar(stmt) or 0)
    finally:
        await engine.dispose()


async def fire_and_kill(
    process: subprocess.Popen[bytes], requests: list[Any], after: float
) -> list[Any]:
    """Send the requests at once and SIGKILL the server `after` seconds later."""
    tasks = [asyncio.ensure_future(r) for r in requests]
    await asyncio.sleep(after)
    process.send_signal(signal.SIGKILL)
    await asyncio.to_thread(process.wait, 10)
    return await asyncio.gather(*tasks, return_exceptions=True)


async def test_sigkill_mid_release_and_mid_ships_leaves_nothing_half_done(
    database_url, template, tmp_path
):
    creds = {c.role: c for c in template.credentials}
    to_ship, wave_id, gtin = await prepare(database_url)
    rng = random.Random(12)
    release_key = uuid.uuid4().hex
    ship_keys = [uuid.uuid4().hex for _ in range(SHIPS)]
    order_ids: list[str] = []

    async with httpx.AsyncClient(timeout=30) as http:
        with killable_server(database_url, tmp_path) as (base, process):
            tokens = {
                role: await sign_in(http, base, creds[role].username, creds[role].password)
                for role in ("picker", "packer", "shipper", "planner")
            }
            await pick_wave(http, base, tokens["picker"], to_ship, gtin)
            for tote in to_ship.totes.values():
                session_id = await start_packing(http, base, tokens["packer"], tote)
                await pack_scan(http, base, tokens["packer"], session_id, gtin)
                closed = await graphql(
                    http, base, CLOSE, {"s": session_id, "k": uuid.uuid4().hex}, tokens["packer"]
                )
                assert closed["closeCarton"]["__typename"] == "CloseCartonSuccess"
            async with engine_session(database_url) as session:
                order_ids = [
                    str(i)
                    for i in (
                        await session.scalars(
                            select(m.SalesOrder.id)
                            .where(m.SalesOrder.number.like("SO-KIL-%"))
                            .order_by(m.SalesOrder.id)
                        )
                    ).all()
                ]
            release = graphql(
                http, base, RELEASE, {"w": wave_id, "k": release_key}, tokens["planner"]
            )
            (outcome,) = await fire_and_kill(process, [release], rng.uniform(0.005, 0.03))
            # The kill landed while the release was in flight (no answer came back).
            assert isinstance(outcome, httpx.TransportError), outcome
        check_ledger(database_url, tmp_path)

        with killable_server(database_url, tmp_path) as (base, process):
            shipper = await sign_in(
                http, base, creds["shipper"].username, creds["shipper"].password
            )
            burst = [
                graphql(http, base, SHIP, {"orders": [oid], "k": k}, shipper)
                for oid, k in zip(order_ids, ship_keys, strict=True)
            ]
            outcomes = await fire_and_kill(process, burst, rng.uniform(0.02, 0.08))
            answered = [o for o in outcomes if not isinstance(o, BaseException)]
            assert len(answered) < SHIPS, "the burst finished before the kill"
        check_ledger(database_url, tmp_path)

        with killable_server(database_url, tmp_path) as (base, _process):
            planner = await sign_in(
                http, base, creds["planner"].username, creds["planner"].password
            )
            shipper = await sign_in(
                http, base, creds["shipper"].username, creds["shipper"].password
            )
            first = await graphql(http, base, RELEASE, {"w": wave_id, "k": release_key}, planner)
            again = await graphql(http, base, RELEASE, {"w": wave_id, "k": release_key}, planner)
            assert first["releaseWave"]["__typename"] == "ReleaseWaveSuccess", first
            assert again == first
            for oid, k in zip(order_ids, ship_keys, strict=True):
                for _ in range(2):
                    shipped = await graphql(http, base, SHIP, {"orders": [oid], "k": k}, shipper)
                    assert shipped["ship"]["__typename"] == "ShipSuccess", shipped
        check_ledger(database_url, tmp_path)

    tasks = await count(
        database_url,
        select(func.count())
        .select_from(m.WaveTour)
        .where(m.WaveTour.wave_id == wave_id, m.WaveTour.task_id.is_not(None)),
    )
    assert tasks == len(first["releaseWave"]["pickTaskIds"])
    shipments = await count(database_url, select(func.count()).select_from(m.ShipmentOrder))
    assert shipments == SHIPS  # one shipment per order, however often it was sent
    shipped_units = await count(
        database_url,
        select(func.coalesce(func.sum(m.StockMove.quantity), 0)).where(
            m.StockMove.reason == m.MoveReason.SHIP
        ),
    )
    assert shipped_units == SHIPS
