"""Ship exactly once; labels of a real shipment scan back; PDFs need a token and a permission."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from backend.config import Settings
from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.outbound.shipping.carriers import is_valid_own_fleet_number
from tests.integration.conftest import key
from tests.integration.test_packing import Article, pack_completely, picked_order
from tests.unit.test_printing_render import decode_pages, pdf_text

SHIP = """mutation($orders: [ID!]!, $carrier: String!, $service: String, $tracking: String,
                  $key: String!) {
  ship(input: {orderIds: $orders, carrierCode: $carrier, service: $service,
               trackingNumber: $tracking, idempotencyKey: $key}) {
    __typename
    ... on ShipSuccess { shipment { id trackingNumber waybillNo carrierCode service orderRefs
        labelsUrl waybillUrl cartons { id sscc labelUrl } } }
    ... on UserError { code message field }
  }
}"""

ARTICLES = (Article("A", 3), Article("B", 2, "LOT", lot="L-5"))


async def packed_order(gql, session, articles=ARTICLES):  # type: ignore[no-untyped-def]
    order = await picked_order(session, *articles)
    closed = await pack_completely(gql, await gql.token("packer"), order, articles)
    return order, closed


def ship_vars(order_ids, carrier="OWN", **extra):  # type: ignore[no-untyped-def]
    return {"orders": [str(o) for o in order_ids], "carrier": carrier, "key": key(), **extra}


async def shipped_units(session, item_ids) -> int:  # type: ignore[no-untyped-def]
    total = await session.scalar(
        select(func.coalesce(func.sum(m.StockMove.quantity), 0)).where(
            m.StockMove.reason == m.MoveReason.SHIP, m.StockMove.item_id.in_(item_ids)
        )
    )
    return int(total)


async def test_ship_takes_stock_out_once_and_marks_the_order_shipped(gql, session):
    order, _closed = await packed_order(gql, session)
    token = await gql.token("shipper")
    result = (await gql(SHIP, ship_vars([order.order_id]), token=token))["data"]["ship"]
    assert result["__typename"] == "ShipSuccess", result
    shipment = result["shipment"]
    assert is_valid_own_fleet_number(shipment["trackingNumber"])
    assert shipment["orderRefs"] == [order.number] and shipment["service"] == "SAME_DAY"
    assert await shipped_units(session, order.item_ids.values()) == 5
    row = await session.get(m.SalesOrder, order.order_id)
    assert row is not None and row.state == "SHIPPED"
    dock_left = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand), 0))
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == m.ZoneKind.SHIPPING, m.Quant.item_id.in_(order.item_ids.values()))
    )
    assert dock_left == 0
    assert await ledger_mismatches(session) == []
    await session.rollback()
    # A second confirmation with a new key: typed error, nothing moves again.
    again = (await gql(SHIP, ship_vars([order.order_id]), token=token))["data"]["ship"]
    assert (again["__typename"], again["code"]) == ("StateError", "ALREADY_SHIPPED")
    assert await shipped_units(session, order.item_ids.values()) == 5


async def test_a_replayed_ship_returns_the_first_answer(gql, session):
    order, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    variables = ship_vars([order.order_id])
    first = await gql(SHIP, variables, token=token)
    replay = await gql(SHIP, variables, token=token)
    assert first["data"]["ship"]["__typename"] == "ShipSuccess"
    assert first == replay
    assert await shipped_units(session, order.item_ids.values()) == 5
    assert await session.scalar(select(func.count()).select_from(m.Shipment)) == 1


@pytest.mark.parametrize("same_key", [False, True])
async def test_concurrent_ships_of_one_order_ship_once(gql, session, same_key):
    order, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    shared = ship_vars([order.order_id])
    results = await asyncio.gather(
        *[
            gql(SHIP, shared if same_key else ship_vars([order.order_id]), token=token)
            for _ in range(6)
        ]
    )
    outcomes = [r["data"]["ship"] for r in results]
    won = [o for o in outcomes if o["__typename"] == "ShipSuccess"]
    if same_key:
        assert len(won) == 6 and len({o["shipment"]["id"] for o in won}) == 1
    else:
        assert len(won) == 1
        assert {o["code"] for o in outcomes if o not in won} == {"ALREADY_SHIPPED"}
    assert await shipped_units(session, order.item_ids.values()) == 5
    assert await session.scalar(select(func.count()).select_from(m.ShipmentOrder)) == 1
    assert await ledger_mismatches(session) == []


async def test_unpacked_unknown_and_bad_requests_are_refused(gql, session):
    token = await gql.token("shipper")
    unpacked = await picked_order(session, Article("A", 1))
    cases = [
        (ship_vars([unpacked.order_id]), "ORDER_NOT_PACKED"),
        (ship_vars([987654]), "ORDER_NOT_FOUND"),
        (ship_vars([]), "INVALID_INPUT"),
        (ship_vars(["x"]), "INVALID_INPUT"),
        (ship_vars([unpacked.order_id], carrier="NOPE"), "CARRIER_NOT_FOUND"),
        (ship_vars([unpacked.order_id], service="SPACE"), "INVALID_INPUT"),
    ]
    for variables, code in cases:
        body = await gql(SHIP, variables, token=token)
        assert body["data"]["ship"]["code"] == code, (variables, body)
    packer = await gql.token("packer")
    denied = await gql(SHIP, ship_vars([unpacked.order_id]), token=packer)
    assert denied["data"]["ship"]["__typename"] == "PermissionDenied"
    assert await session.scalar(select(func.count()).select_from(m.Shipment)) == 0


async def test_manual_carrier_needs_an_unused_tracking_number(gql, session):
    first, _ = await packed_order(gql, session)
    second, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    missing = await gql(SHIP, ship_vars([first.order_id], carrier="POST"), token=token)
    assert missing["data"]["ship"]["code"] == "TRACKING_NUMBER_REQUIRED"
    ok = await gql(
        SHIP, ship_vars([first.order_id], carrier="POST", tracking="rr123456785nl"), token=token
    )
    assert ok["data"]["ship"]["shipment"]["trackingNumber"] == "RR123456785NL"
    reused = await gql(
        SHIP, ship_vars([second.order_id], carrier="POST", tracking="RR123456785NL"), token=token
    )
    assert reused["data"]["ship"]["code"] == "TRACKING_NUMBER_USED"
    assert await shipped_units(session, second.item_ids.values()) == 0


async def test_one_pickup_ships_several_orders(gql, session):
    first, _ = await packed_order(gql, session)
    second, _ = await packed_order(gql, session, (Article("C", 1),))
    token = await gql.token("shipper")
    body = await gql(
        SHIP, ship_vars([first.order_id, second.order_id], service="NEXT_DAY"), token=token
    )
    shipment = body["data"]["ship"]["shipment"]
    assert sorted(shipment["orderRefs"]) == sorted([first.number, second.number])
    assert len(shipment["cartons"]) == 2


async def test_shipping_labels_of_a_real_shipment_scan_back(gql, session, client, tmp_path):
    order, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    shipment = (await gql(SHIP, ship_vars([order.order_id]), token=token))["data"]["ship"][
        "shipment"
    ]
    [carton] = shipment["cartons"]
    response = await client.get(carton["labelUrl"], headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    [symbols] = decode_pages(response.content, tmp_path)
    texts = {(s.kind, s.gs1): s.text for s in symbols}
    assert texts[("CODE-128", True)] == "00" + carton["sscc"]
    assert texts[("CODE-128", False)] == shipment["trackingNumber"]
    assert texts[("QR-Code", False)] == shipment["trackingNumber"]

    waybill = await client.get(shipment["waybillUrl"], headers={"authorization": f"Bearer {token}"})
    assert waybill.status_code == 200
    text = pdf_text(waybill.content, tmp_path)
    assert shipment["waybillNo"] in text and order.number in text and "L-5" in text


async def test_document_url_refuses_without_token_or_permission(gql, session, client):
    _order, closed = await packed_order(gql, session)
    url = closed["carton"]["labelUrl"]
    assert (await client.get(url)).status_code == 401
    bad = await client.get(url, headers={"authorization": "Bearer forged.token"})
    assert bad.status_code == 401
    viewer = await gql.token("viewer")
    denied = await client.get(url, headers={"authorization": f"Bearer {viewer}"})
    assert denied.status_code == 403 and denied.json()["code"] == "PERMISSION_DENIED"
    packer = await gql.token("packer")
    headers = {"authorization": f"Bearer {packer}"}
    ok = await client.get(url, headers=headers)
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF")
    assert (
        await client.get("/documents/carton_label/999999.pdf", headers=headers)
    ).status_code == 404
    assert (await client.get("/documents/nonsense/1.pdf", headers=headers)).status_code == 400
    assert (await client.get("/documents/waybill/wave-1.pdf", headers=headers)).status_code == 400
    # Not shipped yet: no shipping label.
    early = await client.get(
        f"/documents/shipping_label/{closed['carton']['id']}.pdf", headers=headers
    )
    assert early.status_code == 404 and early.json()["code"] == "DOCUMENT_NOT_FOUND"
    slip = await client.get(closed["session"]["packingSlipUrl"], headers=headers)
    assert slip.status_code == 200, slip.text


async def test_a_wave_labels_print_as_one_document(gql, session, client, tmp_path):
    first = await picked_order(session, Article("A", 2))
    second = await picked_order(session, Article("B", 1), wave_id=first.wave_id)
    packer = await gql.token("packer")
    for order, article in ((first, Article("A", 2)), (second, Article("B", 1))):
        await pack_completely(gql, packer, order, (article,))
    token = await gql.token("shipper")
    body = await gql(SHIP, ship_vars([first.order_id, second.order_id]), token=token)
    shipment = body["data"]["ship"]["shipment"]
    response = await client.get(
        f"/documents/shipping_label/wave-{first.wave_id}.pdf",
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    pages = decode_pages(response.content, tmp_path)
    assert len(pages) == 2  # one document, one label a page
    read = sorted(s.text for page in pages for s in page if s.gs1)
    assert read == sorted("00" + c["sscc"] for c in shipment["cartons"])


class HookReceiver:
    """A tiny HTTP endpoint on 127.0.0.1: fails the first request with 500, then accepts."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.server: asyncio.Server | None = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        body = await reader.readexactly(int(headers["content-length"]))
        self.requests.append((headers, body))
        status = "500 Oops" if len(self.requests) == 1 else "204 No Content"
        writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 0\r\n\r\n".encode())
        await writer.drain()
        writer.close()

    async def __aenter__(self) -> int:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self.server.sockets[0].getsockname()[1]  # type: ignore[no-any-return]

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


