"""Which warehouses a request may touch: the one rule every read, list, document and
mutation goes through.

Two questions, two functions:

- ``read_scope``: which warehouses may a read show? A warehouse named by the caller
  narrows the answer; one outside the caller's warehouses gives an empty scope (the
  read returns nothing of it), never a fallback to the caller's others.
- ``acting_warehouse``: which single warehouse does a mutation act in? The one named,
  else the caller's home, else their only one; outside the caller's warehouses it is
  refused with ``OUT_OF_SCOPE``.

Admins see every warehouse; everyone else only those on their user record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, true

from backend.core.auth.principal import Principal
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id


@dataclass(frozen=True)
class ReadScope:
    """The warehouses a read may show; ``None`` means every warehouse (admins)."""

    warehouse_ids: frozenset[int] | None

    @property
    def empty(self) -> bool:
        return self.warehouse_ids is not None and not self.warehouse_ids

    def allows(self, warehouse_id: int | None) -> bool:
        if warehouse_id is None:
            return False
        return self.warehouse_ids is None or warehouse_id in self.warehouse_ids

    def clause(self, column: Any) -> ColumnElement[bool]:
        """A WHERE condition keeping rows of `column` (a warehouse id column) in scope."""
        if self.warehouse_ids is None:
            return true()
        if not self.warehouse_ids:
            return false()
        return column.in_(sorted(self.warehouse_ids))

    def ids(self, every: Iterable[int] = ()) -> list[int]:
        """The ids in scope, sorted; for an unlimited scope, those of `every`."""
        if self.warehouse_ids is None:
            return sorted(set(every))
        return sorted(self.warehouse_ids)


EVERY_WAREHOUSE = ReadScope(None)
NOTHING = ReadScope(frozenset())


def read_scope(principal: Principal, warehouse_id: object | None = None) -> ReadScope:
    """The warehouses a read may show, optionally narrowed to the one the caller names.

    A malformed id is ``INVALID_INPUT``; a well-formed one outside the caller's
    warehouses is an empty scope (the stricter of the behaviours this replaced).
    """
    if warehouse_id is not None:
        wid = parse_id(warehouse_id, "warehouseId")
        return ReadScope(frozenset({wid})) if principal.in_scope(wid) else NOTHING
    if principal.all_warehouses:
        return EVERY_WAREHOUSE
    return ReadScope(frozenset(principal.warehouse_ids))


def check_in_scope(principal: Principal, warehouse_id: int, field: str | None = None) -> None:
    """Refuse a row or action of a warehouse the caller does not work in."""
    if not principal.in_scope(warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", field)


def acting_warehouse(principal: Principal, raw: object | None) -> int:
    """The one warehouse a request acts in: the one named, else the caller's home, else
    their only warehouse; refused unless the caller works there."""
    if raw is not None:
        wid = parse_id(raw, "warehouseId")
    elif principal.home_warehouse_id is not None:
        wid = principal.home_warehouse_id
    elif len(principal.warehouse_ids) == 1:
        (wid,) = principal.warehouse_ids
    else:
        raise DomainError(ErrorCode.INVALID_INPUT, "Say which warehouse.", "warehouseId")
    check_in_scope(principal, wid, "warehouseId")
    return wid
