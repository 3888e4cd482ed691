"""User upkeep: create, change roles and warehouses, disable, reset password or PIN.

A disabled user, or one whose password was reset, loses every token at once
(``token_version`` is bumped). Badges are printable internal codes
``BADGE-<USERNAME>-C``; a user keeps history (audit, ledger) and is never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth import accounts
from backend.core.auth.passwords import hash_secret
from backend.core.auth.permissions import Role
from backend.core.auth.service import create_user
from backend.core.auth.sessions import RevokeReason
from backend.core.db.models import User, UserRole, UserWarehouse, Warehouse
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.scan import CodeKind, make_code

LOCALES = ("en", "zh-CN", "de", "fr", "es", "nl")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class UserSpec:
    username: str
    display_name: str
    roles: tuple[str, ...]
    warehouse_ids: tuple[int, ...]
    locale: str = "en"
    password: str | None = None
    pin: str | None = None


def _check(spec: UserSpec, *, creating: bool) -> None:
    name = spec.username.strip()
    if (
        not name
        or len(name) > 64
        or not name.replace(".", "").replace("-", "").replace("_", "").isalnum()
    ):
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A username is letters, digits, '.', '-' or '_'.", "username"
        )
    if not spec.display_name.strip():
        raise DomainError(ErrorCode.INVALID_INPUT, "displayName is required.", "displayName")
    known = {r.value for r in Role}
    unknown = [r for r in spec.roles if r not in known]
    if unknown or not spec.roles:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Roles are one or more of {', '.join(sorted(known))}.",
            "roles",
        )
    if spec.locale not in LOCALES:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"locale is one of {', '.join(LOCALES)}.", "locale"
        )
    if creating and not spec.password:
        raise DomainError(ErrorCode.INVALID_INPUT, "A new user needs a password.", "password")
    check_password(spec.password)
    check_pin(spec.pin)


def check_password(password: str | None) -> None:
    if password is not None and len(password) < MIN_PASSWORD:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"A password has at least {MIN_PASSWORD} characters.",
            "password",
        )


def check_pin(pin: str | None) -> None:
    if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise DomainError(ErrorCode.INVALID_INPUT, "A PIN is 4 to 8 digits.", "pin")


async def _check_warehouses(session: AsyncSession, ids: tuple[int, ...]) -> None:
    found = (
        set(await session.scalars(select(Warehouse.id).where(Warehouse.id.in_(ids))))
        if ids
        else set()
    )
    missing = sorted(set(ids) - found)
    if missing:
        raise DomainError(
            ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {missing[0]}.", "warehouseIds"
        )


async def user_by_name(session: AsyncSession, username: str, *, lock: bool = False) -> User:
    stmt = select(User).where(User.username == username.strip())
    user = await session.scalar(stmt.with_for_update() if lock else stmt)
    if user is None:
        raise DomainError(ErrorCode.USER_NOT_FOUND, f"No user {username}.", "username")
    return user


async def add_user(session: AsyncSession, spec: UserSpec) -> User:
    _check(spec, creating=True)
    await _check_warehouses(session, spec.warehouse_ids)
    if await session.scalar(select(User.id).where(User.username == spec.username.strip())):
        raise DomainError(ErrorCode.DUPLICATE, f"Username {spec.username} is taken.", "username")
    assert spec.password is not None
    return await create_user(
        session,
        username=spec.username.strip(),
        display_name=spec.display_name.strip(),
        password=spec.password,
        roles=list(dict.fromkeys(spec.roles)),
        warehouse_ids=list(dict.fromkeys(spec.warehouse_ids)),
        badge_code=make_code(
            CodeKind.BADGE, spec.username.strip().replace(".", "-").replace("_", "-")
        ),
        pin=spec.pin,
        locale=spec.locale,
    )


async def change_user(session: AsyncSession, spec: UserSpec) -> User:
    """Set display name, locale, roles and warehouses (and a password/PIN if given)."""
    _check(spec, creating=False)
    await _check_warehouses(session, spec.warehouse_ids)
    user = await user_by_name(session, spec.username, lock=True)
    user.display_name, user.locale = spec.display_name.strip(), spec.locale
    await session.execute(delete(UserRole).where(UserRole.user_id == user.id))
    await session.execute(delete(UserWarehouse).where(UserWarehouse.user_id == user.id))
    session.add_all(UserRole(user_id=user.id, role=r) for r in dict.fromkeys(spec.roles))
    session.add_all(
        UserWarehouse(user_id=user.id, warehouse_id=w) for w in dict.fromkeys(spec.warehouse_ids)
    )
    if user.home_warehouse_id not in spec.warehouse_ids:
        user.home_warehouse_id = spec.warehouse_ids[0] if spec.warehouse_ids else None
    # Narrower rights take effect now, not when old tokens expire.
    user.token_version += 1
    if spec.password is not None or spec.pin is not None:
        await reset_secrets(session, user, spec.password, spec.pin)
    await session.flush()
    return user


async def reset_secrets(
    session: AsyncSession, user: User, password: str | None, pin: str | None
) -> User:
    check_password(password)
    check_pin(pin)
    if password is None and pin is None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Give a new password, a new PIN or both.", "password"
        )
    if password is not None:
        user.password_hash = hash_secret(password)
        user.token_version += 1
    if pin is not None:
        user.pin_hash = hash_secret(pin)
    await session.flush()
    return user


async def set_user_active(
    session: AsyncSession, username: str, active: bool, acting_user_id: int
) -> User:
    user = await user_by_name(session, username, lock=True)
    if not active and user.id == acting_user_id:
        raise DomainError(ErrorCode.INVALID_STATE, "You cannot disable yourself.", "username")
    user.active = active
    user.token_version += 1
    await session.flush()
    return user


# What an administrator does through the API: the same changes, and the user's
# sessions end in the same transaction, so open sockets close at once everywhere.


async def update_user(uow: UnitOfWork, spec: UserSpec) -> User:
    user = await change_user(uow.session, spec)
    await accounts.end_sessions(uow, user.id, RevokeReason.ROLES)
    return user


async def reset_user_secrets(
    uow: UnitOfWork, username: str, password: str | None, pin: str | None
) -> User:
    user = await user_by_name(uow.session, username, lock=True)
    await reset_secrets(uow.session, user, password, pin)
    if password is not None:
        await accounts.end_sessions(uow, user.id, RevokeReason.SECOND_FACTOR)
    return user


async def set_active(uow: UnitOfWork, username: str, active: bool, acting_user_id: int) -> User:
    user = await set_user_active(uow.session, username, active, acting_user_id)
    if not active:
        await accounts.end_sessions(uow, user.id, RevokeReason.DISABLED)
    return user
