"""The handheld hot paths driven through the API: pick cycle, packScan, scanReceive.

Used by the EXPLAIN test (every statement these send) and the shift test.
Orders are taken and released through the domain (what the office does), the
scans go through GraphQL with the PWA's own inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import orders as sales
from backend.routing.batching import CartLimits
from backend.scan import CodeKind, make_code
from backend.wave import planning, release
from tests.integration.conftest import GQL, key
from tests.integration.helpers import pick_face_bin

PROGRESS = """__typename ... on PickProgress { step linesDone unitsPicked
  next { lineId binCode itemSku gtin quantity askQuantity orderNumber } }
  ... on UserError { code message }"""
SCAN_BIN = f"mutation($input: PickScanInput!) {{ pickScanBin(input: $input) {{ {PROGRESS} }} }}"
SCAN_ITEM = f"mutation($input: PickScanInput!) {{ pickScanItem(input: $input) {{ {PROGRESS} }} }}"
CONFIRM = f"mutation($input: PickConfirmInput!) {{ pickConfirm(input: $input) {{ {PROGRESS} }} }}"
CLAIM = """mutation($input: TaskRefInput!) { claimTask(input: $input) { __typename
  ... on UserError { code message } } }"""
TASK = f"query($id: ID!) {{ pickTaskProgress(taskId: $id) {{ {PROGRESS} }} }}"
START_PACKING = """mutation($input: StartPackingInput!) { startPacking(input: $input) {
  __typename ... on PackSessionSuccess { session { id } } ... on UserError { code message } } }"""
PACK_SCAN = """mutation($input: PackScanInput!) { packScan(input: $input) { __typename
  ... on PackScanSuccess { quantity session { lines { packed expected } } }
  ... on UserError { code message } } }"""
START_RECEIPT = """mutation($input: StartReceiptInput!) { startReceipt(input: $input) {
  __typename ... on StartReceiptSuccess { receipt { id } } ... on UserError { code message } } }"""
SCAN_RECEIVE = """mutation($input: ScanReceiveInput!) { scanReceive(input: $input) { __typename
  ... on ScanReceiveSuccess { received { quantity } receipt { lines { quantity } } }
  ... on UserError { code message } } }"""


@dataclass
class Floor:
    pick_tasks: list[int]
    totes: dict[str, str]  # order number -> tote code
    gtin: str  # of the picked article
    po_code: str  # an approved order to receive, one line of plain units
    receive_gtin: str


def result(body: dict[str, Any]) -> dict[str, Any]:
    assert not body.get("errors"), body
    (value,) = body["data"].values()
    return dict(value)


async def prepare(
    sessions: async_sessionmaker[AsyncSession], orders: int, *, units: int = 2, per_task: int = 4
) -> Floor:
    async with sessions() as session, session.begin():
        face = await pick_face_bin(session)
        wid = face.warehouse_id
        item = m.Item(sku="HOT-1", name="Hot path article")
        session.add(item)
        await session.flush()
        gtin = "04006381000017"
        session.add(m.ItemBarcode(item_id=item.id, gtin=gtin))
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=orders * units + 100,
                reason=m.MoveReason.OPENING,
                destination=Place(face.id),
                reference="hot-path",
            ),
        )
        supplier = await session.scalar(select(m.Supplier).order_by(m.Supplier.id))
        assert supplier is not None
        po = m.PurchaseOrder(
            code="",
            number="",
            warehouse_id=wid,
            supplier_id=supplier.id,
            state=m.PoState.APPROVED,
            required_levels=[],
            total_cents=0,
        )
        session.add(po)
        await session.flush()
        po.number = f"HOT-{po.id:06d}"
        po.code = make_code(CodeKind.PO, po.number)
        session.add(
            m.PurchaseOrderLine(
                po_id=po.id,
                line_no=1,
                item_id=item.id,
                ordered_units=100_000,
                quantity=100_000,
                unit_price_cents=0,
            )
        )
        po_code = po.code
    numbers = [f"SO-HOT-{n:05d}" for n in range(orders)]
    ids = []
    for number in numbers:
        async with UnitOfWork(sessions) as uow:
            order = await sales.create_sales_order(
                uow,
                sales.NewSalesOrder(
                    warehouse_id=wid,
                    number=number,
                    customer_code="CUS-ALBA",
                    lines=(sales.NewLine("HOT-1", units),),
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
            CartLimits(totes=per_task, units=per_task * units),
            planning.PlanMethod.FIRST_COME,
        )
        wave = await planning.store_wave(uow.session, planned, None)
        await uow.commit()
        wave_id = wave.id
    async with UnitOfWork(sessions) as uow:
        outcome = await release.release_wave(uow, wave_id, None)
        await uow.commit()
    totes = {n: make_code(CodeKind.TOTE, n.removeprefix("SO-").replace("-", "")) for n in numbers}
    return Floor(list(outcome.pick_task_ids), totes, gtin, po_code, gtin)


async def pick_task(gql: GQL, token: str, floor: Floor, task_id: int) -> list[str]:
    """Claims and picks the whole task; answers the totes filled."""
    claimed = result(
        await gql(CLAIM, {"input": {"taskId": task_id, "idempotencyKey": key()}}, token=token)
    )
    assert claimed["__typename"] == "TaskSuccess", claimed
    progress = result(await gql(TASK, {"id": task_id}, token=token))
    totes = []
    while progress["step"] != "DONE":
        stop = progress["next"]
        ids = {"taskId": task_id, "lineId": stop["lineId"]}
        for query, code in ((SCAN_BIN, stop["binCode"]), (SCAN_ITEM, floor.gtin)):
            scanned = result(
                await gql(
                    query, {"input": {**ids, "code": code, "idempotencyKey": key()}}, token=token
                )
            )
            assert scanned["__typename"] == "PickProgress", scanned
        tote = floor.totes[stop["orderNumber"]]
        confirm = {
            **ids,
            "toteCode": tote,
            "quantity": stop["quantity"] if stop["askQuantity"] else None,
            "idempotencyKey": key(),
        }
        progress = result(await gql(CONFIRM, {"input": confirm}, token=token))
        assert progress["__typename"] == "PickProgress", progress
        totes.append(tote)
    return totes


async def pack_tote(gql: GQL, token: str, floor: Floor, tote: str, units: int) -> None:
    started = result(
        await gql(
            START_PACKING,
            {"input": {"code": tote, "idempotencyKey": key(), "station": "T"}},
            token=token,
        )
    )
    assert started["__typename"] == "PackSessionSuccess", started
    for _ in range(units):
        packed = result(
            await gql(
                PACK_SCAN,
                {
                    "input": {
                        "sessionId": started["session"]["id"],
                        "code": floor.gtin,
                        "idempotencyKey": key(),
                    }
                },
                token=token,
            )
        )
        assert packed["__typename"] == "PackScanSuccess", packed


async def start_receipt(gql: GQL, token: str, floor: Floor) -> str:
    started = result(
        await gql(
            START_RECEIPT,
            {"input": {"poCode": floor.po_code, "idempotencyKey": key()}},
            token=token,
        )
    )
    assert started["__typename"] == "StartReceiptSuccess", started
    return str(started["receipt"]["id"])


async def receive_one(gql: GQL, token: str, floor: Floor, receipt_id: str) -> None:
    variables = {
        "input": {"receiptId": receipt_id, "code": floor.receive_gtin, "idempotencyKey": key()}
    }
    received = result(await gql(SCAN_RECEIVE, variables, token=token))
    assert received["__typename"] == "ScanReceiveSuccess", received
