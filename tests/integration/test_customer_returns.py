"""Customer returns through the API: ship → authorise → receive on the handheld → restock
one unit, scrap one → the ledger and the serial register agree, and the credit goes out
signed by webhook. Refusals (more than shipped, a serial that never left, deciding a
unit twice, another warehouse) change nothing."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from backend.config import Settings
from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.helpers import pick_face_bin
from tests.integration.test_inbound_scope import second_warehouse
from tests.integration.test_inbound_support import sign_in
from tests.integration.test_packing import Article, pack_completely, picked_order
from tests.integration.test_shipping import SHIP, HookReceiver, ship_vars

RETURN_FIELDS = """id number state orderNumber trackingNumber receiptId creditReference
  lines { id sku quantity received serials }
  units { id sku serial status disposition binCode toBinCode }"""

AUTHORISE = f"""mutation($input: AuthoriseReturnInput!) {{ authoriseReturn(input: $input) {{
  __typename ... on CustomerReturnSuccess {{ customerReturn {{ {RETURN_FIELDS} }} }}
  ... on UserError {{ code message field }} }} }}"""

RECEIVE = f"""mutation($input: ReceiveReturnInput!) {{ receiveReturn(input: $input) {{
  __typename ... on ReceiveReturnSuccess {{ sku quantity serial status
    customerReturn {{ {RETURN_FIELDS} }} }}
  ... on UserError {{ code message field }} }} }}"""

DECIDE = f"""mutation($input: DecideReturnUnitInput!) {{ decideReturnUnit(input: $input) {{
  __typename ... on DecideReturnUnitSuccess {{ credited unit {{ id disposition toBinCode }}
    customerReturn {{ {RETURN_FIELDS} }} }}
  ... on UserError {{ code message field }} }} }}"""

FIND = f"""query($code: String) {{ customerReturns(code: $code) {{ {RETURN_FIELDS} }} }}"""

SERIALS = ("RS-1", "RS-2", "RS-3")
ARTICLES = (Article("PHONE", 3, "SERIAL", serials=SERIALS), Article("CASE", 4))


async def shipped(gql: Any, session: Any) -> dict[str, Any]:
    order = await picked_order(session, *ARTICLES)
    phone = order.item_ids["PHONE"]
    session.add_all(m.SerialNumber(item_id=phone, serial=s) for s in (*SERIALS, "RS-HOME"))
    await session.commit()
    await pack_completely(gql, await gql.token("packer"), order, ARTICLES)
    body = await gql(SHIP, ship_vars([order.order_id]), token=await gql.token("shipper"))
    shipment = body["data"]["ship"]["shipment"]
    await session.rollback()
    return {"order": order, "shipment": shipment["id"], "tracking": shipment["trackingNumber"]}


async def authorise(gql: Any, token: str, shipment: str, lines: list[dict[str, Any]]) -> Any:
    body = await gql(
        AUTHORISE,
        {
            "input": {
                "shipmentId": shipment,
                "lines": lines,
                "reason": "Wrong colour",
                "idempotencyKey": key(),
            }
        },
        token=token,
    )
    return body["data"]["authoriseReturn"]


async def receive(gql: Any, token: str, return_id: str, code: str, **extra: Any) -> Any:
    body = await gql(
        RECEIVE,
        {"input": {"returnId": return_id, "code": code, "idempotencyKey": key(), **extra}},
        token=token,
    )
    return body["data"]["receiveReturn"]


async def decide(gql: Any, token: str, unit: str, disposition: str, **extra: Any) -> Any:
    body = await gql(
        DECIDE,
        {"input": {"unitId": unit, "disposition": disposition, "idempotencyKey": key(), **extra}},
        token=token,
    )
    return body["data"]["decideReturnUnit"]


async def serial_states(session: Any, item_id: int) -> dict[str, str]:
    await session.rollback()
    rows = await session.execute(
        select(m.SerialNumber.serial, m.SerialNumber.state).where(m.SerialNumber.item_id == item_id)
    )
    states = dict(rows.all())
    await session.rollback()  # one pooled connection on SQLite: free it for the API
    return states


async def on_hand(session: Any, item_id: int, status: str | None = None) -> int:
    stmt = select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(m.Quant.item_id == item_id)
    if status:
        stmt = stmt.where(m.Quant.status == status)
    total = int(await session.scalar(stmt))
    await session.rollback()
    return total


async def test_return_journey_restock_one_scrap_one(gql, session, app):
    from backend.notify.webhook_http import verify
    from backend.outbound.shipping import webhooks

    ctx = await shipped(gql, session)
    order = ctx["order"]
    phone, gtin = order.item_ids["PHONE"], order.gtins["PHONE"]
    assert (await serial_states(session, phone))["RS-1"] == "SHIPPED"
    before = await on_hand(session, phone)
    supervisor = await gql.token("supervisor")
    made = await authorise(
        gql,
        supervisor,
        ctx["shipment"],
        [
            {
                "sku": f"PHONE-{order.number.removeprefix('SO-T')}",
                "quantity": 2,
                "serials": ["RS-1", "RS-2"],
            }
        ],
    )
    assert made["__typename"] == "CustomerReturnSuccess", made
    rma = made["customerReturn"]
    assert rma["state"] == "AUTHORISED" and rma["number"].startswith("RMA-")
    assert rma["trackingNumber"] == ctx["tracking"]

    # The handheld finds the return by its label or by the order's number.
    receiver = await gql.token("receiver")
    for code in (rma["number"], order.number):
        found = (await gql(FIND, {"code": code}, token=receiver))["data"]["customerReturns"]
        assert [r["id"] for r in found] == [rma["id"]]
    not_authorised = await receive(gql, receiver, rma["id"], f"(01){gtin}(21)RS-3")
    assert not_authorised["code"] == "WRONG_SERIAL"
    for serial in ("RS-1", "RS-2"):
        got = await receive(gql, receiver, rma["id"], f"(01){gtin}(21){serial}")
        assert got["__typename"] == "ReceiveReturnSuccess", got
        assert got["status"] == "QUARANTINE"
    rma = got["customerReturn"]
    assert rma["state"] == "RECEIVED" and rma["lines"][0]["received"] == 2
    assert (await serial_states(session, phone))["RS-1"] == "IN_STOCK"
    receipt = await session.get(m.Receipt, int(rma["receiptId"]))
    assert receipt is not None and receipt.kind == "RETURN" and receipt.state == "CLOSED"
    await session.rollback()
    assert await on_hand(session, phone, "QUARANTINE") == 2

    units = {u["serial"]: u["id"] for u in rma["units"]}
    shelf = await pick_face_bin(session)
    shelf_id, shelf_code = shelf.id, shelf.code
    await session.rollback()
    hooks = HookReceiver()
    async with hooks as port:
        env = {
            "WMS_SHIPMENT_WEBHOOK_URLS": f"http://127.0.0.1:{port}/hooks",
            "WMS_SHIPMENT_WEBHOOK_SECRET": "s3cret",
            "WMS_SHIPMENT_WEBHOOK_BACKOFF_S": "0",
            "WMS_SECRET_KEY": "x",
        }
        state = app.state.wms
        state.settings = replace(state.settings, shipping=Settings.from_env(env).shipping)
        no_bin = await decide(gql, receiver, units["RS-1"], "RESTOCK")
        assert no_bin["code"] == "BIN_NOT_FOUND"
        restocked = await decide(gql, receiver, units["RS-1"], "RESTOCK", binCode=shelf_code)
        assert restocked["__typename"] == "DecideReturnUnitSuccess", restocked
        assert restocked["unit"]["toBinCode"] == shelf_code and not restocked["credited"]
        twice = await decide(gql, receiver, units["RS-1"], "SCRAP")
        assert twice["code"] == "ALREADY_DECIDED"
        scrapped = await decide(gql, receiver, units["RS-2"], "SCRAP", note="Screen cracked")
        assert scrapped["credited"] is True, scrapped
        done = scrapped["customerReturn"]
        assert done["state"] == "CREDITED" and done["creditReference"].startswith("CR-")
        await asyncio.wait_for(asyncio.gather(*list(webhooks._tasks)), 20)

    # The ledger and the serial register agree: one back on the shelf, one written off.
    await session.rollback()
    assert await serial_states(session, phone) == {
        "RS-1": "IN_STOCK",
        "RS-2": "SCRAPPED",
        "RS-3": "SHIPPED",
        "RS-HOME": "IN_STOCK",
    }
    assert await on_hand(session, phone) == before + 1
    assert await on_hand(session, phone, "QUARANTINE") == 0
    on_shelf = await session.scalar(
        select(m.Quant.on_hand).where(
            m.Quant.item_id == phone, m.Quant.bin_id == shelf_id, m.Quant.status == "AVAILABLE"
        )
    )
    assert on_shelf is not None and on_shelf >= 1
    reasons = (
        await session.execute(
            select(m.StockMove.reason, func.sum(m.StockMove.quantity))
            .where(m.StockMove.item_id == phone, m.StockMove.reference == done["number"])
            .group_by(m.StockMove.reason)
        )
    ).all()
    assert dict(reasons) == {"PUTAWAY": 1, "SCRAP": 1}
    assert await ledger_mismatches(session) == []
    # The credit went out signed (retried once after the receiver's first 500).
    assert len(hooks.requests) == 2
    headers, raw = hooks.requests[-1]
    assert verify("s3cret", raw, headers["x-wms-signature"]) and headers["x-wms-event"] == "return"
    event = json.loads(raw)["return"]
    assert event["creditReference"] == done["creditReference"]
    assert event["lines"][0]["dispositions"] == {"RESTOCK": 1, "SCRAP": 1}


async def test_refusals_change_nothing(gql, session):
    ctx = await shipped(gql, session)
    order = ctx["order"]
    tag = order.number.removeprefix("SO-T")
    supervisor = await gql.token("supervisor")
    too_many = await authorise(
        gql, supervisor, ctx["shipment"], [{"sku": f"CASE-{tag}", "quantity": 5}]
    )
    assert too_many["code"] == "RETURN_EXCEEDS_SHIPPED", too_many
    stayed_home = await authorise(
        gql,
        supervisor,
        ctx["shipment"],
        [{"sku": f"PHONE-{tag}", "quantity": 1, "serials": ["RS-HOME"]}],
    )
    assert stayed_home["code"] == "SERIAL_NOT_SHIPPED", stayed_home
    unknown = await authorise(
        gql,
        supervisor,
        ctx["shipment"],
        [{"sku": f"PHONE-{tag}", "quantity": 1, "serials": ["NEVER-MADE"]}],
    )
    assert unknown["code"] == "SERIAL_NOT_SHIPPED"
    await session.rollback()
    assert await session.scalar(select(func.count(m.CustomerReturn.id))) == 0
    await session.rollback()

    # Three now and one later is every case shipped; a fifth is refused.
    first = await authorise(
        gql, supervisor, ctx["shipment"], [{"sku": f"CASE-{tag}", "quantity": 3}]
    )
    assert first["__typename"] == "CustomerReturnSuccess"
    again = await authorise(
        gql, supervisor, ctx["shipment"], [{"sku": f"CASE-{tag}", "quantity": 2}]
    )
    assert again["code"] == "RETURN_EXCEEDS_SHIPPED"
    assert "at most 1 more" in again["message"]
    rma = first["customerReturn"]

    receiver = await gql.token("receiver")
    over = await receive(gql, receiver, rma["id"], order.gtins["CASE"], quantity=4)
    assert over["code"] == "OVER_RECEIPT"
    wrong = await receive(gql, receiver, rma["id"], order.gtins["PHONE"], serialNumber="RS-1")
    assert wrong["code"] == "NOT_ON_RETURN"
    await session.rollback()
    assert await session.scalar(select(func.count(m.ReturnUnit.id))) == 0
    assert (await session.get(m.CustomerReturn, int(rma["id"]))).receipt_id is None  # type: ignore[union-attr]
    await session.rollback()

    # Another warehouse's supervisor neither sees nor touches it.
    _, _, password = await second_warehouse(session)
    there = await sign_in(gql, "elsewhere", password)
    assert (await gql(FIND, {"code": rma["number"]}, token=there))["data"]["customerReturns"] == []
    foreign = await authorise(gql, there, ctx["shipment"], [{"sku": f"CASE-{tag}", "quantity": 1}])
    assert foreign["code"] == "SHIPMENT_NOT_FOUND"
    got = await receive(gql, receiver, rma["id"], order.gtins["CASE"], quantity=3)
    assert got["__typename"] == "ReceiveReturnSuccess", got
    unit = got["customerReturn"]["units"][0]["id"]
    refused = await decide(gql, there, unit, "SCRAP")
    assert refused["code"] == "RETURN_NOT_FOUND"
    await session.rollback()
    decided = await session.scalar(
        select(func.count(m.ReturnUnit.id)).where(m.ReturnUnit.disposition.is_not(None))
    )
    assert decided == 0
    assert await ledger_mismatches(session) == []
