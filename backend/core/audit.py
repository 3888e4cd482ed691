"""Audit trail: who did what, when, from which device."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db.models import AuditEntry


def record(
    session: AsyncSession,
    principal: Principal | None,
    action: str,
    *,
    entity: str | None = None,
    entity_id: object = None,
    detail: dict[str, Any] | None = None,
    device_id: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        user_id=principal.user_id if principal else None,
        device_id=principal.device_id if principal else device_id,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail or {},
    )
    session.add(entry)
    return entry
