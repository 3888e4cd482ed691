"""A shift on the floor: N handhelds signed in, subscribed and scanning against ``wms serve``.

    .venv/bin/python bench/loadgen.py --handhelds 20 --seconds 20 --pace flat --workers 1
    .venv/bin/python bench/loadgen.py --handhelds 100 --seconds 60 --pace human --workers 2
    .venv/bin/python bench/loadgen.py --handhelds 6 --seconds 5 --db sqlite

Creates its own database (PostgreSQL: ``bench_loadgen``, dropped at the end;
SQLite: a file in a temporary directory), migrates it and seeds the small demo
warehouse through the project's own code, then lays out a floor sized for the
shift: orders released as pick tasks, stock on the pick faces, one approved
purchase order per receiver, one user per handheld. It starts ``wms serve`` on
a free loopback port (two or more workers share events through Redis), signs
every handheld in over HTTP and opens one graphql-transport-ws subscription per
handheld (``taskEvents``, the PWA's task feed), then plays the shift until
``--seconds`` have passed:

- pickers (half the handhelds) claim a task and pick it stop by stop
  (pickScanBin, pickScanItem, pickConfirm), then the next task;
- packers (a quarter) take totes as pickers fill them: startPacking, then one
  packScan per unit;
- receivers (the rest) start a receipt on their purchase order and scanReceive
  one unit at a time.

Every mutation carries its own idempotency key. ``--pace human`` sends one scan
every 3 s per handheld (±25% jitter, handhelds start at random offsets); ``flat``
sends the next request as soon as the answer is in.

It prints scans/s, count and p50/p95/p99/max per mutation (client-side, loopback),
push latency (the answer of a claimTask, or of the pickConfirm that finishes a
task, to the CLAIMED/DONE event's arrival on every other picker's subscription),
errors by code, server and client CPU, and the ledger check at the end
(``ledger_mismatches``). Nothing is asserted about time; the exit status is 1 when
there were errors or the ledger does not match.

The test suite plays a short shift through ``run`` on its own database and
broadcast backend (tests/integration/test_loadgen_short.py):

    outcome = await run(database_url, tmp, Config(handhelds=6, seconds=4),
                        broadcast_url=..., every_kind=True)
    assert outcome.ok, outcome.problems()
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import websockets
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade
from backend.core.db.uow import UnitOfWork
from backend.demo import SMALL, seed
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.scan import CodeKind, make_code
from backend.wave import planning, release
from bench.hotpath import (
    CLAIM,
    CONFIRM,
    PACK_SCAN,
    SCAN_BIN,
    SCAN_ITEM,
    SCAN_RECEIVE,
    START_PACKING,
    START_RECEIPT,
    TASK_PROGRESS,
    CpuMeter,
    admin,
    pct,
)
from bench.http1 import Connection
from bench.serving import free_port

REPO = Path(__file__).resolve().parents[1]
DB = "bench_loadgen"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB}"
REDIS = "redis://127.0.0.1:6379/0"
PASSWORD = "loadgen-password"
UNITS = 2  # per order: one pickConfirm, two packScans
LINES_PER_TASK = 4
PACE = 3.0  # seconds between a human's scans
JITTER = 0.25
SCANS = ("pickScanBin", "pickScanItem", "pickConfirm", "packScan", "scanReceive")
TASKS_SUB = """subscription Tasks { taskEvents { change task { id kind state title priority
  binCode zoneCode assigneeId createdAt reference } } }"""


def key() -> str:
    return uuid.uuid4().hex


# -- the floor ------------------------------------------------------------------------


@dataclass
class Floor:
    pick_tasks: list[int]
    totes: dict[str, str]  # order number -> tote code
    tote_gtin: dict[str, str]  # tote -> GTIN of what is picked into it
    tote_lines: dict[str, int]  # tote -> pick lines to confirm before it can be packed
    pos: list[str]  # one approved purchase order per receiver
    receive_gtins: list[str]  # what each receiver scans in


def split(handhelds: int) -> tuple[int, int, int]:
    """Pickers, packers, receivers: half, a quarter, the rest (each at least one)."""
    if handhelds < 3:
        raise SystemExit("--handhelds must be at least 3 (a picker, a packer, a receiver)")
    packers = max(1, handhelds // 4)
    receivers = max(1, handhelds // 4)
    return handhelds - packers - receivers, packers, receivers


def users(role: str, count: int) -> list[str]:
    return [f"{role}_lg{k}" for k in range(count)]


async def prepare(url: str, pickers: int, packers: int, receivers: int, lines: int) -> Floor:
    """Seeds through the project's code: the demo warehouse (unless the database
    has a warehouse already, as the test suite's copies do), opening stock on the
    pick faces, `lines` one-line orders planned first-come and released as pick
    tasks of LINES_PER_TASK stops, the users and the purchase orders."""
    await asyncio.to_thread(upgrade, url, "heads")
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            wid = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
            if wid is None:
                await seed(session, SMALL)
                wid = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
            assert wid is not None
            for role, count in (("picker", pickers), ("packer", packers), ("receiver", receivers)):
                for name in users(role, count):
                    await create_user(
                        session,
                        username=name,
                        display_name=name,
                        password=PASSWORD,
                        roles=[role],
                        warehouse_ids=[wid],
                    )
            items = list(
                await session.scalars(
                    select(m.Item)
                    .where(m.Item.tracking == m.Tracking.NONE, m.Item.storage_class == "AMBIENT")
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
            # Several articles on several faces: pickers do not all queue for one quant.
            picked_items = items[: min(10, len(items) - 1)]
            for n, item in enumerate(picked_items):
                await apply_move(
                    session,
                    MoveRequest(
                        item_id=item.id,
                        quantity=lines * UNITS + 100,
                        reason=m.MoveReason.OPENING,
                        destination=Place(faces[(n * 7) % len(faces)].id),
                        reference="bench-loadgen",
                    ),
                )
            gtins: dict[str, str] = {}
            for item in items:
                gtin = await session.scalar(
                    select(m.ItemBarcode.gtin)
                    .where(m.ItemBarcode.item_id == item.id, m.ItemBarcode.packaging_id.is_(None))
                    .order_by(m.ItemBarcode.id)
                )
                if gtin:
                    gtins[item.sku] = gtin
            supplier = await session.scalar(select(m.Supplier).order_by(m.Supplier.id))
            assert supplier is not None
            # Receivers bring in articles of their own (those nobody picks), so they
            # do not all queue for the lock on one quant at the dock.
            receivable = [i for i in items[len(picked_items) :] if i.sku in gtins]
            pos, receive_gtins = [], []
            for k in range(receivers):
                received = receivable[k % len(receivable)]
                receive_gtins.append(gtins[received.sku])
                po = m.PurchaseOrder(
                    code="",
                    number="",
                    warehouse_id=wid,
                    supplier_id=supplier.id,
                    state=m.PoState.APPROVED,
                    submitted_at=utcnow(),
                    approved_at=utcnow(),
                    required_levels=[],
                    total_cents=0,
                )
                session.add(po)
                await session.flush()
                po.number = f"LG-{po.id:06d}"
                po.code = make_code(CodeKind.PO, po.number)
                session.add(
                    m.PurchaseOrderLine(
                        po_id=po.id,
                        line_no=1,
                        item_id=received.id,
                        ordered_units=1_000_000,
                        quantity=1_000_000,
                        unit_price_cents=0,
                    )
                )
                pos.append(po.code)
            skus = [i.sku for i in picked_items]
        numbers = [f"SO-LG-{n:06d}" for n in range(lines)]
        order_sku = {number: skus[n % len(skus)] for n, number in enumerate(numbers)}
        ids = []
        for number in numbers:
            async with UnitOfWork(sessions) as uow:
                order = await sales.create_sales_order(
                    uow,
                    sales.NewSalesOrder(
                        warehouse_id=wid,
                        number=number,
                        customer_code="CUS-ALBA",
                        lines=(sales.NewLine(order_sku[number], UNITS),),
                        carrier_code="OWN",
                    ),
                    None,
                )
                ids.append(order.id)
                await uow.commit()
        async with UnitOfWork(sessions) as uow:
            loaded = await planning.load_orders(uow.session, wid, ids, lock=True)
            planned = await planning.plan_wave(
                uow.session,
                wid,
                loaded,
                CartLimits(totes=LINES_PER_TASK, units=LINES_PER_TASK * UNITS),
                planning.PlanMethod.FIRST_COME,
            )
            wave = await planning.store_wave(uow.session, planned, None)
            await uow.commit()
            wave_id = wave.id
        async with UnitOfWork(sessions) as uow:
            outcome = await release.release_wave(uow, wave_id, None)
            await uow.commit()
        # An order's units may be reserved from two bins (two pick lines): its tote
        # goes to a packer only once both are confirmed.
        async with sessions() as session:
            rows = await session.execute(
                select(m.SalesOrder.number, func.count(m.PickLine.id))
                .join(m.PickLine, m.PickLine.order_id == m.SalesOrder.id)
                .group_by(m.SalesOrder.number)
            )
            lines_of = {number: int(count) for number, count in rows}
    finally:
        await engine.dispose()
    totes = {n: make_code(CodeKind.TOTE, n.removeprefix("SO-").replace("-", "")) for n in numbers}
    tote_gtin = {totes[n]: gtins[order_sku[n]] for n in numbers}
    tote_lines = {totes[n]: lines_of.get(n, 0) for n in numbers}
    return Floor(list(outcome.pick_task_ids), totes, tote_gtin, tote_lines, pos, receive_gtins)


async def check_ledger(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            return [str(row) for row in await ledger_mismatches(session)]
    finally:
        await engine.dispose()


# -- the server -----------------------------------------------------------------------


@dataclass
class Server:
    base: str
    cpu: CpuMeter
    # Error and traceback lines of the server's log, read once it has stopped.
    log_errors: list[str] = field(default_factory=list)


@contextmanager
def serve(url: str, workers: int, tmp: Path, broadcast_url: str | None = None) -> Iterator[Server]:
    """`wms serve` on a free loopback port, already migrated. Without a broadcast URL,
    several workers share events through the local Redis, one keeps them in memory."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BROADCAST_URL": broadcast_url or (REDIS if workers > 1 else "memory://"),
        "WMS_SECRET_KEY": "bench-loadgen-secret",
        "WMS_DATA_DIR": str(tmp),
        "PYTHONPATH": str(REPO),
    }
    command = [
        sys.executable, "-m", "backend.cli", "serve", "--no-migrate", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    log_path = tmp / f"server-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            time.sleep(1.0 if workers > 1 else 0.1)  # every worker listening
            server = Server(base, CpuMeter(process.pid))
            yield server
        finally:
            process.terminate()
            process.wait(timeout=30)
        server.log_errors = [
            line
            for line in log_path.read_text().splitlines()
            if "Traceback" in line or "ERROR" in line
        ]


# -- measuring --------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    handhelds: int = 20
    seconds: float = 20.0
    pace: str = "flat"  # or "human"
    workers: int = 1
    subscriptions: bool = True
    orders: int | None = None  # one-line orders laid out; None: enough for the shift


class Clock:
    """When the shift ends: after ``seconds``; with ``every_kind``, not before each of
    the five scans has been answered once (a short shift on a busy machine still
    exercises every path), but never later than ``cap`` seconds."""

    def __init__(self, seconds: float, shift: Shift, every_kind: bool, cap: float) -> None:
        now = time.monotonic()
        self.end, self.cap = now + seconds, now + max(cap, seconds)
        self.shift, self.every_kind = shift, every_kind

    def over(self) -> bool:
        now = time.monotonic()
        if now >= self.cap:
            return True
        if now < self.end:
            return False
        return not self.every_kind or all(self.shift.latencies.get(s) for s in SCANS)


@dataclass
class Shift:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)
    # (task id, change) -> (answer time, handheld that caused it)
    causes: dict[tuple[int, str], tuple[float, int]] = field(default_factory=dict)
    # (task id, change, arrival time, handheld that received it)
    arrivals: list[tuple[int, str, float, int]] = field(default_factory=list)
    out_of_tasks: int = 0
    pickers: list[int] = field(default_factory=list)
    out_of_totes: int = 0

    def error(self, code: str, detail: str) -> None:
        self.errors[code] += 1
        if len(self.first_errors) < 5:
            self.first_errors.append(f"{code}: {detail[:300]}")


