"""Inputs and answers of user administration."""

from __future__ import annotations

import strawberry

from backend.core.db import models as m
from backend.schema.errors import result_union
from backend.schema.types import User
from backend.users.admin import UserSpec


@strawberry.input
class UserInput:
    username: str
    display_name: str
    roles: list[str] = strawberry.field(
        description="admin, supervisor, planner, receiver, picker, packer, shipper, viewer"
    )
    warehouse_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The first is the home warehouse."
    )
    locale: str = "en"
    password: str | None = strawberry.field(
        default=None, description="Required on create; at least 8 characters."
    )
    pin: str | None = strawberry.field(
        default=None, description="4 to 8 digits, for badge sign-in."
    )
    idempotency_key: str | None = None

    def spec(self, warehouse_ids: tuple[int, ...]) -> UserSpec:
        return UserSpec(
            username=self.username,
            display_name=self.display_name,
            roles=tuple(r.strip().lower() for r in self.roles),
            warehouse_ids=warehouse_ids,
            locale=self.locale,
            password=self.password,
            pin=self.pin,
        )


@strawberry.input
class ResetUserSecretInput:
    username: str
    password: str | None = None
    pin: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class SetUserActiveInput:
    username: str
    active: bool
    idempotency_key: str | None = None


@strawberry.type
class UserSuccess:
    user: User


def user_view(row: m.User, roles: list[str], warehouse_ids: list[int]) -> User:
    return User(
        id=strawberry.ID(str(row.id)),
        username=row.username,
        display_name=row.display_name,
        roles=sorted(roles),
        locale=row.locale,
        warehouse_ids=[strawberry.ID(str(w)) for w in sorted(warehouse_ids)],
        home_warehouse_id=None
        if row.home_warehouse_id is None
        else strawberry.ID(str(row.home_warehouse_id)),
        active=row.active,
        badge_code=row.badge_code,
    )


UserResult = result_union("UserResult", UserSuccess)
