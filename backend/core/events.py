"""Events: what a unit of work may announce, and the bus that publishes them after commit.

Every event is one of the frozen dataclasses below (``EVENT_TYPES``); ``UnitOfWork.emit``
takes nothing else. On the wire an event is JSON with ``type`` and ``change`` first and
every key in camelCase (``orderId``, ``assigneeId``), nested records too; the
``warehouseEvents`` subscription and the webhooks (shipments, alerts) send exactly that.
Channels are per warehouse ("warehouse.<id>", from the event's ``warehouse_id``);
messages stay small enough for PostgreSQL NOTIFY (< 8000 bytes).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, fields
from typing import Any, ClassVar
from urllib.parse import urlparse

from broadcaster import Broadcast
from broadcaster._backends.redis import RedisBackend

from backend.core.metrics import EVENTS


class ReadyRedisBackend(RedisBackend):
    """broadcaster's Redis pub/sub signals "ready" before SUBSCRIBE has reached the
    server; with redis-py 8 its listener then reads nothing, ever. Subscribe
    first, then release the listener."""

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)
        self._ready.set()


def make_broadcast(url: str) -> Broadcast:
    if urlparse(url).scheme in ("redis", "rediss"):
        return Broadcast(backend=ReadyRedisBackend(url))
    return Broadcast(url)


def warehouse_channel(warehouse_id: int) -> str:
    return f"warehouse.{warehouse_id}"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _to_wire(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(str(k)): _to_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_wire(v) for v in value]
    return value


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


# -- what events carry ------------------------------------------------------------


@dataclass(frozen=True)
class TaskSnapshot:
    """A task as handhelds see it; the same shape the schema's Task type has."""

    id: int
    warehouse_id: int
    kind: str
    state: str
    role: str
    title: str
    priority: int
    bin_code: str | None
    zone_code: str | None
    assignee_id: int | None
    reference: str | None
    version: int
    created_at: str  # ISO 8601

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> TaskSnapshot:
        names = {f.name for f in fields(cls)}
        return cls(**{_snake(k): v for k, v in raw.items() if _snake(k) in names})


@dataclass(frozen=True)
class AlertSnapshot:
    id: int
    rule_id: int
    warehouse_id: int
    item_id: int | None
    sku: str | None
    subject: str
    state: str
    severity: str
    message: str
    raised_at: str | None


@dataclass(frozen=True)
class CartonRef:
    id: int
    sscc: str | None
    order_id: int


@dataclass(frozen=True)
class ShipmentSnapshot:
    id: int
    warehouse_id: int
    carrier: str
    service: str
    tracking_number: str
    waybill_no: str
    order_ids: tuple[int, ...]
    orders: tuple[str, ...]
    cartons: tuple[str | None, ...]
    shipped_at: str


@dataclass(frozen=True)
class PrintJobSnapshot:
    id: int
    state: str
    attempts: int
    printer_id: int
    kind: str
    target: str
    error: str | None


# -- the events ---------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """Base of every event: the warehouse whose channel it goes to, and what changed."""

    type: ClassVar[str]
    warehouse_id: int
    change: str

    @property
    def channel(self) -> str:
        return warehouse_channel(self.warehouse_id)

    def wire(self) -> dict[str, Any]:
        """The JSON-ready message: ``type``, then every field in camelCase."""
        return {"type": self.type, **_to_wire(asdict(self))}


@dataclass(frozen=True)
class TaskChanged(Event):
    """CREATED, CLAIMED, DONE, RELEASED, ... (tasks/engine.py)."""

    type: ClassVar[str] = "task"
    task: TaskSnapshot


@dataclass(frozen=True)
class WaveChanged(Event):
    type: ClassVar[str] = "wave"
    wave_id: int
    code: str


@dataclass(frozen=True)
class OrderChanged(Event):
    """An order packed or cancelled while packing."""

    type: ClassVar[str] = "order"
    order_id: int
    number: str


@dataclass(frozen=True)
class CartonClosed(Event):
    type: ClassVar[str] = "carton"
    carton: CartonRef
    order_packed: bool


@dataclass(frozen=True)
class ShipmentShipped(Event):
    """Also the body of the shipment webhooks."""

    type: ClassVar[str] = "shipment"
    shipment: ShipmentSnapshot


@dataclass(frozen=True)
class AlertChanged(Event):
    """RAISED, REPEATED, RESOLVED, ACKNOWLEDGED, SNOOZED; also the body of alert webhooks."""

    type: ClassVar[str] = "alert"
    alert: AlertSnapshot


@dataclass(frozen=True)
class PrintJobChanged(Event):
    """A print job printed or failed (``change`` is its new state)."""

    type: ClassVar[str] = "print_job"
    job: PrintJobSnapshot


@dataclass(frozen=True)
class ReturnCredited(Event):
    """A customer return fully decided and credited; ``return_`` is the same record the
    signed ``return`` webhook carries."""

    type: ClassVar[str] = "return"
    return_: dict[str, Any]


# Not a warehouse's channel: every process listens here to close revoked sessions' sockets.
SESSIONS_CHANNEL = "sessions"


@dataclass(frozen=True)
class SessionsRevoked(Event):
    """A user's sessions ended (signed out, disabled, rights changed, token rotated);
    ``change`` is the reason. ``warehouse_id`` is 0: it goes to the sessions channel."""

    type: ClassVar[str] = "revoked"
    user_id: int
    sessions: tuple[str, ...]

    @property
    def channel(self) -> str:
        return SESSIONS_CHANNEL


EVENT_TYPES: tuple[type[Event], ...] = (
    TaskChanged,
    WaveChanged,
    OrderChanged,
    CartonClosed,
    ShipmentShipped,
    AlertChanged,
    PrintJobChanged,
    ReturnCredited,
    SessionsRevoked,
)


class EventBus:
    def __init__(self, url: str) -> None:
        self.url = url
        self._broadcast = make_broadcast(url)
        self._connected = False
        self.published = 0
        # broadcaster 0.3.1 checks a channel's subscribers, awaits the backend's
        # SUBSCRIBE, then *replaces* the channel's subscriber set: devices subscribing
        # during that await overwrite each other and all but the last hear nothing (seen
        # with Redis when a shift's handhelds connect at once). One lock per channel
        # makes joining and leaving a channel one at a time.
        self._channel_locks: dict[str, asyncio.Lock] = {}

    async def connect(self) -> None:
        await self._broadcast.connect()
        self._connected = True

    async def disconnect(self) -> None:
        if self._connected:
            self._connected = False
            await self._broadcast.disconnect()

    async def publish_all(self, events: list[Event]) -> None:
        for event in events:
            await self._broadcast.publish(event.channel, json.dumps(event.wire(), default=str))
            self.published += 1
            EVENTS.inc()

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        lock = self._channel_locks.setdefault(channel, asyncio.Lock())
        joining = self._broadcast.subscribe(channel)
        async with lock:
            subscriber = await joining.__aenter__()

        async def messages() -> AsyncIterator[dict[str, Any]]:
            async for event in subscriber:  # type: ignore[union-attr]
                if event is None:
                    return
                yield json.loads(event.message)

        try:
            yield messages()
        finally:
            # Leaving under the lock too: the last one out unsubscribes the channel,
            # which must not overtake a device joining it at that moment.
            async with lock:
                await joining.__aexit__(None, None, None)
