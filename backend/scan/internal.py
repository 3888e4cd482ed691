"""Codes this system prints itself: ``PREFIX-BODY-C``.

``PREFIX`` names what the code stands for (a bin, a tote, a document...),
``BODY`` is one or more uppercase ``[A-Z0-9]`` segments joined by ``-`` and
``C`` is an ISO/IEC 7064 MOD 37,36 check character over ``PREFIX-BODY``.

Check-character convention: the dashes are separators, not data. They are
left out of the computation (ISO 7064 only defines the 36 characters
``0-9A-Z``), so the check character of ``BIN-A01-003-2`` is the one of
``BINA010032``. It catches every single-character error and every
transposition of two adjacent characters of the prefix and body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from backend.core.errors import DomainError, ErrorCode

__all__ = ["CodeKind", "InternalScan", "check_char", "make_code", "parse_internal"]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_MOD = len(ALPHABET)  # 36

# A printed code must fit on a bin label and in a Code 128 of sane width.
MAX_CODE_LENGTH = 64

_BODY = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_SHAPE = re.compile(
    r"(?P<prefix>[A-Z][A-Z0-9]*)-(?P<body>[A-Z0-9]+(?:-[A-Z0-9]+)*)-(?P<check>[A-Z0-9])"
)


class CodeKind(StrEnum):
    BIN = "BIN"
    TOTE = "TOTE"
    CART = "CART"
    BADGE = "BADGE"
    PO = "PO"
    SO = "SO"
    ASN = "ASN"
    WAVE = "WAVE"
    TASK = "TASK"
    SHP = "SHP"


@dataclass(frozen=True, slots=True)
class InternalScan:
    raw: str
    kind: CodeKind
    body: str
    code: str


def check_char(payload: str) -> str:
    """ISO/IEC 7064 MOD 37,36 check character of ``payload`` (dashes ignored).

    ``payload`` is ``KIND-BODY``; lowercase letters count as uppercase. Raises
    ``ValueError`` for any character outside ``0-9``, ``A-Z`` and ``-``.
    """
    data = payload.upper().replace("-", "")
    if not data:
        raise ValueError("check_char() needs at least one character")
    p = _MOD
    for ch in data:
        value = _VALUE.get(ch)
        if value is None:
            raise ValueError(f"{ch!r} is not allowed in a code (only 0-9, A-Z and '-')")
        s = (p + value) % _MOD or _MOD
        p = (s * 2) % (_MOD + 1)
    return ALPHABET[(_MOD + 1 - p) % _MOD]


def make_code(kind: CodeKind, body: str) -> str:
    """Build the printable code ``KIND-BODY-C``; ``body`` is upper-cased.

    Raises ``DomainError(INVALID_INPUT)`` when ``body`` cannot be printed as a code.
    """
    kind = CodeKind(kind)
    normalized = body.strip().upper()
    if not _BODY.fullmatch(normalized):
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"A {kind.value} code body must be letters and digits in groups joined by "
            f"'-', got {body!r}.",
            field="body",
        )
    payload = f"{kind.value}-{normalized}"
    code = f"{payload}-{check_char(payload)}"
    if len(code) > MAX_CODE_LENGTH:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"A code may be at most {MAX_CODE_LENGTH} characters long, {code!r} is longer.",
            field="body",
        )
    return code


def looks_internal(text: str) -> bool:
    """Whether ``text`` (already stripped) should be read as one of our codes."""
    return text[:1].isalpha() and text[:1].isascii()


def parse_internal(raw: str, text: str) -> InternalScan:
    """Parse ``text`` (stripped, symbology identifier removed) as ``PREFIX-BODY-C``."""
    code = text.upper()
    prefix = code.split("-", 1)[0]
    known = prefix in CodeKind.__members__
    match = _SHAPE.fullmatch(code) if len(code) <= MAX_CODE_LENGTH else None
    if match is None:
        if known:
            raise DomainError(
                ErrorCode.SCAN_MALFORMED,
                f"{text!r} is not a valid {prefix} code: expected {prefix}-BODY-C with "
                "letters and digits in the body and one check character.",
            )
        raise DomainError(ErrorCode.SCAN_UNKNOWN_FORMAT, f"{text!r} is not a known barcode.")
    if not known:
        raise DomainError(
            ErrorCode.SCAN_UNKNOWN_FORMAT,
            f"{prefix!r} is not a code prefix this system knows in {text!r}.",
        )
    kind = CodeKind(prefix)
    body = match["body"]
    expected = check_char(f"{prefix}-{body}")
    if match["check"] != expected:
        raise DomainError(
            ErrorCode.SCAN_BAD_CHECK_DIGIT,
            f"Check character of {code!r} is wrong: the code was misread or mistyped.",
        )
    return InternalScan(raw=raw, kind=kind, body=body, code=code)
