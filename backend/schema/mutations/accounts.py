"""Account mutations: token rotation, the TOTP second factor, and the changes to
a user (active, roles, warehouses) that end their open sessions."""

from __future__ import annotations

import strawberry

from backend.core.auth import accounts
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.auth.service import load_principal
from backend.core.db.models import User as UserRow
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded
from backend.schema.mutations.auth import SignInResultType, SignInSuccess
from backend.schema.queries import user_of
from backend.schema.types import User


@strawberry.type
class TotpEnrolment:
    secret: str = strawberry.field(description="Base32, for typing into an authenticator.")
    uri: str = strawberry.field(description="otpauth:// URI, what the QR code holds.")
    qr_svg: str = strawberry.field(description="The URI as an inline SVG QR code.")


@strawberry.type
class TotpChanged:
    enabled: bool


@strawberry.type
class UserAccountSuccess:
    user: User


TotpEnrolmentResult = result_union("TotpEnrolmentResult", TotpEnrolment)
TotpChangedResult = result_union("TotpChangedResult", TotpChanged)
UserAccountResult = result_union("UserAccountResult", UserAccountSuccess)


@strawberry.input
class TotpCodeInput:
    code: str


@strawberry.input
class SetUserRolesInput:
    user_id: strawberry.ID
    roles: list[str]


@strawberry.input
class SetUserWarehousesInput:
    user_id: strawberry.ID
    warehouse_ids: list[strawberry.ID]


async def _account(uow: UnitOfWork, user: UserRow) -> UserAccountSuccess:
    return UserAccountSuccess(user=user_of(await load_principal(uow.session, user, "")))


@strawberry.type
class AccountMutations:
    @guarded(
        None,
        idempotent=False,
        description="A new token on a new session for this device; the current token "
        "stops working and its open subscriptions close (code 4000: reconnect).",
    )
    async def refresh_token(self, info: Info) -> SignInResultType:
        signin = info.context.app.signin

        async def handler(uow: UnitOfWork, principal: Principal) -> SignInSuccess:
            result = await accounts.rotate(uow, principal, signin)
            return SignInSuccess(
                token=result.token, expires_at=result.expires_at, user=user_of(result.principal)
            )

        return await execute(info, None, handler, audit_entity="user")

    @guarded(
        None,
        idempotent=False,
        description="Start setting up TOTP two-factor sign-in (admins and supervisors); "
        "it is on once confirmTotp accepts a first code.",
    )
    async def start_totp_enrolment(self, info: Info) -> TotpEnrolmentResult:
        async def handler(uow: UnitOfWork, principal: Principal) -> TotpEnrolment:
            enrolment = await accounts.start_totp(uow, principal)
            return TotpEnrolment(
                secret=enrolment.secret, uri=enrolment.uri, qr_svg=enrolment.qr_svg
            )

        # The secret is not written to the audit entry (the input is empty).
        return await execute(info, None, handler, audit_entity="user")

    @guarded(None, idempotent=False, description="Turn two-factor sign-in on with a first code.")
    async def confirm_totp(self, info: Info, input: TotpCodeInput) -> TotpChangedResult:
        async def handler(uow: UnitOfWork, principal: Principal) -> TotpChanged:
            await accounts.confirm_totp(uow, principal, input.code)
            return TotpChanged(enabled=True)

        return await execute(info, {}, handler, audit_entity="user")

    @guarded(None, idempotent=False, description="Turn two-factor sign-in off (needs a code).")
    async def disable_totp(self, info: Info, input: TotpCodeInput) -> TotpChangedResult:
        async def handler(uow: UnitOfWork, principal: Principal) -> TotpChanged:
            await accounts.disable_totp(uow, principal, input.code)
            return TotpChanged(enabled=False)

        return await execute(info, {}, handler, audit_entity="user")

    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Replace a user's roles; their sessions end, so they sign in with the new ones.",
    )
    async def set_user_roles(self, info: Info, input: SetUserRolesInput) -> UserAccountResult:
        async def handler(uow: UnitOfWork, principal: Principal) -> UserAccountSuccess:
            user = await accounts.set_roles(
                uow, principal, parse_id(input.user_id, "userId"), input.roles
            )
            return await _account(uow, user)

        return await execute(
            info, input, handler, audit_entity="user", audit_id=lambda r: r.user.id
        )

    @guarded(
        Perm.USER_MANAGE,
        idempotent=False,
        description="Replace the warehouses a user may act in; their sessions end.",
    )
    async def set_user_warehouses(
        self, info: Info, input: SetUserWarehousesInput
    ) -> UserAccountResult:
        async def handler(uow: UnitOfWork, principal: Principal) -> UserAccountSuccess:
            ids = [parse_id(w, "warehouseIds") for w in input.warehouse_ids]
            user = await accounts.set_warehouses(
                uow, principal, parse_id(input.user_id, "userId"), ids
            )
            return await _account(uow, user)

        return await execute(
            info, input, handler, audit_entity="user", audit_id=lambda r: r.user.id
        )
