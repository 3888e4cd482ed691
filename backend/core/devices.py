"""Handhelds and the work they hold: each device reports its outbox (how many changes
wait, how many the server refused on replay, since when) whenever it is online, and
supervisors list the devices whose work has not reached the server.

One row per device (`DeviceSync`), overwritten by every report: it is the device's
word about itself, not a history. The changes themselves stay on the device until the
server takes them; this only says where to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import ReadScope

# A device holding more than this is broken, not busy: refuse rather than store nonsense.
MAX_WAITING = 100_000
MAX_CODES = 10


@dataclass(frozen=True)
class SyncReport:
    waiting: int
    conflicts: int
    conflict_codes: tuple[str, ...] = ()
    oldest_waiting_at: datetime | None = None
    app_version: str = ""


@dataclass(frozen=True)
class DeviceState:
    row: m.DeviceSync
    username: str
    display_name: str


def _check(report: SyncReport) -> None:
    if not 0 <= report.waiting <= MAX_WAITING:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "Waiting must be 0 or more.", "waiting")
    if not 0 <= report.conflicts <= report.waiting:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY,
            "Conflicts are among the waiting changes: 0 up to the waiting count.",
            "conflicts",
        )
    if len(report.app_version) > 40:
        raise DomainError(ErrorCode.INVALID_INPUT, "App version too long.", "appVersion")
    for code in report.conflict_codes:
        if not code or len(code) > 40 or not code.replace("_", "").isalnum():
            raise DomainError(ErrorCode.INVALID_INPUT, "Not an error code.", "conflictCodes")


async def report_device_sync(
    uow: UnitOfWork, principal: Principal, report: SyncReport
) -> DeviceState:
    """Store what the caller's device says of its outbox (the device of the token)."""
    if not principal.device_id:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Sign in from a device to report its outbox.", "deviceId"
        )
    _check(report)
    now = utcnow()
    oldest = report.oldest_waiting_at if report.waiting else None
    # A device clock ahead of the server's must not make work look newer than it is.
    if oldest is not None and oldest > now:
        oldest = now
    codes = ",".join(sorted(set(report.conflict_codes))[:MAX_CODES]) if report.conflicts else ""
    session = uow.session
    row = await session.get(m.DeviceSync, principal.device_id, with_for_update=True)
    if row is None:
        row = m.DeviceSync(device_id=principal.device_id)
        session.add(row)
    row.user_id = principal.user_id
    row.waiting = report.waiting
    row.conflicts = report.conflicts
    row.conflict_codes = codes
    row.oldest_waiting_at = oldest
    row.last_seen_at = now
    row.app_version = report.app_version
    uow.warehouse_id = principal.home_warehouse_id
    await session.flush()
    return DeviceState(row, principal.username, principal.display_name)


async def devices_with_unsent_work(
    session: AsyncSession, scope: ReadScope, *, include_clear: bool = False, limit: int = 200
) -> list[DeviceState]:
    """Devices of people who work in the scope's warehouses, conflicts first, then the
    longest waiting; with `include_clear` also those whose outbox is empty."""
    if scope.empty:
        return []
    works_here = exists().where(
        m.UserWarehouse.user_id == m.DeviceSync.user_id,
        scope.clause(m.UserWarehouse.warehouse_id),
    )
    home_here = scope.clause(m.User.home_warehouse_id)
    stmt = (
        select(m.DeviceSync, m.User.username, m.User.display_name)
        .join(m.User, m.User.id == m.DeviceSync.user_id)
        .where(or_(works_here, home_here))
    )
    if not include_clear:
        stmt = stmt.where(or_(m.DeviceSync.waiting > 0, m.DeviceSync.conflicts > 0))
    stmt = stmt.order_by(
        m.DeviceSync.conflicts.desc(),
        m.DeviceSync.oldest_waiting_at.is_(None),
        m.DeviceSync.oldest_waiting_at,
        m.DeviceSync.device_id,
    ).limit(limit)
    rows = await session.execute(stmt)
    return [DeviceState(row, username, name) for row, username, name in rows]
