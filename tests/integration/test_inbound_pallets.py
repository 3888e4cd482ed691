"""Pallets received by SSCC (announced or by their GS1 label) and the serial register."""

from __future__ import annotations

import asyncio
import itertools
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.printing.sscc import sscc18
from tests.integration.conftest import key
from tests.integration.test_inbound_support import (
    QC,
    SCAN,
    approved_po,
    close,
    fetch,
    gtins,
    item,
    on_hand,
    start,
)
from tests.integration.test_packing import Article, pack_completely, picked_order
from tests.integration.test_shipping import SHIP, ship_vars

ANNOUNCE = """mutation($input: AnnouncePalletsInput!) { announcePallets(input: $input) {
  __typename ... on AnnouncePalletsSuccess { poNumber pallets { sscc state poNumber reference
  lines { lineNo itemSku quantity lotNumber expiry serialNumbers } } }
  ... on UserError { code message field } } }"""

PALLETS = """query($po: String!) { inboundPallets(poCode: $po) { sscc state receiptId
  lines { itemSku quantity } } }"""

SCAN_PALLET = """mutation($input: ScanReceiveInput!) { scanReceive(input: $input) { __typename
  ... on ScanReceiveSuccess { received { itemSku quantity }
    pallet { sscc reference announced goods { itemSku quantity lotNumber expiry serialNumber
    status } }
    receipt { id expected { itemSku ordered received remaining } } next { action } }
  ... on UserError { code message field } } }"""

TRACE = """query($sku: String!, $serial: String!) { serialNumber(itemSku: $sku,
  serialNumber: $serial) { serialNumber itemSku state receiptReference lotNumber leftAt
  leftReference } }"""

SHIP_RTV = """mutation($id: ID!) { shipReturnToVendor(input: {id: $id}) { __typename
  ... on ReturnToVendorSuccess { returnToVendor { code state } } ... on UserError { code } } }"""

SERIAL_SKU = "SKU-10015"  # electronics, tracked by serial
LOT_SKU = "SKU-10003"  # lot and expiry tracked
PLAIN_SKU = "SKU-10000"  # not tracked

_serials = itertools.count(9000)


def new_sscc() -> str:
    return sscc18(3, "0614141", next(_serials))


async def announce(gql: Any, token: str, po_code: str, pallets: list[dict[str, Any]]) -> Any:
    body = await gql(
        ANNOUNCE,
        {
            "input": {
                "poCode": po_code,
                "reference": "ASN-77",
                "pallets": pallets,
                "idempotencyKey": key(),
            }
        },
        token=token,
    )
    assert "errors" not in body, body
    return body["data"]["announcePallets"]


async def scan_pallet(gql: Any, token: str, receipt_id: str, code: str, **extra: Any) -> Any:
    body = await gql(
        SCAN_PALLET,
        {"input": {"receiptId": receipt_id, "code": code, "idempotencyKey": key(), **extra}},
        token=token,
    )
    assert "errors" not in body, body
    return body["data"]["scanReceive"]


async def trace(gql: Any, token: str, sku: str, serial: str) -> Any:
    body = await gql(TRACE, {"sku": sku, "serial": serial}, token=token)
    assert "errors" not in body, body
    return body["data"]["serialNumber"]


