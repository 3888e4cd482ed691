"""The hot path against its floors, side by side in one run on PostgreSQL.

    .venv/bin/python bench/hotpath.py                # the default sizes (a few minutes)
    .venv/bin/python bench/hotpath.py --scans 20     # quicker, noisier

Creates and drops its own database (``bench_hotpath``). Servers run on
loopback in their own processes; the load comes from this process through a
small keep-alive HTTP client (bench/http1.py) so that the client's CPU stays
well under the server's. For each target:

- ``floor raw``: Starlette + asyncpg, one transaction (lock row, update, ledger
  insert, idempotency insert, commit) — bench/floors.py;
- ``floor orm``: the same through a minimal strawberry mutation and the
  SQLAlchemy ORM — bench/floors.py;
- ``pick``: the picker's cycle on the project's server (pickScanBin,
  pickScanItem, pickConfirm); ``pickConfirm`` is also reported alone;
- ``packScan`` and ``scanReceive``: one unit per scan.

Figures: server CPU per request (utime + stime of the server's processes from
/proc, before and after each request with one client), statements per request
(SQLAlchemy events in the server, bench/counted_app.py), throughput and
p50/p95/p99 with 10 concurrent clients on one and on two worker processes, and
ratios to the floors. Nothing is asserted about time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade
from backend.core.db.uow import UnitOfWork
from backend.demo import SMALL, seed
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.scan import CodeKind, make_code
from backend.wave import planning, release
from bench.floors import create_tables
from bench.http1 import Connection
from bench.serving import free_port

REPO = Path(__file__).resolve().parents[1]
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB = "bench_hotpath"
DSN = f"postgresql://postgres@127.0.0.1:5432/{DB}"
URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DB}"
CLIENTS = 10
UNITS_PER_ORDER = 8  # picked at once, packed one scan each
LINES_PER_TASK = 10
PASSWORD = "bench-password"
CLK = os.sysconf("SC_CLK_TCK")


# -- server processes and their CPU ------------------------------------------------


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except OSError:
                continue
    found, frontier = [pid], [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, parent in parents.items() if parent == current]
        found += children
        frontier += children
    return found


def process_ticks(pid: int) -> int | None:
    """utime + stime of one process in clock ticks; None once it has gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


class CpuMeter:
    """utime + stime (seconds) of a server and its worker processes."""

    def __init__(self, pid: int) -> None:
        self.pids = _descendants(pid)

    def read(self) -> float:
        return sum(process_ticks(pid) or 0 for pid in self.pids) / CLK


@dataclass
class Server:
    base: str
    cpu: CpuMeter
    counts: bool  # answers GET /bench/statements


@contextmanager
def start(
    kind: str, workers: int, tmp: Path, url: str = URL, env_extra: dict[str, str] | None = None
) -> Iterator[Server]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BROADCAST_URL": "redis://127.0.0.1:6379/0" if workers > 1 else "memory://",
        "WMS_SECRET_KEY": "bench-hotpath-secret",
        "WMS_DATA_DIR": str(tmp),
        "PYTHONPATH": str(REPO),
        **(env_extra or {}),
    }
    if kind == "project":
        command = [
            sys.executable, "-m", "uvicorn", "bench.counted_app:create_app", "--factory",
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
            "--log-level", "warning", "--no-access-log",
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "bench.floors", kind, "--port", str(port),
            "--workers", str(workers),
        ]  # fmt: skip
    log_path = tmp / f"{kind}-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            probe = "/healthz" if kind == "project" else "/"
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
            yield Server(base, CpuMeter(process.pid), kind == "project")
        finally:
            process.terminate()
            process.wait(timeout=20)


# -- data -------------------------------------------------------------------------