class Handheld:
    """One device: a kept-alive HTTP connection, a token, a task subscription."""

    role = ""

    def __init__(self, index: int, user: str, base: str, shift: Shift) -> None:
        self.index, self.user, self.shift = index, user, shift
        self.http = Connection.to(base)
        self.ws_url = base.replace("http://", "ws://") + "/graphql"
        self.token = ""
        self.socket: Any = None
        self.reader: asyncio.Task[None] | None = None

    async def sign_in(self) -> None:
        body = await self.http.post_json(
            "/graphql",
            {
                "query": """mutation($u: String!, $p: String!, $d: String!) { signIn(input:
                  {username: $u, password: $p, deviceId: $d}) { ... on SignInSuccess { token }
                  ... on UserError { code message } } }""",
                "variables": {"u": self.user, "p": PASSWORD, "d": f"lg-{self.index}"},
            },
        )
        token = body["data"]["signIn"].get("token")
        if not token:
            raise RuntimeError(f"sign-in of {self.user}: {body}")
        self.token = str(token)

    async def subscribe(self) -> None:
        self.socket = await websockets.connect(
            self.ws_url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            ping_interval=None,
            max_queue=None,
        )
        await self.socket.send(
            json.dumps(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {self.token}"}}
            )
        )
        ack = json.loads(await asyncio.wait_for(self.socket.recv(), 30))
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"{self.user}: no connection_ack: {ack}")
        await self.socket.send(
            json.dumps({"id": "tasks", "type": "subscribe", "payload": {"query": TASKS_SUB}})
        )
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                arrived = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "next":
                    payload = message["payload"]
                    if payload.get("errors"):
                        self.shift.error("SUBSCRIPTION", json.dumps(payload["errors"]))
                        continue
                    event = payload["data"]["taskEvents"]
                    self.shift.arrivals.append(
                        (int(event["task"]["id"]), event["change"], arrived, self.index)
                    )
                elif kind == "ping":
                    await self.socket.send(json.dumps({"type": "pong"}))
                elif kind in ("error", "complete"):
                    self.shift.error("SUBSCRIPTION", json.dumps(message))
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is None or closed.rcvd.code != 1000:
                self.shift.error("SUBSCRIPTION_CLOSED", str(closed))

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await self.reader
        await self.http.close()

    async def send(
        self, label: str, query: str, variables: dict[str, Any]
    ) -> dict[str, Any] | None:
        """One request, timed; answers the payload of its single field, or None on
        an error (counted by code)."""
        payload = {"query": query, "variables": variables}
        headers = {"authorization": f"Bearer {self.token}"}
        started = time.perf_counter()
        try:
            status, data = await self.http.request(
                "POST", "/graphql", json.dumps(payload).encode(), headers
            )
        except (ConnectionError, OSError, asyncio.IncompleteReadError) as error:
            self.shift.error(f"TRANSPORT {type(error).__name__}", f"{label}: {error}")
            return None
        self.shift.latencies[label].append(time.perf_counter() - started)
        if status != 200:
            self.shift.error(f"HTTP {status}", f"{label}: {data[:300]!r}")
            return None
        body = json.loads(data)
        if body.get("errors"):
            code = body["errors"][0].get("extensions", {}).get("code", "GRAPHQL")
            self.shift.error(str(code), f"{label}: {body['errors']}")
            return None
        value = dict(next(iter(body["data"].values())))
        if "code" in value and value.get("__typename", "").endswith("Error"):
            self.shift.error(str(value["code"]), f"{label}: {value}")
            return None
        return value

    async def step(self) -> bool:
        """One scan (with whatever must come before it); False when out of work."""
        raise NotImplementedError