async def test_an_announced_pallet_is_received_whole_with_one_scan(gql, session):
    snack = await item(session, LOT_SKU)
    water = await item(session, PLAIN_SKU)
    radio = await item(session, SERIAL_SKU)
    _, _, case_size = await gtins(session, LOT_SKU)
    po = await approved_po(
        gql,
        [
            {"itemSku": LOT_SKU, "quantity": 2 * case_size, "unitPriceCents": 100},
            {"itemSku": PLAIN_SKU, "quantity": 5, "unitPriceCents": 90},
            {"itemSku": SERIAL_SKU, "quantity": 2, "unitPriceCents": 900},
        ],
    )
    expiry = date.today() + timedelta(days=200)
    sscc = new_sscc()
    supervisor = await gql.token("supervisor")
    announced = await announce(
        gql,
        supervisor,
        po["code"],
        [
            {
                "sscc": f"(00){sscc}",
                "lines": [
                    {
                        "itemSku": LOT_SKU,
                        "quantity": 2 * case_size,
                        "lotNumber": "L-PAL-1",
                        "expiry": expiry.isoformat(),
                    },
                    {"itemSku": PLAIN_SKU, "quantity": 5},
                    {"itemSku": SERIAL_SKU, "quantity": 2, "serialNumbers": ["R-1", "R-2"]},
                ],
            }
        ],
    )
    assert announced["__typename"] == "AnnouncePalletsSuccess", announced
    (pallet,) = announced["pallets"]
    assert pallet["sscc"] == sscc and pallet["state"] == "EXPECTED"
    assert pallet["reference"] == "ASN-77" and len(pallet["lines"]) == 3

    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    got = await scan_pallet(gql, receiver, receipt["id"], f"]C100{sscc}")
    assert got["__typename"] == "ScanReceiveSuccess", got
    assert got["pallet"]["sscc"] == sscc and got["pallet"]["announced"] is True
    goods = got["pallet"]["goods"]
    assert [(g["itemSku"], g["quantity"]) for g in goods] == [
        (LOT_SKU, 2 * case_size),
        (PLAIN_SKU, 5),
        (SERIAL_SKU, 1),
        (SERIAL_SKU, 1),
    ]
    assert goods[0]["lotNumber"] == "L-PAL-1" and goods[0]["expiry"] == expiry.isoformat()
    assert [g["serialNumber"] for g in goods[2:]] == ["R-1", "R-2"]
    assert all(r["remaining"] == 0 for r in got["receipt"]["expected"])
    assert got["next"]["action"] == "CLOSE_RECEIPT"

    again = await scan_pallet(gql, receiver, receipt["id"], sscc)
    assert again["code"] == "PALLET_ALREADY_RECEIVED"
    dock = await fetch(session, select(m.Bin).where(m.Bin.code == receipt["dockBinCode"]))
    assert await on_hand(session, snack.id, dock.id) == 2 * case_size
    assert await on_hand(session, water.id, dock.id) == 5
    assert await on_hand(session, radio.id, dock.id) == 2

    listed = (await gql(PALLETS, {"po": po["code"]}, token=supervisor))["data"]["inboundPallets"]
    assert listed[0]["state"] == "RECEIVED" and listed[0]["receiptId"] == receipt["id"]
    serial = await trace(gql, supervisor, SERIAL_SKU, "R-2")
    assert serial["state"] == "IN_STOCK"
    assert serial["receiptReference"] == f"RC-{receipt['id']}" and serial["leftAt"] is None
    assert await ledger_mismatches(session) == []


