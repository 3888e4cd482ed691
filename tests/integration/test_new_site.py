"""A new site from an empty database, through the API and the importer only (no demo
loader): the first admin by `wms users create`, then warehouse, zones, layout, bins,
users, items, parties and opening stock; then it receives, puts away and picks there,
and the floor looks the stock up."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from backend import cli, demo
from backend.app import create_app
from backend.config import Settings
from backend.core.db import models as m
from backend.core.db.migrate import upgrade_async
from backend.inventory.ledger import ledger_mismatches
from backend.scan import CodeKind, make_code
from tests.integration.conftest import BROADCAST_URL, DB_KIND, GQL, PG_HOST_URL, _pg_admin, key
from tests.integration.test_imports import ean13, post
from tests.integration.test_inbound_support import (
    PUTAWAY,
    SUGGEST,
    close,
    create_po,
    scan,
    sign_in,
    start,
)
from tests.integration.test_master_data import SAVE_LAYOUT, WAREHOUSE, ZONE
from tests.integration.test_outbound import CREATE
from tests.integration.test_wave import (
    CLAIM,
    CONFIRM,
    CREATE_WAVE,
    PROGRESS,
    RELEASE,
    SCAN_BIN,
    SCAN_ITEM,
)

EMPTY_TABLES = (m.Warehouse, m.Zone, m.Bin, m.User, m.Item, m.Quant, m.StockMove, m.Supplier)


@pytest.fixture
async def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """A migrated database with nothing in it, and the app on it; the demo loader is
    made to fail, so nothing here can lean on it."""

    async def no_demo(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the demo loader was called")

    monkeypatch.setattr(demo, "seed", no_demo)
    if DB_KIND == "postgresql":
        name = f"wms_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        await _pg_admin(f"CREATE DATABASE {name}")
        url = f"{PG_HOST_URL}/{name}"
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    await upgrade_async(url)
    monkeypatch.setenv("DATABASE_URL", url)  # for the command line
    settings = Settings(
        database_url=url,
        broadcast_url=BROADCAST_URL,
        secret_key="test-secret-" + uuid.uuid4().hex,
        pwa_dist=Path("/nonexistent"),
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application
    if DB_KIND == "postgresql":
        await _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def ok(gql: Any, query: str, variables: dict[str, Any], token: str) -> dict[str, Any]:
    body = await gql(query, variables, token=token)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    assert "code" not in result, result
    return result  # type: ignore[no-any-return]


ADMIN_SCOPE = """mutation($input: UserInput!) { updateUser(input: $input) { __typename
  ... on UserError { code message } } }"""
BIN = """mutation($input: BinInput!) { saveBin(input: $input) { __typename
  ... on BinSuccess { bin { code } } ... on UserError { code message } } }"""


async def test_a_new_site_from_nothing_receives_puts_away_and_picks(empty_app: Any):
    async with empty_app.state.wms.sessions() as session:
        for table in EMPTY_TABLES:
            assert await session.scalar(select(func.count()).select_from(table)) == 0, table
    # The first admin comes from the command line (`wms users create`), as on a real site:
    # its own code, run on this database (main() would start a second event loop).
    args = cli.build_parser().parse_args(
        ["users", "create", "root", "--password", "first-admin-pw", "--role", "admin"]
    )
    assert await cli._create_user(args) == 0
    transport = httpx.ASGITransport(app=empty_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as client:
        gql = GQL(client, [])
        admin = await sign_in(gql, "root", "first-admin-pw")

        # Warehouse, dock/QC/packing zones and bins, racking from the generator.
        wh = (await ok(gql, WAREHOUSE, {"input": {"code": "NS1", "name": "New site"}}, admin))[
            "warehouse"
        ]
        wid = wh["id"]
        for code, kind in (
            ("RCV", "RECEIVING"),
            ("QC", "QC"),
            ("PACK", "PACKING"),
            ("DOCK", "SHIPPING"),
        ):
            await ok(
                gql,
                ZONE,
                {"input": {"warehouseId": wid, "code": code, "name": code, "kind": kind}},
                admin,
            )
            await ok(
                gql,
                BIN,
                {
                    "input": {
                        "warehouseId": wid,
                        "zoneCode": code,
                        "label": f"{code}-01",
                        "capacityUnits": 10000,
                    }
                },
                admin,
            )
        layout = {"warehouseId": wid, "aisles": 2, "bays": 6, "levels": 2, "pickFaceLevels": 1}
        saved = await ok(gql, SAVE_LAYOUT, {"input": layout}, admin)
        assert saved["created"] == 2 * 6 * 2 * 2
        await ok(
            gql,
            ADMIN_SCOPE,
            {
                "input": {
                    "username": "root",
                    "displayName": "Site admin",
                    "roles": ["admin"],
                    "warehouseIds": [wid],
                }
            },
            admin,
        )
        admin = await sign_in(gql, "root", "first-admin-pw")

        # Master data and opening stock by import.
        tea, rice = ean13("694000000001"), ean13("694000000002")
        files = {
            "users": "username,display_name,roles,warehouses,password,pin\n"
            "rx,Receiver,receiver,NS1,receiver-pw-1,1111\npx,Picker,picker,NS1,picker-pw-11,2222\n"
            "boss,Boss,supervisor,NS1,supervisor-pw,3333\n",
            "items": "sku,name,base_unit,gtin,case_qty,weight_g,length_mm,width_mm,height_mm\n"
            f"TEA-1,绿茶,EA,{tea},12,500,100,80,60\nRICE-1,Rice 5 kg,EA,{rice},4,5000,300,200,100\n",
            "suppliers": "code,name,lead_time_days,payment_terms\nSUP-1,Tea Farm,10,30 days\n",
            "customers": "code,name,credit_limit_cents\nCUS-1,Corner Shop,100000\n",
            "zones": "code,name,kind\nOVF,Overflow,RESERVE\n",
            "bins": "label,zone,capacity_units\nOVF-01,OVF,500\nOVF-02,OVF,500\n",
            "opening_stock": "bin,sku,quantity\nA01-001-1L,RICE-1,20\nOVF-01,RICE-1,8\n",
        }
        for kind, text in files.items():
            report = (await post(client, admin, kind, text.encode(), "apply")).json()
            assert report.get("applied") is True, (kind, report)

        # Receive a purchase order of tea and put it away where putaway says.
        boss = await sign_in(gql, "boss", "supervisor-pw")
        po = await create_po(
            gql,
            boss,
            [{"itemSku": "TEA-1", "quantity": 24, "unitPriceCents": 300}],
            supplier="SUP-1",
        )
        submitted = await gql(
            """mutation($c: String!) { submitPurchaseOrder(input: {poCode: $c}) {
            ... on PurchaseOrderSuccess { purchaseOrder { state } } } }""",
            {"c": po["code"]},
            token=boss,
        )
        assert submitted["data"]["submitPurchaseOrder"]["purchaseOrder"]["state"] == "APPROVED"
        receiver = await sign_in(gql, "rx", "receiver-pw-1")
        receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
        scanned = await scan(gql, receiver, receipt["id"], tea, quantity=24)
        assert scanned["__typename"] == "ScanReceiveSuccess", scanned
        closed = await close(gql, receiver, receipt["id"])
        (task_id,) = closed["putawayTaskIds"]
        plan = (await gql(SUGGEST, {"task": task_id}, token=receiver))["data"]["putawaySuggestion"]
        target = plan["suggestions"][0]["binCode"]
        assert target.startswith("BIN-NS1-"), plan
        put = await gql(
            PUTAWAY,
            {"input": {"taskId": task_id, "binCode": target, "idempotencyKey": key()}},
            token=receiver,
        )
        assert put["data"]["scanPutaway"]["taskDone"] is True, put

        # An order of tea and rice, a wave, and a pick in route order.
        order = await ok(
            gql,
            CREATE,
            {
                "input": {
                    "number": "SO-NS-1",
                    "customerCode": "CUS-1",
                    "lines": [
                        {"itemSku": "TEA-1", "quantity": 3},
                        {"itemSku": "RICE-1", "quantity": 2},
                    ],
                }
            },
            boss,
        )
        assert [line["reserved"] for line in order["order"]["lines"]] == [3, 2], order
        wave = await ok(
            gql,
            CREATE_WAVE,
            {"input": {"orderIds": [order["order"]["id"]], "cartLimits": {"totes": 2}}},
            boss,
        )
        released = await ok(gql, RELEASE, {"id": wave["wave"]["id"], "k": key()}, boss)
        (pick_task,) = released["pickTaskIds"]
        picker = await sign_in(gql, "px", "picker-pw-11")
        await ok(gql, CLAIM, {"id": pick_task, "k": key()}, picker)
        progress = await ok(gql, PROGRESS, {"id": pick_task}, picker)
        gtins = {"TEA-1": tea, "RICE-1": rice}
        tote = make_code(CodeKind.TOTE, "NS001")
        while progress["step"] != "DONE":
            stop = progress["next"]
            common = {"t": pick_task, "l": stop["lineId"]}
            await ok(gql, SCAN_BIN, {**common, "c": stop["binCode"], "k": key()}, picker)
            await ok(gql, SCAN_ITEM, {**common, "c": gtins[stop["itemSku"]], "k": key()}, picker)
            quantity = stop["quantity"] if stop["askQuantity"] else None
            progress = await ok(
                gql, CONFIRM, {**common, "tote": tote, "q": quantity, "k": key()}, picker
            )
        assert progress["taskState"] == "DONE" and progress["linesDone"] == 2

        # What landed in the ledger, read back through the lookup API.
        history = await ok(
            gql,
            """query($i: String!) { stockHistory(itemCode: $i) { ... on StockHistory {
            lines { reason quantity username } } } }""",
            {"i": "TEA-1"},
            admin,
        )
        reasons = [(x["reason"], x["quantity"], x["username"]) for x in history["lines"]]
        assert reasons[0] == ("PICK", 3, "px") and ("PUTAWAY", 24, "rx") in reasons
        stock = await ok(
            gql,
            """query($i: String!) { itemStock(itemCode: $i) { ... on ItemStock { totals { onHand } } } }""".replace(
                "itemCode", "code"
            ),
            {"i": "RICE-1"},
            admin,
        )
        # Picked units stay on hand (in the tote) until they ship.
        assert stock["totals"]["onHand"] == 20 + 8

        # The picker looks up what is where (stock.lookup): the bins as the book has them.
        looked = await ok(
            gql,
            """query($c: String!) { itemStock(code: $c) { ... on ItemStock {
            lines { binCode binLabel onHand } withheld { binCode } } } }""",
            {"c": rice},
            picker,
        )
        assert sum(x["onHand"] for x in looked["lines"]) == 28 and looked["withheld"] == []
        (overflow_line,) = [x for x in looked["lines"] if x["binLabel"] == "OVF-01"]
        overflow = await ok(
            gql,
            """query($c: String!) { binContents(code: $c) { ... on BinContents {
            lines { itemSku onHand } } } }""",
            {"c": "OVF-01"},
            picker,
        )
        rice_there = [x for x in overflow["lines"] if x["itemSku"] == "RICE-1"]
        assert rice_there == [{"itemSku": "RICE-1", "onHand": overflow_line["onHand"]}]
        opening = await ok(
            gql,
            """query($i: String!) { stockHistory(itemCode: $i) { ... on StockHistory {
            lines { reason quantity toBin } } } }""",
            {"i": "RICE-1"},
            picker,
        )
        assert sorted(x["quantity"] for x in opening["lines"] if x["reason"] == "OPENING") == [
            8,
            20,
        ]
    async with empty_app.state.wms.sessions() as session:
        assert await ledger_mismatches(session) == []
        state = await session.scalar(
            select(m.SalesOrder.state).where(m.SalesOrder.number == "SO-NS-1")
        )
        assert state == "PICKED"
