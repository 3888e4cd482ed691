"""Inbound reads show only the caller's warehouses: another warehouse's orders, receipts,
returns, pallets and approval rules read as nothing, and a malformed warehouse id is a
typed error rather than a silently empty answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.core.auth.service import create_user
from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.test_inbound_support import approved_po, sign_in, start

SKU = "SKU-10000"

ADD_RULE = """mutation($input: AddApprovalRuleInput!) { addApprovalRule(input: $input) {
  __typename ... on ApprovalRuleSuccess { rule { id warehouseId } }
  ... on UserError { code message } } }"""

RULES = "{ approvalRules { id warehouseId level } }"


async def second_warehouse(session: Any) -> tuple[int, int, str]:
    """The first warehouse's id, a second one's, and a supervisor who works only there."""
    first = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
    other = m.Warehouse(code="W-ELSE", name="Elsewhere DC")
    session.add(other)
    await session.flush()
    await create_user(
        session,
        username="elsewhere",
        display_name="Elsewhere Supervisor",
        password="demo-elsewhere",
        roles=["supervisor"],
        warehouse_ids=[other.id],
    )
    await session.commit()
    return first, other.id, "demo-elsewhere"


async def read(gql: Any, query: str, token: str, **variables: Any) -> dict[str, Any]:
    body = await gql(query, variables, token=token)
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_another_warehouses_inbound_reads_as_nothing(gql, session):
    po = await approved_po(gql, [{"itemSku": SKU, "quantity": 4, "unitPriceCents": 90}])
    receiver = await gql.token("receiver")
    receipt_id = (await start(gql, receiver, poCode=po["code"]))["receipt"]["id"]
    first, _, password = await second_warehouse(session)
    here = await gql.token("supervisor")
    there = await sign_in(gql, "elsewhere", password)

    lists = """query($wid: ID) {
      purchaseOrders(warehouseId: $wid) { edges { node { id } } }
      openPurchaseOrders(warehouseId: $wid) { id }
      receipts(warehouseId: $wid) { edges { node { id } } }
      returnsToVendor(warehouseId: $wid) { id }
      receivingDiscrepancies(warehouseId: $wid) { kind }
    }"""
    mine = await read(gql, lists, here, wid=str(first))
    assert po["id"] in [e["node"]["id"] for e in mine["purchaseOrders"]["edges"]]
    assert receipt_id in [e["node"]["id"] for e in mine["receipts"]["edges"]]
    for wid in (None, str(first)):  # all of theirs, and this warehouse named outright
        theirs = await read(gql, lists, there, wid=wid)
        assert theirs["purchaseOrders"]["edges"] == []
        assert theirs["openPurchaseOrders"] == []
        assert theirs["receipts"]["edges"] == []
        assert theirs["returnsToVendor"] == []
        assert theirs["receivingDiscrepancies"] == []

    one = """query($code: String!, $id: ID!) { purchaseOrder(code: $code) { id }
      receipt(id: $id) { id } inboundPallets(poCode: $code) { sscc } }"""
    assert (await read(gql, one, here, code=po["code"], id=receipt_id))["receipt"] == {
        "id": receipt_id
    }
    assert await read(gql, one, there, code=po["code"], id=receipt_id) == {
        "purchaseOrder": None,
        "receipt": None,
        "inboundPallets": [],
    }


async def test_approval_rules_of_another_warehouse_are_not_listed(gql, session):
    first, other, password = await second_warehouse(session)
    admin = await gql.token("admin")
    made = {}
    for name, wid in (("global", None), ("here", str(first)), ("there", str(other))):
        body = await gql(
            ADD_RULE,
            {
                "input": {
                    "level": 1,
                    "approverRole": "supervisor",
                    "minAmountCents": 10**9,
                    "warehouseId": wid,
                    "idempotencyKey": key(),
                }
            },
            token=admin,
        )
        result = body["data"]["addApprovalRule"]
        assert result["__typename"] == "ApprovalRuleSuccess", result
        made[name] = result["rule"]["id"]

    def ids(data: dict[str, Any]) -> set[str]:
        return {r["id"] for r in data["approvalRules"]}

    assert ids(await read(gql, RULES, admin)) >= set(made.values())
    here = ids(await read(gql, RULES, await gql.token("supervisor")))
    assert made["global"] in here and made["here"] in here and made["there"] not in here
    there = ids(await read(gql, RULES, await sign_in(gql, "elsewhere", password)))
    assert made["global"] in there and made["there"] in there and made["here"] not in there


async def test_a_malformed_warehouse_id_is_a_typed_error_in_every_inbound_read(gql, session):
    token = await gql.token("supervisor")
    for query in (
        '{ purchaseOrders(warehouseId: "abc") { edges { node { id } } } }',
        '{ openPurchaseOrders(warehouseId: "0") { id } }',
        '{ receipts(warehouseId: "1e3") { edges { node { id } } } }',
        '{ returnsToVendor(warehouseId: "-4") { id } }',
        '{ receivingDiscrepancies(warehouseId: "x") { kind } }',
        '{ supplierPerformance(warehouseId: "x") { supplierCode } }',
        '{ inboundSettings(warehouseId: "x") { tolerancePercent } }',
    ):
        body = await gql(query, token=token)
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "INVALID_INPUT", "field": "warehouseId"}, query
    # A well-formed id of a warehouse the caller does not work in shows nothing.
    body = await read(gql, '{ receipts(warehouseId: "999999") { edges { node { id } } } }', token)
    assert body["receipts"]["edges"] == []
    defaults = await read(gql, '{ inboundSettings(warehouseId: "999999") { warehouseId } }', token)
    assert defaults["inboundSettings"] == {"warehouseId": None}
