"""Events other flows report for alert rules to weigh.

A flow that refused a take with INSUFFICIENT_STOCK, or a count that found a
variance, calls `record_signal`. The refused mutation rolls its own unit of work
back, so report the signal in a separate short transaction
(`record_signal_now`), or in the caller's session when it commits anyway.

Reported today by: a submitted count with a variance to decide (COUNT_VARIANCE,
backend/control/counts.py, in the submission's transaction); a short pick
(backend/outbound/picking.py, in the short's transaction); and every stock-control
mutation refused with StockRefused (backend/schema/control.py, after the rollback).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.db.base import utcnow
from backend.core.db.models import AlertSignal


class SignalKind(StrEnum):
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    COUNT_VARIANCE = "COUNT_VARIANCE"


def record_signal(
    session: AsyncSession,
    kind: SignalKind | str,
    *,
    warehouse_id: int,
    item_id: int | None = None,
    bin_id: int | None = None,
    quantity: int = 0,
    reference: str | None = None,
    user_id: int | None = None,
) -> AlertSignal:
    signal = AlertSignal(
        kind=SignalKind(kind).value,
        warehouse_id=warehouse_id,
        item_id=item_id,
        bin_id=bin_id,
        quantity=quantity,
        reference=reference[:80] if reference else None,
        user_id=user_id,
        at=utcnow(),
    )
    session.add(signal)
    return signal


async def record_signal_now(
    sessions: async_sessionmaker[AsyncSession],
    kind: SignalKind | str,
    *,
    warehouse_id: int,
    item_id: int | None = None,
    bin_id: int | None = None,
    quantity: int = 0,
    reference: str | None = None,
    user_id: int | None = None,
) -> None:
    """Record in a transaction of its own (after the refused one rolled back)."""
    async with sessions() as session, session.begin():
        record_signal(
            session,
            kind,
            warehouse_id=warehouse_id,
            item_id=item_id,
            bin_id=bin_id,
            quantity=quantity,
            reference=reference,
            user_id=user_id,
        )