async def test_shipment_webhook_is_signed_retried_and_logged(gql, session, app):
    from backend.notify.webhook_http import verify
    from backend.outbound.shipping import webhooks

    order, _ = await packed_order(gql, session)
    await session.rollback()
    receiver = HookReceiver()
    async with receiver as port:
        env = {
            "WMS_SHIPMENT_WEBHOOK_URLS": f"http://127.0.0.1:{port}/hooks/wms",
            "WMS_SHIPMENT_WEBHOOK_SECRET": "s3cret",
            "WMS_SHIPMENT_WEBHOOK_BACKOFF_S": "0",
            "WMS_SECRET_KEY": "x",
        }
        state = app.state.wms
        state.settings = replace(state.settings, shipping=Settings.from_env(env).shipping)
        token = await gql.token("shipper")
        body = await gql(SHIP, ship_vars([order.order_id]), token=token)
        tracking = body["data"]["ship"]["shipment"]["trackingNumber"]
        await asyncio.wait_for(asyncio.gather(*list(webhooks._tasks)), 20)
    assert len(receiver.requests) == 2
    for headers, raw in receiver.requests:
        assert verify("s3cret", raw, headers["x-wms-signature"])
        assert json.loads(raw)["shipment"]["trackingNumber"] == tracking
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same event, sent again
    hook = await session.scalar(select(m.ShipmentWebhook))
    assert hook is not None and hook.state == "DELIVERED" and hook.attempts == 2
    attempts = (
        await session.scalars(
            select(m.ShipmentWebhookAttempt).order_by(m.ShipmentWebhookAttempt.attempt)
        )
    ).all()
    assert [(a.ok, a.status_code) for a in attempts] == [(False, 500), (True, 204)]
