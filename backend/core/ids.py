"""Ids and warehouses named by a caller, checked once for every domain."""

from __future__ import annotations

from backend.core.errors import DomainError, ErrorCode

# Primary keys are 64-bit; anything outside is a malformed id, never a lookup.
_MAX_ID = 2**63


def parse_id(raw: object, field: str) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise DomainError(ErrorCode.INVALID_INPUT, "Malformed id.", field) from None
    if not 0 < value < _MAX_ID:
        raise DomainError(ErrorCode.INVALID_INPUT, "Malformed id.", field)
    return value
