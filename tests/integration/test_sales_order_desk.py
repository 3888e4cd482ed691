"""The office's sales-order desk: the filtered list, edits before release (the
reservation follows), credit holds and their decisions, and bad input changing nothing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.test_outbound import Stock, bins, make_item, reserved_on

ORDER = """id number state priority channel promisedDate customerCode creditDecision
  backorderedUnits lines { itemSku quantity reserved backordered backorderedQuantity }"""

CREATE = f"""mutation($input: CreateSalesOrderInput!) {{ createSalesOrder(input: $input) {{
  __typename ... on SalesOrderSuccess {{ order {{ {ORDER} }} }}
  ... on UserError {{ code message field }} }} }}"""

UPDATE = f"""mutation($input: UpdateSalesOrderInput!) {{ updateSalesOrder(input: $input) {{
  __typename ... on UpdateSalesOrderSuccess {{ order {{ {ORDER} }} }}
  ... on UserError {{ code message field }} }} }}"""

APPROVE = f"""mutation($id: ID!) {{ approveCreditHold(input: {{orderId: $id}}) {{
  __typename ... on CreditDecisionSuccess {{ order {{ {ORDER} }} }}
  ... on UserError {{ code message field }} }} }}"""

REJECT = APPROVE.replace("approveCreditHold", "rejectCreditHold")

LIST = f"""query($states: [SalesOrderState!], $priority: Int, $channel: String,
  $customerCode: String, $from: Date, $to: Date, $search: String, $warehouseId: ID) {{
  salesOrders(first: 100, states: $states, priority: $priority, channel: $channel,
    customerCode: $customerCode, promisedFrom: $from, promisedTo: $to, search: $search,
    warehouseId: $warehouseId) {{ edges {{ node {{ {ORDER} }} }} }} }}"""

INBOX = """query { exceptionInbox(kinds: [CREDIT_HOLD]) { items { kind id reference actions } } }"""


async def customer(session: AsyncSession, code: str, limit: int | None = None) -> str:
    session.add(m.Customer(code=code, name=f"Customer {code}", credit_limit_cents=limit))
    await session.commit()
    return code


async def priced_item(session: AsyncSession, sku: str, stock: int, cost: int, n: int) -> int:
    faces = await bins(session)
    item = await make_item(session, sku, [Stock(faces[n % len(faces)], stock)], gtin_no=n)
    await session.execute(update(m.Item).where(m.Item.id == item.id).values(unit_cost_cents=cost))
    await session.commit()
    return item.id


async def create(gql: Any, token: str, **fields: Any) -> dict[str, Any]:
    lines = fields.pop("lines")
    body = await gql(
        CREATE,
        {
            "input": {
                **fields,
                "lines": [{"itemSku": sku, "quantity": q} for sku, q in lines],
            }
        },
        token=token,
    )
    assert "errors" not in body, body
    return body["data"]["createSalesOrder"]  # type: ignore[no-any-return]


async def listed(gql: Any, token: str, **variables: Any) -> list[str]:
    body = await gql(LIST, variables, token=token)
    assert "errors" not in body, body
    return [e["node"]["number"] for e in body["data"]["salesOrders"]["edges"]]


async def test_the_list_filters_and_stays_in_scope(gql, session):
    await priced_item(session, "DESK-L1", 50, 10, 701)
    alpha = await customer(session, "C-DL-A")
    beta = await customer(session, "C-DL-B")
    planner = await gql.token("planner")
    await create(
        gql,
        planner,
        number="DL-100",
        customerCode=alpha,
        lines=[("DESK-L1", 1)],
        priority=2,
        channel="WEB",
        promisedDate="2027-01-10",
    )
    await create(
        gql,
        planner,
        number="DL-200",
        customerCode=beta,
        lines=[("DESK-L1", 1)],
        priority=5,
        promisedDate="2027-02-10",
    )
    await create(
        gql, planner, number="DL-300", customerCode=beta, lines=[("DESK-L1", 99)], priority=5
    )
    assert await listed(gql, planner, search="dl-") == ["DL-100", "DL-200", "DL-300"]
    assert await listed(gql, planner, search="dl-", priority=2) == ["DL-100"]
    assert await listed(gql, planner, search="DL", channel="web") == ["DL-100"]
    assert await listed(gql, planner, customerCode=beta) == ["DL-200", "DL-300"]
    assert await listed(gql, planner, **{"from": "2027-02-01", "to": "2027-02-28"}) == ["DL-200"]
    assert await listed(gql, planner, search="DL-", states=["PARTIALLY_RESERVED"]) == ["DL-300"]
    body = await gql(LIST, {"search": "DL-300"}, token=planner)
    (node,) = [e["node"] for e in body["data"]["salesOrders"]["edges"]]
    assert node["backorderedUnits"] == 51 and node["lines"][0]["backorderedQuantity"] == 51
    # Another warehouse than the caller's shows nothing; a % is a character, not a wildcard.
    assert await listed(gql, planner, search="DL-", warehouseId="999999") == []
    assert await listed(gql, planner, search="%") == []


async def test_an_edit_before_release_moves_the_reservation(gql, session):
    tea = await priced_item(session, "DESK-E1", 10, 10, 702)
    cup = await priced_item(session, "DESK-E2", 4, 10, 703)
    code = await customer(session, "C-DE")
    planner = await gql.token("planner")
    made = await create(gql, planner, number="DE-1", customerCode=code, lines=[("DESK-E1", 3)])
    order = made["order"]
    assert order["state"] == "RESERVED"
    assert sum((await reserved_on(session, tea)).values()) == 3
    changed = await gql(
        UPDATE,
        {
            "input": {
                "orderId": order["id"],
                "lines": [
                    {"itemSku": "DESK-E1", "quantity": 6},
                    {"itemSku": "DESK-E2", "quantity": 5},
                ],
                "priority": 1,
                "promisedDate": "2027-03-01",
                "shipTo": {"city": "Utrecht"},
                "idempotencyKey": key(),
            }
        },
        token=planner,
    )
    got = changed["data"]["updateSalesOrder"]
    assert got["__typename"] == "UpdateSalesOrderSuccess", got
    edited = got["order"]
    assert edited["priority"] == 1 and edited["promisedDate"] == "2027-03-01"
    assert edited["state"] == "PARTIALLY_RESERVED"
    assert [(x["itemSku"], x["quantity"], x["reserved"]) for x in edited["lines"]] == [
        ("DESK-E1", 6, 6),
        ("DESK-E2", 5, 4),
    ]
    assert sum((await reserved_on(session, tea)).values()) == 6
    assert sum((await reserved_on(session, cup)).values()) == 4
    # Bad input and an unknown SKU change nothing.
    for bad, code_ in (
        ({"priority": 12}, "INVALID_INPUT"),
        ({"lines": [{"itemSku": "NOPE", "quantity": 1}]}, "ITEM_NOT_FOUND"),
        ({"lines": [{"itemSku": "DESK-E1", "quantity": 0}]}, "INVALID_QUANTITY"),
    ):
        refused = await gql(UPDATE, {"input": {"orderId": order["id"], **bad}}, token=planner)
        assert refused["data"]["updateSalesOrder"]["code"] == code_, refused
    assert sum((await reserved_on(session, tea)).values()) == 6
    # Released orders (here: one on a wave, or cancelled) are not editable.
    wave = m.Wave(warehouse_id=1, code="W-DESK-E", method="test")
    session.add(wave)
    await session.flush()
    await session.execute(
        update(m.SalesOrder).where(m.SalesOrder.number == "DE-1").values(wave_id=wave.id)
    )
    await session.commit()
    late = await gql(UPDATE, {"input": {"orderId": order["id"], "priority": 3}}, token=planner)
    assert late["data"]["updateSalesOrder"]["code"] == "ORDER_NOT_EDITABLE"
    row = await session.scalar(select(m.SalesOrder).where(m.SalesOrder.number == "DE-1"))
    assert row is not None and row.priority == 1 and row.ship_to.get("city") == "Utrecht"
    await session.rollback()
    assert await ledger_mismatches(session) == []


async def test_credit_hold_approve_reject(gql, session):
    item = await priced_item(session, "DESK-C1", 40, 100, 704)
    code = await customer(session, "C-DC", limit=1000)
    planner = await gql.token("planner")
    supervisor = await gql.token("supervisor")
    first = await create(gql, planner, number="DC-1", customerCode=code, lines=[("DESK-C1", 5)])
    assert first["order"]["state"] == "RESERVED"
    held = await create(gql, planner, number="DC-2", customerCode=code, lines=[("DESK-C1", 6)])
    assert held["order"]["state"] == "CREDIT_HOLD"
    assert held["order"]["lines"][0]["reserved"] == 0
    assert sum((await reserved_on(session, item)).values()) == 5
    own = await create(gql, supervisor, number="DC-3", customerCode=code, lines=[("DESK-C1", 7)])
    assert own["order"]["state"] == "CREDIT_HOLD"
    # The inbox lists both; the supervisor is not offered their own order.
    body = await gql(INBOX, token=supervisor)
    items = {i["reference"]: i["actions"] for i in body["data"]["exceptionInbox"]["items"]}
    assert items["DC-2"] == ["approveCreditHold", "rejectCreditHold"] and items["DC-3"] == []
    # A planner may not decide; nobody approves their own order.
    denied = await gql(APPROVE, {"id": held["order"]["id"]}, token=planner)
    assert denied["data"]["approveCreditHold"]["code"] == "PERMISSION_DENIED"
    selfish = await gql(APPROVE, {"id": own["order"]["id"]}, token=supervisor)
    assert selfish["data"]["approveCreditHold"]["code"] == "SELF_APPROVAL"
    approved = await gql(APPROVE, {"id": held["order"]["id"]}, token=supervisor)
    got = approved["data"]["approveCreditHold"]
    assert got["__typename"] == "CreditDecisionSuccess", got
    assert got["order"]["state"] == "RESERVED" and got["order"]["creditDecision"] == "APPROVED"
    assert sum((await reserved_on(session, item)).values()) == 11
    twice = await gql(REJECT, {"id": held["order"]["id"]}, token=supervisor)
    assert twice["data"]["rejectCreditHold"]["code"] == "ALREADY_DECIDED"
    admin = await gql.token("admin")
    rejected = await gql(REJECT, {"id": own["order"]["id"]}, token=admin)
    assert rejected["data"]["rejectCreditHold"]["order"]["state"] == "CANCELLED"
    again = await gql(APPROVE, {"id": own["order"]["id"]}, token=admin)
    assert again["data"]["approveCreditHold"]["code"] == "ALREADY_DECIDED"
    # An edit that takes the customer over the limit holds the order again, reservation back.
    grown = await gql(
        UPDATE,
        {
            "input": {
                "orderId": first["order"]["id"],
                "lines": [{"itemSku": "DESK-C1", "quantity": 9}],
            }
        },
        token=planner,
    )
    assert grown["data"]["updateSalesOrder"]["order"]["state"] == "CREDIT_HOLD"
    assert sum((await reserved_on(session, item)).values()) == 6
    states = dict(
        (
            await session.execute(
                select(m.SalesOrder.number, m.SalesOrder.state).where(
                    m.SalesOrder.number.in_(["DC-1", "DC-2", "DC-3"])
                )
            )
        ).all()
    )
    assert states == {"DC-1": "CREDIT_HOLD", "DC-2": "RESERVED", "DC-3": "CANCELLED"}
    active = await session.scalar(
        select(func.coalesce(func.sum(m.Reservation.quantity), 0)).where(
            m.Reservation.item_id == item, m.Reservation.state == m.ReservationState.ACTIVE
        )
    )
    assert active == 6
    await session.rollback()
