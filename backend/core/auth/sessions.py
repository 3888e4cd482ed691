"""Server-side sessions: one row per signed-in device.

A token names its session. Revoking a session (sign-out, the user disabled, their
roles or warehouses changed, the token rotated) refuses its token from then on
and, through an event on the bus, closes its open subscriptions in every process.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.base import utcnow
from backend.core.db.models import UserSession
from backend.core.events import SessionsRevoked

# Revocations go out as core.events.SessionsRevoked on the sessions channel.
# last_seen_at is written at most this often per session, not on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


class RevokeReason(StrEnum):
    SIGNED_OUT = "signOut"
    DISABLED = "disabled"
    ROLES = "roles"
    WAREHOUSES = "warehouses"
    ROTATED = "rotated"
    SECOND_FACTOR = "secondFactor"


def new_session_id() -> str:
    return secrets.token_hex(16)


async def open_session(session: AsyncSession, user_id: int, device_id: str) -> UserSession:
    now = utcnow()
    row = UserSession(
        id=new_session_id(), user_id=user_id, device_id=device_id, created_at=now, last_seen_at=now
    )
    session.add(row)
    await session.flush()
    return row


async def revoke(
    session: AsyncSession,
    user_id: int,
    reason: RevokeReason,
    *,
    only: str | None = None,
    keep: str | None = None,
) -> list[str]:
    """Revoke the user's open sessions (just `only`, or all but `keep`); returns the ids."""
    stmt = select(UserSession.id).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if only is not None:
        stmt = stmt.where(UserSession.id == only)
    if keep:
        stmt = stmt.where(UserSession.id != keep)
    ids = list((await session.scalars(stmt.order_by(UserSession.id).with_for_update())).all())
    if ids:
        await session.execute(
            update(UserSession)
            .where(UserSession.id.in_(ids))
            .values(revoked_at=utcnow(), revoked_reason=reason.value)
        )
    return ids


def revocation_event(user_id: int, session_ids: list[str], reason: RevokeReason) -> SessionsRevoked:
    return SessionsRevoked(0, reason.value, user_id, tuple(session_ids))


def needs_touch(last_seen_at: datetime, now: datetime) -> bool:
    return now - last_seen_at >= TOUCH_INTERVAL
