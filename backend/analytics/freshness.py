"""Keeping the aggregates caught up with the ledger, off the read path.

Reads never write: the reports and purchase suggestions read the aggregates as they
are. Folding new moves in (`aggregates.refresh`) is a write of its own transaction,
done here every `analytics_fold_seconds` (WMS_ANALYTICS_FOLD_SECONDS), by every alert
cycle, and by the mutations that act on the figures (reclassifyAbc, draft purchase
orders). Moves younger than the settle window were never in a report anyway, so a
report lags the ledger by at most the settle window plus one interval.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select

from backend.analytics.aggregates import LEDGER_MARK, RefreshResult, refresh
from backend.core.db.base import utcnow
from backend.core.db.models import AnalyticsWatermark, StockMove
from backend.core.db.uow import UnitOfWork

log = logging.getLogger(__name__)

_TASKS: dict[int, asyncio.Task[None]] = {}


async def fold_ledger(unit_of_work: Callable[[], UnitOfWork], now: datetime) -> RefreshResult:
    """Fold the settled moves after the mark in, in a transaction of its own; one indexed
    lookup when nothing is new."""
    async with unit_of_work() as uow:
        newest = await uow.session.scalar(select(func.max(StockMove.id)))
        mark = await uow.session.scalar(
            select(AnalyticsWatermark.last_move_id).where(AnalyticsWatermark.name == LEDGER_MARK)
        )
        if newest is None or (mark is not None and mark >= newest):
            return RefreshResult(mark or 0, mark or 0)
        result = await refresh(uow.session, now)
        await uow.commit()
        return result


async def run_fold_worker(unit_of_work: Callable[[], UnitOfWork], interval_s: float) -> None:
    while True:
        try:
            await fold_ledger(unit_of_work, utcnow())
        except asyncio.CancelledError:
            raise
        except Exception:  # one failed fold must not stop the next ones
            log.exception("analytics fold failed")
        await asyncio.sleep(interval_s)


def start_fold_worker(
    key: object, unit_of_work: Callable[[], UnitOfWork], interval_s: float
) -> None:
    """Off when `interval_s` is 0 (tests fold explicitly and never race with it)."""
    if interval_s > 0 and id(key) not in _TASKS:
        _TASKS[id(key)] = asyncio.create_task(
            run_fold_worker(unit_of_work, interval_s), name="analytics-fold"
        )


async def stop_fold_worker(key: object) -> None:
    task = _TASKS.pop(id(key), None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
