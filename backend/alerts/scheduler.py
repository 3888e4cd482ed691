"""Runs the alert evaluator periodically inside the app.

On by default: `Settings.alert_interval_seconds` (WMS_ALERT_INTERVAL_SECONDS, 60 s
from the environment; 0 turns it off) apart, the first cycle at start-up. A Settings
built in code (tests) leaves it at 0, so tests never race with it unless they ask.
One cycle: evaluate in one unit of work, commit, publish the in-app events (after
commit, through the unit of work), then deliver e-mails, SMS and webhooks outside
any transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.alerts.evaluator import EvaluationOutcome, evaluate_alerts
from backend.analytics.aggregates import refresh
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.notify.delivery import DeliveryConfig, deliver


class AlertResources(Protocol):
    """What a cycle needs of the app (the app's state has both): a unit of work for the
    evaluation, and sessions for recording deliveries outside it. A protocol, so this
    package never imports the app's state (which starts the scheduler)."""

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...

    def unit_of_work(self) -> UnitOfWork: ...


log = logging.getLogger(__name__)

_TASKS: dict[int, asyncio.Task[None]] = {}


async def run_alert_cycle(
    state: AlertResources, now: datetime | None, config: DeliveryConfig
) -> EvaluationOutcome:
    now = now or utcnow()
    async with state.unit_of_work() as uow:
        await refresh(uow.session, now)  # keeps analytics cheap at query time too
        outcome = await evaluate_alerts(uow.session, now)
        for event in outcome.events:
            uow.emit(event)
        await uow.commit()
    await deliver(outcome.notices, config, state.sessions)
    return outcome


async def run_alert_scheduler(
    state: AlertResources, interval_s: float, config: DeliveryConfig
) -> None:
    while True:
        try:
            await run_alert_cycle(state, None, config)
        except asyncio.CancelledError:
            raise
        except Exception:  # one failed cycle must not stop the next ones
            log.exception("alert cycle failed")
        await asyncio.sleep(interval_s)


def start_alert_scheduler(state: AlertResources, interval_s: float, config: DeliveryConfig) -> None:
    """Evaluate every `interval_s` seconds; 0 (the default of a Settings built in code)
    leaves the scheduler off."""
    if interval_s > 0 and id(state) not in _TASKS:
        _TASKS[id(state)] = asyncio.create_task(
            run_alert_scheduler(state, interval_s, config), name="alert-scheduler"
        )


async def stop_alert_scheduler(state: AlertResources) -> None:
    task = _TASKS.pop(id(state), None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
