# mypy: disable-error-code="valid-type"
"""User administration: each resolver calls one function of `backend.users.admin`."""

from __future__ import annotations

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded
from backend.schema.replay import encode
from backend.schema.users.types import (
    ResetUserSecretInput,
    SetUserActiveInput,
    UserInput,
    UserResult,
    UserSuccess,
    user_view,
)
from backend.users import admin


async def _view(session: AsyncSession, row: m.User) -> UserSuccess:
    roles = list(await session.scalars(select(m.UserRole.role).where(m.UserRole.user_id == row.id)))
    whs = list(
        await session.scalars(
            select(m.UserWarehouse.warehouse_id).where(m.UserWarehouse.user_id == row.id)
        )
    )
    return UserSuccess(user=user_view(row, roles, whs))


def _ids(input: UserInput) -> tuple[int, ...]:
    return tuple(parse_id(w, "warehouseIds") for w in input.warehouse_ids)


def _redacted(input: UserInput | ResetUserSecretInput) -> dict[str, object]:
    """The input as audited: secrets never reach the audit log or the replay store."""
    payload = encode(input)
    for secret in ("password", "pin"):
        if payload.get(secret) is not None:
            payload[secret] = "***"
    return payload  # type: ignore[no-any-return]


def _user_id(result: UserSuccess) -> str:
    return str(result.user.id)


@strawberry.type
class UserMutations:
    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Create a user with roles, warehouses, password, PIN and a badge code.",
    )
    async def create_user(self, info: Info, input: UserInput) -> UserResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> UserSuccess:
            return await _view(
                uow.session, await admin.add_user(uow.session, input.spec(_ids(input)))
            )

        return await execute(info, _redacted(input), handle, audit_entity="user", audit_id=_user_id)

    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Change a user's name, roles, warehouses and locale; their tokens end.",
    )
    async def update_user(self, info: Info, input: UserInput) -> UserResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> UserSuccess:
            return await _view(uow.session, await admin.update_user(uow, input.spec(_ids(input))))

        return await execute(info, _redacted(input), handle, audit_entity="user", audit_id=_user_id)

    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Set a new password (ends their sessions) and/or PIN.",
    )
    async def reset_user_secret(self, info: Info, input: ResetUserSecretInput) -> UserResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> UserSuccess:
            user = await admin.reset_user_secrets(uow, input.username, input.password, input.pin)
            return await _view(uow.session, user)

        return await execute(info, _redacted(input), handle, audit_entity="user", audit_id=_user_id)

    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Disable (sessions end at once) or re-enable a user.",
    )
    async def set_user_active(self, info: Info, input: SetUserActiveInput) -> UserResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> UserSuccess:
            row = await admin.set_active(uow, input.username, input.active, principal.user_id)
            return await _view(uow.session, row)

        return await execute(info, input, handle, audit_entity="user", audit_id=_user_id)