async def test_bad_pallets_are_refused_and_change_nothing(gql, session):
    water = await item(session, PLAIN_SKU)
    po = await approved_po(gql, [{"itemSku": PLAIN_SKU, "quantity": 10, "unitPriceCents": 90}])
    other = await approved_po(gql, [{"itemSku": PLAIN_SKU, "quantity": 3, "unitPriceCents": 90}])
    supervisor = await gql.token("supervisor")
    receiver = await gql.token("receiver")

    def pallet(sscc: str, *lines: dict[str, Any]) -> dict[str, Any]:
        return {"sscc": sscc, "lines": list(lines) or [{"itemSku": PLAIN_SKU, "quantity": 4}]}

    pallets_before = await fetch(session, select(func.count()).select_from(m.InboundPallet))
    denied = await announce(gql, receiver, po["code"], [pallet(new_sscc())])
    assert denied["__typename"] == "PermissionDenied"
    valid = new_sscc()
    bad_check = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    refusals = {
        "SCAN_BAD_CHECK_DIGIT": [pallet("123456789012345678")],
        "ITEM_NOT_FOUND": [pallet(new_sscc(), {"itemSku": "SKU-NOPE", "quantity": 1})],
        "INVALID_QUANTITY": [pallet(new_sscc(), {"itemSku": PLAIN_SKU, "quantity": -4})],
        "QUANTITY_TOO_LARGE": [pallet(new_sscc(), {"itemSku": PLAIN_SKU, "quantity": 10**9})],
        "DUPLICATE": [pallet(s := new_sscc()), pallet(s)],
        "INVALID_INPUT": [
            pallet(new_sscc(), {"itemSku": PLAIN_SKU, "quantity": 2, "serialNumbers": ["A", "B"]})
        ],
    }
    for code, pallets in refusals.items():
        refused = await announce(gql, supervisor, po["code"], pallets)
        assert refused.get("code") == code, (code, refused)
    serial_count = await announce(
        gql,
        supervisor,
        po["code"],
        [pallet(new_sscc(), {"itemSku": SERIAL_SKU, "quantity": 3, "serialNumbers": ["X"]})],
    )
    assert serial_count["code"] == "INVALID_QUANTITY"
    pallets_now = await fetch(session, select(func.count()).select_from(m.InboundPallet))
    assert pallets_now == pallets_before
    # Serials may be left off the notice, but then the pallet cannot be received whole.
    radios = await approved_po(gql, [{"itemSku": SERIAL_SKU, "quantity": 2, "unitPriceCents": 1}])
    unnamed = new_sscc()
    listed = await announce(
        gql, supervisor, radios["code"], [pallet(unnamed, {"itemSku": SERIAL_SKU, "quantity": 2})]
    )
    assert listed["__typename"] == "AnnouncePalletsSuccess", listed
    radio_receipt = (await start(gql, receiver, poCode=radios["code"]))["receipt"]
    no_serials = await scan_pallet(gql, receiver, radio_receipt["id"], unnamed)
    assert no_serials["code"] == "INVALID_INPUT" and "serial" in no_serials["message"]

    mine, theirs, too_many = new_sscc(), new_sscc(), new_sscc()
    ok = await announce(gql, supervisor, po["code"], [pallet(mine)])
    assert ok["__typename"] == "AnnouncePalletsSuccess", ok
    twice = await announce(gql, supervisor, po["code"], [pallet(mine)])
    assert twice["code"] == "DUPLICATE"
    assert (await announce(gql, supervisor, other["code"], [pallet(theirs)]))["__typename"] == (
        "AnnouncePalletsSuccess"
    )
    # 4 + 11 units against 10 ordered (no tolerance): the second pallet over-receives.
    over = await announce(
        gql,
        supervisor,
        po["code"],
        [pallet(too_many, {"itemSku": PLAIN_SKU, "quantity": 11})],
    )
    assert over["__typename"] == "AnnouncePalletsSuccess"

    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    cases = {
        "PALLET_NOT_FOUND": new_sscc(),
        "PALLET_OTHER_ORDER": theirs,
        "SCAN_BAD_CHECK_DIGIT": f"(00){bad_check}",
    }
    for code, sscc in cases.items():
        refused = await scan_pallet(gql, receiver, receipt["id"], sscc)
        assert refused.get("code") == code, (code, refused)
    keyed = await scan_pallet(gql, receiver, receipt["id"], mine, quantity=2)
    assert keyed["code"] == "INVALID_QUANTITY"
    assert (await scan_pallet(gql, receiver, receipt["id"], mine))["__typename"] == (
        "ScanReceiveSuccess"
    )
    refused = await scan_pallet(gql, receiver, receipt["id"], too_many)
    assert refused["code"] == "OVER_RECEIPT"
    dock = await fetch(session, select(m.Bin).where(m.Bin.code == receipt["dockBinCode"]))
    assert await on_hand(session, water.id, dock.id) == 4
    assert await on_hand(session, (await item(session, SERIAL_SKU)).id, dock.id) == 0
    state = await fetch(
        session, select(m.InboundPallet.state).where(m.InboundPallet.sscc == too_many)
    )
    assert state == "EXPECTED"
    assert await ledger_mismatches(session) == []


