"""Ids and warehouses named by a caller, checked once for every domain."""

from __future__ import annotations

from backend.auth.principal import Principal
from backend.errors import DomainError, ErrorCode

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


def acting_warehouse(principal: Principal, raw: object | None) -> int:
    """The warehouse a request acts in: the one named, else the caller's home; in scope."""
    wid = parse_id(raw, "warehouseId") if raw is not None else principal.home_warehouse_id
    if wid is None or not principal.in_scope(wid):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "warehouseId")
    return wid
