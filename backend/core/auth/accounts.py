"""Changes to an account that must end its open sessions: sign-out, disabling,
roles and warehouses, token rotation and the second factor.

Each revokes sessions in the caller's unit of work and emits one revocation
event, which the unit of work publishes after commit; every process then closes
the revoked sessions' sockets (`auth/watch.py`).
"""

from __future__ import annotations

from sqlalchemy import delete, select

from backend.core.auth import sessions as auth_sessions
from backend.core.auth import totp
from backend.core.auth.permissions import Role
from backend.core.auth.principal import Principal
from backend.core.auth.service import SignInResult, SignInService
from backend.core.auth.sessions import RevokeReason
from backend.core.db.base import utcnow
from backend.core.db.models import User, UserRole, UserWarehouse, Warehouse
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode


async def _revoke(
    uow: UnitOfWork,
    user_id: int,
    reason: RevokeReason,
    *,
    only: str | None = None,
    keep: str | None = None,
) -> list[str]:
    ids = await auth_sessions.revoke(uow.session, user_id, reason, only=only, keep=keep)
    if ids:
        uow.emit(auth_sessions.revocation_event(user_id, ids, reason))
    return ids


async def _user(uow: UnitOfWork, user_id: int) -> User:
    user = await uow.session.get(User, user_id, with_for_update=True)
    if user is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No user {user_id}.", "userId")
    return user


async def sign_out(uow: UnitOfWork, principal: Principal) -> list[str]:
    """End every session of the caller, on every device."""
    user = await _user(uow, principal.user_id)
    user.token_version += 1
    return await _revoke(uow, principal.user_id, RevokeReason.SIGNED_OUT)


async def rotate(uow: UnitOfWork, principal: Principal, signin: SignInService) -> SignInResult:
    """A new token on a new session for the same device; the caller's session ends."""
    user = await _user(uow, principal.user_id)
    if not user.active:
        raise DomainError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.")
    if not principal.session_id:
        raise DomainError(ErrorCode.INVALID_STATE, "This token names no session.")
    revoked = await _revoke(uow, user.id, RevokeReason.ROTATED, only=principal.session_id)
    if not revoked:  # a concurrent refresh of the same token already rotated it
        raise DomainError(ErrorCode.INVALID_STATE, "This session has already ended.")
    return await signin.issue(uow.session, user, principal.device_id)


def _not_self(actor: Principal, user_id: int) -> None:
    # Locking yourself out (disabled, no admin role) needs a second administrator.
    if actor.user_id == user_id:
        raise DomainError(
            ErrorCode.INVALID_STATE, "Ask another administrator to change your own account."
        )


async def end_sessions(uow: UnitOfWork, user_id: int, reason: RevokeReason) -> list[str]:
    """End every session of a user now (their open sockets close on every process)."""
    return await _revoke(uow, user_id, reason)


async def revoke_all(uow: UnitOfWork, user_id: int) -> list[str]:
    """End every session of a user (their second factor was reset, say)."""
    return await _revoke(uow, user_id, RevokeReason.SECOND_FACTOR)


async def set_active(uow: UnitOfWork, actor: Principal, user_id: int, active: bool) -> User:
    _not_self(actor, user_id)
    user = await _user(uow, user_id)
    user.active = active
    if not active:
        await _revoke(uow, user_id, RevokeReason.DISABLED)
    return user


async def set_roles(uow: UnitOfWork, actor: Principal, user_id: int, roles: list[str]) -> User:
    _not_self(actor, user_id)
    wanted = set(roles)
    unknown = wanted - {r.value for r in Role}
    if unknown or not wanted:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"Unknown or no roles: {sorted(unknown)}.", "roles"
        )
    user = await _user(uow, user_id)
    held = set(
        (await uow.session.scalars(select(UserRole.role).where(UserRole.user_id == user_id))).all()
    )
    if held != wanted:
        await uow.session.execute(delete(UserRole).where(UserRole.user_id == user_id))
        uow.session.add_all(UserRole(user_id=user_id, role=r) for r in sorted(wanted))
        await _revoke(uow, user_id, RevokeReason.ROLES)
    return user


async def set_warehouses(
    uow: UnitOfWork, actor: Principal, user_id: int, warehouse_ids: list[int]
) -> User:
    _not_self(actor, user_id)
    wanted = set(warehouse_ids)
    known = set(
        (await uow.session.scalars(select(Warehouse.id).where(Warehouse.id.in_(wanted)))).all()
    )
    if known != wanted:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"No warehouse {sorted(wanted - known)}.", "warehouseIds"
        )
    user = await _user(uow, user_id)
    held = set(
        (
            await uow.session.scalars(
                select(UserWarehouse.warehouse_id).where(UserWarehouse.user_id == user_id)
            )
        ).all()
    )
    if held != wanted:
        await uow.session.execute(delete(UserWarehouse).where(UserWarehouse.user_id == user_id))
        uow.session.add_all(UserWarehouse(user_id=user_id, warehouse_id=w) for w in sorted(wanted))
        if user.home_warehouse_id not in wanted:
            user.home_warehouse_id = min(wanted) if wanted else None
        await _revoke(uow, user_id, RevokeReason.WAREHOUSES)
    return user


async def start_totp(uow: UnitOfWork, principal: Principal) -> totp.Enrolment:
    if not totp.applies_to(principal.roles):
        raise DomainError(
            ErrorCode.PERMISSION_DENIED, "Two-factor sign-in is for admins and supervisors."
        )
    user = await _user(uow, principal.user_id)
    if user.totp_enabled_at is not None:
        raise DomainError(
            ErrorCode.INVALID_STATE, "Two-factor sign-in is already on; turn it off first."
        )
    enrolment = totp.new_enrolment(user.username)
    user.totp_secret = enrolment.secret
    user.totp_last_step = None
    return enrolment


async def confirm_totp(uow: UnitOfWork, principal: Principal, code: str) -> None:
    """Turn the factor on with a first code; the user's other sessions, opened
    without it, end."""
    user = await _user(uow, principal.user_id)
    if user.totp_secret is None or user.totp_enabled_at is not None:
        raise DomainError(ErrorCode.INVALID_STATE, "Start two-factor enrolment first.")
    step = totp.matching_step(user.totp_secret, code, None)
    if step is None:
        raise DomainError(
            ErrorCode.OTP_INVALID, "That code is not right; try the next one.", "code"
        )
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    await _revoke(uow, user.id, RevokeReason.SECOND_FACTOR, keep=principal.session_id or None)


async def disable_totp(uow: UnitOfWork, principal: Principal, code: str) -> None:
    user = await _user(uow, principal.user_id)
    if user.totp_enabled_at is None or user.totp_secret is None:
        raise DomainError(ErrorCode.INVALID_STATE, "Two-factor sign-in is not on.")
    if totp.matching_step(user.totp_secret, code, user.totp_last_step) is None:
        raise DomainError(ErrorCode.OTP_INVALID, "That code is not right.", "code")
    reset_totp(user)


def reset_totp(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
