"""RFID decoding against the GS1 Tag Data Standard's examples, and order-number parsing."""

from __future__ import annotations

import pytest

from backend.core.errors import DomainError
from backend.inbound.common import po_number
from backend.inbound.rfid import decode_sgtin96
from backend.scan import CodeKind, make_code


@pytest.mark.parametrize(
    ("epc", "gtin", "serial"),
    [
        # TDS 2.x, SGTIN-96 example: urn:epc:tag:sgtin-96:3.0614141.812345.6789
        ("3074257BF7194E4000001A85", "80614141123458", "6789"),
        # Lower case and surrounding spaces as some readers send them.
        (" 3074257bf7194e4000001a85 ", "80614141123458", "6789"),
        # Company prefix of 7 digits (partition 5), indicator 0, serial 123.
        ("303613C25009C7C00000007B", "08712340100150", "123"),
    ],
)
def test_sgtin96_decodes_to_gtin_and_serial(epc, gtin, serial):
    read = decode_sgtin96(epc)
    assert (read.gtin, read.serial) == (gtin, serial)
    assert read.epc == epc.strip().upper()


@pytest.mark.parametrize(
    ("epc", "code"),
    [
        ("", "SCAN_MALFORMED"),
        ("3074257BF7194E4000001A8", "SCAN_MALFORMED"),  # 23 hex digits
        ("3074257BF7194E4000001A85FF", "SCAN_MALFORMED"),  # longer than 96 bits
        ("E2801160600002054CC2096F", "SCAN_MALFORMED"),  # a TID, header E2
        ("3174257BF7194E4000001A85", "SCAN_MALFORMED"),  # SSCC-96 header, not SGTIN
        ("30GG257BF7194E4000001A85", "SCAN_MALFORMED"),
    ],
)
def test_what_is_not_an_sgtin96_is_refused(epc, code):
    with pytest.raises(DomainError) as refused:
        decode_sgtin96(epc)
    assert refused.value.code == code


def test_an_order_is_found_from_its_barcode_its_code_or_its_number():
    barcode = make_code(CodeKind.PO, "W1-000007")
    assert po_number(barcode) == "W1-000007"
    assert po_number(f"  {barcode.lower()}\r\n") == "W1-000007"
    assert po_number("PO-W1-000007") == "W1-000007"
    assert po_number("w1-000007") == "W1-000007"


@pytest.mark.parametrize(
    ("raw", "code"),
    [("", "PO_NOT_FOUND"), ("   ", "PO_NOT_FOUND"), ("BIN-W1-RCV-01-9", "SCAN_WRONG_KIND")],
)
def test_what_is_not_an_order_is_refused(raw, code):
    with pytest.raises(DomainError) as refused:
        po_number(raw)
    assert refused.value.code == code
