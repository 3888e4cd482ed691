"""Purchase suggestions become draft orders: open orders netted, whole cases, one per supplier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from backend.analytics.aggregates import refresh
from backend.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move
from tests.integration.conftest import key
from tests.integration.test_inbound_support import SUBMIT_PO, create_po

DRAFT = """mutation($input: DraftPurchaseOrdersInput!) { draftPurchaseOrders(input: $input) {
  __typename ... on DraftPurchaseOrdersSuccess {
    purchaseOrders { code state supplierCode note lines { itemSku orderedUnits quantity } }
    skipped { sku suggested onOrder reason } }
  ... on UserError { code message field } } }"""

CASE = 12


async def item_with_demand(session: Any) -> m.Item:
    """BUY-2: 40 free on a pick face, demand 10, 12, 8, 10, 10 on the last five days, in
    cases of 12."""
    face = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == m.ZoneKind.PICK_FACE)
        .order_by(m.Bin.id)
    )
    item = m.Item(sku="BUY-2", name="Bought by the case", unit_cost_cents=150)
    session.add(item)
    await session.flush()
    session.add(m.ItemPackaging(item_id=item.id, name="case", quantity=CASE))
    now = datetime.now(UTC)
    opening = await apply_move(
        session,
        MoveRequest(
            item_id=item.id, quantity=90, reason=m.MoveReason.OPENING, destination=Place(face.id)
        ),
    )
    opening.at = now - timedelta(days=30)
    for days_ago, quantity in zip((5, 4, 3, 2, 1), (10, 12, 8, 10, 10), strict=True):
        move = await apply_move(
            session,
            MoveRequest(
                item_id=item.id, quantity=quantity, reason=m.MoveReason.PICK, source=Place(face.id)
            ),
        )
        move.at = datetime.combine(
            now.date() - timedelta(days=days_ago), datetime.min.time(), UTC
        ) + timedelta(hours=10)
    await refresh(session, now + timedelta(minutes=1))
    await session.commit()
    return item


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
    await item_with_demand(session)
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
    await item_with_demand(session)
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