async def admin(sql: str) -> None:
    connection = await asyncpg.connect(ADMIN_DSN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@dataclass
class Prepared:
    warehouse_id: int
    pick_tasks: list[int]
    totes: dict[str, str]  # order number -> tote
    gtins: dict[str, str]  # sku -> unit GTIN
    receive_pos: list[str]  # one PO code per receiver
    receive_gtin: str


async def prepare(orders: int, database: str = DB) -> Prepared:
    url = URL.replace(f"/{DB}", f"/{database}")
    await admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    await admin(f"CREATE DATABASE {database}")
    await asyncio.to_thread(upgrade, url, "heads")
    await create_tables(DSN.replace(f"/{DB}", f"/{database}"), CLIENTS * 2)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await seed(session, SMALL)
        wid = await session.scalar(select(m.Warehouse.id))
        assert wid is not None
        for role in ("picker", "packer", "receiver"):
            for k in range(CLIENTS):
                await create_user(
                    session,
                    username=f"{role}_b{k}",
                    display_name=f"{role} {k}",
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
        picked_items = items[:6]
        for n, item in enumerate(picked_items):
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=orders * UNITS_PER_ORDER + 1000,
                    reason=m.MoveReason.OPENING,
                    destination=Place(faces[(n * 7) % len(faces)].id),
                    reference="bench-hotpath",
                ),
            )
        gtins = {}
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
        received = items[-1]
        po_codes = []
        for _ in range(CLIENTS):
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
            po.number = f"BENCH-{po.id:06d}"
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
            po_codes.append(po.code)
        skus = [i.sku for i in picked_items]
    numbers = [f"SO-HP-{n:06d}" for n in range(orders)]
    ids = []
    for n, number in enumerate(numbers):
        async with UnitOfWork(sessions) as uow:
            order = await sales.create_sales_order(
                uow,
                sales.NewSalesOrder(
                    warehouse_id=wid,
                    number=number,
                    customer_code="CUS-ALBA",
                    lines=(sales.NewLine(skus[n % len(skus)], UNITS_PER_ORDER),),
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
            CartLimits(totes=LINES_PER_TASK, units=LINES_PER_TASK * UNITS_PER_ORDER),
            planning.PlanMethod.FIRST_COME,
        )
        wave = await planning.store_wave(uow.session, planned, None)
        await uow.commit()
        wave_id = wave.id
    async with UnitOfWork(sessions) as uow:
        outcome = await release.release_wave(uow, wave_id, None)
        await uow.commit()
    await engine.dispose()
    totes = {n: make_code(CodeKind.TOTE, n.removeprefix("SO-").replace("-", "")) for n in numbers}
    return Prepared(wid, list(outcome.pick_task_ids), totes, gtins, po_codes, gtins[received.sku])


# -- the handhelds ------------------------------------------------------------------

SIGN_IN = """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
  deviceId: "bench"}) { ... on SignInSuccess { token } ... on UserError { code message } } }"""
# The handheld's own documents (pwa/src/graphql/*.ts), so parse, validation and
# the answers cost what they cost on the floor.
USER_ERROR = "... on UserError { code message field }"
PROGRESS = f"""__typename
  ... on PickProgress {{ taskId taskState waveCode step instruction
    next {{ lineId binCode binLabel aisle bay level itemSku itemName gtin lotNumber quantity
      askQuantity orderNumber toteSlot toteCode }}
    linesTotal linesDone unitsTotal unitsPicked metresLeft }}
  {USER_ERROR}"""
CLAIM = """mutation($id: ID!, $k: String!) { claimTask(input: {taskId: $id, idempotencyKey: $k}) {
  __typename ... on UserError { code message } } }"""
TASK_PROGRESS = (
    f"query PickProgress($taskId: ID!) {{ pickTaskProgress(taskId: $taskId) {{ {PROGRESS} }} }}"
)
SCAN_BIN = f"mutation PickScanBin($input: PickScanInput!) {{ pickScanBin(input: $input) {{ {PROGRESS} }} }}"
SCAN_ITEM = f"mutation PickScanItem($input: PickScanInput!) {{ pickScanItem(input: $input) {{ {PROGRESS} }} }}"
CONFIRM = f"mutation PickConfirm($input: PickConfirmInput!) {{ pickConfirm(input: $input) {{ {PROGRESS} }} }}"
SESSION = """id orderId orderRef state complete missingUnits suggestedCartonType
  lines { id sku description gtin lot expected packed short missing }
  cartons { id cartonNo state sscc cartonType weightGrams labelUrl }"""
START_PACKING = f"""mutation StartPacking($input: StartPackingInput!) {{
  startPacking(input: $input) {{ __typename ... on PackSessionSuccess {{ session {{ {SESSION} }} }}
  {USER_ERROR} }} }}"""
PACK_SCAN = f"""mutation PackScan($input: PackScanInput!) {{
  packScan(input: $input) {{ __typename ... on PackScanSuccess {{ session {{ {SESSION} }} sku quantity
  cartonNo }} {USER_ERROR} }} }}"""
RECEIPT = """id state poCode poNumber dockBinCode
  expected { itemSku itemName tracking expiryTracked ordered received remaining }
  lines { id itemSku itemName lotNumber expiry status quantity qcResult }"""
START_RECEIPT = f"""mutation StartReceipt($input: StartReceiptInput!) {{
  startReceipt(input: $input) {{ __typename
    ... on StartReceiptSuccess {{ receipt {{ {RECEIPT} }} next {{ action message itemSku }} }}
    {USER_ERROR} }} }}"""
SCAN_RECEIVE = f"""mutation ScanReceive($input: ScanReceiveInput!) {{
  scanReceive(input: $input) {{ __typename
    ... on ScanReceiveSuccess {{
      received {{ lineId itemSku itemName quantity lotNumber expiry serialNumber status }}
      pallet {{ sscc announced goods {{ itemSku quantity }} }}
      receipt {{ {RECEIPT} }}
      next {{ action message itemSku }} }}
    {USER_ERROR} }} }}"""
FLOOR_ORM = """mutation($q: Int!, $k: String!) { scan(quant: $q, key: $k) { quantity move } }"""


def key() -> str:
    return uuid.uuid4().hex


@dataclass
class Sample:
    label: str
    seconds: float
    cpu: float | None = None
    statements: dict[str, int] | None = None


@dataclass
class Recorder:
    server: Server
    metered: bool  # one client: CPU and statements around each request
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    async def send(
        self, connection: Connection, label: str, path: str, payload: Any, token: str | None
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else None
        before_counts = await self._counts(connection) if self.metered else None
        cpu_before = self.server.cpu.read() if self.metered else 0.0
        started = time.perf_counter()
        body = await connection.post_json(path, payload, headers)
        seconds = time.perf_counter() - started
        cpu = self.server.cpu.read() - cpu_before if self.metered else None
        statements = None
        if before_counts is not None:
            after = await self._counts(connection)
            statements = {k: after.get(k, 0) - before_counts.get(k, 0) for k in after}
        if body.get("errors"):
            self.errors.append(f"{label}: {body['errors']}")
        self.samples.append(Sample(label, seconds, cpu, statements))
        return body

    async def _counts(self, connection: Connection) -> dict[str, int] | None:
        if not self.server.counts:
            return None
        status, data = await connection.request("GET", "/bench/statements")
        return dict(json.loads(data)) if status == 200 else None


class Actor:
    """One handheld; `step` does one unit of its work (one or more requests)."""

    label = ""

    async def setup(self, connection: Connection, server: Server) -> None:
        pass

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        raise NotImplementedError


async def sign_in(connection: Connection, user: str) -> str:
    body = await connection.post_json(
        "/graphql", {"query": SIGN_IN, "variables": {"u": user, "p": PASSWORD}}
    )
    token = body["data"]["signIn"].get("token")
    if not token:
        raise RuntimeError(f"sign-in of {user}: {body}")
    return str(token)


class FloorRaw(Actor):
    label = "floor raw"

    def __init__(self, k: int) -> None:
        self.quant = k + 1

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        await recorder.send(
            connection, self.label, "/scan", {"quant": self.quant, "key": key()}, None
        )


class FloorOrm(FloorRaw):
    label = "floor orm"

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        payload = {"query": FLOOR_ORM, "variables": {"q": self.quant, "k": key()}}
        await recorder.send(connection, self.label, "/graphql", payload, None)


class Picker(Actor):
    label = "pick cycle"

    def __init__(self, k: int, tasks: list[int], prepared: Prepared, picked: list[str]) -> None:
        self.user = f"picker_b{k}"
        self.tasks, self.prepared, self.picked = tasks, prepared, picked
        self.token = ""
        self.task: int | None = None
        self.next: dict[str, Any] | None = None

    async def setup(self, connection: Connection, server: Server) -> None:
        self.token = await sign_in(connection, self.user)

    def tote_for(self, stop: dict[str, Any]) -> str:
        """The tote scanned at the stop's confirmation."""
        return self.prepared.totes[stop["orderNumber"]]

    async def _claim(self, connection: Connection) -> None:
        self.task = self.tasks.pop(0)
        body = await connection.post_json(
            "/graphql",
            {"query": CLAIM, "variables": {"id": self.task, "k": key()}},
            {"authorization": f"Bearer {self.token}"},
        )
        if body["data"]["claimTask"]["__typename"] != "TaskSuccess":
            raise RuntimeError(f"claim: {body}")
        body = await connection.post_json(
            "/graphql",
            {"query": TASK_PROGRESS, "variables": {"taskId": self.task}},
            {"authorization": f"Bearer {self.token}"},
        )
        self.next = body["data"]["pickTaskProgress"]["next"]

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        if self.next is None:
            await self._claim(connection)
        stop = self.next
        assert stop is not None and self.task is not None
        ids = {"taskId": self.task, "lineId": stop["lineId"]}
        gtin = self.prepared.gtins[stop["itemSku"]]
        send = recorder.send
        for label, query, variables in (
            (
                "pickScanBin",
                SCAN_BIN,
                {"input": {**ids, "code": stop["binCode"], "idempotencyKey": key()}},
            ),
            ("pickScanItem", SCAN_ITEM, {"input": {**ids, "code": gtin, "idempotencyKey": key()}}),
        ):
            body = await send(
                connection, label, "/graphql", {"query": query, "variables": variables}, self.token
            )
            result = next(iter(body["data"].values()))
            if result["__typename"] != "PickProgress":
                recorder.errors.append(f"{label}: {result}")
        tote = self.tote_for(stop)
        variables = {
            "input": {
                **ids,
                "toteCode": tote,
                "quantity": stop["quantity"] if stop["askQuantity"] else None,
                "idempotencyKey": key(),
            }
        }
        body = await send(
            connection,
            "pickConfirm",
            "/graphql",
            {"query": CONFIRM, "variables": variables},
            self.token,
        )
        result = body["data"]["pickConfirm"]
        if result["__typename"] != "PickProgress":
            recorder.errors.append(f"pickConfirm: {result}")
            self.next = None
            return
        if tote not in self.picked:  # an order's units may come from two bins (two lines)
            self.picked.append(tote)
        self.next = None if result["step"] == "DONE" else result["next"]


class Packer(Actor):
    label = "packScan"

    def __init__(self, k: int, totes: list[str], gtin_of_tote: Callable[[str], str]) -> None:
        self.user = f"packer_b{k}"
        self.totes, self.gtin_of_tote = totes, gtin_of_tote
        self.token = ""
        self.session: str | None = None
        self.gtin = ""
        self.left = 0

    async def setup(self, connection: Connection, server: Server) -> None:
        self.token = await sign_in(connection, self.user)

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        if self.left == 0:
            tote = self.totes.pop(0)
            body = await connection.post_json(
                "/graphql",
                {
                    "query": START_PACKING,
                    "variables": {
                        "input": {"code": tote, "idempotencyKey": key(), "station": "BENCH"}
                    },
                },
                {"authorization": f"Bearer {self.token}"},
            )
            result = body["data"]["startPacking"]
            if result["__typename"] != "PackSessionSuccess":
                raise RuntimeError(f"startPacking: {result}")
            self.session = result["session"]["id"]
            self.gtin = self.gtin_of_tote(tote)
            # What was picked into the tote so far (the order may be picked in part).
            self.left = sum(
                line["expected"] - line["packed"] for line in result["session"]["lines"]
            )
            if self.left <= 0:
                await self.step(recorder, connection)
                return
        variables = {
            "input": {"sessionId": self.session, "code": self.gtin, "idempotencyKey": key()}
        }
        body = await recorder.send(
            connection,
            "packScan",
            "/graphql",
            {"query": PACK_SCAN, "variables": variables},
            self.token,
        )
        if body["data"]["packScan"]["__typename"] != "PackScanSuccess":
            recorder.errors.append(f"packScan: {body['data']['packScan']}")
        self.left -= 1


class Receiver(Actor):
    label = "scanReceive"

    def __init__(self, k: int, prepared: Prepared) -> None:
        self.user = f"receiver_b{k}"
        self.po = prepared.receive_pos[k]
        self.gtin = prepared.receive_gtin
        self.token = ""
        self.receipt = ""

    async def setup(self, connection: Connection, server: Server) -> None:
        self.token = await sign_in(connection, self.user)
        if self.receipt:
            return
        body = await connection.post_json(
            "/graphql",
            {
                "query": START_RECEIPT,
                "variables": {"input": {"poCode": self.po, "idempotencyKey": key()}},
            },
            {"authorization": f"Bearer {self.token}"},
        )
        result = body["data"]["startReceipt"]
        if result["__typename"] != "StartReceiptSuccess":
            raise RuntimeError(f"startReceipt: {result}")
        self.receipt = result["receipt"]["id"]

    async def step(self, recorder: Recorder, connection: Connection) -> None:
        variables = {
            "input": {"receiptId": self.receipt, "code": self.gtin, "idempotencyKey": key()}
        }
        body = await recorder.send(
            connection,
            "scanReceive",
            "/graphql",
            {"query": SCAN_RECEIVE, "variables": variables},
            self.token,
        )
        if body["data"]["scanReceive"]["__typename"] != "ScanReceiveSuccess":
            recorder.errors.append(f"scanReceive: {body['data']['scanReceive']}")


# -- phases -----------------------------------------------------------------------


@dataclass
class Phase:
    samples: list[Sample]
    errors: list[str]
    wall: float
    cpu: float


async def run_phase(
    server: Server, actors: list[Actor], steps: int, *, metered: bool, warm: int = 0
) -> Phase:
    connections = [Connection.to(server.base) for _ in actors]
    for actor, connection in zip(actors, connections, strict=True):
        await actor.setup(connection, server)
    warmup = Recorder(server, False)
    for actor, connection in zip(actors, connections, strict=True):
        for _ in range(warm):
            await actor.step(warmup, connection)
    recorder = Recorder(server, metered)

    async def client(actor: Actor, connection: Connection) -> None:
        for _ in range(steps):
            await actor.step(recorder, connection)

    cpu_before = server.cpu.read()
    started = time.perf_counter()
    await asyncio.gather(*(client(a, c) for a, c in zip(actors, connections, strict=True)))
    wall = time.perf_counter() - started
    cpu = server.cpu.read() - cpu_before
    for connection in connections:
        await connection.close()
    return Phase(recorder.samples, warmup.errors + recorder.errors, wall, cpu)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Figures:
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per label, one client
    statements: dict[str, dict[str, float]] = field(default_factory=dict)
    one_client_p50: dict[str, float] = field(default_factory=dict)
    throughput: dict[int, float] = field(default_factory=dict)  # workers -> requests/s
    cpu_loaded_ms: dict[int, float] = field(default_factory=dict)
    latency: dict[int, tuple[float, float, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def summarise_single(phase: Phase, figures: Figures) -> None:
    by_label: dict[str, list[Sample]] = {}
    for sample in phase.samples:
        by_label.setdefault(sample.label, []).append(sample)
    for label, samples in by_label.items():
        figures.cpu_ms[label] = 1000 * sum(s.cpu or 0.0 for s in samples) / len(samples)
        figures.one_client_p50[label] = 1000 * statistics.median(s.seconds for s in samples)
        if samples[0].statements is not None:
            keys = {k for s in samples for k in (s.statements or {})}
            figures.statements[label] = {
                k: sum((s.statements or {}).get(k, 0) for s in samples) / len(samples) for k in keys
            }
    figures.errors += phase.errors


def summarise_loaded(phase: Phase, workers: int, figures: Figures) -> None:
    n = len(phase.samples)
    figures.throughput[workers] = n / phase.wall
    figures.cpu_loaded_ms[workers] = 1000 * phase.cpu / n
    seconds = [s.seconds * 1000 for s in phase.samples]
    figures.latency[workers] = (pct(seconds, 50), pct(seconds, 95), pct(seconds, 99))
    figures.errors += phase.errors


async def measure(
    kind: str,
    make: Callable[[int], Actor],
    tmp: Path,
    scans: int,
    loaded_steps: int,
    extra: Callable[[], Awaitable[None]] | None = None,
) -> Figures:
    figures = Figures()
    actors = [make(k) for k in range(CLIENTS)]
    with start(kind, 1, tmp) as server:
        single = await run_phase(server, actors[:1], scans, metered=True, warm=5)
        summarise_single(single, figures)
        loaded = await run_phase(server, actors, loaded_steps, metered=False, warm=1)
        summarise_loaded(loaded, 1, figures)
    with start(kind, 2, tmp) as server:
        loaded = await run_phase(server, actors, loaded_steps, metered=False, warm=1)
        summarise_loaded(loaded, 2, figures)
    return figures


def print_table(results: dict[str, Figures]) -> None:
    raw, orm = results["floor raw"], results["floor orm"]
    raw_cpu = raw.cpu_ms["floor raw"]
    orm_cpu = orm.cpu_ms["floor orm"]
    print(
        f"\n{'target':<14}{'CPU ms/req':>11}{'x raw':>7}{'x orm':>7}{'stmts':>7}"
        f"{'1c p50':>8}{'req/s 1p':>10}{'x raw':>7}{'req/s 2p':>10}{'x raw':>7}"
        f"{'CPU ms 10c':>11}{'p50/p95/p99 ms 10c 1p':>24}{'p50/p95/p99 ms 10c 2p':>24}"
    )
    for figures in results.values():
        labels = list(figures.cpu_ms)
        for n, label in enumerate(labels):
            cpu = figures.cpu_ms[label]
            stmts = figures.statements.get(label, {})
            stmt_text = (
                f"{stmts.get('statements', 0):.0f}+{stmts.get('begin', 0) + stmts.get('commit', 0) + stmts.get('rollback', 0) + stmts.get('pings', 0):.0f}"
                if stmts
                else "4+2"
            )
            row = f"{label:<14}{cpu:11.2f}{cpu / raw_cpu:7.1f}{cpu / orm_cpu:7.2f}{stmt_text:>7}"
            row += f"{figures.one_client_p50[label]:8.1f}"
            if n == 0:
                t1, t2 = figures.throughput[1], figures.throughput[2]
                l1, l2 = figures.latency[1], figures.latency[2]
                row += (
                    f"{t1:10.0f}{t1 / raw.throughput[1]:7.2f}{t2:10.0f}{t2 / raw.throughput[2]:7.2f}"
                    f"{figures.cpu_loaded_ms[1]:11.2f}"
                    f"{'/'.join(f'{v:.0f}' for v in l1):>24}{'/'.join(f'{v:.0f}' for v in l2):>24}"
                )
            print(row)
    print(
        "\nCPU ms/req and stmts with one client (stmts: statements + BEGIN/COMMIT/ROLLBACK/pings);"
        "\nreq/s, CPU ms 10c and percentiles with 10 clients on one (1p) and two (2p) workers;"
        "\npick cycle rows: every request of the cycle (bin, item, confirm) counts."
    )
    for name, figures in results.items():
        if figures.errors:
            print(f"{name}: {len(figures.errors)} errors, first: {figures.errors[0][:300]}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=60, help="one-client requests per target")
    parser.add_argument("--loaded", type=int, default=20, help="steps per client, 10 clients")
    parser.add_argument("--only", nargs="*", default=None, help="targets to run")
    args = parser.parse_args()
    pick_lines = args.scans + 5 + 2 * CLIENTS * (args.loaded + 1) + (CLIENTS + 2) * LINES_PER_TASK
    pack_orders = (
        -(-(args.scans + 5 + 2 * CLIENTS * (args.loaded + 1)) // UNITS_PER_ORDER) + 2 * CLIENTS
    )
    started = time.perf_counter()
    prepared = await prepare(max(pick_lines, pack_orders + CLIENTS))
    print(
        f"prepared in {time.perf_counter() - started:.0f} s: {len(prepared.pick_tasks)} pick tasks"
    )
    order_sku: dict[str, str] = {}
    engine = create_engine(URL)
    async with session_factory(engine)() as session:
        rows = await session.execute(
            select(m.SalesOrder.number, m.Item.sku)
            .join(m.SalesOrderLine, m.SalesOrderLine.order_id == m.SalesOrder.id)
            .join(m.Item, m.Item.id == m.SalesOrderLine.item_id)
        )
        order_sku = {number: sku for number, sku in rows}
    await engine.dispose()
    tote_gtin = {tote: prepared.gtins[order_sku[n]] for n, tote in prepared.totes.items()}
    tasks = list(prepared.pick_tasks)
    picked: list[str] = []
    pickers: dict[int, Picker] = {}

    def picker(k: int) -> Picker:
        return pickers.setdefault(k, Picker(k, tasks, prepared, picked))

    targets: dict[str, tuple[str, Callable[[int], Actor], int]] = {
        "floor raw": ("raw", FloorRaw, 1),
        "floor orm": ("orm", FloorOrm, 1),
        "pick": ("project", picker, 1),
        "packScan": ("project", lambda k: Packer(k, picked, tote_gtin.__getitem__), 1),
        "scanReceive": ("project", lambda k: Receiver(k, prepared), 1),
    }
    results: dict[str, Figures] = {}
    with tempfile.TemporaryDirectory() as raw_tmp:
        tmp = Path(raw_tmp)
        for name, (kind, make, _) in targets.items():
            if args.only and name not in args.only and not name.startswith("floor"):
                continue
            # the pick cycle is three requests; keep its number of lines comparable
            steps = args.loaded
            scans = args.scans
            print(f"measuring {name} ...", flush=True)
            results[name] = await measure(kind, make, tmp, scans, steps)
    print_table(results)
    await admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


if __name__ == "__main__":
    asyncio.run(main())
