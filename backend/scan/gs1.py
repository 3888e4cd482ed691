"""GS1 barcodes on goods, read with biip.

Accepted: bare GTIN-8/12/13/14; GS1 element strings as GS1-128, GS1 DataMatrix,
GS1 QR, GS1 DataBar or DotCode send them (FNC1 as the GS character or as the
literal text ``<GS>``, with or without an AIM symbology identifier such as
``]C1``); the human-readable form with parentheses ``(01)...(17)...``; GS1
Digital Link URIs (``https://id.gs1.org/01/...``) as found in QR codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from biip import ParseConfig, ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.symbology import GS1Symbology, SymbologyIdentifier

from backend.core.errors import DomainError, ErrorCode

__all__ = ["GS1Scan", "parse_gs1"]

GS = "\x1d"
GTIN_LENGTHS = frozenset({8, 12, 13, 14})
SSCC_LENGTH = 18

_CONFIG = ParseConfig(gs1_element_strings_verify_date=True, separator_chars=(GS,))


@dataclass(frozen=True, slots=True)
class GS1Scan:
    """What a GS1 scan says. GTINs are always 14 digits; ``count`` is AI 30, else AI 37;
    ``raw`` is the scan exactly as received."""

    raw: str
    gtin: str | None
    content_gtin: str | None
    sscc: str | None
    lot: str | None
    serial: str | None
    production_date: date | None
    best_before: date | None
    expiry: date | None
    count: int | None
    net_weight_kg: Decimal | None
    symbology: str | None


def _malformed(message: str) -> DomainError:
    return DomainError(ErrorCode.SCAN_MALFORMED, message)


def _bad_check(message: str) -> DomainError:
    return DomainError(ErrorCode.SCAN_BAD_CHECK_DIGIT, message)


def _unknown(message: str) -> DomainError:
    return DomainError(ErrorCode.SCAN_UNKNOWN_FORMAT, message)


def check_digit_ok(digits: str) -> bool:
    """GS1 mod-10 check over a digit string whose last digit is the check digit."""
    return gs1_standard_check_digit(digits[:-1]) == int(digits[-1])


def _gtin14(value: str, what: str) -> str:
    """Validate a GTIN of 8, 12, 13 or 14 digits and widen it to 14 digits."""
    if not check_digit_ok(value):
        raise _bad_check(f"{what} {value} has a wrong check digit: misread or mistyped.")
    if value.strip("0") == "":
        raise _malformed(f"{what} {value} is all zeros.")
    try:
        return Gtin.parse(value, config=_CONFIG).as_gtin_14()
    except ParseError as exc:  # pragma: no cover - the checks above cover biip's
        raise _malformed(f"{what} {value} is not a valid GTIN: {exc}") from exc


def is_bare_gtin(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS


def is_bare_sscc(text: str) -> bool:
    """18 digits with a valid check digit: an SSCC typed from a label without its AI."""
    return text.isascii() and text.isdigit() and len(text) == SSCC_LENGTH and check_digit_ok(text)


def _single(elements: GS1ElementStrings, ai: str) -> GS1ElementString | None:
    found = [es for es in elements if es.ai.ai == ai]
    if len({es.value for es in found}) > 1:
        raise _malformed(f"GS1 AI ({ai}) appears twice with different values.")
    return found[0] if found else None


def _date(elements: GS1ElementStrings, ai: str) -> date | None:
    es = _single(elements, ai)
    if es is None:
        return None
    if es.date is None:  # pragma: no cover - biip raises first when verifying dates
        raise _malformed(f"GS1 AI ({ai}) date {es.value!r} is not a valid date.")
    return es.date


def _from_elements(raw: str, elements: GS1ElementStrings, symbology: str | None) -> GS1Scan:
    gtin = content_gtin = sscc = None
    if (es := _single(elements, "01")) is not None:
        gtin = _gtin14(es.value, "GTIN")
    if (es := _single(elements, "02")) is not None:
        content_gtin = _gtin14(es.value, "Content GTIN")
    if (es := _single(elements, "00")) is not None:
        if es.sscc is None:
            raise _bad_check(f"SSCC {es.value} has a wrong check digit: misread or mistyped.")
        sscc = es.sscc.value
    lot = es.value if (es := _single(elements, "10")) is not None else None
    serial = es.value if (es := _single(elements, "21")) is not None else None

    count: int | None = None
    for ai in ("30", "37"):
        if (es := _single(elements, ai)) is not None:
            if not es.value.isdigit():
                raise _malformed(f"GS1 AI ({ai}) count is empty.")
            count = int(es.value)
            break

    weights = [es for es in elements if es.ai.ai.startswith("310")]
    if len({es.decimal for es in weights}) > 1:
        raise _malformed("GS1 net weight (310n) appears twice with different values.")
    net_weight_kg = weights[0].decimal if weights else None

    scan = GS1Scan(
        raw=raw,
        gtin=gtin,
        content_gtin=content_gtin,
        sscc=sscc,
        lot=lot,
        serial=serial,
        production_date=_date(elements, "11"),
        best_before=_date(elements, "15"),
        expiry=_date(elements, "17"),
        count=count,
        net_weight_kg=net_weight_kg,
        symbology=symbology,
    )
    if all(
        getattr(scan, name) is None
        for name in GS1Scan.__slots__
        if name not in {"raw", "symbology"}
    ):
        ais = ", ".join(f"({es.ai.ai})" for es in elements)
        raise _unknown(f"This GS1 barcode carries no data the warehouse uses (AIs {ais}).")
    return scan


def _bare_gtin(raw: str, text: str, symbology: str | None) -> GS1Scan:
    return GS1Scan(
        raw=raw,
        gtin=_gtin14(text, f"GTIN-{len(text)}"),
        content_gtin=None,
        sscc=None,
        lot=None,
        serial=None,
        production_date=None,
        best_before=None,
        expiry=None,
        count=None,
        net_weight_kg=None,
        symbology=symbology,
    )


def _bare_sscc(raw: str, text: str, symbology: str | None) -> GS1Scan:
    return GS1Scan(
        raw=raw,
        gtin=None,
        content_gtin=None,
        sscc=text,
        lot=None,
        serial=None,
        production_date=None,
        best_before=None,
        expiry=None,
        count=None,
        net_weight_kg=None,
        symbology=symbology,
    )


def _element_strings(text: str, *, sure: bool) -> GS1ElementStrings:
    """Parse an element string (``sure``: the scan is known to be GS1)."""
    try:
        if text.startswith("("):
            return GS1Message.parse_hri(text, config=_CONFIG).element_strings
        return GS1Message.parse(text, config=_CONFIG).element_strings
    except ParseError as exc:
        if not sure and not _first_element_ok(text):
            raise _unknown(f"{text!r} is not a known barcode.") from exc
        raise _malformed(f"Cannot read the GS1 barcode {text!r}: {exc}") from exc


def _first_element_ok(text: str) -> bool:
    """Whether ``text`` at least starts with a well-formed GS1 element string."""
    try:
        GS1ElementString.extract(text, config=_CONFIG)
    except ParseError:
        return False
    return True


def parse_gs1(raw: str, text: str, symbology: SymbologyIdentifier | None) -> GS1Scan:
    """Parse ``text`` (stripped, symbology identifier removed, FNC1 as GS).

    ``symbology`` is the AIM identifier the scanner sent, if any.
    """
    sym = symbology.value if symbology is not None else None
    gs1_sym = symbology.gs1_symbology if symbology is not None else None
    text = text.lstrip(GS)  # FNC1 in first position marks GS1 data; it carries nothing.
    if not text:
        raise _malformed("The GS1 barcode holds no data.")

    if gs1_sym in GS1Symbology.with_gtin():
        if not is_bare_gtin(text):
            raise _malformed(f"{text!r} is not a GTIN although the barcode is an EAN/UPC/ITF-14.")
        return _bare_gtin(raw, text, sym)
    if gs1_sym in GS1Symbology.with_gs1_messages():
        return _from_elements(raw, _element_strings(text, sure=True), sym)

    # No GS1 symbology identifier: decide from the data itself.
    if is_bare_gtin(text):
        return _bare_gtin(raw, text, sym)
    if is_bare_sscc(text):
        return _bare_sscc(raw, text, sym)
    sure = text.startswith("(") or GS in text
    return _from_elements(raw, _element_strings(text, sure=sure), sym)


def parse_digital_link(raw: str, text: str, symbology: SymbologyIdentifier | None) -> GS1Scan:
    """Parse a GS1 Digital Link URI (``https://id.gs1.org/01/09501101530003/10/ABC``)."""
    sym = symbology.value if symbology is not None else None
    try:
        uri = GS1DigitalLinkURI.parse(text, config=_CONFIG)
    except ParseError as exc:
        if "/01/" in text or "/00/" in text:
            raise _malformed(f"Cannot read the GS1 Digital Link {text!r}: {exc}") from exc
        raise _unknown(f"{text!r} is not a known barcode.") from exc
    return _from_elements(raw, uri.element_strings, sym)
