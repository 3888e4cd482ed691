"""Bad input at the dock: each refusal has a stable code and changes no stock."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.test_inbound_support import (
    CREATE_PO,
    PUTAWAY,
    SCAN,
    START,
    SUGGEST,
    approved_po,
    close,
    fetch,
    gs1,
    gtins,
    item,
    on_hand,
    scan,
    start,
)

SETTINGS = """mutation($input: SetInboundSettingsInput!) { setInboundSettings(input: $input) {
  __typename ... on UserError { code message } } }"""

ALLOW = """mutation($id: ID!) { allowUnplannedItems(input: {receiptId: $id, allow: true}) {
  __typename ... on ReceiptSuccess { receipt { allowUnplanned } } ... on UserError { code } } }"""

CLOSE_PO = """mutation($code: String!) { closePurchaseOrder(input: {poCode: $code}) {
  __typename ... on PurchaseOrderSuccess { purchaseOrder { state } }
  ... on UserError { code } } }"""


async def moves(session) -> int:
    return int(await fetch(session, select(func.count()).select_from(m.StockMove)))


async def settings(gql, tolerance: int, policy: str = "REFUSE") -> None:
    body = await gql(
        SETTINGS,
        {"input": {"tolerancePercent": tolerance, "expiredLotPolicy": policy, "warehouseId": "1"}},
        token=await gql.token("supervisor"),
    )
    assert body["data"]["setInboundSettings"]["__typename"] == "InboundSettingsSuccess", body


async def test_unknown_and_closed_orders_are_refused(gql, session):
    receiver = await gql.token("receiver")
    for code in ("PO-W1-999999", "PO-W1-000001-0", "nonsense", "BIN-W1-RCV-01-9"):
        body = await gql(
            START, {"input": {"poCode": code, "idempotencyKey": key()}}, token=receiver
        )
        result = body["data"]["startReceipt"]
        assert result["code"] in ("PO_NOT_FOUND", "SCAN_WRONG_KIND", "SCAN_BAD_CHECK_DIGIT"), (
            code,
            result,
        )
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 5, "unitPriceCents": 10}])
    closed = await gql(CLOSE_PO, {"code": po["code"]}, token=await gql.token("supervisor"))
    assert closed["data"]["closePurchaseOrder"]["purchaseOrder"]["state"] == "CLOSED"
    body = await gql(
        START, {"input": {"poCode": po["code"], "idempotencyKey": key()}}, token=receiver
    )
    assert body["data"]["startReceipt"]["code"] == "INVALID_STATE"
    assert await fetch(session, select(func.count()).select_from(m.Receipt)) == 0


async def test_draft_order_lines_refuse_bad_quantities_and_units(gql):
    admin = await gql.token("admin")
    for line, code in (
        ({"itemSku": "SKU-10000", "quantity": 0, "unitPriceCents": 1}, "INVALID_QUANTITY"),
        ({"itemSku": "SKU-10000", "quantity": -3, "unitPriceCents": 1}, "INVALID_QUANTITY"),
        ({"itemSku": "SKU-10000", "quantity": 10**9, "unitPriceCents": 1}, "QUANTITY_TOO_LARGE"),
        ({"itemSku": "SKU-10000", "quantity": 1, "unitPriceCents": -1}, "INVALID_INPUT"),
        (
            {"itemSku": "SKU-10000", "quantity": 1, "unitPriceCents": 1, "packaging": "crate"},
            "INVALID_INPUT",
        ),
        ({"itemSku": "NOPE", "quantity": 1, "unitPriceCents": 1}, "ITEM_NOT_FOUND"),
    ):
        body = await gql(
            CREATE_PO, {"input": {"supplierCode": "SUP-ACME", "lines": [line]}}, token=admin
        )
        assert body["data"]["createPurchaseOrder"]["code"] == code, (line, body)


async def test_wrong_item_needs_a_supervisor_and_bad_scans_change_nothing(gql, session):
    await settings(gql, 0)
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 10, "unitPriceCents": 10}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    other_each, _, _ = await gtins(session, "SKU-10004")
    water_each, water_case, case_size = await gtins(session, "SKU-10000")
    before = await moves(session)

    wrong = await scan(gql, receiver, receipt["id"], other_each)
    assert wrong["code"] == "NOT_ON_ORDER"
    for code, expected in (
        ("", "SCAN_EMPTY"),
        ("12345", "SCAN_MALFORMED"),
        ("]C10108712340000000", "SCAN_MALFORMED"),
        ("BIN-W1-RCV-01-9", "SCAN_WRONG_KIND"),
        ("00012345600000000001", "SCAN_UNKNOWN_CODE"),
    ):
        result = await scan(gql, receiver, receipt["id"], code)
        assert result["__typename"] != "ScanReceiveSuccess", (code, result)
        assert result["code"].startswith("SCAN_"), (code, result)
        if expected == "SCAN_WRONG_KIND":
            assert result["code"] == expected
    for quantity, expected in (
        (0, "INVALID_QUANTITY"),
        (-2, "INVALID_QUANTITY"),
        (10**8, "QUANTITY_TOO_LARGE"),
    ):
        result = await scan(gql, receiver, receipt["id"], water_case, quantity=quantity)
        assert result["code"] == expected, (quantity, result)
    # 10 ordered, no tolerance: a case of more than 10 is over; so is an eleventh unit.
    if case_size > 10:
        result = await scan(gql, receiver, receipt["id"], water_case)
        assert result["code"] == "OVER_RECEIPT"
    result = await scan(gql, receiver, receipt["id"], water_each, quantity=11)
    assert result["code"] == "OVER_RECEIPT"
    unknown_receipt = await scan(gql, receiver, "999999", water_each)
    assert unknown_receipt["code"] == "RECEIPT_NOT_FOUND"
    assert await moves(session) == before

    # A receiver may not allow it; a supervisor may.
    denied = await gql(ALLOW, {"id": receipt["id"]}, token=receiver)
    assert denied["data"]["allowUnplannedItems"]["__typename"] == "PermissionDenied"
    allowed = await gql(ALLOW, {"id": receipt["id"]}, token=await gql.token("supervisor"))
    assert allowed["data"]["allowUnplannedItems"]["receipt"]["allowUnplanned"] is True
    extra = await scan(gql, receiver, receipt["id"], other_each, quantity=2)
    assert extra["__typename"] == "ScanReceiveSuccess", extra
    line = next(x for x in extra["receipt"]["lines"] if x["itemSku"] == "SKU-10004")
    assert line["notOnOrder"] is True

    await close(gql, receiver, receipt["id"])
    again = await scan(gql, receiver, receipt["id"], water_each)
    assert again["code"] == "INVALID_STATE"
    report = await gql(
        "{ receivingDiscrepancies { kind itemSku expected quantity } }",
        token=await gql.token("supervisor"),
    )
    kinds = {(d["kind"], d["itemSku"]) for d in report["data"]["receivingDiscrepancies"]}
    assert ("NOT_ON_ORDER", "SKU-10004") in kinds
    assert ("UNDER", "SKU-10000") in kinds
    assert await ledger_mismatches(session) == []


async def test_lot_and_expiry_are_asked_for_and_expired_lots_refused_or_quarantined(gql, session):
    snack = await item(session, "SKU-10003")
    _, case, case_size = await gtins(session, "SKU-10003")
    await settings(gql, 0, "REFUSE")
    po = await approved_po(
        gql, [{"itemSku": "SKU-10003", "quantity": 3, "packaging": "case", "unitPriceCents": 10}]
    )
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]

    bare = await scan(gql, receiver, receipt["id"], case)
    assert (bare["code"], bare["field"]) == ("LOT_REQUIRED", "lotNumber")
    no_expiry = await scan(gql, receiver, receipt["id"], case, lotNumber="L-1")
    assert (no_expiry["code"], no_expiry["field"]) == ("EXPIRY_REQUIRED", "expiry")
    old = date.today() - timedelta(days=2)
    expired = await scan(gql, receiver, receipt["id"], gs1(case, expiry=old, lot="OLD1"))
    assert expired["code"] == "LOT_EXPIRED"
    assert await on_hand(session, snack.id, status="QUARANTINE") == 0

    typed = await scan(
        gql,
        receiver,
        receipt["id"],
        case,
        lotNumber="L-1",
        expiry=(date.today() + timedelta(days=90)).isoformat(),
    )
    assert (
        typed["__typename"] == "ScanReceiveSuccess" and typed["received"]["status"] == "AVAILABLE"
    )

    await settings(gql, 0, "QUARANTINE")
    quarantined = await scan(gql, receiver, receipt["id"], gs1(case, expiry=old, lot="OLD1"))
    assert quarantined["received"]["status"] == "QUARANTINE"
    assert await on_hand(session, snack.id, status="QUARANTINE") == case_size
    assert await ledger_mismatches(session) == []


async def test_a_lot_tracked_item_not_on_the_order_is_refused_before_its_lot_is_asked(gql, session):
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 5, "unitPriceCents": 10}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    snack_each, _, _ = await gtins(session, "SKU-10003")  # lot and expiry tracked
    before = await moves(session)
    lots = await fetch(session, select(func.count()).select_from(m.Lot))

    refused = await scan(gql, receiver, receipt["id"], snack_each)
    assert (refused["code"], refused["field"]) == ("NOT_ON_ORDER", "code")
    assert "SKU-10003" in refused["message"]
    # With a lot and an expiry typed in, still the same answer, and nothing written.
    typed = await scan(
        gql,
        receiver,
        receipt["id"],
        snack_each,
        lotNumber="L-9",
        expiry=(date.today() + timedelta(days=30)).isoformat(),
    )
    assert typed["code"] == "NOT_ON_ORDER"
    assert await moves(session) == before
    assert await fetch(session, select(func.count()).select_from(m.Lot)) == lots
    assert await fetch(session, select(func.count()).select_from(m.ReceiptLine)) == 0


async def test_a_replayed_scan_receives_once(gql, session):
    water = await item(session, "SKU-10000")
    water_each, _, _ = await gtins(session, "SKU-10000")
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 10, "unitPriceCents": 10}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    before = await on_hand(session, water.id)
    variables = {
        "input": {
            "receiptId": receipt["id"],
            "code": water_each,
            "quantity": 4,
            "idempotencyKey": key(),
        }
    }
    first = await gql(SCAN, variables, token=receiver)
    again = await gql(SCAN, variables, token=receiver)
    assert first == again
    assert await on_hand(session, water.id) == before + 4
    reused = await gql(SCAN, {"input": {**variables["input"], "quantity": 5}}, token=receiver)
    assert reused["data"]["scanReceive"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await on_hand(session, water.id) == before + 4


async def test_tolerance_allows_a_little_over_and_no_more(gql, session):
    await settings(gql, 10)
    water_each, _, _ = await gtins(session, "SKU-10000")
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 20, "unitPriceCents": 10}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    ok = await scan(gql, receiver, receipt["id"], water_each, quantity=22)  # 20 + 10 %
    assert ok["__typename"] == "ScanReceiveSuccess", ok
    over = await scan(gql, receiver, receipt["id"], water_each)
    assert over["code"] == "OVER_RECEIPT"
    await close(gql, receiver, receipt["id"])
    report = await gql(
        "{ receivingDiscrepancies { kind poNumber expected quantity } }",
        token=await gql.token("supervisor"),
    )
    assert {"kind": "OVER", "poNumber": po["number"], "expected": 20, "quantity": 22} in report[
        "data"
    ]["receivingDiscrepancies"]


async def test_putaway_refuses_unsuitable_bins_and_asks_why_for_another(gql, session):
    water = await item(session, "SKU-10000")
    water_each, _, _ = await gtins(session, "SKU-10000")
    po = await approved_po(gql, [{"itemSku": "SKU-10000", "quantity": 6, "unitPriceCents": 10}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    await scan(gql, receiver, receipt["id"], water_each, quantity=6)
    task_id = (await close(gql, receiver, receipt["id"]))["putawayTaskIds"][0]
    plan = (await gql(SUGGEST, {"task": task_id}, token=receiver))["data"]["putawaySuggestion"]
    suggested = {s["binCode"] for s in plan["suggestions"]}

    cold = await fetch(
        session, select(m.Bin).where(m.Bin.storage_class == "COLD").order_by(m.Bin.id)
    )
    qc_bin = await fetch(
        session,
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == "QC")
        .order_by(m.Bin.id),
    )
    other = await fetch(
        session,
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Zone.kind == "RESERVE", m.Bin.storage_class == "AMBIENT", m.Bin.code.not_in(suggested)
        )
        .order_by(m.Bin.id.desc()),
    )
    before = await moves(session)

    async def put(bin_code: str, **extra):
        body = await gql(
            PUTAWAY,
            {"input": {"taskId": task_id, "binCode": bin_code, "idempotencyKey": key(), **extra}},
            token=receiver,
        )
        return body["data"]["scanPutaway"]

    for code, expected in (
        (cold.code, "BIN_NOT_SUITABLE"),
        (qc_bin.code, "BIN_NOT_SUITABLE"),
        ("BIN-NOPE-1-0", "SCAN_"),
        (water_each, "SCAN_WRONG_KIND"),
    ):
        refused = await put(code, overrideReason="closer")
        assert refused["code"].startswith(expected), (code, refused)
    too_many = await put(plan["suggestions"][0]["binCode"], quantity=7)
    assert too_many["code"] == "INVALID_QUANTITY"
    needs_reason = await put(other.code)
    assert needs_reason["code"] == "OVERRIDE_REASON_REQUIRED"
    assert await moves(session) == before

    part = await put(other.code, quantity=2, overrideReason="suggested bin is blocked by a pallet")
    assert part["__typename"] == "ScanPutawaySuccess" and part["overridden"] is True
    assert part["remaining"] == 4 and part["taskDone"] is False and part["suggestions"]
    rest = await put(part["suggestions"][0]["binCode"])
    assert rest["taskDone"] is True and rest["remaining"] == 0
    done_already = await put(other.code, overrideReason="again")
    assert done_already["code"] == "INVALID_STATE"
    reason = await fetch(
        session,
        select(m.PutawayConfirmation.override_reason).where(
            m.PutawayConfirmation.bin_id == other.id
        ),
    )
    assert reason == "suggested bin is blocked by a pallet"
    assert await on_hand(session, water.id, other.id) >= 2
    assert await ledger_mismatches(session) == []