async def test_a_gs1_pallet_label_is_received_without_a_notice(gql, session):
    snack = await item(session, LOT_SKU)
    _, case_gtin, case_size = await gtins(session, LOT_SKU)
    po = await approved_po(
        gql, [{"itemSku": LOT_SKU, "quantity": 3 * case_size, "unitPriceCents": 100}]
    )
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    sscc = new_sscc()
    expiry = date.today() + timedelta(days=90)
    label = f"(00){sscc}(02){case_gtin}(37)3(17){expiry:%y%m%d}(10)L-LABEL"
    got = await scan_pallet(gql, receiver, receipt["id"], label)
    assert got["__typename"] == "ScanReceiveSuccess", got
    assert got["pallet"]["announced"] is False
    assert got["pallet"]["goods"] == [
        {
            "itemSku": LOT_SKU,
            "quantity": 3 * case_size,
            "lotNumber": "L-LABEL",
            "expiry": expiry.isoformat(),
            "serialNumber": None,
            "status": "AVAILABLE",
        }
    ]
    again = await scan_pallet(gql, receiver, receipt["id"], label)
    assert again["code"] == "PALLET_ALREADY_RECEIVED"
    dock = await fetch(session, select(m.Bin).where(m.Bin.code == receipt["dockBinCode"]))
    assert await on_hand(session, snack.id, dock.id) == 3 * case_size
    assert await ledger_mismatches(session) == []