class Picker(Handheld):
    role = "picker"

    def __init__(self, *args: Any, tasks: list[int], floor: Floor, picked: asyncio.Queue[str]):
        super().__init__(*args)
        self.tasks, self.floor, self.picked = tasks, floor, picked
        self.task: int | None = None
        self.stop: dict[str, Any] | None = None
        self.phase = 0  # 0 bin, 1 item, 2 confirm

    async def _claim(self) -> bool:
        while self.tasks:
            task = self.tasks.pop(0)
            claimed = await self.send("claimTask", CLAIM, {"id": task, "k": key()})
            if claimed is None or claimed["__typename"] != "TaskSuccess":
                continue
            self.shift.causes[(task, "CLAIMED")] = (time.perf_counter(), self.index)
            progress = await self.send("pickTaskProgress", TASK_PROGRESS, {"taskId": task})
            if progress is None or progress["__typename"] != "PickProgress":
                continue
            self.task, self.stop, self.phase = task, progress["next"], 0
            return self.stop is not None
        self.shift.out_of_tasks += 1
        return False

    async def step(self) -> bool:
        if self.stop is None and not await self._claim():
            return False
        stop, task = self.stop, self.task
        assert stop is not None and task is not None
        ids = {"taskId": task, "lineId": stop["lineId"]}
        if self.phase < 2:
            label, query = (
                ("pickScanBin", SCAN_BIN) if self.phase == 0 else ("pickScanItem", SCAN_ITEM)
            )
            code = stop["binCode"] if self.phase == 0 else stop["gtin"]
            answer = await self.send(
                label, query, {"input": {**ids, "code": code, "idempotencyKey": key()}}
            )
            if answer is not None and answer["__typename"] == "PickProgress":
                self.phase += 1
            return True
        tote = self.floor.totes[stop["orderNumber"]]
        confirm = {
            **ids,
            "toteCode": tote,
            "quantity": stop["quantity"] if stop["askQuantity"] else None,
            "idempotencyKey": key(),
        }
        answer = await self.send("pickConfirm", CONFIRM, {"input": confirm})
        if answer is None or answer["__typename"] != "PickProgress":
            self.stop = None  # start over on the next task
            return True
        self.floor.tote_lines[tote] -= 1
        if self.floor.tote_lines[tote] == 0:
            self.picked.put_nowait(tote)
        self.phase = 0
        if answer["step"] == "DONE":
            self.shift.causes[(task, "DONE")] = (time.perf_counter(), self.index)
            self.stop = None
        else:
            self.stop = answer["next"]
        return True


