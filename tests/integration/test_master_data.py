"""Master data through the API: items, parties, layout, bins, users, stock lookup."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.test_inbound_support import fetch, sign_in

ERR = "... on UserError { code message field }"
ITEM = f"""mutation($input: ItemInput!) {{ createItem(input: $input) {{ __typename
  ... on ItemSuccess {{ item {{ id sku brand active minRemainingLifeDays gtins
  packagings {{ level quantity gtin weightG }} }} }} {ERR} }} }}"""
UPDATE_ITEM = ITEM.replace("createItem", "updateItem")
RETIRE = f"""mutation($sku: String!, $active: Boolean!) {{ setItemActive(input: {{sku: $sku,
  active: $active}}) {{ __typename ... on ItemSuccess {{ item {{ active retiredAt }} }} {ERR} }} }}"""
PARTY = f"""mutation($input: PartyInput!) {{ createParty(input: $input) {{ __typename
  ... on PartySuccess {{ party {{ code kind name city rating paymentTerms creditLimitCents
  leadTimeDays services active }} }} {ERR} }} }}"""
WAREHOUSE = f"""mutation($input: WarehouseInput!) {{ createWarehouse(input: $input) {{ __typename
  ... on WarehouseSuccess {{ warehouse {{ id code nAisles }} }} {ERR} }} }}"""
ZONE = f"""mutation($input: ZoneInput!) {{ saveZone(input: $input) {{ __typename
  ... on ZoneSuccess {{ zone {{ id code kind }} }} {ERR} }} }}"""
BIN = f"""mutation($input: BinInput!) {{ saveBin(input: $input) {{ __typename
  ... on BinSuccess {{ bin {{ code label active }} }} {ERR} }} }}"""
BIN_ACTIVE = f"""mutation($code: String!, $active: Boolean!) {{ setBinActive(input: {{code: $code,
  active: $active}}) {{ __typename ... on BinSuccess {{ bin {{ code active blocked }} }} {ERR} }} }}"""
PREVIEW = f"""query($input: LayoutInput!) {{ previewLayout(input: $input, first: 5) {{ __typename
  ... on LayoutPreview {{ binCount existingCodes geometry {{ nAisles cellsPerAisle nBlocks
  crossAisleYM aisleXM }} bins {{ code label zoneCode aisle bay level side xM yM pickFace }} }}
  {ERR} }} }}"""
SAVE_LAYOUT = f"""mutation($input: LayoutInput!) {{ saveLayout(input: $input) {{ __typename
  ... on SaveLayoutSuccess {{ created updated retired warehouse {{ nAisles cellsPerAisle nBlocks }} }}
  {ERR} }} }}"""
USER = f"""mutation($input: UserInput!) {{ createUser(input: $input) {{ __typename
  ... on UserSuccess {{ user {{ id username roles warehouseIds badgeCode active }} }} {ERR} }} }}"""
USER_ACTIVE = f"""mutation($u: String!, $a: Boolean!) {{ setUserActive(input: {{username: $u,
  active: $a}}) {{ __typename ... on UserSuccess {{ user {{ active }} }} {ERR} }} }}"""
RESET = f"""mutation($u: String!, $p: String, $pin: String) {{ resetUserSecret(input: {{username: $u,
  password: $p, pin: $pin}}) {{ __typename ... on UserSuccess {{ user {{ username }} }} {ERR} }} }}"""
ITEM_STOCK = f"""query($code: String!) {{ itemStock(code: $code) {{ __typename
  ... on ItemStock {{ item {{ sku }} totals {{ onHand reserved free }}
  lines {{ binCode lotNumber expiry status onHand reserved free }} }} {ERR} }} }}"""
BIN_CONTENTS = f"""query($code: String!) {{ binContents(code: $code) {{ __typename
  ... on BinContents {{ bin {{ code }} totals {{ onHand }} lines {{ itemSku onHand }} }} {ERR} }} }}"""
HISTORY = f"""query($item: String, $bin: String) {{ stockHistory(itemCode: $item, binCode: $bin,
  first: 5) {{ __typename ... on StockHistory {{ nextBeforeId lines {{ id at itemSku quantity
  fromBin toBin reason reference username }} }} {ERR} }} }}"""


def item_input(sku: str, **extra: Any) -> dict[str, Any]:
    return {
        "sku": sku,
        "name": f"Article {sku}",
        "brand": "Acme",
        "baseUnit": "EA",
        "gtin": "4006381333931",
        "tracking": "LOT",
        "expiryTracked": True,
        "shelfLifeDays": 365,
        "minRemainingLifeDays": 60,
        "packagings": [
            {"level": "CASE", "quantity": 12, "gtin": "14006381333938", "weightG": 6000},
            {"level": "PALLET", "quantity": 480},
        ],
        **extra,
    }


async def test_items_are_created_updated_and_retired_with_checked_gtins(gql, session):
    admin = await gql.token("admin")
    body = await gql(ITEM, {"input": item_input("NEW-1")}, token=admin)
    created = body["data"]["createItem"]
    assert created["__typename"] == "ItemSuccess", created
    assert created["item"]["gtins"] == ["04006381333931", "14006381333938"]
    assert [(p["level"], p["quantity"], p["gtin"]) for p in created["item"]["packagings"]] == [
        ("CASE", 12, "14006381333938"),
        ("PALLET", 480, None),
    ]
    refusals = [
        (item_input("NEW-1"), "DUPLICATE", "sku"),
        (item_input("NEW-2"), "DUPLICATE", "gtin"),  # the GTIN names NEW-1
        (item_input("NEW-3", gtin="4006381333932"), "GTIN_BAD_CHECK_DIGIT", "gtin"),
        (item_input("NEW-4", gtin=None, baseUnit="BARREL"), "UNKNOWN_UNIT", "baseUnit"),
        (
            item_input("NEW-5", gtin=None, packagings=[{"level": "CASE", "quantity": 1}]),
            "INVALID_QUANTITY",
            "packagings.CASE.quantity",
        ),
    ]
    for payload, code, field in refusals:
        body = await gql(ITEM, {"input": payload}, token=admin)
        result = body["data"]["createItem"]
        assert (result["code"], result["field"]) == (code, field), result
    assert await fetch(session, select(func.count()).where(m.Item.sku.like("NEW-%"))) == 1

    changed = item_input("NEW-1", brand="Other", packagings=[{"level": "CASE", "quantity": 24}])
    body = await gql(UPDATE_ITEM, {"input": changed}, token=admin)
    item = body["data"]["updateItem"]["item"]
    assert item["brand"] == "Other"
    assert [(p["level"], p["quantity"]) for p in item["packagings"]] == [("CASE", 24)]

    body = await gql(RETIRE, {"sku": "NEW-1", "active": False}, token=admin)
    assert body["data"]["setItemActive"]["item"]["active"] is False
    assert body["data"]["setItemActive"]["item"]["retiredAt"]
    assert await fetch(session, select(m.Item.id).where(m.Item.sku == "NEW-1")) is not None

    picker = await gql.token("picker")
    body = await gql(ITEM, {"input": item_input("NEW-9", gtin=None)}, token=picker)
    assert body["data"]["createItem"]["code"] == "PERMISSION_DENIED"


async def test_parties_keep_terms_and_customers_show_exposure(gql):
    admin = await gql.token("admin")
    supplier = {
        "kind": "SUPPLIER",
        "code": "sup-new",
        "name": "New Supplier",
        "city": "Ningbo",
        "rating": 4,
        "paymentTerms": "60 days",
        "leadTimeDays": 12,
    }
    body = await gql(PARTY, {"input": supplier}, token=admin)
    party = body["data"]["createParty"]["party"]
    assert (party["code"], party["city"], party["leadTimeDays"], party["rating"]) == (
        "SUP-NEW",
        "Ningbo",
        12,
        4,
    )
    body = await gql(PARTY, {"input": supplier}, token=admin)
    assert body["data"]["createParty"]["code"] == "DUPLICATE"
    body = await gql(PARTY, {"input": {**supplier, "code": "SUP-X", "rating": 9}}, token=admin)
    assert body["data"]["createParty"]["field"] == "rating"
    carrier = {
        "kind": "CARRIER",
        "code": "ZTO",
        "name": "ZTO",
        "adapter": "manual",
        "services": ["STD:Standard"],
    }
    body = await gql(PARTY, {"input": carrier}, token=admin)
    assert body["data"]["createParty"]["party"]["services"] == ["STD:Standard"]

    body = await gql(
        """{ customers(first: 50) { edges { node { code exposureCents creditLimitCents } } } }""",
        token=admin,
    )
    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    assert nodes and all(isinstance(n["exposureCents"], int) for n in nodes)


async def test_layout_preview_then_save_makes_putaway_use_the_new_bins(gql, session):
    admin = await gql.token("admin")
    body = await gql(WAREHOUSE, {"input": {"code": "W9", "name": "Ninth"}}, token=admin)
    wid = body["data"]["createWarehouse"]["warehouse"]["id"]
    layout = {
        "warehouseId": wid,
        "aisles": 3,
        "bays": 10,
        "levels": 3,
        "nBlocks": 2,
        "pickFaceLevels": 1,
    }
    body = await gql(PREVIEW, {"input": layout}, token=admin)
    preview = body["data"]["previewLayout"]
    assert preview["binCount"] == 3 * 10 * 3 * 2
    assert preview["geometry"]["nBlocks"] == 2 and len(preview["geometry"]["crossAisleYM"]) == 3
    first = preview["bins"][0]
    assert first["label"] == "A01-001-1L" and first["zoneCode"] == "PF" and first["pickFace"]
    assert await fetch(session, select(func.count()).where(m.Bin.warehouse_id == int(wid))) == 0

    bad = await gql(
        PREVIEW, {"input": {**layout, "pattern": "A{aisle}-{bay}-{level}"}}, token=admin
    )
    assert bad["data"]["previewLayout"]["code"] == "BIN_CODE_COLLISION"

    body = await gql(SAVE_LAYOUT, {"input": layout}, token=admin)
    saved = body["data"]["saveLayout"]
    assert saved["created"] == 180 and saved["warehouse"]["nAisles"] == 3, saved
    body = await gql(SAVE_LAYOUT, {"input": layout}, token=admin)
    assert body["data"]["saveLayout"]["updated"] == 180

    # A dock, then stock through the ledger onto one rack bin.
    body = await gql(
        ZONE,
        {"input": {"warehouseId": wid, "code": "RCV", "name": "Dock", "kind": "RECEIVING"}},
        token=admin,
    )
    assert body["data"]["saveZone"]["zone"]["kind"] == "RECEIVING"
    body = await gql(
        BIN, {"input": {"warehouseId": wid, "zoneCode": "RCV", "label": "RCV-01"}}, token=admin
    )
    assert body["data"]["saveBin"]["bin"]["code"].startswith("BIN-W9-RCV-01-")
    body = await gql(
        BIN, {"input": {"warehouseId": wid, "zoneCode": "NOPE", "label": "X-01"}}, token=admin
    )
    assert body["data"]["saveBin"]["code"] == "ZONE_NOT_FOUND"

    target = await fetch(
        session, select(m.Bin).where(m.Bin.warehouse_id == int(wid), m.Bin.label == "A03-010-3R")
    )
    item = await fetch(session, select(m.Item).where(m.Item.tracking == "NONE").order_by(m.Item.id))
    from backend.inventory.ledger import MoveRequest, Place, apply_move

    await apply_move(
        session, MoveRequest(item.id, 5, m.MoveReason.OPENING, destination=Place(target.id))
    )
    await session.commit()

    # Shrinking the layout would retire the bin that holds stock: refused, nothing changes.
    body = await gql(SAVE_LAYOUT, {"input": {**layout, "bays": 8, "replace": True}}, token=admin)
    assert body["data"]["saveLayout"]["code"] == "LAYOUT_HOLDS_STOCK", body
    assert (
        await fetch(
            session,
            select(func.count()).where(m.Bin.warehouse_id == int(wid), m.Bin.active.is_(True)),
        )
        == 181
    )
    body = await gql(BIN_ACTIVE, {"code": target.code, "active": False}, token=admin)
    assert body["data"]["setBinActive"]["code"] == "LAYOUT_HOLDS_STOCK"
    # Without stock in the cut bays the shrink goes through and retires (never deletes) them.
    body = await gql(
        SAVE_LAYOUT, {"input": {**layout, "aisles": 2, "bays": 8, "replace": True}}, token=admin
    )
    assert body["data"]["saveLayout"]["retired"] == 2 * 2 * 3 * 2, body
    assert await fetch(session, select(func.count()).where(m.Bin.warehouse_id == int(wid))) == 181

    # Putaway suggests the new warehouse's live bins at once, never a retired one.
    from backend.inbound.putaway import PutawayRequest, suggest_bins

    suggestions = await suggest_bins(
        session, PutawayRequest(int(wid), item.id, None, 5, "AVAILABLE"), limit=50
    )
    await session.commit()
    labels = {s.bin_code.split("-", 2)[2].rsplit("-", 1)[0] for s in suggestions}
    assert suggestions and all(s.bin_code.startswith("BIN-W9-") for s in suggestions)
    retired = {
        label for label in labels if label[:3] in ("A01", "A02") and label[4:7] in ("009", "010")
    }
    assert not retired


async def test_users_are_created_disabled_and_reset(gql, session):
    admin = await gql.token("admin")
    wid = await fetch(session, select(m.Warehouse.id).order_by(m.Warehouse.id))
    user = {
        "username": "new.picker",
        "displayName": "New Picker",
        "roles": ["picker"],
        "warehouseIds": [str(wid)],
        "password": "long-enough-1",
        "pin": "2468",
    }
    body = await gql(USER, {"input": user}, token=admin)
    created = body["data"]["createUser"]["user"]
    assert created["badgeCode"].startswith("BADGE-NEW-PICKER-") and created["roles"] == ["picker"]
    audit = await fetch(
        session, select(m.AuditEntry.detail).where(m.AuditEntry.action == "createUser")
    )
    assert "long-enough-1" not in str(audit) and "2468" not in str(audit)
    body = await gql(USER, {"input": {**user, "roles": ["wizard"]}}, token=admin)
    assert body["data"]["createUser"]["field"] == "roles"
    token = await sign_in(gql, "new.picker", "long-enough-1")
    body = await gql(RESET, {"u": "new.picker", "p": "another-secret"}, token=admin)
    assert body["data"]["resetUserSecret"]["user"]["username"] == "new.picker"
    me = await gql("{ me { username } }", token=token)
    assert me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    token = await sign_in(gql, "new.picker", "another-secret")
    body = await gql(USER_ACTIVE, {"u": "new.picker", "a": False}, token=admin)
    assert body["data"]["setUserActive"]["user"]["active"] is False
    me = await gql("{ me { username } }", token=token)
    assert me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    supervisor = await gql.token("supervisor")
    body = await gql(USER_ACTIVE, {"u": "new.picker", "a": True}, token=supervisor)
    assert body["data"]["setUserActive"]["code"] == "PERMISSION_DENIED"


async def test_stock_lookup_by_item_bin_and_history(gql, session):
    admin = await gql.token("admin")
    quant = await fetch(session, select(m.Quant).where(m.Quant.on_hand > 0).order_by(m.Quant.id))
    item = await fetch(session, select(m.Item).where(m.Item.id == quant.item_id))
    bin_row = await fetch(session, select(m.Bin).where(m.Bin.id == quant.bin_id))
    body = await gql(ITEM_STOCK, {"code": item.sku}, token=admin)
    assert body.get("data") and body["data"]["itemStock"], body
    stock = body["data"]["itemStock"]
    total = await fetch(
        session, select(func.sum(m.Quant.on_hand)).where(m.Quant.item_id == item.id)
    )
    assert stock["totals"]["onHand"] == total
    assert all(line["free"] == line["onHand"] - line["reserved"] for line in stock["lines"])
    body = await gql(BIN_CONTENTS, {"code": bin_row.label}, token=admin)
    contents = body["data"]["binContents"]
    assert contents["bin"]["code"] == bin_row.code
    assert item.sku in {line["itemSku"] for line in contents["lines"]}
    body = await gql(HISTORY, {"item": item.sku}, token=admin)
    lines = body["data"]["stockHistory"]["lines"]
    assert lines and all(line["itemSku"] == item.sku for line in lines)
    body = await gql(ITEM_STOCK, {"code": "NO-SUCH"}, token=admin)
    assert body["data"]["itemStock"]["code"] == "ITEM_NOT_FOUND"
    # Floor roles may look stock up too (stock.lookup); bins under count aside.
    picker = await gql.token("picker")
    body = await gql(ITEM_STOCK, {"code": item.sku}, token=picker)
    assert body["data"]["itemStock"]["__typename"] == "ItemStock", body
    assert await ledger_mismatches(session) == []


def test_carrier_adapters_offered_are_the_installed_ones():
    from backend.catalog.parties import ADAPTERS
    from backend.outbound.shipping.carriers import ManualAdapter, OwnFleetAdapter

    assert set(ADAPTERS) == {OwnFleetAdapter.name, ManualAdapter.name}
