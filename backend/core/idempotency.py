"""Idempotency records: a handheld's request key, the request it was used for, and the
answer it got, so a resent request is answered again instead of done twice.

``backend/schema/mutation.py::execute`` asks here before running a mutation and
remembers the answer in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import IdempotencyRecord
from backend.core.errors import DomainError, ErrorCode


def request_hash(operation: str, payload: dict[str, Any]) -> str:
    body = json.dumps([operation, payload], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


async def earlier_answer(
    session: AsyncSession, user_id: int, key: str, operation: str, hashed: str
) -> dict[str, Any] | None:
    """The stored answer to this key, None when it is new; a key used before for another
    request is refused (IDEMPOTENCY_KEY_REUSED)."""
    record = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if record.operation != operation or record.request_hash != hashed:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This request key was already used for a different request.",
            "idempotencyKey",
        )
    return dict(record.response)


def remember(
    session: AsyncSession,
    user_id: int,
    key: str,
    operation: str,
    hashed: str,
    response: dict[str, Any],
) -> None:
    """Keep the answer with the work, in the same transaction."""
    session.add(
        IdempotencyRecord(
            user_id=user_id, key=key, operation=operation, request_hash=hashed, response=response
        )
    )
