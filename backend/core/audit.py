"""Audit trail: who did what, when, from which device."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db.models import AuditEntry


def warehouse_of(principal: Principal | None, named: int | None, touched: set[int]) -> int | None:
    """Where a piece of work happened: the warehouse the domain named, else the one its
    events went to, else the caller's home (or only) warehouse."""
    if named is not None:
        return named
    if len(touched) == 1:
        return next(iter(touched))
    if principal is None:
        return None
    if principal.home_warehouse_id is not None:
        return principal.home_warehouse_id
    if len(principal.warehouse_ids) == 1:
        return next(iter(principal.warehouse_ids))
    return None


def record(
    session: AsyncSession,
    principal: Principal | None,
    action: str,
    *,
    entity: str | None = None,
    entity_id: object = None,
    detail: dict[str, Any] | None = None,
    device_id: str | None = None,
    warehouse_id: int | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=principal.user_id if principal else None,
        device_id=principal.device_id if principal else device_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail or {},
        warehouse_id=warehouse_id,
    )
    session.add(entry)
    return entry
