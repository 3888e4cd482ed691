"""A web shop's order intake: the idempotency key is required and binds the body; every
state change of the order is posted, signed, to a local HTTP listener."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select

from backend.config import Settings
from backend.core.db import models as m
from backend.outbound.shipping import webhooks
from tests.integration.test_sales_order_desk import customer, priced_item

SUBMIT = """mutation($input: SubmitShopOrderInput!) { submitShopOrder(input: $input) {
  __typename ... on ShopOrderSuccess { creditHold order { id number state source channel } }
  ... on UserError { code message field } } }"""

CANCEL = """mutation($id: ID!) { cancelSalesOrder(input: {orderId: $id}) {
  __typename ... on CancelSalesOrderSuccess { order { state } }
  ... on UserError { code message } } }"""


class Listener:
    """A plain HTTP endpoint on 127.0.0.1 that keeps every request and answers 204."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        self.requests.append((headers, await reader.readexactly(int(headers["content-length"]))))
        writer.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]  # type: ignore[no-any-return]

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


def shop_input(number: str, code: str, quantity: int, idem: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "customerCode": code,
        "lines": [{"itemSku": "SHOP-1", "quantity": quantity}],
        "promisedDate": "2027-04-01",
        "shipTo": {"name": "A. Buyer", "city": "Leiden"},
    }
    if idem is not None:
        data["idempotencyKey"] = idem
    return data


async def settle(listener: Listener, count: int) -> None:
    """Wait for `count` deliveries; delivery loops still waiting out a lease are stopped."""
    for _ in range(200):
        if len(listener.requests) >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)  # the last delivery's outcome is stored
    for task in list(webhooks._tasks):
        task.cancel()


