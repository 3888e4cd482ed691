"""Per-request context: who is calling and a read session shared under a lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.auth.service import principal_from_claims
from backend.core.auth.tokens import TokenError, bearer
from backend.state import AppState


def unauthenticated(reason: str = "Sign in first.") -> GraphQLError:
    return GraphQLError(reason, extensions={"code": "UNAUTHENTICATED"})


def forbidden(perm: Perm) -> GraphQLError:
    return GraphQLError(
        f"Your role may not do this ({perm.value}).",
        extensions={"code": "PERMISSION_DENIED", "permission": perm.value},
    )


class Context:
    def __init__(self, app: AppState, request: Request | WebSocket, response: Any) -> None:
        self.app = app
        self.request = request
        self.response = response
        self.connection_params: dict[str, Any] | None = None
        self._principal: Principal | None = None
        self._principal_loaded = False
        self._session: AsyncSession | None = None
        self._session_lock = asyncio.Lock()
        self._principal_lock = asyncio.Lock()

    def _raw_token(self) -> str | None:
        if self.connection_params is not None:
            value = self.connection_params.get("authorization") or self.connection_params.get(
                "Authorization"
            )
            return bearer(str(value)) if value else None
        return bearer(self.request.headers.get("authorization"))

    @property
    def device_id(self) -> str:
        return self.request.headers.get("x-device-id", "")[:80]

    async def principal(self) -> Principal | None:
        # Sibling resolvers ask at the same time; the first loads, the others wait for it.
        async with self._principal_lock:
            if not self._principal_loaded:
                self._principal = await self._load_principal()
                self._principal_loaded = True
        return self._principal

    async def reload_principal(self) -> Principal | None:
        """Read the caller again (a long-lived socket checks its session is still open)."""
        async with self._principal_lock:
            self._principal = await self._load_principal()
            self._principal_loaded = True
        return self._principal

    async def _load_principal(self) -> Principal | None:
        token = self._raw_token()
        if not token:
            return None
        try:
            claims = self.app.signer.verify(token)
        except TokenError:
            return None
        # Cached for a moment per token version (revocation: principal_cache.py).
        cached = self.app.principals.get(claims)
        if cached is not None:
            return cached
        async with self.db() as session:
            principal = await principal_from_claims(session, claims)
        if principal is not None:
            self.app.principals.put(claims, principal)
        return principal

    async def require_principal(self) -> Principal:
        principal = await self.principal()
        if principal is None:
            raise unauthenticated()
        return principal

    async def require(self, perm: Perm) -> Principal:
        principal = await self.require_principal()
        if not principal.can(perm):
            raise forbidden(perm)
        return principal

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        """The request's read session. Resolvers run concurrently; one at a time uses it."""
        async with self._session_lock:
            if self._session is None:
                self._session = self.app.sessions()
            yield self._session
            # Reads never keep a transaction (and SQLite's write lock) open between resolvers.
            await self._session.rollback()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


Info = StrawberryInfo[Context, None]
