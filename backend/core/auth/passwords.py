"""argon2id hashes for passwords and PINs."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Lighter than the library default: PIN sign-in on the floor must answer fast,
# and brute force is stopped by the failed-sign-in throttle, not by hash cost alone.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verified against when the user does not exist, so timing does not reveal usernames.
DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash or DUMMY_HASH, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
