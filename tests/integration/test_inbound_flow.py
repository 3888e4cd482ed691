"""Purchase order to shelf: approve in two levels, scan-receive GS1-128, QC, put away."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.scan import CodeKind, make_code
from tests.integration.conftest import key
from tests.integration.test_inbound_support import (
    DECIDE_PO,
    PUTAWAY,
    QC,
    SUBMIT_PO,
    SUGGEST,
    add_buyer,
    close,
    create_po,
    fetch,
    gs1,
    gtins,
    item,
    on_hand,
    scan,
    sign_in,
    start,
)

ADD_RULE = """mutation($input: AddApprovalRuleInput!) { addApprovalRule(input: $input) {
  __typename ... on ApprovalRuleSuccess { rule { id level approverRole } }
  ... on UserError { code message } } }"""

INSPECT = """mutation($sku: String!) { setInspectOnReceipt(input: {itemSku: $sku, inspect: true}) {
  __typename ... on UserError { code message } } }"""


async def test_order_approved_in_two_levels_received_inspected_and_put_away(gql, session):
    snack = await item(session, "SKU-10003")  # lot and expiry tracked, ambient
    water = await item(session, "SKU-10000")  # not tracked
    assert snack.tracking == m.Tracking.LOT and snack.expiry_tracked
    _, snack_case, case_size = await gtins(session, "SKU-10003")
    water_each, _, _ = await gtins(session, "SKU-10000")
    buyer = await sign_in(gql, *(await add_buyer(session)))
    supervisor = await gql.token("supervisor")
    admin = await gql.token("admin")
    receiver = await gql.token("receiver")

    # Two levels: every order needs a supervisor; orders with an A item also an admin.
    for rule in (
        {"level": 1, "approverRole": "supervisor", "minAmountCents": 0},
        {"level": 2, "approverRole": "admin", "abcClass": snack.abc_class},
    ):
        body = await gql(ADD_RULE, {"input": rule}, token=supervisor)
        assert body["data"]["addApprovalRule"]["__typename"] == "ApprovalRuleSuccess", body

    po = await create_po(
        gql,
        buyer,
        [
            {
                "itemSku": "SKU-10003",
                "quantity": 2,
                "packaging": "case",
                "unitPriceCents": 1200,
                "dueDate": (date.today() + timedelta(days=3)).isoformat(),
            },
            {"itemSku": "SKU-10000", "quantity": 5, "unitPriceCents": 90},
        ],
    )
    assert po["state"] == "DRAFT"
    assert po["lines"][0] == {"itemSku": "SKU-10003", "orderedUnits": 2, "quantity": 2 * case_size}
    assert po["totalCents"] == 2 * 1200 + 5 * 90
    assert po["code"] == make_code(CodeKind.PO, po["number"])

    submitted = await gql(SUBMIT_PO, {"code": po["code"]}, token=buyer)
    assert submitted["data"]["submitPurchaseOrder"]["purchaseOrder"]["requiredLevels"] == [1, 2]

    own = await gql(DECIDE_PO, {"code": po["number"], "approve": True}, token=buyer)
    assert own["data"]["decidePurchaseOrder"]["code"] == "SELF_APPROVAL"
    by_receiver = await gql(DECIDE_PO, {"code": po["number"], "approve": True}, token=receiver)
    assert by_receiver["data"]["decidePurchaseOrder"]["__typename"] == "PermissionDenied"

    first = await gql(DECIDE_PO, {"code": po["code"], "approve": True}, token=supervisor)
    first = first["data"]["decidePurchaseOrder"]
    assert first["level"] == 1 and first["purchaseOrder"]["state"] == "SUBMITTED"
    second_by_supervisor = await gql(
        DECIDE_PO, {"code": po["code"], "approve": True}, token=supervisor
    )
    assert second_by_supervisor["data"]["decidePurchaseOrder"]["code"] == "APPROVER_ROLE_REQUIRED"
    second = await gql(DECIDE_PO, {"code": po["code"], "approve": True}, token=admin)
    second = second["data"]["decidePurchaseOrder"]
    assert second["level"] == 2
    assert second["purchaseOrder"]["state"] == "APPROVED"
    assert [
        (d["level"], d["decision"], d["role"]) for d in second["purchaseOrder"]["decisions"]
    ] == [
        (1, "APPROVED", "supervisor"),
        (2, "APPROVED", "admin"),
    ]
    receive_task = await fetch(
        session, select(m.Task).where(m.Task.id == int(second["purchaseOrder"]["receiveTaskId"]))
    )
    assert receive_task.kind == "RECEIVE"
    audited = await fetch(
        session,
        select(func.count()).where(m.AuditEntry.action == "decidePurchaseOrder"),
    )
    assert audited == 2

    body = await gql(INSPECT, {"sku": "SKU-10003"}, token=supervisor)
    assert body["data"]["setInspectOnReceipt"]["__typename"] == "InspectOnReceiptSuccess"

    # The receiver scans the printed order barcode, then the goods.
    started = await start(gql, receiver, poCode=po["code"])
    receipt = started["receipt"]
    assert started["next"]["action"] == "SCAN_ITEM"
    assert {e["itemSku"]: e["remaining"] for e in receipt["expected"]} == {
        "SKU-10003": 2 * case_size,
        "SKU-10000": 5,
    }
    expiry = date.today() + timedelta(days=200)
    label = gs1(snack_case, expiry=expiry, lot="LOT42A")
    one = await scan(gql, receiver, receipt["id"], label)
    assert one["__typename"] == "ScanReceiveSuccess", one
    assert one["received"] == {
        "lineId": one["received"]["lineId"],
        "itemSku": "SKU-10003",
        "quantity": case_size,  # one case: the unit the GTIN names
        "lotNumber": "LOT42A",
        "expiry": expiry.isoformat(),
        "serialNumber": None,
        "status": "QUARANTINE",
    }
    two = await scan(gql, receiver, receipt["id"], label)
    assert two["__typename"] == "ScanReceiveSuccess"
    water_scan = await scan(gql, receiver, receipt["id"], water_each, quantity=5)
    assert water_scan["received"]["status"] == "AVAILABLE"
    assert water_scan["next"]["action"] == "CLOSE_RECEIPT"

    dock = await fetch(session, select(m.Bin).where(m.Bin.code == receipt["dockBinCode"]))
    assert await on_hand(session, snack.id, dock.id, "QUARANTINE") == 2 * case_size

    closed = await close(gql, receiver, receipt["id"])
    assert closed["qcTaskId"] is not None
    assert len(closed["putawayTaskIds"]) == 1  # the water; the snacks wait for QC
    po_state = await fetch(
        session, select(m.PurchaseOrder.state).where(m.PurchaseOrder.code == po["code"])
    )
    assert po_state == "RECEIVED"

    snack_line = next(x for x in closed["receipt"]["lines"] if x["itemSku"] == "SKU-10003")
    passed = await gql(
        QC, {"line": snack_line["id"], "result": "PASS", "key": key()}, token=receiver
    )
    passed = passed["data"]["recordQc"]
    assert passed["line"] == {"status": "QUARANTINE", "qcResult": "PASS"}
    assert passed["putawayTaskId"] is not None
    assert await on_hand(session, snack.id, dock.id, "AVAILABLE") == 2 * case_size
    qc_state = await fetch(
        session, select(m.Task.state).where(m.Task.id == int(closed["qcTaskId"]))
    )
    assert qc_state == "DONE"

    for task_id, the_item, quantity in (
        (passed["putawayTaskId"], snack, 2 * case_size),
        (closed["putawayTaskIds"][0], water, 5),
    ):
        plan = (await gql(SUGGEST, {"task": task_id}, token=receiver))["data"]["putawaySuggestion"]
        assert plan["__typename"] == "PutawayPlan", plan
        assert plan["remaining"] == quantity and plan["suggestions"], plan
        target = plan["suggestions"][0]["binCode"]
        put = await gql(
            PUTAWAY,
            {"input": {"taskId": task_id, "binCode": target, "idempotencyKey": key()}},
            token=receiver,
        )
        put = put["data"]["scanPutaway"]
        assert put["__typename"] == "ScanPutawaySuccess", put
        assert put == {
            "__typename": "ScanPutawaySuccess",
            "taskId": task_id,
            "binCode": target,
            "quantity": quantity,
            "overridden": False,
            "remaining": 0,
            "taskDone": True,
            "suggestions": [],
        }
        target_bin = await fetch(session, select(m.Bin).where(m.Bin.code == target))
        assert await on_hand(session, the_item.id, target_bin.id, "AVAILABLE") >= quantity
        assert await on_hand(session, the_item.id, dock.id) == 0

    lot = await session.scalar(
        select(m.Lot).where(m.Lot.item_id == snack.id, m.Lot.lot_number == "LOT42A")
    )
    assert lot is not None and lot.expiry == expiry
    moves = (
        await session.scalars(
            select(m.StockMove.reason)
            .where(m.StockMove.item_id == snack.id, m.StockMove.lot_id == lot.id)
            .order_by(m.StockMove.id)
        )
    ).all()
    assert moves == ["RECEIPT", "RECEIPT", "STATUS_CHANGE", "PUTAWAY"]
    assert await ledger_mismatches(session) == []


CANCEL_PO = """mutation($code: String!) { cancelPurchaseOrder(input: {poCode: $code, reason: "dup"}) {
  __typename ... on PurchaseOrderSuccess { purchaseOrder { state } } ... on UserError { code } } }"""


async def test_a_rejected_order_goes_back_to_draft_and_is_reviewed_afresh(gql, session):
    buyer = await sign_in(gql, *(await add_buyer(session, "buyer2")))
    supervisor = await gql.token("supervisor")
    body = await gql(
        ADD_RULE,
        {"input": {"level": 1, "approverRole": "supervisor", "minAmountCents": 1000}},
        token=supervisor,
    )
    assert body["data"]["addApprovalRule"]["__typename"] == "ApprovalRuleSuccess"
    po = await create_po(
        gql, buyer, [{"itemSku": "SKU-10000", "quantity": 100, "unitPriceCents": 20}]
    )
    await gql(SUBMIT_PO, {"code": po["code"]}, token=buyer)
    silent = await gql(DECIDE_PO, {"code": po["code"], "approve": False}, token=supervisor)
    assert silent["data"]["decidePurchaseOrder"]["code"] == "INVALID_INPUT"  # say why
    rejected = await gql(
        DECIDE_PO, {"code": po["code"], "approve": False, "comment": "price"}, token=supervisor
    )
    assert rejected["data"]["decidePurchaseOrder"]["purchaseOrder"]["state"] == "DRAFT"
    again = await gql(SUBMIT_PO, {"code": po["code"]}, token=buyer)
    assert again["data"]["submitPurchaseOrder"]["purchaseOrder"]["state"] == "SUBMITTED"
    approved = await gql(DECIDE_PO, {"code": po["code"], "approve": True}, token=supervisor)
    result = approved["data"]["decidePurchaseOrder"]["purchaseOrder"]
    assert result["state"] == "APPROVED"
    assert [d["decision"] for d in result["decisions"]] == ["REJECTED", "APPROVED"]
    twice = await gql(DECIDE_PO, {"code": po["code"], "approve": True}, token=supervisor)
    assert twice["data"]["decidePurchaseOrder"]["code"] == "INVALID_STATE"

    cancelled = await gql(CANCEL_PO, {"code": po["code"]}, token=buyer)
    assert cancelled["data"]["cancelPurchaseOrder"]["purchaseOrder"]["state"] == "CANCELLED"
    task_state = await fetch(
        session, select(m.Task.state).where(m.Task.id == int(result["receiveTaskId"]))
    )
    assert task_state == "CANCELLED"
    receiver = await gql.token("receiver")
    body = await gql(
        """mutation($code: String!) { startReceipt(input: {poCode: $code, idempotencyKey: "k1"}) {
        __typename ... on UserError { code } } }""",
        {"code": po["code"]},
        token=receiver,
    )
    assert body["data"]["startReceipt"]["code"] == "INVALID_STATE"
