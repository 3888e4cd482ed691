"""Setting up a site from the desk: a user's badge prints and signs them in, and
creating a warehouse or saving its layout is replayed, not repeated, under the
same idempotency key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.test_inbound_support import fetch
from tests.integration.test_master_data import ERR, USER
from tests.unit.test_printing_render import decode_pages

SIGN_IN_BADGE = f"""mutation($badge: String!, $pin: String!) {{
  signInWithBadge(input: {{badge: $badge, pin: $pin, deviceId: "badge-test"}}) {{
    __typename ... on SignInSuccess {{ user {{ username roles }} }} {ERR} }} }}"""
WAREHOUSE = f"""mutation($input: WarehouseInput!) {{ createWarehouse(input: $input) {{ __typename
  ... on WarehouseSuccess {{ warehouse {{ id code name nAisles cellLengthM active }} }} {ERR} }} }}"""
SAVE_LAYOUT = f"""mutation($input: LayoutInput!) {{ saveLayout(input: $input) {{ __typename
  ... on SaveLayoutSuccess {{ created updated retired warehouse {{ id nAisles nBlocks }}
  geometry {{ nAisles cellsPerAisle aisleXM crossAisleYM depotXM widthM lengthM }} }} {ERR} }} }}"""


async def _badge_pdf(client: Any, user_id: str, token: str) -> Any:
    return await client.get(
        f"/documents/user_badge/{user_id}.pdf", headers={"authorization": f"Bearer {token}"}
    )


async def test_a_printed_badge_scans_to_a_code_that_signs_its_user_in(gql, client, tmp_path: Path):
    admin = await gql.token("admin")
    body = await gql(
        USER,
        {
            "input": {
                "username": "badge.tester",
                "displayName": "Badge Tester",
                "roles": ["picker", "receiver"],
                "warehouseIds": [],
                "password": "badge-pass-1",
                "pin": "4821",
            }
        },
        token=admin,
    )
    user = body["data"]["createUser"]["user"]

    response = await _badge_pdf(client, user["id"], admin)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    [symbols] = decode_pages(response.content, tmp_path)
    [symbol] = symbols
    scanned = symbol.data.decode()
    assert symbol.kind == "CODE-128" and scanned == user["badgeCode"]

    signed = (await gql(SIGN_IN_BADGE, {"badge": scanned, "pin": "4821"}))["data"]
    assert signed["signInWithBadge"]["__typename"] == "SignInSuccess", signed
    assert signed["signInWithBadge"]["user"]["username"] == "badge.tester"
    wrong = (await gql(SIGN_IN_BADGE, {"badge": scanned, "pin": "0000"}))["data"]
    assert wrong["signInWithBadge"]["__typename"] != "SignInSuccess"


async def test_only_user_administrators_print_badges(gql, client):
    admin, supervisor = await gql.token("admin"), await gql.token("supervisor")
    users = await gql("{ users(first: 50) { edges { node { id badgeCode } } } }", token=admin)
    badged = next(e["node"] for e in users["data"]["users"]["edges"] if e["node"]["badgeCode"])
    # A supervisor may print labels, but a badge is a sign-in: user.manage only.
    refused = await _badge_pdf(client, badged["id"], supervisor)
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
    missing = await _badge_pdf(client, "999999", admin)
    assert missing.status_code == 404 and missing.json()["code"] == "DOCUMENT_NOT_FOUND"
    queued = await gql(
        f"""mutation {{ printDocument(input: {{kind: USER_BADGE, target: "{badged["id"]}",
        station: "desk", idempotencyKey: "{key()}"}}) {{ __typename {ERR} }} }}""",
        token=supervisor,
    )
    assert queued["data"]["printDocument"]["code"] == "PERMISSION_DENIED"


async def test_create_warehouse_and_save_layout_replay_under_the_same_key(gql, session):
    admin = await gql.token("admin")
    create = {"input": {"code": "RPL", "name": "Replayed", "idempotencyKey": key()}}
    first = (await gql(WAREHOUSE, create, token=admin))["data"]["createWarehouse"]
    again = (await gql(WAREHOUSE, create, token=admin))["data"]["createWarehouse"]
    assert first["__typename"] == "WarehouseSuccess", first
    assert again == first
    assert await fetch(session, select(func.count()).where(m.Warehouse.code == "RPL")) == 1
    other = {"input": {**create["input"], "name": "Another name"}}
    changed = (await gql(WAREHOUSE, other, token=admin))["data"]["createWarehouse"]
    assert changed["__typename"] != "WarehouseSuccess"  # same key, other request: refused

    wid = first["warehouse"]["id"]
    layout = {
        "input": {
            "warehouseId": wid,
            "aisles": 3,
            "bays": 4,
            "levels": 2,
            "nBlocks": 2,
            "pattern": "R{aisle:02d}-{bay:02d}-{level}{side}",
            "idempotencyKey": key(),
        }
    }
    saved = (await gql(SAVE_LAYOUT, layout, token=admin))["data"]["saveLayout"]
    assert saved["__typename"] == "SaveLayoutSuccess", saved
    assert saved["created"] == 3 * 4 * 2 * 2
    bins = select(func.count()).where(m.Bin.warehouse_id == int(wid))
    assert await fetch(session, bins) == 48
    replayed = (await gql(SAVE_LAYOUT, layout, token=admin))["data"]["saveLayout"]
    assert replayed == saved  # the first answer (48 created), not "48 updated"
    assert await fetch(session, bins) == 48
    moves = (
        select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.action == "saveLayout")
    )
    assert await fetch(session, moves) == 1
