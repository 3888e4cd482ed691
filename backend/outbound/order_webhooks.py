"""A shop order's state changes, written to the webhook outbox in the transaction that
made them (so an event is never sent for a change that rolled back, nor lost).

Rows go to the same outbox and delivery loop as shipment events
(``outbound/shipping/webhooks.py``); an order row is signed with
``WMS_ORDER_WEBHOOK_SECRET``. Only orders taken through ``submitShopOrder`` carry
URLs: the ones configured when the order came in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.core.db import models as m
from backend.core.db.base import utcnow

EVENT_TYPE = "order"


def event_of(order: m.SalesOrder, previous: str | None, state: str | None = None) -> dict[str, Any]:
    """The body a receiver gets: what the order is now and what it was before."""
    return {
        "type": EVENT_TYPE,
        "change": "created" if previous is None else "state",
        "order": {
            "id": str(order.id),
            "number": order.number,
            "state": str(order.state),
            "previousState": None if previous is None else str(previous),
            "channel": order.channel,
            "at": utcnow().isoformat(),
        },
    }


def enqueue(session: Session, order: m.SalesOrder, previous: str | None) -> int:
    """One outbox row per URL the order is to be told at; how many were written."""
    urls = order.webhook_urls or []
    if order.source != m.OrderSource.SHOP or not urls:
        return 0
    event = event_of(order, previous)
    for url in urls:
        session.add(m.ShipmentWebhook(order_id=order.id, url=url[:400], payload=event))
    return len(urls)