class Packer(Handheld):
    role = "packer"

    def __init__(self, *args: Any, floor: Floor, picked: asyncio.Queue[str]):
        super().__init__(*args)
        self.floor, self.picked = floor, picked
        self.clock: Clock | None = None  # set when the shift starts
        self.session: str | None = None
        self.gtin = ""
        self.left = 0

    async def step(self) -> bool:
        while self.left <= 0:
            try:
                tote = await asyncio.wait_for(self.picked.get(), 0.25)
            except TimeoutError:
                if self.clock is None or self.clock.over():
                    self.shift.out_of_totes += 1
                    return False
                continue
            started = await self.send(
                "startPacking",
                START_PACKING,
                {"input": {"code": tote, "idempotencyKey": key(), "station": "LOADGEN"}},
            )
            if started is None or started["__typename"] != "PackSessionSuccess":
                continue
            self.session = started["session"]["id"]
            self.gtin = self.floor.tote_gtin[tote]
            self.left = sum(
                line["expected"] - line["packed"] for line in started["session"]["lines"]
            )
        variables = {
            "input": {"sessionId": self.session, "code": self.gtin, "idempotencyKey": key()}
        }
        answer = await self.send("packScan", PACK_SCAN, variables)
        if answer is not None and answer["__typename"] == "PackScanSuccess":
            self.left -= 1
        else:
            self.left = 0  # leave the tote
        return True


