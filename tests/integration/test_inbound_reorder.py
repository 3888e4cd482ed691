"""Purchase suggestions become draft orders: open orders netted, whole cases, one per supplier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.helpers import item_with_demand
from tests.integration.test_inbound_support import SUBMIT_PO, create_po

DRAFT = """mutation($input: DraftPurchaseOrdersInput!) { draftPurchaseOrders(input: $input) {
  __typename ... on DraftPurchaseOrdersSuccess {
    purchaseOrders { code state supplierCode note lines { itemSku orderedUnits quantity } }
    skipped { sku suggested onOrder reason } }
  ... on UserError { code message field } } }"""

CASE = 12


async def draft(gql: Any, token: str, **fields: Any) -> Any:
    body = await gql(
        DRAFT, {"input": {"idempotencyKey": key(), "windowDays": 5, **fields}}, token=token
    )
    assert "errors" not in body, body
    return body["data"]["draftPurchaseOrders"]


def lines_of(result: Any, sku: str) -> list[tuple[str, dict[str, Any]]]:
    return [
        (po["code"], line)
        for po in result["purchaseOrders"]
        for line in po["lines"]
        if line["itemSku"] == sku
    ]


async def test_suggestions_become_draft_orders_net_of_what_is_on_order(gql, session):
    await item_with_demand(session, "BUY-2", unit_cost_cents=150, case=CASE)
    buyer = await gql.token("supervisor")
    policy = await gql(
        """mutation { setReorderPolicy(input: {itemSku: "BUY-2", supplierCode: "SUP-ACME",
        leadTimeDays: 4, serviceLevel: 0.95, orderCycleDays: 14}) { __typename } }""",
        token=buyer,
    )
    assert policy["data"]["setReorderPolicy"]["__typename"] == "ReorderPolicySuccess"
    suggested = await gql(
        """query { purchaseSuggestions(warehouseId: "1", windowDays: 5) { sku quantity } }""",
        token=buyer,
    )
    [want] = [
        s["quantity"] for s in suggested["data"]["purchaseSuggestions"] if s["sku"] == "BUY-2"
    ]

    # 60 units already on an order: only the rest is drafted, in whole cases.
    await create_po(gql, buyer, [{"itemSku": "BUY-2", "quantity": 60, "unitPriceCents": 150}])
    first = await draft(gql, buyer)
    assert first["__typename"] == "DraftPurchaseOrdersSuccess", first
    [(code, line)] = lines_of(first, "BUY-2")
    cases = -(-(want - 60) // CASE)
    assert line == {"itemSku": "BUY-2", "orderedUnits": cases, "quantity": cases * CASE}
    po = next(p for p in first["purchaseOrders"] if p["code"] == code)
    assert po["state"] == "DRAFT" and po["supplierCode"] == "SUP-ACME"
    assert "open orders netted" in po["note"]

    # Run again: the drafts count as on order, so nothing more is ordered for BUY-2.
    again = await draft(gql, buyer)
    assert lines_of(again, "BUY-2") == []
    [skip] = [s for s in again["skipped"] if s["sku"] == "BUY-2"]
    assert skip["reason"] == "ON_ORDER" and skip["onOrder"] == 60 + cases * CASE

    # The buyer submits the draft: the usual approval rules apply from here.
    submitted = await gql(SUBMIT_PO, {"code": code}, token=buyer)
    state = submitted["data"]["submitPurchaseOrder"]["purchaseOrder"]["state"]
    assert state in ("SUBMITTED", "APPROVED")


async def test_drafting_refuses_bad_input_and_filters_by_supplier(gql, session):
    await item_with_demand(session, "BUY-2", unit_cost_cents=150, case=CASE)
    buyer = await gql.token("supervisor")
    await gql(
        """mutation { setReorderPolicy(input: {itemSku: "BUY-2", supplierCode: "SUP-ACME",
        leadTimeDays: 4}) { __typename } }""",
        token=buyer,
    )
    before = await session.scalar(select(func.count()).select_from(m.PurchaseOrder))
    await session.commit()
    assert (await draft(gql, buyer, supplierCode="SUP-NOPE"))["code"] == "SUPPLIER_NOT_FOUND"
    assert (await draft(gql, buyer, serviceLevel=1.5))["code"] == "INVALID_INPUT"
    assert (await draft(gql, buyer, windowDays=0))["code"] == "INVALID_INPUT"
    picker = await draft(gql, await gql.token("picker"))
    assert picker["__typename"] == "PermissionDenied"
    after = await session.scalar(select(func.count()).select_from(m.PurchaseOrder))
    await session.commit()
    assert after == before  # nothing drafted by a refused request
    other = await draft(gql, buyer, supplierCode="SUP-VOLT")
    assert lines_of(other, "BUY-2") == []
    assert [s["reason"] for s in other["skipped"] if s["sku"] == "BUY-2"] == ["OTHER_SUPPLIER"]
    assert all(p["supplierCode"] == "SUP-VOLT" for p in other["purchaseOrders"])
