"""`returnableShipments`: a shipment found by its order number or tracking number, with
what each line may still return (less what earlier returns took, serials on no return)."""

from __future__ import annotations

from tests.integration.test_customer_returns import authorise, shipped

RETURNABLE = """query($code: String!) { returnableShipments(code: $code) {
  shipmentId orderId orderNumber trackingNumber customerCode
  lines { sku lotNumber shipped authorised returnable serials } } }"""


async def test_found_by_order_or_tracking_less_what_is_on_returns(gql, session):
    ctx = await shipped(gql, session)
    order = ctx["order"]
    supervisor = await gql.token("supervisor")
    by_order = (await gql(RETURNABLE, {"code": order.number.lower()}, token=supervisor))["data"]
    by_tracking = (await gql(RETURNABLE, {"code": ctx["tracking"]}, token=supervisor))["data"]
    assert by_order == by_tracking
    (found,) = by_order["returnableShipments"]
    assert found["shipmentId"] == ctx["shipment"] and found["orderNumber"] == order.number
    lines = {line["sku"].split("-")[0]: line for line in found["lines"]}
    assert lines["PHONE"]["returnable"] == 3 and lines["CASE"]["returnable"] == 4
    assert lines["PHONE"]["serials"] == ["RS-1", "RS-2", "RS-3"]

    phone_sku = lines["PHONE"]["sku"]
    made = await authorise(
        gql, supervisor, ctx["shipment"], [{"sku": phone_sku, "quantity": 1, "serials": ["RS-2"]}]
    )
    assert made["__typename"] == "CustomerReturnSuccess", made
    after = (await gql(RETURNABLE, {"code": ctx["tracking"]}, token=supervisor))["data"]
    phone = next(x for x in after["returnableShipments"][0]["lines"] if x["sku"] == phone_sku)
    assert (phone["authorised"], phone["returnable"], phone["serials"]) == (1, 2, ["RS-1", "RS-3"])

    nothing = (await gql(RETURNABLE, {"code": "NO-SUCH-ORDER"}, token=supervisor))["data"]
    assert nothing["returnableShipments"] == []
