"""Sign-in (password, or badge scan + PIN, and a TOTP code where one is set up),
throttling, server-side sessions and principal loading."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth import sessions as auth_sessions
from backend.core.auth import totp
from backend.core.auth.passwords import hash_secret, verify_secret
from backend.core.auth.principal import Principal
from backend.core.auth.tokens import TokenClaims, TokenSigner
from backend.core.db.base import utcnow
from backend.core.db.models import (
    SignInFailure,
    User,
    UserRole,
    UserSession,
    UserWarehouse,
    Warehouse,
)
from backend.core.errors import DomainError, ErrorCode


@dataclass(frozen=True)
class SignInResult:
    token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int
    window: timedelta


async def load_principal(
    session: AsyncSession, user: User, device_id: str, session_id: str = ""
) -> Principal:
    roles = (await session.scalars(select(UserRole.role).where(UserRole.user_id == user.id))).all()
    if "admin" in roles:
        warehouses = (await session.scalars(select(Warehouse.id))).all()
    else:
        warehouses = (
            await session.scalars(
                select(UserWarehouse.warehouse_id).where(UserWarehouse.user_id == user.id)
            )
        ).all()
    return Principal(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        roles=frozenset(roles),
        warehouse_ids=frozenset(warehouses),
        home_warehouse_id=user.home_warehouse_id,
        locale=user.locale,
        device_id=device_id,
        session_id=session_id,
    )


async def principal_from_claims(session: AsyncSession, claims: TokenClaims) -> Principal | None:
    """The caller, if the token's session is open and its user active and unchanged.

    Writes (and commits) the session's last_seen_at at most once a minute.
    """
    row = (
        await session.execute(
            select(User, UserSession.last_seen_at)
            .join(UserSession, UserSession.user_id == User.id)
            .where(
                UserSession.id == claims.session_id,
                User.id == claims.user_id,
                UserSession.revoked_at.is_(None),
            )
        )
    ).first()
    if row is None:
        return None
    user, last_seen = row
    if not user.active or user.token_version != claims.token_version:
        return None
    principal = await load_principal(session, user, claims.device_id, claims.session_id)
    now = utcnow()
    if auth_sessions.needs_touch(last_seen, now):
        await session.execute(
            update(UserSession).where(UserSession.id == claims.session_id).values(last_seen_at=now)
        )
        await session.commit()
    return principal


async def _recent_failures(session: AsyncSession, key: str, since: datetime) -> int:
    count = await session.scalar(
        select(func.count()).where(SignInFailure.key == key, SignInFailure.at >= since)
    )
    return int(count or 0)


class SignInService:
    def __init__(
        self, signer: TokenSigner, throttle: ThrottlePolicy, *, totp_required: bool = False
    ) -> None:
        self.signer = signer
        self.throttle = throttle
        # Admins and supervisors without a second factor may not sign in at all.
        self.totp_required = totp_required

    async def with_password(
        self,
        session: AsyncSession,
        username: str,
        password: str,
        device_id: str,
        otp: str | None = None,
    ) -> SignInResult:
        key = f"user:{username.strip().lower()}"
        user = await session.scalar(select(User).where(User.username == username.strip()))
        return await self._finish(
            session, key, user, user.password_hash if user else None, password, device_id, otp
        )

    async def with_badge(
        self,
        session: AsyncSession,
        badge_code: str,
        pin: str,
        device_id: str,
        otp: str | None = None,
    ) -> SignInResult:
        key = f"badge:{badge_code}"
        user = await session.scalar(select(User).where(User.badge_code == badge_code))
        return await self._finish(
            session, key, user, user.pin_hash if user else None, pin, device_id, otp
        )

    async def issue(self, session: AsyncSession, user: User, device_id: str) -> SignInResult:
        """Open a new session for `user` on `device_id` and sign a token naming it."""
        row = await auth_sessions.open_session(session, user.id, device_id)
        principal = await load_principal(session, user, device_id, row.id)
        token = self.signer.issue(TokenClaims(user.id, user.token_version, device_id, row.id))
        return SignInResult(
            token, row.created_at + timedelta(seconds=self.signer.ttl_seconds), principal
        )

    async def _second_factor(
        self, session: AsyncSession, key: str, user: User, otp: str | None, device_id: str
    ) -> None:
        if user.totp_enabled_at is None or user.totp_secret is None:
            if self.totp_required:
                roles = (
                    await session.scalars(select(UserRole.role).where(UserRole.user_id == user.id))
                ).all()
                if totp.applies_to(set(roles)):
                    raise DomainError(
                        ErrorCode.OTP_ENROLMENT_REQUIRED,
                        "This account needs two-factor sign-in set up first; ask an "
                        "administrator (wms users totp).",
                    )
            return
        if not otp or not otp.strip():
            raise DomainError(
                ErrorCode.OTP_REQUIRED, "Enter the code from your authenticator app.", "otp"
            )
        step = totp.matching_step(user.totp_secret, otp, user.totp_last_step)
        if step is None:
            raise SignInFailed(key, device_id, ErrorCode.OTP_INVALID)
        user.totp_last_step = step

    async def _finish(
        self,
        session: AsyncSession,
        key: str,
        user: User | None,
        stored_hash: str | None,
        secret: str,
        device_id: str,
        otp: str | None = None,
    ) -> SignInResult:
        now = utcnow()
        since = now - self.throttle.window
        if await _recent_failures(session, key, since) >= self.throttle.max_failures:
            raise DomainError(
                ErrorCode.TOO_MANY_ATTEMPTS,
                "Too many failed sign-ins. Wait a few minutes or ask a supervisor.",
            )
        if not verify_secret(stored_hash, secret) or user is None:
            # Recorded even though the caller's transaction will not commit: the
            # failure has to survive, so the schema layer commits it separately.
            raise SignInFailed(key, device_id)
        if not user.active:
            raise DomainError(ErrorCode.ACCOUNT_DISABLED, "This account is disabled.")
        await self._second_factor(session, key, user, otp, device_id)
        await session.execute(delete(SignInFailure).where(SignInFailure.key == key))
        return await self.issue(session, user, device_id)


class SignInFailed(Exception):
    """A wrong secret (or second-factor code): counted toward the throttle."""

    def __init__(
        self, key: str, device_id: str, code: ErrorCode = ErrorCode.INVALID_CREDENTIALS
    ) -> None:
        super().__init__("invalid credentials")
        self.key = key
        self.device_id = device_id
        self.code = code


async def record_failure(session: AsyncSession, failure: SignInFailed) -> None:
    session.add(SignInFailure(key=failure.key, device_id=failure.device_id))


async def create_user(
    session: AsyncSession,
    *,
    username: str,
    display_name: str,
    password: str,
    roles: list[str],
    warehouse_ids: list[int],
    badge_code: str | None = None,
    pin: str | None = None,
    locale: str = "en",
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        password_hash=hash_secret(password),
        pin_hash=hash_secret(pin) if pin else None,
        badge_code=badge_code,
        locale=locale,
        home_warehouse_id=warehouse_ids[0] if warehouse_ids else None,
    )
    session.add(user)
    await session.flush()
    session.add_all(UserRole(user_id=user.id, role=role) for role in roles)
    session.add_all(UserWarehouse(user_id=user.id, warehouse_id=wid) for wid in warehouse_ids)
    await session.flush()
    return user
