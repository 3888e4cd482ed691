"""Scan latency on a real server while a 100-label batch document renders in it.

    .venv/bin/python bench/labels_server.py                  # SQLite scratch file
    .venv/bin/python bench/labels_server.py --pg             # PostgreSQL (bench_labels)
    .venv/bin/python bench/labels_server.py --scans 200 --labels 50

Prints figures; asserts nothing about time. A scratch database gets the small
demo warehouse, then sales orders that go the whole outbound way on a running
``wms serve``: a wave of ``--labels`` one-unit orders and a wave of 50-unit
probe orders are planned and released, the picker picks every cart through the
handheld API (bin, item, tote), the packer packs and closes one carton per
label order and the shipper ships them all in one pickup. The wave's shipping
labels are then ``GET /documents/shipping_label/wave-<id>.pdf``: one document
of ``--labels`` labels, rendered by the server.

The probe is what a packing-station scanner sends per scan: ``packScan`` of one
unit into an open probe order (a successful scan: token check, idempotency
record, row lock, pack check, audit, commit). It runs back to back, in stretches of
100 scans with nothing else going on (idle) that alternate with one request of
the batch document each (during: a scan only counts if the render was in
progress from its start to its end), so both see the same background load. The server is started once per way of rendering:

- ``thread``: WMS_RENDER_PROCESSES=0, the render runs in a worker thread of the
  server process (it shares the GIL with the event loop);
- ``process``: the default, the server's RenderPool (a separate process).

Each row gives p50 and p99 of the scan latency idle and during the render,
and the ratio of the two p99s (the target: at most 1.5).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import upgrade
from backend.core.db.uow import UnitOfWork
from backend.demo import SMALL, seed
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.scan import CodeKind, make_code
from backend.wave import planning, release
from bench.serving import graphql, server, sign_in

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "bench_labels"
PROBE_UNITS = 50  # units per probe order: a packing session takes that many scans
MODES = {"thread": "0", "process": "1"}
IDLE_STRETCH = 100  # idle scans between two batch renders


@dataclass(frozen=True)
class Wave:
    wave_id: int
    task_ids: tuple[int, ...]
    totes: dict[str, str]  # order number -> tote code


@dataclass(frozen=True)
class Prepared:
    gtin: str
    labels: Wave
    probes: Wave


# -- data: orders through the domain, waves planned and released -----------------


async def _wave(
    sessions: object, wid: int, numbers: list[str], quantity: int, sku: str, limits: CartLimits
) -> Wave:
    ids = []
    for number in numbers:
        async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
            order = await sales.create_sales_order(
                uow,
                sales.NewSalesOrder(
                    warehouse_id=wid,
                    number=number,
                    customer_code="CUS-ALBA",
                    lines=(sales.NewLine(sku, quantity),),
                    carrier_code="OWN",
                ),
                None,
            )
            ids.append(order.id)
            await uow.commit()
    async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
        orders = await planning.load_orders(uow.session, wid, ids, lock=True)
        planned = await planning.plan_wave(
            uow.session, wid, orders, limits, planning.PlanMethod.FIRST_COME
        )
        wave = await planning.store_wave(uow.session, planned, None)
        await uow.commit()
        wave_id = wave.id
    async with UnitOfWork(sessions) as uow:  # type: ignore[arg-type]
        outcome = await release.release_wave(uow, wave_id, None)
        await uow.commit()
    if outcome.replenish_task_ids:
        raise RuntimeError("the bench wave needs replenishment; give the pick face more stock")
    totes = {n: make_code(CodeKind.TOTE, n.removeprefix("SO-").replace("-", "")) for n in numbers}
    return Wave(wave_id, tuple(outcome.pick_task_ids), totes)


async def prepare(url: str, labels: int, probe_orders: int) -> Prepared:
    await asyncio.to_thread(upgrade, url, "heads")
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        await seed(session, SMALL)
        wid = await session.scalar(select(m.Warehouse.id))
        assert wid is not None
        item = await session.scalar(
            select(m.Item)
            .where(m.Item.tracking == m.Tracking.NONE, m.Item.storage_class == "AMBIENT")
            .order_by(m.Item.id)
        )
        assert item is not None
        face = await session.scalar(
            select(m.Bin)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Zone.kind == m.ZoneKind.PICK_FACE, m.Bin.blocked.is_(False))
            .order_by(m.Bin.id)
        )
        assert face is not None
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=labels + probe_orders * PROBE_UNITS + 100,
                reason=m.MoveReason.OPENING,
                destination=Place(face.id),
                reference="bench-labels",
            ),
        )
        gtin = await session.scalar(
            select(m.ItemBarcode.gtin)
            .where(m.ItemBarcode.item_id == item.id, m.ItemBarcode.packaging_id.is_(None))
            .order_by(m.ItemBarcode.id)
        )
        assert gtin is not None
        sku = item.sku
    label_wave = await _wave(
        sessions,
        wid,
        [f"SO-LBL-{n:06d}" for n in range(labels)],
        1,
        sku,
        CartLimits(totes=25, units=100),
    )
    probe_wave = await _wave(
        sessions,
        wid,
        [f"SO-PRB-{n:06d}" for n in range(probe_orders)],
        PROBE_UNITS,
        sku,
        CartLimits(totes=100, units=probe_orders * PROBE_UNITS),
    )
    await engine.dispose()
    return Prepared(gtin, label_wave, probe_wave)


# -- the floor, through the server's API -------------------------------------------

PROGRESS = """__typename ... on PickProgress { step next { lineId binCode quantity askQuantity
  orderNumber } } ... on UserError { code message }"""
CLAIM = """mutation($id: ID!, $k: String!) { claimTask(input: {taskId: $id, idempotencyKey: $k}) {
  __typename ... on UserError { code message } } }"""
TASK_PROGRESS = f"query($id: ID!) {{ pickTaskProgress(taskId: $id) {{ {PROGRESS} }} }}"
SCAN_BIN = f"""mutation($t: ID!, $l: ID!, $c: String!, $k: String!) {{ pickScanBin(input:
  {{taskId: $t, lineId: $l, code: $c, idempotencyKey: $k}}) {{ {PROGRESS} }} }}"""
SCAN_ITEM = f"""mutation($t: ID!, $l: ID!, $c: String!, $k: String!) {{ pickScanItem(input:
  {{taskId: $t, lineId: $l, code: $c, idempotencyKey: $k}}) {{ {PROGRESS} }} }}"""
CONFIRM = f"""mutation($t: ID!, $l: ID!, $tote: String!, $q: Int, $k: String!) {{ pickConfirm(
  input: {{taskId: $t, lineId: $l, toteCode: $tote, quantity: $q, idempotencyKey: $k}}) {{
  {PROGRESS} }} }}"""
START = """mutation($code: String!, $k: String!) { startPacking(input: {code: $code,
  idempotencyKey: $k, station: "BENCH"}) { __typename
  ... on PackSessionSuccess { session { id orderId } } ... on UserError { code message } } }"""
PACK_SCAN = """mutation($s: ID!, $code: String!, $k: String!) { packScan(input: {sessionId: $s,
  code: $code, idempotencyKey: $k}) { __typename
  ... on PackScanSuccess { quantity cartonNo } ... on UserError { code message } } }"""
CLOSE = """mutation($s: ID!, $k: String!) { closeCarton(input: {sessionId: $s, lastCarton: true,
  idempotencyKey: $k}) { __typename ... on CloseCartonSuccess { orderPacked }
  ... on UserError { code message } } }"""
SHIP = """mutation($orders: [ID!]!, $k: String!) { ship(input: {orderIds: $orders,
  carrierCode: "OWN", idempotencyKey: $k}) { __typename
  ... on ShipSuccess { shipment { id cartons { sscc } } } ... on UserError { code message } } }"""


def _key() -> str:
    return str(uuid.uuid4())


def _ok(data: dict[str, object], typename: str) -> dict[str, object]:
    (result,) = data.values()
    assert isinstance(result, dict)
    if result.get("__typename") != typename:
        raise RuntimeError(f"expected {typename}, got {result}")
    return result


async def pick_wave(http: httpx.AsyncClient, base: str, token: str, wave: Wave, gtin: str) -> None:
    for task_id in wave.task_ids:
        _ok(await graphql(http, base, CLAIM, {"id": task_id, "k": _key()}, token), "TaskSuccess")
        progress = (await graphql(http, base, TASK_PROGRESS, {"id": task_id}, token))[
            "pickTaskProgress"
        ]
        while progress["step"] != "DONE":
            stop = progress["next"]
            ids = {"t": task_id, "l": stop["lineId"]}
            await graphql(http, base, SCAN_BIN, {**ids, "c": stop["binCode"], "k": _key()}, token)
            await graphql(http, base, SCAN_ITEM, {**ids, "c": gtin, "k": _key()}, token)
            variables = {
                **ids,
                "tote": wave.totes[stop["orderNumber"]],
                "q": stop["quantity"] if stop["askQuantity"] else None,
                "k": _key(),
            }
            progress = _ok(await graphql(http, base, CONFIRM, variables, token), "PickProgress")


async def start_packing(http: httpx.AsyncClient, base: str, token: str, tote: str) -> str:
    started = _ok(
        await graphql(http, base, START, {"code": tote, "k": _key()}, token), "PackSessionSuccess"
    )
    return str(started["session"]["id"])  # type: ignore[index]


async def pack_scan(
    http: httpx.AsyncClient, base: str, token: str, session: str, gtin: str
) -> None:
    variables = {"s": session, "code": gtin, "k": _key()}
    _ok(await graphql(http, base, PACK_SCAN, variables, token), "PackScanSuccess")


async def pack_and_ship_labels(
    http: httpx.AsyncClient, base: str, packer: str, shipper: str, prepared: Prepared
) -> None:
    order_ids = []
    for tote in prepared.labels.totes.values():
        started = _ok(
            await graphql(http, base, START, {"code": tote, "k": _key()}, packer),
            "PackSessionSuccess",
        )
        session = started["session"]
        assert isinstance(session, dict)
        order_ids.append(session["orderId"])
        await pack_scan(http, base, packer, session["id"], prepared.gtin)
        _ok(
            await graphql(http, base, CLOSE, {"s": session["id"], "k": _key()}, packer),
            "CloseCartonSuccess",
        )
    _ok(await graphql(http, base, SHIP, {"orders": order_ids, "k": _key()}, shipper), "ShipSuccess")


# -- measuring ------------------------------------------------------------------------


class Prober:
    """packScan of one unit, session after session (each holds PROBE_UNITS units)."""

    def __init__(
        self, http: httpx.AsyncClient, base: str, token: str, gtin: str, totes: list[str]
    ) -> None:
        self.http, self.base, self.token, self.gtin = http, base, token, gtin
        self.totes = iter(totes)
        self.session = ""
        self.left = 0

    async def scan(self) -> float:
        if self.left == 0:
            tote = next(self.totes, None)
            if tote is None:
                raise RuntimeError("out of probe orders")
            self.session = await start_packing(self.http, self.base, self.token, tote)
            self.left = PROBE_UNITS
        started = time.perf_counter()
        await pack_scan(self.http, self.base, self.token, self.session, self.gtin)
        self.left -= 1
        return time.perf_counter() - started


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=False)
    for line in info.stdout.decode(errors="replace").splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[-1])
    return 0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Row:
    mode: str
    idle: list[float]
    busy: list[float]
    renders: list[float]
    pdf_bytes: int
    pages: int


async def measure(
    mode: str,
    http: httpx.AsyncClient,
    base: str,
    prepared: Prepared,
    probe_totes: list[str],
    scans: int,
) -> Row:
    packer = await sign_in(http, base, "packer1", "demo-packer")
    shipper = await sign_in(http, base, "shipper1", "demo-shipper")
    prober = Prober(http, base, packer, prepared.gtin, probe_totes)
    url = f"{base}/documents/shipping_label/wave-{prepared.labels.wave_id}.pdf"
    headers = {"authorization": f"Bearer {shipper}"}

    async def render() -> tuple[float, bytes]:
        started = time.perf_counter()
        response = await http.get(url, headers=headers, timeout=300)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code} {response.text[:300]}")
        return time.perf_counter() - started, response.content

    _, pdf = await render()  # warm: imports, fonts, the render process
    for _ in range(20):
        await prober.scan()
    # Idle and busy stretches alternate, so that both see the same background load
    # of the machine (it changes over a run, and the tail is sensitive to it).
    idle: list[float] = []
    busy: list[float] = []
    renders: list[float] = []
    while len(idle) < scans or len(busy) < scans:
        for _ in range(min(IDLE_STRETCH, scans - len(idle))):
            idle.append(await prober.scan())
        if len(busy) >= scans:
            continue
        job = asyncio.create_task(render())
        await asyncio.sleep(0.05)  # the request is in the server before the first probe
        while not job.done() and len(busy) < scans:
            latency = await prober.scan()
            if not job.done():
                busy.append(latency)
        seconds, pdf = await job
        renders.append(seconds)
    pages = await asyncio.to_thread(pdf_pages, pdf)
    return Row(mode, idle, busy[:scans], renders, len(pdf), pages)


def report(row: Row, labels: int) -> None:
    ms = 1000
    ratio = pct(row.busy, 99) / pct(row.idle, 99)
    print(
        f"{row.mode:<8} {len(row.idle):>5} {statistics.median(row.idle) * ms:8.1f}"
        f" {pct(row.idle, 99) * ms:8.1f} {len(row.busy):>5}"
        f" {statistics.median(row.busy) * ms:8.1f} {pct(row.busy, 99) * ms:8.1f}"
        f" {max(row.busy) * ms:8.1f} {ratio:6.2f}x  {statistics.median(row.renders):6.2f} s"
        f" x{len(row.renders)} ({row.pages} pages of {labels} labels, {row.pdf_bytes // 1024} KiB)"
    )


async def run(args: argparse.Namespace, url: str, tmp: Path) -> None:
    modes = [args.mode] if args.mode else list(MODES)
    per_mode = -(-(args.scans * 2 + 20) // PROBE_UNITS) + 2
    started = time.perf_counter()
    prepared = await prepare(url, args.labels, per_mode * len(modes))
    probe_totes = list(prepared.probes.totes.values())
    print(
        f"prepared in {time.perf_counter() - started:.1f} s: {args.labels} label orders,"
        f" {len(probe_totes)} probe orders of {PROBE_UNITS} units"
    )
    async with httpx.AsyncClient(timeout=60) as http:
        rows = []
        for n, mode in enumerate(modes):
            with server(url, tmp, env={"WMS_RENDER_PROCESSES": MODES[mode]}) as base:
                if n == 0:
                    started = time.perf_counter()
                    picker = await sign_in(http, base, "picker1", "demo-picker")
                    await pick_wave(http, base, picker, prepared.labels, prepared.gtin)
                    await pick_wave(http, base, picker, prepared.probes, prepared.gtin)
                    packer = await sign_in(http, base, "packer1", "demo-packer")
                    shipper = await sign_in(http, base, "shipper1", "demo-shipper")
                    await pack_and_ship_labels(http, base, packer, shipper, prepared)
                    print(
                        f"picked, packed and shipped through the API in"
                        f" {time.perf_counter() - started:.1f} s"
                    )
                mine = probe_totes[n * per_mode : (n + 1) * per_mode]
                rows.append(await measure(mode, http, base, prepared, mine, args.scans))
    print(
        f"\npackScan latency (ms), {args.scans} scans each; during = while"
        f" GET /documents/shipping_label/wave-N.pdf ({args.labels} labels) renders"
    )
    print(
        f"{'render':<8} {'idle':>5} {'p50':>8} {'p99':>8} {'during':>5} {'p50':>8} {'p99':>8}"
        f" {'max':>8} {'p99 ratio':>8}  batch request"
    )
    for row in rows:
        report(row, args.labels)


async def pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=100)
    parser.add_argument("--scans", type=int, default=400, help="probe scans per phase")
    parser.add_argument("--mode", choices=list(MODES), help="one way of rendering only")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as raw:
        tmp = Path(raw)
        if not args.pg:
            asyncio.run(run(args, f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}", tmp))
            return
        asyncio.run(pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
        asyncio.run(pg_admin(f"CREATE DATABASE {PG_DB}"))
        try:
            asyncio.run(run(args, f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DB}", tmp))
        finally:
            asyncio.run(pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))


if __name__ == "__main__":
    main()
