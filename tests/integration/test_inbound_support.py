"""Shared steps of the inbound tests (no tests here): orders, receipts, scans as the floor sends them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.service import create_user
from backend.core.db import models as m
from tests.integration.conftest import key

ERR = "... on UserError { code message field }"

RECEIPT_FIELDS = """id state kind poCode dockBinCode allowUnplanned qcTaskId
  expected { itemSku ordered received remaining }
  lines { id itemSku lotNumber expiry status quantity notOnOrder qcResult }"""

CREATE_PO = f"""mutation($input: CreatePurchaseOrderInput!) {{ createPurchaseOrder(input: $input) {{
  __typename ... on PurchaseOrderSuccess {{ purchaseOrder {{ id code number state totalCents
  lines {{ itemSku orderedUnits quantity }} }} }} {ERR} }} }}"""

SUBMIT_PO = f"""mutation($code: String!) {{ submitPurchaseOrder(input: {{poCode: $code}}) {{
  __typename ... on PurchaseOrderSuccess {{ purchaseOrder {{ state requiredLevels
  receiveTaskId }} }} {ERR} }} }}"""

DECIDE_PO = f"""mutation($code: String!, $approve: Boolean!, $comment: String) {{
  decidePurchaseOrder(input: {{poCode: $code, approve: $approve, comment: $comment}}) {{
  __typename ... on DecidePurchaseOrderSuccess {{ level purchaseOrder {{ state receiveTaskId
  decisions {{ level decision username role }} }} }} {ERR} }} }}"""

START = f"""mutation($input: StartReceiptInput!) {{ startReceipt(input: $input) {{
  __typename ... on StartReceiptSuccess {{ receipt {{ {RECEIPT_FIELDS} }} next {{ action message }} }}
  {ERR} }} }}"""

SCAN = f"""mutation($input: ScanReceiveInput!) {{ scanReceive(input: $input) {{
  __typename ... on ScanReceiveSuccess {{
    received {{ lineId itemSku quantity lotNumber expiry serialNumber status }}
    receipt {{ {RECEIPT_FIELDS} }} next {{ action message itemSku }} }}
  {ERR} }} }}"""

CLOSE = f"""mutation($id: ID!, $key: String!) {{ closeReceipt(input: {{receiptId: $id,
  idempotencyKey: $key}}) {{ __typename ... on CloseReceiptSuccess {{ putawayTaskIds qcTaskId
  receipt {{ {RECEIPT_FIELDS} }} }} {ERR} }} }}"""

QC = f"""mutation($line: ID!, $result: String!, $note: String, $key: String!) {{
  recordQc(input: {{receiptLineId: $line, result: $result, note: $note, idempotencyKey: $key}}) {{
  __typename ... on RecordQcSuccess {{ putawayTaskId line {{ status qcResult }}
  returnToVendor {{ id code state quantity }} }} {ERR} }} }}"""

SUGGEST = f"""query($task: ID!) {{ putawaySuggestion(taskId: $task) {{ __typename
  ... on PutawayPlan {{ taskId itemSku status fromBinCode quantity remaining
  suggestions {{ binId binCode score reasons }} }} {ERR} }} }}"""

PUTAWAY = f"""mutation($input: ScanPutawayInput!) {{ scanPutaway(input: $input) {{ __typename
  ... on ScanPutawaySuccess {{ taskId binCode quantity overridden remaining taskDone
  suggestions {{ binCode }} }} {ERR} }} }}"""


def gs1(
    gtin: str, *, expiry: date | None = None, lot: str | None = None, serial: str | None = None
) -> str:
    """A GS1-128 as a scanner sends it: symbology prefix, fixed fields first, a variable one last."""
    text = "]C101" + gtin
    if expiry is not None:
        text += "17" + expiry.strftime("%y%m%d")
    if lot is not None:
        text += "10" + lot
    elif serial is not None:
        text += "21" + serial
    return text


async def item(session: AsyncSession, sku: str) -> m.Item:
    row = await session.scalar(select(m.Item).where(m.Item.sku == sku))
    assert row is not None
    await session.commit()  # SQLite has one connection: the app needs it back
    return row


async def gtins(session: AsyncSession, sku: str) -> tuple[str, str, int]:
    """(each GTIN, case GTIN, units in a case) of a demo item."""
    row = await item(session, sku)
    codes = (
        await session.scalars(select(m.ItemBarcode).where(m.ItemBarcode.item_id == row.id))
    ).all()
    each = next(c.gtin for c in codes if c.packaging_id is None)
    case = next(c for c in codes if c.packaging_id is not None)
    packaging = await session.get(m.ItemPackaging, case.packaging_id)
    assert packaging is not None
    await session.commit()
    return each, case.gtin, packaging.quantity


async def add_buyer(session: AsyncSession, username: str = "buyer1") -> tuple[str, str]:
    """A second supervisor who raises orders (nobody approves their own)."""
    warehouse = await session.scalar(select(m.Warehouse).order_by(m.Warehouse.id))
    assert warehouse is not None
    await create_user(
        session,
        username=username,
        display_name="Buyer One",
        password="demo-buyer",
        roles=["supervisor"],
        warehouse_ids=[warehouse.id],
    )
    await session.commit()
    return username, "demo-buyer"


async def sign_in(gql: Any, username: str, password: str) -> str:
    body = await gql(
        """mutation($u: String!, $p: String!) { signIn(input: {username: $u, password: $p,
        deviceId: "test"}) { __typename ... on SignInSuccess { token } } }""",
        {"u": username, "p": password},
    )
    return str(body["data"]["signIn"]["token"])


async def create_po(
    gql: Any, token: str, lines: list[dict[str, Any]], supplier: str = "SUP-ACME"
) -> dict[str, Any]:
    body = await gql(CREATE_PO, {"input": {"supplierCode": supplier, "lines": lines}}, token=token)
    result = body["data"]["createPurchaseOrder"]
    assert result["__typename"] == "PurchaseOrderSuccess", result
    return result["purchaseOrder"]  # type: ignore[no-any-return]


async def approved_po(
    gql: Any, lines: list[dict[str, Any]], supplier: str = "SUP-ACME"
) -> dict[str, Any]:
    """With no approval rule, a submitted order is approved at once."""
    admin = await gql.token("admin")
    po = await create_po(gql, admin, lines, supplier)
    body = await gql(SUBMIT_PO, {"code": po["code"]}, token=admin)
    assert body["data"]["submitPurchaseOrder"]["purchaseOrder"]["state"] == "APPROVED", body
    return po


async def start(gql: Any, token: str, **fields: Any) -> dict[str, Any]:
    body = await gql(START, {"input": {"idempotencyKey": key(), **fields}}, token=token)
    result = body["data"]["startReceipt"]
    assert result["__typename"] == "StartReceiptSuccess", result
    return result  # type: ignore[no-any-return]


async def scan(gql: Any, token: str, receipt_id: str, code: str, **fields: Any) -> dict[str, Any]:
    body = await gql(
        SCAN,
        {"input": {"receiptId": receipt_id, "code": code, "idempotencyKey": key(), **fields}},
        token=token,
    )
    assert "errors" not in body, body
    return body["data"]["scanReceive"]  # type: ignore[no-any-return]


async def close(gql: Any, token: str, receipt_id: str) -> dict[str, Any]:
    body = await gql(CLOSE, {"id": receipt_id, "key": key()}, token=token)
    result = body["data"]["closeReceipt"]
    assert result["__typename"] == "CloseReceiptSuccess", result
    return result  # type: ignore[no-any-return]


async def on_hand(
    session: AsyncSession, item_id: int, bin_id: int | None = None, status: str | None = None
) -> int:
    rows = (
        await session.scalars(
            select(m.Quant)
            .where(m.Quant.item_id == item_id)
            .execution_options(populate_existing=True)
        )
    ).all()
    await session.commit()
    return sum(
        q.on_hand
        for q in rows
        if (bin_id is None or q.bin_id == bin_id) and (status is None or q.status == status)
    )


async def fetch(session: AsyncSession, stmt: Any) -> Any:
    """One row or value, with the connection handed back to the app."""
    value = await session.scalar(stmt.execution_options(populate_existing=True))
    await session.commit()
    return value
