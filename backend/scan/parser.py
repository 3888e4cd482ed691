"""The one scan parser: every barcode the floor scans goes through ``parse_scan``.

Dispatch, after stripping surrounding whitespace and an AIM symbology
identifier (``]C1``, ``]d2``, ``]Q3``, ``]E0``... which scanners may prefix):

- a GS1 symbology identifier, a leading digit, ``(`` or FNC1: GS1 data (``gs1``);
- ``http://`` or ``https://``: a GS1 Digital Link URI;
- a leading letter: one of our own ``PREFIX-BODY-C`` codes (``internal``).

Every refusal is a ``DomainError`` with one of the ``SCAN_*`` codes; nothing
raised by biip leaks out.
"""

from __future__ import annotations

import re
from typing import TypeAlias

from biip import ParseError
from biip.symbology import GS1Symbology, SymbologyIdentifier

from backend.core.errors import DomainError, ErrorCode
from backend.scan.gs1 import GS, GS1Scan, parse_digital_link, parse_gs1
from backend.scan.internal import InternalScan, looks_internal, parse_internal

__all__ = ["MAX_SCAN_LENGTH", "ScanResult", "parse_scan", "split_burst"]

ScanResult: TypeAlias = InternalScan | GS1Scan

# A 2D code holds at most a few thousand characters; anything longer is not a scan.
MAX_SCAN_LENGTH = 4096

# Some scanners and keyboard layouts send FNC1 as the visible text "<GS>".
_FNC1_TEXT = re.compile(re.escape("<GS>"), re.IGNORECASE)
# Keyboard-wedge scanners end each code with CR, LF, CRLF or TAB.
_BURST_SEPARATOR = re.compile(r"\r\n|[\r\n\t]")
# Whitespace to trim from a burst part. Not str.strip(): Python counts GS as whitespace.
_PAD = " \t\r\n\v\f"

_GS1_SYMBOLOGIES = GS1Symbology.with_gtin() | GS1Symbology.with_gs1_messages()


def split_burst(text: str) -> list[str]:
    """Split what a wedge scanner typed in one go into the codes it carries.

    Codes are separated by CR, LF, CRLF or TAB; each is trimmed of spaces and
    empty ones are dropped. GS (FNC1) characters are kept: they are data.
    (``str.splitlines`` would split on GS, so it is not used.)
    """
    return [part.strip(_PAD) for part in _BURST_SEPARATOR.split(text) if part.strip()]


def _symbology(text: str) -> SymbologyIdentifier:
    try:
        symbology = SymbologyIdentifier.extract(text)
    except (ParseError, IndexError, ValueError) as exc:
        raise DomainError(
            ErrorCode.SCAN_MALFORMED,
            f"{text[:3]!r} is not a symbology identifier this system knows.",
        ) from exc
    if len(symbology.value) < 3:
        raise DomainError(ErrorCode.SCAN_MALFORMED, f"Symbology identifier in {text!r} is cut off.")
    return symbology


def parse_scan(raw: str) -> ScanResult:
    """Parse one scan. Raises ``DomainError`` with a ``SCAN_*`` code if it is unusable.

    ``raw`` is kept unchanged on the result, for the audit trail.
    """
    if len(raw) > MAX_SCAN_LENGTH:
        raise DomainError(
            ErrorCode.SCAN_MALFORMED,
            f"The scan is {len(raw)} characters long; at most {MAX_SCAN_LENGTH} are accepted.",
        )
    text = _FNC1_TEXT.sub(GS, raw).strip()  # str.strip also drops GS at the ends
    if not text:
        raise DomainError(ErrorCode.SCAN_EMPTY, "Nothing was scanned.")

    symbology: SymbologyIdentifier | None = None
    if text.startswith("]"):
        symbology = _symbology(text)
        text = text[len(symbology.value) :].strip(_PAD)
        if not text.strip():
            raise DomainError(
                ErrorCode.SCAN_MALFORMED,
                f"The scanner sent the symbology identifier {symbology.value!r} but no data.",
            )
        if symbology.gs1_symbology in _GS1_SYMBOLOGIES:
            return parse_gs1(raw, text, symbology)

    if text[:8].lower().startswith(("http://", "https://")):
        return parse_digital_link(raw, text, symbology)
    if looks_internal(text):
        return parse_internal(raw, text.strip())
    if text[0].isdigit() or text[0] in "(" + GS:
        return parse_gs1(raw, text, symbology)
    raise DomainError(ErrorCode.SCAN_UNKNOWN_FORMAT, f"{text!r} is not a known barcode.")
