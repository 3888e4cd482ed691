"""Signed-in principals remembered for a few seconds, per token version.

Loading a principal is three selects in a session of its own; a handheld
scanning every few seconds would pay that on every scan. The key holds the
token's version, so a token issued after a sign-out never meets an old entry.
Revocation is respected:

- in this process at once: whatever revokes (sign-out, a session revoked, a
  user disabled or given other roles) calls :meth:`PrincipalCache.forget`
  after its commit;
- in other worker processes within ``ttl`` seconds (``WMS_PRINCIPAL_TTL_SECONDS``,
  default 2; 0 turns the cache off).

``revoked`` is the hook for per-session revocation: a callable told the token's
claims on every hit; answering True drops the entry and makes the caller load
the principal from the database again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from backend.core.auth.principal import Principal
from backend.core.auth.tokens import TokenClaims

MAX_ENTRIES = 10_000


@dataclass
class PrincipalCache:
    ttl: float = 2.0
    revoked: Callable[[TokenClaims], bool] | None = None
    _entries: dict[tuple[int, int, str, str], tuple[float, Principal]] = field(default_factory=dict)

    @staticmethod
    def _key(claims: TokenClaims) -> tuple[int, int, str, str]:
        return (claims.user_id, claims.token_version, claims.device_id, claims.session_id)

    def get(self, claims: TokenClaims) -> Principal | None:
        if self.ttl <= 0:
            return None
        key = self._key(claims)
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, principal = entry
        if expires < time.monotonic() or (self.revoked is not None and self.revoked(claims)):
            self._entries.pop(key, None)
            return None
        return principal

    def put(self, claims: TokenClaims, principal: Principal) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= MAX_ENTRIES:
            now = time.monotonic()
            self._entries = {k: v for k, v in self._entries.items() if v[0] >= now}
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
        self._entries[self._key(claims)] = (time.monotonic() + self.ttl, principal)

    def forget(self, user_id: int) -> None:
        """Drop every entry of the user (all devices, all token versions)."""
        for key in [k for k in self._entries if k[0] == user_id]:
            del self._entries[key]
