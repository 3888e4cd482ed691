"""Ids and warehouses named by a caller, checked once for every domain."""

from __future__ import annotations

import re

from backend.core.errors import DomainError, ErrorCode

# Primary keys are INTEGER columns (32-bit on PostgreSQL): anything outside names no
# row and is a malformed id, never a lookup (asyncpg would refuse to bind it).
MAX_ID = 2**31 - 1
# ASCII digits only: `int()` would also read "１２" (full-width), " 12", "+12" and "1_2",
# so a URL or a form field could name row 12 in ways no client ever printed.
_DIGITS = re.compile(r"[0-9]{1,10}")


def id_or_none(raw: object) -> int | None:
    """The id `raw` spells, or None when it is not a decimal number from 1 to MAX_ID."""
    text = raw if isinstance(raw, str) else str(raw) if isinstance(raw, int) else ""
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def parse_id(raw: object, field: str) -> int:
    value = id_or_none(raw)
    if value is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Malformed id.", field)
    return value
