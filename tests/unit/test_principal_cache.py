"""The principal cache: per token version, bounded in time, forgotten on revocation."""

from __future__ import annotations

import time

from backend.core.auth.principal import Principal
from backend.core.auth.principal_cache import PrincipalCache
from backend.core.auth.tokens import TokenClaims

ALICE = Principal(1, "alice", "Alice", frozenset({"picker"}), frozenset({1}), 1, "en", "hh-1")


def test_a_hit_needs_the_same_user_token_version_and_device() -> None:
    cache = PrincipalCache(ttl=60)
    cache.put(TokenClaims(1, 3, "hh-1", "s-hh-1"), ALICE)
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is ALICE
    assert cache.get(TokenClaims(1, 4, "hh-1", "s-hh-1")) is None
    assert cache.get(TokenClaims(1, 3, "hh-2", "s-hh-2")) is None


def test_entries_expire(monkeypatch) -> None:
    cache = PrincipalCache(ttl=2)
    cache.put(TokenClaims(1, 3, "hh-1", "s-hh-1"), ALICE)
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 2.5)
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is None


def test_forget_drops_every_entry_of_the_user() -> None:
    cache = PrincipalCache(ttl=60)
    cache.put(TokenClaims(1, 3, "hh-1", "s-hh-1"), ALICE)
    cache.put(TokenClaims(1, 3, "hh-2", "s-hh-2"), ALICE)
    cache.forget(1)
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is None
    assert cache.get(TokenClaims(1, 3, "hh-2", "s-hh-2")) is None


def test_the_revocation_hook_is_asked_on_every_hit() -> None:
    revoked: set[tuple[int, str]] = set()
    cache = PrincipalCache(ttl=60, revoked=lambda c: (c.user_id, c.device_id) in revoked)
    cache.put(TokenClaims(1, 3, "hh-1", "s-hh-1"), ALICE)
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is ALICE
    revoked.add((1, "hh-1"))
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is None


def test_a_zero_ttl_turns_the_cache_off() -> None:
    cache = PrincipalCache(ttl=0)
    cache.put(TokenClaims(1, 3, "hh-1", "s-hh-1"), ALICE)
    assert cache.get(TokenClaims(1, 3, "hh-1", "s-hh-1")) is None