class Receiver(Handheld):
    role = "receiver"

    def __init__(self, *args: Any, po: str, gtin: str):
        super().__init__(*args)
        self.po, self.gtin = po, gtin
        self.receipt: str | None = None

    async def step(self) -> bool:
        if self.receipt is None:
            started = await self.send(
                "startReceipt",
                START_RECEIPT,
                {"input": {"poCode": self.po, "idempotencyKey": key()}},
            )
            if started is None or started["__typename"] != "StartReceiptSuccess":
                return True
            self.receipt = started["receipt"]["id"]
        variables = {
            "input": {"receiptId": self.receipt, "code": self.gtin, "idempotencyKey": key()}
        }
        await self.send("scanReceive", SCAN_RECEIVE, variables)
        return True


async def work(handheld: Handheld, pace: str, clock: Clock, rng: random.Random) -> None:
    if pace == "flat":
        while not clock.over() and await handheld.step():
            pass
        return
    # A person scans about every PACE seconds; devices do not start in step.
    next_at = time.monotonic() + rng.uniform(0, PACE)
    while True:
        wait = next_at - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        if clock.over() or not await handheld.step():
            return
        next_at = max(next_at + PACE * rng.uniform(1 - JITTER, 1 + JITTER), time.monotonic())


async def play(
    server: Server, floor: Floor, config: Config, every_kind: bool = False, log: Any = print
) -> tuple[Shift, dict[str, float]]:
    pickers, packers, receivers = split(config.handhelds)
    shift = Shift()
    picked: asyncio.Queue[str] = asyncio.Queue()
    tasks = list(floor.pick_tasks)
    base = server.base
    handhelds: list[Handheld] = []
    for name in users("picker", pickers):
        handhelds.append(
            Picker(len(handhelds), name, base, shift, tasks=tasks, floor=floor, picked=picked)
        )
    packer_list = []
    for name in users("packer", packers):
        packer = Packer(len(handhelds), name, base, shift, floor=floor, picked=picked)
        handhelds.append(packer)
        packer_list.append(packer)
    for k, name in enumerate(users("receiver", receivers)):
        handhelds.append(
            Receiver(
                len(handhelds), name, base, shift, po=floor.pos[k], gtin=floor.receive_gtins[k]
            )
        )
    started = time.perf_counter()
    # Sign-ins hash a password each: a few at a time, as a shift starts.
    gate = asyncio.Semaphore(8)

    async def arrive(handheld: Handheld) -> None:
        async with gate:
            await handheld.sign_in()
            if config.subscriptions:
                await handheld.subscribe()

    await asyncio.gather(*(arrive(h) for h in handhelds))
    log(
        f"{len(handhelds)} handhelds signed in{' and subscribed' if config.subscriptions else ''}"
        f" in {time.perf_counter() - started:.1f} s"
    )
    await asyncio.sleep(0.5)  # subscriptions registered with the broadcast
    rng = random.Random(15)
    clock = Clock(config.seconds, shift, every_kind, cap=max(60.0, 10 * config.seconds))
    for packer in packer_list:
        packer.clock = clock
    cpu_before = server.cpu.read()
    client_before = time.process_time()
    began = time.perf_counter()
    await asyncio.gather(*(work(h, config.pace, clock, rng) for h in handhelds))
    wall = time.perf_counter() - began
    usage = {
        "wall": wall,
        "server_cpu": server.cpu.read() - cpu_before,
        "client_cpu": time.process_time() - client_before,
    }
    # The last events on their way: wait until none arrived for 2 s (at most 20 s).
    settle = time.monotonic() + 20
    while config.subscriptions and time.monotonic() < settle:
        seen = len(shift.arrivals)
        await asyncio.sleep(2.0)
        if len(shift.arrivals) == seen:
            break
    shift.pickers = [h.index for h in handhelds if isinstance(h, Picker)]
    for handheld in handhelds:
        await handheld.close()
    return shift, usage


