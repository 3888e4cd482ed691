"""Events published after commit over broadcaster.

Channels are per warehouse ("warehouse.<id>"); messages are JSON strings small
enough for PostgreSQL NOTIFY (< 8000 bytes).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
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


class EventBus:
    def __init__(self, url: str) -> None:
        self.url = url
        self._broadcast = make_broadcast(url)
        self._connected = False
        self.published = 0

    async def connect(self) -> None:
        await self._broadcast.connect()
        self._connected = True

    async def disconnect(self) -> None:
        if self._connected:
            self._connected = False
            await self._broadcast.disconnect()

    async def publish_all(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        for channel, message in events:
            await self._broadcast.publish(channel, json.dumps(message, default=str))
            self.published += 1
            EVENTS.inc()

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        async with self._broadcast.subscribe(channel) as subscriber:

            async def messages() -> AsyncIterator[dict[str, Any]]:
                async for event in subscriber:  # type: ignore[union-attr]
                    if event is None:
                        return
                    yield json.loads(event.message)

            yield messages()
