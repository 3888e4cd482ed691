"""Floor roles look stock up (stock.lookup): only in their warehouses, and never the book of
a bin a blind count holds (COUNT_IN_PROGRESS in its place)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.core.auth.permissions import ROLE_PERMISSIONS, Perm, Role
from backend.core.db import models as m
from backend.scan import CodeKind, make_code
from tests.integration.test_control import Ref, done, fresh_bin, new_item, put
from tests.integration.test_control_counts import count_task

ERR = "... on UserError { code message field }"
ITEM_STOCK = f"""query($code: String!) {{ itemStock(code: $code) {{ __typename
  ... on ItemStock {{ totals {{ onHand reserved free }}
  lines {{ binCode lotNumber onHand reserved free }} withheld {{ binCode code }} }} {ERR} }} }}"""
BIN_CONTENTS = f"""query($code: String!) {{ binContents(code: $code) {{ __typename
  ... on BinContents {{ bin {{ code }} totals {{ onHand }} lines {{ itemSku onHand }}
  withheld {{ binCode }} }} {ERR} }} }}"""
HISTORY = f"""query($item: String, $bin: String) {{ stockHistory(itemCode: $item, binCode: $bin)
  {{ __typename ... on StockHistory {{ lines {{ quantity fromBin toBin }} }} {ERR} }} }}"""
LOT = f"""query($item: String!, $lot: String!) {{ lotTrace(itemCode: $item, lotNumber: $lot)
  {{ __typename ... on LotTrace {{ totals {{ onHand }} onHand {{ binCode onHand }}
  withheld {{ binCode code }} }} {ERR} }} }}"""

FLOOR = (Role.PICKER, Role.RECEIVER, Role.PACKER, Role.SHIPPER)


async def _ask(gql: Any, role: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(query, variables, token=await gql.token(role))
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result  # type: ignore[no-any-return]


async def _bin_elsewhere(session: Any) -> Ref:
    """A bin in a warehouse the floor users do not work in."""
    wh = m.Warehouse(code="WL", name="Lookup elsewhere")
    session.add(wh)
    await session.flush()
    zone = m.Zone(warehouse_id=wh.id, code="PF", name="Pick face", kind=m.ZoneKind.PICK_FACE)
    session.add(zone)
    await session.flush()
    row = m.Bin(
        warehouse_id=wh.id,
        zone_id=zone.id,
        label="WL-A1",
        code=make_code(CodeKind.BIN, "WL-A1"),
        capacity_units=100,
    )
    session.add(row)
    await session.commit()
    return Ref(row.id, row.code)


def test_floor_roles_hold_stock_lookup_but_not_the_stock_read() -> None:
    for role in FLOOR:
        assert Perm.STOCK_LOOKUP in ROLE_PERMISSIONS[role]
        assert Perm.STOCK_READ not in ROLE_PERMISSIONS[role]


async def test_a_picker_looks_up_an_item_and_a_bin_in_their_warehouse_only(gql, session):
    here = await fresh_bin(session, "LK-A")
    there = await _bin_elsewhere(session)
    item = await new_item(session, "LK-1")
    await put(session, here, item, 12)
    await put(session, there, item, 30)
    await done(session)
    for role in ("picker", "receiver", "packer", "shipper"):
        stock = await _ask(gql, role, ITEM_STOCK, code="LK-1")
        assert stock["__typename"] == "ItemStock", stock
        assert [(x["binCode"], x["onHand"]) for x in stock["lines"]] == [(here.code, 12)]
        assert stock["totals"] == {"onHand": 12, "reserved": 0, "free": 12}
        assert stock["withheld"] == []
        contents = await _ask(gql, role, BIN_CONTENTS, code=here.code)
        assert contents["lines"] == [{"itemSku": "LK-1", "onHand": 12}]
        elsewhere = await _ask(gql, role, BIN_CONTENTS, code=there.code)
        assert elsewhere["code"] == "BIN_NOT_FOUND"
        history = await _ask(gql, role, HISTORY, item="LK-1")
        assert [(x["quantity"], x["toBin"]) for x in history["lines"]] == [(12, here.code)]
    # An admin sees both warehouses.
    stock = await _ask(gql, "admin", ITEM_STOCK, code="LK-1")
    assert stock["totals"]["onHand"] == 42


async def test_a_bin_under_a_blind_count_hides_its_book_from_the_floor(gql, session):
    counted = await fresh_bin(session, "LK-C")
    open_bin = await fresh_bin(session, "LK-D")
    item = await new_item(session, "LK-2", lot_tracked=True)
    await put(session, counted, item, 7919, lot="L-LK2")
    await put(session, open_bin, item, 5, lot="L-LK2")
    await done(session)
    await count_task(gql, counted.code)

    for role in ("picker", "receiver"):
        stock = await _ask(gql, role, ITEM_STOCK, code="LK-2")
        assert [x["binCode"] for x in stock["lines"]] == [open_bin.code]
        assert stock["totals"]["onHand"] == 5
        assert stock["withheld"] == [{"binCode": counted.code, "code": "COUNT_IN_PROGRESS"}]
        contents = await _ask(gql, role, BIN_CONTENTS, code=counted.code)
        assert contents["__typename"] == "StateError"
        assert contents["code"] == "COUNT_IN_PROGRESS"
        history = await _ask(gql, role, HISTORY, bin=counted.code)
        assert history["code"] == "COUNT_IN_PROGRESS"
        history = await _ask(gql, role, HISTORY, item="LK-2")
        assert [x["toBin"] for x in history["lines"]] == [open_bin.code]
        trace = await _ask(gql, role, LOT, item="LK-2", lot="L-LK2")
        assert trace["totals"]["onHand"] == 5
        assert trace["withheld"] == [{"binCode": counted.code, "code": "COUNT_IN_PROGRESS"}]
        assert "7919" not in str(stock) + str(history) + str(trace)

    # Supervisors read the book as it is, count or not.
    stock = await _ask(gql, "supervisor", ITEM_STOCK, code="LK-2")
    assert stock["totals"]["onHand"] == 7919 + 5 and stock["withheld"] == []
    contents = await _ask(gql, "supervisor", BIN_CONTENTS, code=counted.code)
    assert contents["lines"] == [{"itemSku": "LK-2", "onHand": 7919}]

    # The count closed (cancelled here), the floor sees the bin again.
    count = await session.scalar(select(m.Count).where(m.Count.bin_id == counted.id))
    assert count is not None
    count.state = m.CountState.CANCELLED
    await session.commit()
    await done(session)
    contents = await _ask(gql, "picker", BIN_CONTENTS, code=counted.code)
    assert contents["lines"] == [{"itemSku": "LK-2", "onHand": 7919}]
