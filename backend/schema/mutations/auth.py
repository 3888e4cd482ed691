from __future__ import annotations

from datetime import datetime

import strawberry

from backend.core import audit
from backend.core.auth import accounts
from backend.core.auth.devices import device_name
from backend.core.auth.service import SignInFailed, SignInResult, record_failure
from backend.core.errors import DomainError, ErrorCode
from backend.scan import CodeKind, InternalScan, parse_scan
from backend.schema.context import Info
from backend.schema.errors import UserError, result_union, to_user_error
from backend.schema.mutation import guarded
from backend.schema.queries import user_of
from backend.schema.types import User


@strawberry.type
class SignInSuccess:
    token: str
    expires_at: datetime
    user: User


SignInResultType = result_union("SignInResult", SignInSuccess)


@strawberry.input
class PasswordSignInInput:
    username: str
    password: str
    device_id: str
    otp: str | None = strawberry.field(
        default=None, description="The authenticator's code, where two-factor sign-in is on."
    )


@strawberry.input
class BadgeSignInInput:
    badge: str = strawberry.field(description="The scanned badge code, as the scanner sent it.")
    pin: str
    device_id: str
    otp: str | None = strawberry.field(
        default=None, description="The authenticator's code, where two-factor sign-in is on."
    )


@strawberry.type
class SignOutSuccess:
    signed_out: bool


SignOutResult = result_union("SignOutResult", SignOutSuccess)


async def _sign_in(info: Info, attempt: str, device_id: str, run) -> SignInSuccess | UserError:  # type: ignore[no-untyped-def]
    app = info.context.app
    try:
        device = device_name(device_id)
        async with app.unit_of_work() as uow:
            result: SignInResult = await run(uow.session, device)
            audit.record(
                uow.session,
                result.principal,
                attempt,
                entity="user",
                entity_id=result.principal.user_id,
            )
            await uow.commit()
    except DomainError as error:
        return to_user_error(error)
    except SignInFailed as failed:
        async with app.unit_of_work() as uow:
            await record_failure(uow.session, failed)
            audit.record(
                uow.session,
                None,
                f"{attempt}.failed",
                device_id=failed.device_id,
                detail={"key": failed.key},
            )
            await uow.commit()
        if failed.code is ErrorCode.OTP_INVALID:
            return to_user_error(DomainError(failed.code, "That code is not right.", "otp"))
        return to_user_error(DomainError(ErrorCode.INVALID_CREDENTIALS, "Wrong credentials.", None))
    return SignInSuccess(
        token=result.token, expires_at=result.expires_at, user=user_of(result.principal)
    )


USERNAME_MAX = 64  # users.username
SECRET_MAX = 1024


@strawberry.type
class AuthMutations:
    @guarded(None, idempotent=False, description="Sign in with username and password.")
    async def sign_in(self, info: Info, input: PasswordSignInInput) -> SignInResultType:
        # No username is longer than its column; a megabyte password would only cost hashing.
        if len(input.username) > USERNAME_MAX or len(input.password) > SECRET_MAX:
            return to_user_error(
                DomainError(ErrorCode.INVALID_INPUT, "Username or password too long.", "username")
            )
        signin = info.context.app.signin
        return await _sign_in(
            info,
            "signIn",
            input.device_id,
            lambda s, d: signin.with_password(s, input.username, input.password, d, input.otp),
        )

    @guarded(
        None, idempotent=False, description="Sign in on a handheld: scan the badge, key the PIN."
    )
    async def sign_in_with_badge(self, info: Info, input: BadgeSignInInput) -> SignInResultType:
        if len(input.badge) > SECRET_MAX:
            return to_user_error(DomainError(ErrorCode.INVALID_INPUT, "Not a badge.", "badge"))
        try:
            scan = parse_scan(input.badge)
        except DomainError as error:
            return to_user_error(error)
        if not isinstance(scan, InternalScan) or scan.kind is not CodeKind.BADGE:
            return to_user_error(
                DomainError(ErrorCode.SCAN_WRONG_KIND, "That is not a badge.", "badge")
            )
        if not input.pin.isdigit() or not 4 <= len(input.pin) <= 12:
            return to_user_error(
                DomainError(ErrorCode.INVALID_INPUT, "A PIN is 4 to 12 digits.", "pin")
            )
        signin = info.context.app.signin
        return await _sign_in(
            info,
            "signInWithBadge",
            input.device_id,
            lambda s, d: signin.with_badge(s, scan.code, input.pin, d, input.otp),
        )

    @guarded(None, idempotent=False, description="End every session of the caller (all devices).")
    async def sign_out(self, info: Info) -> SignOutResult:
        principal = await info.context.require_principal()
        async with info.context.app.unit_of_work() as uow:
            await accounts.sign_out(uow, principal)
            audit.record(
                uow.session, principal, "signOut", entity="user", entity_id=principal.user_id
            )
            await uow.commit()
        info.context.app.principals.forget(principal.user_id)
        return SignOutSuccess(signed_out=True)
