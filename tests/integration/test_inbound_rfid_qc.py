"""Serials (scanned and RFID), QC failure to a return to vendor, customer returns, transfers."""

from __future__ import annotations

from epcpy.epc_schemes.sgtin import SGTIN, SGTINFilterValue
from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.test_inbound_support import (
    QC,
    START,
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

RFID = """mutation($input: ReceiveRfidInput!) { receiveRfid(input: $input) { __typename
  ... on ReceiveRfidSuccess { accepted refused tags { epc gtin serialNumber itemSku accepted code }
  receipt { expected { itemSku remaining } } next { action } }
  ... on UserError { code message } } }"""

SHIP_RTV = """mutation($id: ID!) { shipReturnToVendor(input: {id: $id}) { __typename
  ... on ReturnToVendorSuccess { returnToVendor { state quantity } } ... on UserError { code } } }"""

PERFORMANCE = """{ supplierPerformance { supplierCode receiptLines onTimeRate quantityAccuracy
  qcRejectRate } }"""

SERIAL_SKU = "SKU-10015"  # electronics, tracked by serial


def epc(gtin: str, serial: str) -> str:
    tag = SGTIN.from_gtin_plus_serial(gtin, serial, 7)
    return tag.hex(
        binary_coding_scheme=SGTIN.BinaryCodingScheme.SGTIN_96,
        filter_value=SGTINFilterValue.POS_ITEM,
    )


async def test_serials_one_scan_each_never_twice_in_stock(gql, session):
    radio = await item(session, SERIAL_SKU)
    assert radio.tracking == m.Tracking.SERIAL
    each, case, _ = await gtins(session, SERIAL_SKU)
    po = await approved_po(gql, [{"itemSku": SERIAL_SKU, "quantity": 3, "unitPriceCents": 100}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]

    missing = await scan(gql, receiver, receipt["id"], each)
    assert (missing["code"], missing["field"]) == ("SERIAL_REQUIRED", "serialNumber")
    first = await scan(gql, receiver, receipt["id"], gs1(each, serial="SN0001"))
    assert first["received"]["serialNumber"] == "SN0001"
    assert first["next"] == {
        "action": "SCAN_SERIAL",
        "message": first["next"]["message"],
        "itemSku": SERIAL_SKU,
    }
    twice = await scan(gql, receiver, receipt["id"], gs1(each, serial="SN0001"))
    assert twice["code"] == "SERIAL_IN_STOCK"
    typed = await scan(gql, receiver, receipt["id"], each, serialNumber="SN0002")
    assert typed["__typename"] == "ScanReceiveSuccess"
    a_case = await scan(gql, receiver, receipt["id"], case, serialNumber="SN0003")
    assert a_case["code"] == "INVALID_QUANTITY"  # a case is not one serial
    assert await on_hand(session, radio.id) == 2
    count = await fetch(session, select(func.count()).where(m.SerialNumber.item_id == radio.id))
    assert count == 2


async def test_an_rfid_batch_receives_each_tag_once_and_refuses_bad_tags(gql, session):
    radio = await item(session, SERIAL_SKU)
    each, _, _ = await gtins(session, SERIAL_SKU)
    po = await approved_po(gql, [{"itemSku": SERIAL_SKU, "quantity": 4, "unitPriceCents": 100}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    assert await scan(gql, receiver, receipt["id"], gs1(each, serial="900"))
    tags = [epc(each, str(n)) for n in (901, 902, 903)]
    batch = [
        tags[0],
        tags[1],
        tags[0].lower(),  # the same tag read again
        tags[2],
        epc(each, "900"),  # already received by scan
        "3074257BF7194E4000001A85",  # a valid SGTIN of an item we do not know
        "E2801160600002054CC2096F",  # a TID, not an SGTIN
        "XYZ",
    ]
    body = await gql(
        RFID,
        {"input": {"receiptId": receipt["id"], "epcs": batch, "idempotencyKey": key()}},
        token=receiver,
    )
    result = body["data"]["receiveRfid"]
    assert result["__typename"] == "ReceiveRfidSuccess", result
    assert result["accepted"] == 3 and result["refused"] == 4
    by_epc = {t["epc"]: t for t in result["tags"]}
    assert by_epc[tags[1]] == {
        "epc": tags[1],
        "gtin": each,
        "serialNumber": "902",
        "itemSku": SERIAL_SKU,
        "accepted": True,
        "code": None,
    }
    assert by_epc[epc(each, "900")]["code"] == "SERIAL_IN_STOCK"
    assert by_epc["3074257BF7194E4000001A85"]["code"] == "SCAN_UNKNOWN_CODE"
    assert by_epc["3074257BF7194E4000001A85"]["gtin"] == "80614141123458"
    assert by_epc["E2801160600002054CC2096F"]["code"] == "SCAN_MALFORMED"
    assert result["receipt"]["expected"] == [{"itemSku": SERIAL_SKU, "remaining": 0}]
    assert result["next"]["action"] == "CLOSE_RECEIPT"
    assert await on_hand(session, radio.id) == 4
    assert await ledger_mismatches(session) == []


async def test_a_failed_inspection_blocks_the_stock_and_returns_it_to_the_vendor(gql, session):
    water = await item(session, "SKU-10004")
    each, _, _ = await gtins(session, "SKU-10004")
    supervisor = await gql.token("supervisor")
    flag = await gql(
        """mutation { setInspectOnReceipt(input: {supplierCode: "SUP-CLEAN", inspect: true}) {
        __typename } }""",
        token=supervisor,
    )
    assert flag["data"]["setInspectOnReceipt"]["__typename"] == "InspectOnReceiptSuccess"
    po = await approved_po(
        gql, [{"itemSku": "SKU-10004", "quantity": 8, "unitPriceCents": 100}], supplier="SUP-CLEAN"
    )
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    got = await scan(gql, receiver, receipt["id"], each, quantity=8)
    assert got["received"]["status"] == "QUARANTINE"
    line_id = got["received"]["lineId"]
    early = await gql(
        QC, {"line": line_id, "result": "FAIL", "note": "wet", "key": key()}, token=receiver
    )
    assert early["data"]["recordQc"]["code"] == "INVALID_STATE"  # close the receipt first
    closed = await close(gql, receiver, receipt["id"])
    assert closed["putawayTaskIds"] == [] and closed["qcTaskId"]
    no_note = await gql(QC, {"line": line_id, "result": "FAIL", "key": key()}, token=receiver)
    assert no_note["data"]["recordQc"]["code"] == "INVALID_INPUT"
    bad = await gql(QC, {"line": line_id, "result": "MAYBE", "key": key()}, token=receiver)
    assert bad["data"]["recordQc"]["code"] == "INVALID_INPUT"
    failed = await gql(
        QC, {"line": line_id, "result": "FAIL", "note": "cartons wet", "key": key()}, token=receiver
    )
    failed = failed["data"]["recordQc"]
    assert failed["line"]["qcResult"] == "FAIL" and failed["putawayTaskId"] is None
    assert failed["returnToVendor"]["state"] == "OPEN"
    assert failed["returnToVendor"]["quantity"] == 8
    twice = await gql(QC, {"line": line_id, "result": "PASS", "key": key()}, token=receiver)
    assert twice["data"]["recordQc"]["code"] == "INVALID_STATE"
    dock = await fetch(session, select(m.Bin).where(m.Bin.code == receipt["dockBinCode"]))
    assert await on_hand(session, water.id, dock.id, "BLOCKED") == 8

    shipped = await gql(SHIP_RTV, {"id": failed["returnToVendor"]["id"]}, token=supervisor)
    assert shipped["data"]["shipReturnToVendor"]["returnToVendor"]["state"] == "SHIPPED"
    again = await gql(SHIP_RTV, {"id": failed["returnToVendor"]["id"]}, token=supervisor)
    assert again["data"]["shipReturnToVendor"]["code"] == "INVALID_STATE"
    assert await on_hand(session, water.id, dock.id) == 0

    figures = await gql(PERFORMANCE, token=supervisor)
    clean = next(
        f for f in figures["data"]["supplierPerformance"] if f["supplierCode"] == "SUP-CLEAN"
    )
    assert clean["qcRejectRate"] == 1.0 and clean["receiptLines"] == 1
    assert clean["quantityAccuracy"] == 1.0  # all 8 arrived, even though they failed QC
    assert await ledger_mismatches(session) == []


async def test_customer_returns_go_to_quarantine_and_transfers_need_their_source(gql, session):
    each, _, _ = await gtins(session, "SKU-10000")
    receiver = await gql.token("receiver")
    returned = await start(gql, receiver, kind="RETURN", customerCode="CUS-ALBA", reference="RMA-7")
    receipt = returned["receipt"]
    assert receipt["kind"] == "RETURN" and receipt["allowUnplanned"] is True
    got = await scan(gql, receiver, receipt["id"], each, quantity=2)
    assert got["received"]["status"] == "QUARANTINE"
    closed = await close(gql, receiver, receipt["id"])
    assert closed["qcTaskId"] is not None

    no_customer = await gql(
        START,
        {"input": {"kind": "RETURN", "customerCode": "CUS-NOPE", "idempotencyKey": key()}},
        token=receiver,
    )
    assert no_customer["data"]["startReceipt"]["code"] == "CUSTOMER_NOT_FOUND"
    own = await gql(
        START,
        {"input": {"kind": "TRANSFER", "sourceWarehouseCode": "W1", "idempotencyKey": key()}},
        token=receiver,
    )
    assert own["data"]["startReceipt"]["code"] == "NOT_FOUND"
    bad_kind = await gql(
        START, {"input": {"kind": "GIFT", "idempotencyKey": key()}}, token=receiver
    )
    assert bad_kind["data"]["startReceipt"]["code"] == "INVALID_INPUT"
    assert await ledger_mismatches(session) == []