# -- the report ----------------------------------------------------------------------


def push_latencies(shift: Shift) -> list[float]:
    """Answer → arrival on every *other* handheld for each claim and finished task."""
    found = []
    for task, change, arrived, receiver in shift.arrivals:
        cause = shift.causes.get((task, change))
        if cause is not None and cause[1] != receiver:
            found.append(arrived - cause[0])
    return found


def missed(shift: Shift) -> tuple[int, list[int]]:
    """Deliveries that never came: every picker hears every claim and every finished
    pick task (its own as "mine", the others' as tasks it could have worked)."""
    heard: dict[tuple[int, str], set[int]] = defaultdict(set)
    for task, change, _, receiver in shift.arrivals:
        heard[(task, change)].add(receiver)
    expected = set(shift.pickers)
    lost = sum(len(expected - heard[cause]) for cause in shift.causes)
    deaf = sorted(p for p in expected if not any(p in heard[c] for c in shift.causes))
    return lost, deaf


@dataclass
class Outcome:
    """A shift played and checked: what ``report`` prints and the test asserts."""

    config: Config
    db: str
    orders: int
    pick_tasks: int
    shift: Shift
    usage: dict[str, float]
    ledger: list[str]  # ledger_mismatches at the end
    lost: int  # push deliveries expected and never received
    deaf: list[int]  # pickers that heard no claim or finished task at all
    log_errors: list[str]  # error lines of the server's log

    def scans(self, label: str) -> int:
        return len(self.shift.latencies.get(label, ()))

    @property
    def ok(self) -> bool:
        return not (self.shift.errors or self.ledger or self.lost or self.log_errors)

    def problems(self) -> str:
        """What went wrong, for an assertion's message."""
        lines = [f"errors: {dict(self.shift.errors)}", *self.shift.first_errors]
        lines.append(f"push deliveries missed: {self.lost} (deaf pickers {self.deaf})")
        lines += [f"ledger: {row}" for row in self.ledger[:20]]
        lines += [f"server log: {line}" for line in self.log_errors[:20]]
        return "\n".join(lines)


