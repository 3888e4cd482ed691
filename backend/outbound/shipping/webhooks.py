"""Shipment webhooks: signed, retried with backoff, every attempt logged.

The ship transaction writes one ``shipment_webhooks`` row per configured URL
(an outbox), so an event is never sent for a shipment that rolled back, and
never lost when the process stops before sending: ``deliver_due`` picks up
whatever is due. Receivers check ``X-WMS-Signature: sha256=<hex HMAC-SHA256 of
the raw body>`` with the shared secret, and may use ``X-WMS-Delivery`` to drop
a duplicate (a delivery whose answer was lost is sent again). ``X-WMS-Timestamp`` is
the send time in Unix seconds.

A shop order's state changes use the same outbox (rows with ``order_id``, written by
``outbound/order_webhooks.py``), signed with the order secret; their body carries the
send time as ``sentAt`` as well, so the signature covers it.

The signing and the HTTP request are shared with alert notices
(backend/notify/webhook_http.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.notify.webhook_http import SIGNATURE_HEADER, post_json, sign
from backend.outbound.shipping.settings import ShippingSettings


class _Settings(Protocol):
    @property
    def shipping(self) -> ShippingSettings: ...


class WebhookResources(Protocol):
    """What delivery needs of the app (backend.state.AppState has it); this package
    never imports the app's state."""

    @property
    def settings(self) -> _Settings: ...

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...

    def unit_of_work(self) -> UnitOfWork: ...


log = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-WMS-Timestamp"

# A claimed delivery is not claimed again while its request may still be running.
CLAIM_LEASE = timedelta(seconds=60)
TIMEOUT_S = 10.0


def enqueue(
    session: AsyncSession, settings: ShippingSettings, shipment_id: int, event: dict[str, Any]
) -> int:
    """Write the outbox rows inside the ship transaction."""
    for url in settings.webhook_urls:
        session.add(m.ShipmentWebhook(shipment_id=shipment_id, url=url[:400], payload=event))
    return len(settings.webhook_urls)


async def _claim(
    state: WebhookResources,
) -> tuple[int, str, dict[str, Any], int, bool] | None:
    async with state.unit_of_work() as uow:
        row = await uow.session.scalar(
            select(m.ShipmentWebhook)
            .where(
                m.ShipmentWebhook.state == m.WebhookState.PENDING,
                m.ShipmentWebhook.next_attempt_at <= utcnow(),
            )
            .order_by(m.ShipmentWebhook.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = utcnow() + CLAIM_LEASE
        claimed = (row.id, row.url, dict(row.payload), row.attempts, row.order_id is not None)
        await uow.commit()
        return claimed


async def deliver_one(state: WebhookResources, settings: ShippingSettings) -> bool:
    """Send the oldest due delivery once; False when none is due."""
    claimed = await _claim(state)
    if claimed is None:
        return False
    webhook_id, url, payload, attempt, for_order = claimed
    sent_at = str(int(time.time()))
    secret = settings.webhook_secret
    if for_order:
        # The send time is inside the signed body too: a receiver refuses stale replays.
        payload = {**payload, "sentAt": sent_at}
        secret = settings.order_webhook_secret
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        SIGNATURE_HEADER: sign(secret, body),
        TIMESTAMP_HEADER: sent_at,
        "X-WMS-Event": str(payload.get("type", "shipment")),
        "X-WMS-Delivery": str(webhook_id),
    }
    status: int | None = None
    error = ""
    try:
        status = await post_json(url, body, headers, TIMEOUT_S, user_agent="wms-shipping/1")
        ok = 200 <= status < 300
        if not ok:
            error = f"HTTP {status}"
    except (OSError, TimeoutError, ValueError) as exc:
        ok, error = False, f"{type(exc).__name__}: {exc}"
    async with state.unit_of_work() as uow:
        row = await uow.session.get(m.ShipmentWebhook, webhook_id, with_for_update=True)
        assert row is not None
        uow.session.add(
            m.ShipmentWebhookAttempt(
                webhook_id=webhook_id, attempt=attempt, ok=ok, status_code=status, error=error[:400]
            )
        )
        if ok:
            row.state = m.WebhookState.DELIVERED
            row.delivered_at = utcnow()
            row.last_error = None
        else:
            row.last_error = error[:400]
            if attempt >= settings.webhook_attempts:
                row.state = m.WebhookState.FAILED
                log.warning("shipment webhook %s failed after %s attempts", webhook_id, attempt)
            else:
                wait = settings.webhook_backoff_s * 2 ** (attempt - 1)
                row.next_attempt_at = utcnow() + timedelta(seconds=wait)
        await uow.commit()
    return True


async def deliver_due(state: WebhookResources, settings: ShippingSettings | None = None) -> int:
    settings = settings or state.settings.shipping
    sent = 0
    while await deliver_one(state, settings):
        sent += 1
    return sent


async def _pending_soonest(state: WebhookResources) -> float | None:
    async with state.sessions() as session:
        when = await session.scalar(
            select(m.ShipmentWebhook.next_attempt_at)
            .where(m.ShipmentWebhook.state == m.WebhookState.PENDING)
            .order_by(m.ShipmentWebhook.next_attempt_at)
            .limit(1)
        )
        await session.rollback()
    return None if when is None else max((when - utcnow()).total_seconds(), 0.0)


_tasks: set[asyncio.Task[None]] = set()


async def _deliver_until_done(state: WebhookResources, settings: ShippingSettings) -> None:
    try:
        while True:
            await deliver_due(state, settings)
            wait = await _pending_soonest(state)
            if wait is None:
                return
            await asyncio.sleep(wait)
    except asyncio.CancelledError:
        raise
    except Exception:  # the next ship (or deliver_due) picks the outbox up again
        log.exception("shipment webhook delivery stopped")


def schedule_delivery(state: WebhookResources) -> asyncio.Task[None] | None:
    """After a ship committed: send its webhooks in the background, retrying."""
    settings = state.settings.shipping
    if not settings.webhook_urls and not settings.order_webhook_urls:
        return None
    task = asyncio.get_running_loop().create_task(_deliver_until_done(state, settings))
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task