async def test_shop_intake_is_idempotent_and_every_change_is_signed(gql, session, app):
    await priced_item(session, "SHOP-1", 20, 100, 711)
    code = await customer(session, "C-SHOP")
    planner = await gql.token("planner")
    missing = await gql(SUBMIT, {"input": shop_input("WEB-1", code, 2, None)}, token=planner)
    assert "errors" in missing  # the schema itself requires the key
    listener = Listener()
    async with listener as port:
        env = {
            "WMS_ORDER_WEBHOOK_URLS": f"http://127.0.0.1:{port}/shop/hooks",
            "WMS_ORDER_WEBHOOK_SECRET": "shop-s3cret",
            "WMS_SHIPMENT_WEBHOOK_BACKOFF_S": "0",
            "WMS_SECRET_KEY": "x",
        }
        state = app.state.wms
        state.settings = replace(state.settings, shipping=Settings.from_env(env).shipping)
        first = await gql(SUBMIT, {"input": shop_input("WEB-1", code, 2, "k-web-1")}, token=planner)
        got = first["data"]["submitShopOrder"]
        assert got["__typename"] == "ShopOrderSuccess", got
        assert got["order"]["state"] == "RESERVED" and got["order"]["source"] == "SHOP"
        assert got["order"]["channel"] == "WEB" and got["creditHold"] is False
        again = await gql(SUBMIT, {"input": shop_input("WEB-1", code, 2, "k-web-1")}, token=planner)
        assert again["data"]["submitShopOrder"] == got  # the same answer, nothing new
        other = await gql(SUBMIT, {"input": shop_input("WEB-1", code, 3, "k-web-1")}, token=planner)
        assert other["data"]["submitShopOrder"]["code"] == "IDEMPOTENCY_KEY_REUSED"
        cancelled = await gql(CANCEL, {"id": got["order"]["id"]}, token=planner)
        assert cancelled["data"]["cancelSalesOrder"]["order"]["state"] == "CANCELLED"
        await settle(listener, 3)
    orders = await session.scalar(
        select(func.count(m.SalesOrder.id)).where(m.SalesOrder.number == "WEB-1")
    )
    assert orders == 1
    delivered = await session.scalar(
        select(func.count(m.ShipmentWebhook.id)).where(
            m.ShipmentWebhook.order_id == int(got["order"]["id"]),
            m.ShipmentWebhook.state == m.WebhookState.DELIVERED,
        )
    )
    await session.rollback()
    assert delivered == 3
    seen = []
    # Deliveries may overtake each other; the delivery id follows the order of the changes.
    for headers, raw in sorted(listener.requests, key=lambda r: int(r[0]["x-wms-delivery"])):
        # What a receiver does: HMAC-SHA256 of the raw body with the shared secret.
        expected = "sha256=" + hmac.new(b"shop-s3cret", raw, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(expected, headers["x-wms-signature"])
        event = json.loads(raw)
        assert event["sentAt"] == headers["x-wms-timestamp"]
        assert abs(int(headers["x-wms-timestamp"]) - time.time()) < 60
        assert headers["x-wms-event"] == "order"
        seen.append((event["change"], event["order"]["previousState"], event["order"]["state"]))
    assert seen == [
        ("created", None, "NEW"),
        ("state", "NEW", "RESERVED"),
        ("state", "RESERVED", "CANCELLED"),
    ]
    # A forged body fails the same check.
    headers, raw = listener.requests[0]
    forged = raw.replace(b"NEW", b"OLD")
    expected = "sha256=" + hmac.new(b"shop-s3cret", forged, hashlib.sha256).hexdigest()
    assert not hmac.compare_digest(expected, headers["x-wms-signature"])


async def test_an_order_webhook_that_gives_up_is_in_the_inbox(gql, session, app):
    await priced_item(session, "SHOP-2", 5, 100, 712)
    code = await customer(session, "C-SHOP-2")
    listener = Listener()
    async with listener as port:
        pass  # the port is closed now: every delivery fails
    env = {
        "WMS_ORDER_WEBHOOK_URLS": f"http://127.0.0.1:{port}/gone",
        "WMS_ORDER_WEBHOOK_SECRET": "shop-s3cret",
        "WMS_SHIPMENT_WEBHOOK_ATTEMPTS": "1",
        "WMS_SECRET_KEY": "x",
    }
    state = app.state.wms
    state.settings = replace(state.settings, shipping=Settings.from_env(env).shipping)
    planner = await gql.token("planner")
    data = shop_input("WEB-GONE", code, 1, "k-web-gone")
    data["lines"][0]["itemSku"] = "SHOP-2"
    sent = await gql(SUBMIT, {"input": data}, token=planner)
    assert sent["data"]["submitShopOrder"]["__typename"] == "ShopOrderSuccess", sent
    await asyncio.wait_for(asyncio.gather(*list(webhooks._tasks)), 20)
    supervisor = await gql.token("supervisor")
    body = await gql(
        "query { exceptionInbox(kinds: [WEBHOOK_FAILED]) { items { kind reference title } } }",
        token=supervisor,
    )
    failed = [i for i in body["data"]["exceptionInbox"]["items"] if i["reference"] == "WEB-GONE"]
    assert len(failed) == 2 and failed[0]["title"].startswith("Order WEB-GONE not told to")


async def test_a_released_wave_tells_the_shop(gql, session, app):
    from tests.integration.test_wave import create_wave, release

    await priced_item(session, "SHOP-3", 10, 100, 713)
    code = await customer(session, "C-SHOP-3")
    listener = Listener()
    async with listener as port:
        env = {
            "WMS_ORDER_WEBHOOK_URLS": f"http://127.0.0.1:{port}/shop",
            "WMS_ORDER_WEBHOOK_SECRET": "shop-s3cret",
            "WMS_SHIPMENT_WEBHOOK_BACKOFF_S": "0",
            "WMS_SECRET_KEY": "x",
        }
        state = app.state.wms
        state.settings = replace(state.settings, shipping=Settings.from_env(env).shipping)
        planner = await gql.token("planner")
        data = shop_input("WEB-WAVE", code, 2, "k-web-wave")
        data["lines"][0]["itemSku"] = "SHOP-3"
        sent = await gql(SUBMIT, {"input": data}, token=planner)
        order_id = sent["data"]["submitShopOrder"]["order"]["id"]
        created = await create_wave(gql, planner, [order_id], totes=2)
        released = await release(gql, planner, created["wave"]["id"])
        assert released["wave"]["state"] == "RELEASED", released
        rows = list(
            await session.scalars(
                select(m.ShipmentWebhook.payload)
                .where(m.ShipmentWebhook.order_id == int(order_id))
                .order_by(m.ShipmentWebhook.id)
            )
        )
        await session.rollback()
        await settle(listener, 3)
    assert [(p["order"]["previousState"], p["order"]["state"]) for p in rows] == [
        (None, "NEW"),
        ("NEW", "RESERVED"),
        ("RESERVED", "RELEASED"),
    ]