def orders_for(config: Config) -> int:
    """Enough stops that nobody runs dry: a picker's scan is a third of a stop."""
    if config.orders is not None:
        return config.orders
    pickers = split(config.handhelds)[0]
    if config.pace == "human":
        stops_per_picker = config.seconds / PACE / 3
        return int(pickers * stops_per_picker * 1.5) + pickers * LINES_PER_TASK
    return int(config.seconds * 25 * config.workers) + pickers * LINES_PER_TASK


async def run(
    url: str,
    tmp: Path,
    config: Config,
    *,
    broadcast_url: str | None = None,
    every_kind: bool = False,
    log: Any = print,
) -> Outcome:
    """Lays out the floor on the database at ``url`` (migrated and demo-seeded here
    when it is empty), serves it with ``wms serve`` (its log in ``tmp``), plays the
    shift and checks the ledger. ``every_kind``: see Clock."""
    if config.pace not in ("flat", "human"):
        raise ValueError(f"pace {config.pace!r}: flat or human")
    if url.startswith("sqlite") and config.workers > 1:
        raise ValueError("SQLite serves with one worker (one writer at a time)")
    pickers, packers, receivers = split(config.handhelds)
    lines = orders_for(config)
    started = time.perf_counter()
    floor = await prepare(url, pickers, packers, receivers, lines)
    log(
        f"floor prepared in {time.perf_counter() - started:.0f} s: {lines} orders,"
        f" {len(floor.pick_tasks)} pick tasks, {receivers} purchase orders"
    )
    with serve(url, config.workers, tmp, broadcast_url) as server:
        shift, usage = await play(server, floor, config, every_kind, log)
    ledger = await check_ledger(url)
    lost, deaf = missed(shift) if shift.pickers and config.subscriptions else (0, [])
    db = "sqlite" if url.startswith("sqlite") else "postgresql"
    return Outcome(
        config, db, lines, len(floor.pick_tasks), shift, usage, ledger, lost, deaf,
        server.log_errors,
    )  # fmt: skip


