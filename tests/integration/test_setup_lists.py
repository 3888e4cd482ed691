"""The setup lists through the API: carriers and their services (kept in order,
edited, refused when bad, and the ones a shipment can use); carton types and
printers saved from the desk with an idempotency key."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.test_shipping import SHIP, packed_order, ship_vars

ERR = "... on UserError { code message field }"
FIELDS = "code name adapter services active"
CREATE = f"""mutation($input: PartyInput!) {{ createParty(input: $input) {{ __typename
  ... on PartySuccess {{ party {{ {FIELDS} }} }} {ERR} }} }}"""
UPDATE = CREATE.replace("createParty", "updateParty")
READ = f"""{{ carriers(first: 50) {{ edges {{ node {{ {FIELDS} }} }} }}
  party(kind: CARRIER, code: "JD") {{ {FIELDS} }} }}"""


def carrier(**extra: object) -> dict[str, object]:
    return {"kind": "CARRIER", "code": "jd", "name": "JD Logistics", "adapter": "own_fleet"} | extra


async def test_services_keep_their_order_and_can_be_edited(gql, session):
    admin = await gql.token("admin")
    # Not in code order: the first one is the default a shipment gets.
    services = ["XPRESS:Express", "ECO:Economy"]
    body = await gql(CREATE, {"input": carrier(services=services)}, token=admin)
    assert body["data"]["createParty"]["party"] == {
        "code": "JD",
        "name": "JD Logistics",
        "adapter": "own_fleet",
        "services": services,
        "active": True,
    }

    changed = ["eco:Economy (3 days)", "XPRESS:Express", "FREIGHT"]
    body = await gql(UPDATE, {"input": carrier(name="JD", services=changed)}, token=admin)
    assert body["data"]["updateParty"]["__typename"] == "PartySuccess", body

    read = (await gql(READ, token=admin))["data"]
    assert read["party"]["services"] == [
        "ECO:Economy (3 days)",
        "XPRESS:Express",
        "FREIGHT:FREIGHT",
    ]
    listed = {n["node"]["code"]: n["node"] for n in read["carriers"]["edges"]}
    assert listed["JD"]["name"] == "JD" and listed["JD"]["services"] == read["party"]["services"]
    # The carriers the demo made keep reading the same way.
    assert listed["OWN"]["services"] == ["SAME_DAY:SAME_DAY", "NEXT_DAY:NEXT_DAY"]


async def test_bad_services_are_refused_and_change_nothing(gql, session):
    admin = await gql.token("admin")
    body = await gql(CREATE, {"input": carrier(services=["STD:Standard"])}, token=admin)
    assert body["data"]["createParty"]["__typename"] == "PartySuccess"
    for services, code in (
        (["STD:Standard", "std:Again"], "DUPLICATE"),
        (["NEXT DAY:Next day"], "INVALID_INPUT"),
        ([":No code"], "INVALID_INPUT"),
        ([f"S{n}" for n in range(41)], "INVALID_INPUT"),
    ):
        body = await gql(UPDATE, {"input": carrier(services=services)}, token=admin)
        error = body["data"]["updateParty"]
        assert (error["code"], error["field"]) == (code, "services"), (services, error)
    row = await session.scalar(
        select(m.Carrier).where(m.Carrier.code == "JD").execution_options(populate_existing=True)
    )
    assert row is not None and row.services == {"services": ["STD"], "names": {"STD": "Standard"}}


async def test_a_shipment_uses_the_services_set_on_the_carrier(gql, session):
    admin = await gql.token("admin")
    body = await gql(
        CREATE, {"input": carrier(services=["XPRESS:Express", "ECO:Economy"])}, token=admin
    )
    assert body["data"]["createParty"]["__typename"] == "PartySuccess"
    shipper = await gql.token("shipper")

    order, _ = await packed_order(gql, session)
    refused = await gql(SHIP, ship_vars([order.order_id], "JD", service="SAME_DAY"), token=shipper)
    assert refused["data"]["ship"]["code"] == "INVALID_INPUT"
    shipped = await gql(SHIP, ship_vars([order.order_id], "JD"), token=shipper)
    assert shipped["data"]["ship"]["shipment"]["service"] == "XPRESS", shipped


CARTON = f"""mutation($input: SaveCartonTypeInput!) {{ saveCartonType(input: $input) {{ __typename
  ... on SaveCartonTypeSuccess {{ cartonType {{ code name tareWeightGrams active }} }} {ERR} }} }}"""
PRINTER = f"""mutation($input: SavePrinterInput!) {{ savePrinter(input: $input) {{ __typename
  ... on SavePrinterSuccess {{ printer {{ name station kind address }} }} {ERR} }} }}"""


async def test_a_resent_carton_type_or_printer_gets_the_first_answer(gql, session):
    admin = await gql.token("admin")
    box = {
        "code": "wine6",
        "name": "Wine box",
        "lengthMm": 310,
        "widthMm": 220,
        "heightMm": 340,
        "maxWeightGrams": 9000,
        "tareWeightGrams": 420,
        "idempotencyKey": key(),
    }
    first = await gql(CARTON, {"input": box}, token=admin)
    assert first["data"]["saveCartonType"]["cartonType"]["code"] == "WINE6"
    again = await gql(CARTON, {"input": box}, token=admin)
    assert again["data"] == first["data"]
    other = await gql(CARTON, {"input": {**box, "name": "Changed"}}, token=admin)
    assert other["data"]["saveCartonType"]["code"] == "IDEMPOTENCY_KEY_REUSED"

    printer = {
        "name": "Zebra 9",
        "kind": "RAW_TCP",
        "address": "10.0.0.9:99999",
        "station": "PACK-9",
        "idempotencyKey": key(),
    }
    refused = await gql(PRINTER, {"input": printer}, token=admin)
    assert (refused["data"]["savePrinter"]["code"], refused["data"]["savePrinter"]["field"]) == (
        "INVALID_INPUT",
        "address",
    )
    # A refusal does not use the key up.
    printer["address"] = "10.0.0.9:9100"
    saved = await gql(PRINTER, {"input": printer}, token=admin)
    assert saved["data"]["savePrinter"]["printer"]["station"] == "PACK-9"
    assert (await gql(PRINTER, {"input": printer}, token=admin))["data"] == saved["data"]
    count = await session.scalar(
        select(func.count()).select_from(m.PrinterRow).where(m.PrinterRow.name == "Zebra 9")
    )
    assert count == 1