async def test_a_serial_returned_to_its_vendor_is_no_longer_in_stock(gql, session):
    each, _, _ = await gtins(session, SERIAL_SKU)
    supervisor = await gql.token("supervisor")
    flag = await gql(
        """mutation($sku: String!) { setInspectOnReceipt(input: {itemSku: $sku, inspect: true})
        { __typename } }""",
        {"sku": SERIAL_SKU},
        token=supervisor,
    )
    assert flag["data"]["setInspectOnReceipt"]["__typename"] == "InspectOnReceiptSuccess"
    po = await approved_po(gql, [{"itemSku": SERIAL_SKU, "quantity": 2, "unitPriceCents": 900}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    line_id = None
    for serial in ("Q-1", "Q-2"):
        body = await gql(
            SCAN,
            {
                "input": {
                    "receiptId": receipt["id"],
                    "code": f"(01){each}(21){serial}",
                    "idempotencyKey": key(),
                }
            },
            token=receiver,
        )
        got = body["data"]["scanReceive"]
        assert got["received"]["status"] == "QUARANTINE", got
        line_id = got["received"]["lineId"]
    await close(gql, receiver, receipt["id"])
    failed = await gql(
        QC,
        {"line": line_id, "result": "FAIL", "note": "dead on arrival", "key": key()},
        token=receiver,
    )
    rtv = failed["data"]["recordQc"]["returnToVendor"]
    assert (await trace(gql, supervisor, SERIAL_SKU, "Q-1"))["state"] == "IN_STOCK"
    shipped = await gql(SHIP_RTV, {"id": rtv["id"]}, token=supervisor)
    assert shipped["data"]["shipReturnToVendor"]["returnToVendor"]["state"] == "SHIPPED"
    for serial in ("Q-1", "Q-2"):
        gone = await trace(gql, supervisor, SERIAL_SKU, serial)
        assert gone["state"] == "RETURNED_TO_VENDOR" and gone["leftReference"] == rtv["code"]
        assert gone["leftAt"] is not None
    assert await trace(gql, supervisor, SERIAL_SKU, "NEVER-SEEN") is None
    assert await trace(gql, supervisor, "SKU-NOPE", "Q-1") is None
    picker = await gql.token("picker")
    blind = await gql(TRACE, {"sku": SERIAL_SKU, "serial": "Q-1"}, token=picker)
    assert blind["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await ledger_mismatches(session) == []


async def test_a_shipped_serial_leaves_stock_and_comes_back_on_a_return(gql, session):
    article = Article("S", 2, "SERIAL", serials=("SHIP-1", "SHIP-2"))
    order = await picked_order(session, article)
    item_id = order.item_ids["S"]
    sku = await fetch(session, select(m.Item.sku).where(m.Item.id == item_id))
    session.add_all(m.SerialNumber(item_id=item_id, serial=s) for s in article.serials)
    await session.commit()
    await pack_completely(gql, await gql.token("packer"), order, (article,))
    supervisor = await gql.token("supervisor")
    assert (await trace(gql, supervisor, sku, "SHIP-1"))["state"] == "IN_STOCK"
    shipped = (await gql(SHIP, ship_vars([order.order_id]), token=await gql.token("shipper")))[
        "data"
    ]["ship"]
    assert shipped["__typename"] == "ShipSuccess", shipped
    tracking = shipped["shipment"]["trackingNumber"]
    for serial in article.serials:
        gone = await trace(gql, supervisor, sku, serial)
        assert gone["state"] == "SHIPPED" and gone["leftReference"] == tracking

    # The customer sends one back: it is in stock again, received on the return.
    receiver = await gql.token("receiver")
    returned = await start(gql, receiver, kind="RETURN", customerCode="CUS-ALBA")
    receipt_id = returned["receipt"]["id"]
    body = await gql(
        SCAN,
        {
            "input": {
                "receiptId": receipt_id,
                "code": f"(01){order.gtins['S']}(21)SHIP-1",
                "idempotencyKey": key(),
            }
        },
        token=receiver,
    )
    assert body["data"]["scanReceive"]["__typename"] == "ScanReceiveSuccess", body
    back = await trace(gql, supervisor, sku, "SHIP-1")
    assert back["state"] == "IN_STOCK" and back["leftReference"] is None
    assert back["receiptReference"] == f"RC-{receipt_id}"
    assert (await trace(gql, supervisor, sku, "SHIP-2"))["state"] == "SHIPPED"
    assert await ledger_mismatches(session) == []


async def test_the_notice_number_or_a_pallet_label_opens_the_receipt(gql, session):
    po = await approved_po(gql, [{"itemSku": PLAIN_SKU, "quantity": 8, "unitPriceCents": 90}])
    supervisor = await gql.token("supervisor")
    first, second = new_sscc(), new_sscc()
    line = {"itemSku": PLAIN_SKU, "quantity": 4}
    body = await gql(
        ANNOUNCE,
        {
            "input": {
                "poCode": po["code"],
                "reference": "asn-2041",
                "pallets": [{"sscc": first, "lines": [line]}, {"sscc": second, "lines": [line]}],
                "idempotencyKey": key(),
            }
        },
        token=supervisor,
    )
    assert body["data"]["announcePallets"]["__typename"] == "AnnouncePalletsSuccess", body
    receiver = await gql.token("receiver")
    # The driver hands over the notice: its number opens the order's receipt.
    by_notice = (await start(gql, receiver, poCode="ASN-2041"))["receipt"]
    assert by_notice["poCode"] == po["code"]
    # So does a pallet's label, and it is the same open receipt.
    by_label = (await start(gql, receiver, poCode=f"]C100{second}"))["receipt"]
    assert by_label["id"] == by_notice["id"]
    unknown = await gql(
        """mutation($input: StartReceiptInput!) { startReceipt(input: $input) { __typename
        ... on UserError { code field } } }""",
        {"input": {"poCode": "ASN-0000", "idempotencyKey": key()}},
        token=receiver,
    )
    assert unknown["data"]["startReceipt"] == {
        "__typename": "NotFoundError",
        "code": "PO_NOT_FOUND",
        "field": "poCode",
    }


async def test_one_label_scanned_at_two_docks_at_once_is_received_once(gql, session):
    water = await item(session, PLAIN_SKU)
    _, case_gtin, case_size = await gtins(session, PLAIN_SKU)
    receiver = await gql.token("receiver")
    # Two customer-return receipts at two docks: no order or receipt row in common to
    # lock, so both scans race to record the pallet.
    returned = (await start(gql, receiver, kind="RETURN", customerCode="CUS-ALBA"))["receipt"]
    other = (await start(gql, receiver, kind="RETURN", customerCode="CUS-ALBA"))["receipt"]
    label = f"(00){new_sscc()}(02){case_gtin}(37)2"
    results = await asyncio.gather(
        scan_pallet(gql, receiver, returned["id"], label),
        scan_pallet(gql, receiver, other["id"], label),
    )
    outcomes = sorted(r.get("code", r["__typename"]) for r in results)
    assert outcomes == ["PALLET_ALREADY_RECEIVED", "ScanReceiveSuccess"], results
    assert returned["dockBinCode"] == other["dockBinCode"]
    dock = await fetch(session, select(m.Bin).where(m.Bin.code == returned["dockBinCode"]))
    assert await on_hand(session, water.id, dock.id, "QUARANTINE") == 2 * case_size
    assert await ledger_mismatches(session) == []