def report(outcome: Outcome) -> None:
    shift, usage, config, ledger = outcome.shift, outcome.usage, outcome.config, outcome.ledger
    scans = sum(len(shift.latencies[label]) for label in SCANS)
    load = os.getloadavg()
    print(
        f"\n{config.handhelds} handhelds ({'/'.join(map(str, split(config.handhelds)))} pickers/packers/"
        f"receivers), pace {config.pace}, {config.workers} worker(s), {outcome.db}, "
        f"{usage['wall']:.1f} s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print(
        f"scans: {scans}, {scans / usage['wall']:.1f}/s; server CPU {usage['server_cpu']:.1f} s"
        f" ({1000 * usage['server_cpu'] / max(1, scans):.1f} ms per scan, all requests counted),"
        f" client CPU {usage['client_cpu']:.1f} s"
    )
    print(f"\n{'request':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    every: list[float] = []
    for label, values in sorted(shift.latencies.items(), key=lambda kv: -len(kv[1])):
        ms = [v * 1000 for v in values]
        if label in SCANS:
            every += ms
        print(
            f"{label:<18}{len(ms):7d}{pct(ms, 50):9.1f}{pct(ms, 95):9.1f}{pct(ms, 99):9.1f}{max(ms):9.1f}"
        )
    if every:
        print(
            f"{'all scans':<18}{len(every):7d}{pct(every, 50):9.1f}{pct(every, 95):9.1f}"
            f"{pct(every, 99):9.1f}{max(every):9.1f}"
        )
    push = [v * 1000 for v in push_latencies(shift)]
    if push:
        print(
            f"{'push (event)':<18}{len(push):7d}{pct(push, 50):9.1f}{pct(push, 95):9.1f}"
            f"{pct(push, 99):9.1f}{max(push):9.1f}"
        )
    print(
        f"\nevents received: {len(shift.arrivals)}; claims/finished tasks answered:"
        f" {len(shift.causes)}; pickers out of tasks: {shift.out_of_tasks},"
        f" packers waiting for totes at the end: {shift.out_of_totes}"
    )
    if shift.errors:
        print("errors by code: " + ", ".join(f"{c} {n}" for c, n in shift.errors.most_common()))
        for line in shift.first_errors:
            print("  " + line)
    else:
        print("errors: 0")
    if outcome.lost:
        print(
            f"push: {outcome.lost} deliveries missed; {len(outcome.deaf)} picker(s) heard no"
            f" event at all (handhelds {outcome.deaf[:10]})"
        )
    elif not config.subscriptions:
        print("push: not measured (--no-subscriptions)")
    else:
        print("push: every picker heard every claim and finished task")
    if outcome.log_errors:
        print(f"server log has {len(outcome.log_errors)} error lines:")
        print("\n".join(outcome.log_errors[:10]))
    print("ledger: OK" if not ledger else f"ledger: {len(ledger)} mismatches")
    for line in ledger[:20]:
        print("  " + line)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--handhelds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pace", choices=("human", "flat"), default="flat")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument(
        "--no-subscriptions",
        action="store_true",
        help="no task subscriptions (to see what pushing events to every handheld costs)",
    )
    args = parser.parse_args()
    if args.db == "sqlite" and args.workers > 1:
        raise SystemExit("SQLite serves with one worker (one writer at a time)")
    split(args.handhelds)  # refuses fewer than three
    config = Config(
        args.handhelds, args.seconds, args.pace, args.workers, not args.no_subscriptions
    )
    with tempfile.TemporaryDirectory(prefix="loadgen-") as raw_tmp:
        tmp = Path(raw_tmp)
        if args.db == "postgresql":
            url = PG_URL
            await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            await admin(f"CREATE DATABASE {DB}")
        else:
            url = f"sqlite+aiosqlite:///{tmp / 'loadgen.sqlite3'}"
        try:
            outcome = await run(url, tmp, config, log=lambda text: print(text, flush=True))
            report(outcome)
        finally:
            if args.db == "postgresql":
                await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        if not outcome.ok:
            shutil.copytree(tmp, Path(tempfile.gettempdir()) / f"loadgen-logs-{os.getpid()}")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
