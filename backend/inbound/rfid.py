"""RFID: SGTIN-96 EPCs (hex, as readers report them) to GTIN and serial.

Decoding is epcpy's, which follows the GS1 EPC Tag Data Standard (partition
table, company prefix and item reference lengths).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from epcpy import hex_to_tag_encodable
from epcpy.epc_schemes.sgtin import SGTIN

from backend.core.errors import DomainError, ErrorCode

_HEX96 = re.compile(r"[0-9A-Fa-f]{24}")


@dataclass(frozen=True)
class TagRead:
    epc: str
    gtin: str
    serial: str


def decode_sgtin96(epc_hex: str) -> TagRead:
    cleaned = epc_hex.strip().upper()
    if not _HEX96.fullmatch(cleaned) or not cleaned.startswith("30"):
        raise DomainError(
            ErrorCode.SCAN_MALFORMED, f"{epc_hex[:40]!r} is not an SGTIN-96 EPC.", "epcs"
        )
    try:
        tag = hex_to_tag_encodable(cleaned)
    except Exception as exc:  # epcpy raises several types for bad bits
        raise DomainError(
            ErrorCode.SCAN_MALFORMED, f"{cleaned} does not decode as SGTIN-96.", "epcs"
        ) from exc
    if not isinstance(tag, SGTIN):
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, f"{cleaned} is not an SGTIN.", "epcs")
    # Pure identity URI: urn:epc:id:sgtin:CompanyPrefix.IndicatorItemRef.Serial
    serial = tag.epc_uri.rsplit(".", 1)[1]
    return TagRead(epc=cleaned, gtin=tag.gtin(), serial=serial)
