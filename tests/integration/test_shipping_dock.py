"""The shipper's dock: a packed order is found by its carton's SSCC label, its code or
its tote, is listed as ready to ship with its carrier, and refusals say why."""

from __future__ import annotations

from sqlalchemy import select

from backend.core.db import models as m
from tests.integration.test_packing import picked_order
from tests.integration.test_shipping import ARTICLES, SHIP, packed_order, ship_vars

DOCK = """query($code: String!) { dockOrder(code: $code) { __typename
  ... on PackedOrder { orderId orderRef carrierCode cartons { sscc labelUrl } }
  ... on UserError { code message field } } }"""

READY = """query($carrier: String, $wh: ID) { readyToShip(first: 100, carrierCode: $carrier,
  warehouseId: $wh) { edges { node { orderId orderRef carrierCode carrierName
  cartons { sscc } } } } }"""


async def _with_carrier(session, order_id: int, code: str) -> None:  # type: ignore[no-untyped-def]
    carrier_id = await session.scalar(select(m.Carrier.id).where(m.Carrier.code == code))
    row = await session.get(m.SalesOrder, order_id)
    row.carrier_id = carrier_id
    await session.commit()


async def test_a_packed_order_is_found_by_carton_label_code_and_tote(gql, session):
    order, closed = await packed_order(gql, session)
    await _with_carrier(session, order.order_id, "OWN")
    sscc = closed["carton"]["sscc"]
    token = await gql.token("shipper")
    for code in (f"(00){sscc}", f"00{sscc}", f"]C100{sscc}", sscc, order.tote, order.number):
        found = (await gql(DOCK, {"code": code}, token=token))["data"]["dockOrder"]
        assert found["__typename"] == "PackedOrder", (code, found)
        assert found["orderRef"] == order.number and found["carrierCode"] == "OWN"
        assert [c["sscc"] for c in found["cartons"]] == [sscc]
    ready = (await gql(READY, {"carrier": "own"}, token=token))["data"]["readyToShip"]
    nodes = [e["node"] for e in ready["edges"]]
    assert [n["orderRef"] for n in nodes if n["orderId"] == str(order.order_id)] == [order.number]
    other = (await gql(READY, {"carrier": "NOPE"}, token=token))["data"]["readyToShip"]
    assert other["edges"] == []


async def test_the_dock_says_why_a_scan_names_nothing_to_ship(gql, session):
    token = await gql.token("shipper")
    picked = await picked_order(session, *ARTICLES)
    not_packed = (await gql(DOCK, {"code": picked.tote}, token=token))["data"]["dockOrder"]
    assert (not_packed["__typename"], not_packed["code"]) == ("StateError", "ORDER_NOT_PACKED")
    assert picked.number in not_packed["message"]
    article = (await gql(DOCK, {"code": picked.gtins["A"]}, token=token))["data"]["dockOrder"]
    assert (article["__typename"], article["code"]) == ("ScanError", "SCAN_WRONG_KIND")
    unknown = (await gql(DOCK, {"code": "(00)106141419999999996"}, token=token))["data"]
    assert unknown["dockOrder"]["code"] == "ORDER_NOT_FOUND"
    order, closed = await packed_order(gql, session)
    shipped = (await gql(SHIP, ship_vars([order.order_id]), token=token))["data"]["ship"]
    assert shipped["__typename"] == "ShipSuccess", shipped
    again = (await gql(DOCK, {"code": f"(00){closed['carton']['sscc']}"}, token=token))["data"]
    assert (again["dockOrder"]["__typename"], again["dockOrder"]["code"]) == (
        "StateError",
        "ALREADY_SHIPPED",
    )
    ready = (await gql(READY, {}, token=token))["data"]["readyToShip"]["edges"]
    assert str(order.order_id) not in [e["node"]["orderId"] for e in ready]


async def test_ready_to_ship_keeps_to_the_callers_warehouses(gql, session):
    order, _ = await packed_order(gql, session)
    token = await gql.token("shipper")
    mine = (await gql(READY, {}, token=token))["data"]["readyToShip"]["edges"]
    assert str(order.order_id) in [e["node"]["orderId"] for e in mine]
    elsewhere = (await gql(READY, {"wh": "999999"}, token=token))["data"]["readyToShip"]
    assert elsewhere["edges"] == []
    # The packer packs; only a shipper (or supervisor) reads the dock.
    packer = await gql.token("packer")
    refused = await gql(DOCK, {"code": order.number}, token=packer)
    assert refused.get("errors"), refused
