"""Reading the audit trail: who did what, when, from which device, filtered and scoped.

Entries no warehouse owns (warehouse_id NULL: system work, users without a home) are
for admins only, as `read_scope` says.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import read_scope

MAX_CSV_ROWS = 50_000


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    entity_id: str | None = None
    user_id: int | None = None
    username: str | None = None
    action: str | None = None
    device_id: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    warehouse_id: object | None = None


def _utc(moment: datetime | None) -> datetime | None:
    """Times are UTC; one sent without a zone is taken as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def audit_query(principal: Principal, wanted: AuditFilter) -> Select[m.AuditEntry]:
    """The entries the caller may read that match every filter given."""
    since, until = _utc(wanted.since), _utc(wanted.until)
    if since is not None and until is not None and until <= since:
        raise DomainError(ErrorCode.INVALID_INPUT, "`until` must come after `since`.", "until")
    scope = read_scope(principal, wanted.warehouse_id)
    stmt = select(m.AuditEntry).where(scope.clause(m.AuditEntry.warehouse_id))
    if wanted.entity:
        stmt = stmt.where(m.AuditEntry.entity == wanted.entity)
    if wanted.entity_id:
        stmt = stmt.where(m.AuditEntry.entity_id == wanted.entity_id)
    if wanted.user_id is not None:
        stmt = stmt.where(m.AuditEntry.user_id == wanted.user_id)
    if wanted.username:
        stmt = stmt.where(
            m.AuditEntry.user_id.in_(select(m.User.id).where(m.User.username == wanted.username))
        )
    if wanted.action:
        stmt = stmt.where(m.AuditEntry.action == wanted.action)
    if wanted.device_id:
        stmt = stmt.where(m.AuditEntry.device_id == wanted.device_id)
    if since:
        stmt = stmt.where(m.AuditEntry.at >= since)
    if until:
        stmt = stmt.where(m.AuditEntry.at < until)
    return stmt


async def user_names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    """Display names of the given users, for a page of entries (one read)."""
    if not ids:
        return {}
    rows = await session.execute(select(m.User.id, m.User.display_name).where(m.User.id.in_(ids)))
    return {uid: name for uid, name in rows}


CSV_HEADER = (
    "id",
    "at",
    "user_id",
    "username",
    "user_name",
    "device_id",
    "warehouse_id",
    "action",
    "entity",
    "entity_id",
    "detail",
)


async def audit_csv(session: AsyncSession, principal: Principal, wanted: AuditFilter) -> str:
    """The matching entries, oldest first, as CSV with a header line (at most
    MAX_CSV_ROWS; narrow the time window for more)."""
    entries = audit_query(principal, wanted).subquery()
    rows = await session.execute(
        select(entries, m.User.username, m.User.display_name)
        .outerjoin(m.User, m.User.id == entries.c.user_id)
        .order_by(entries.c.id)
        .limit(MAX_CSV_ROWS + 1)
    )
    found = rows.mappings().all()
    if len(found) > MAX_CSV_ROWS:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"More than {MAX_CSV_ROWS} entries: narrow the time window.",
            "since",
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in found:
        writer.writerow(
            (
                row["id"],
                row["at"].isoformat() if row["at"] else "",
                row["user_id"] or "",
                row["username"] or "",
                row["display_name"] or "",
                row["device_id"] or "",
                row["warehouse_id"] or "",
                row["action"],
                row["entity"] or "",
                row["entity_id"] or "",
                json.dumps(row["detail"] or {}, sort_keys=True, default=str),
            )
        )
    return buffer.getvalue()
