"""Per process: wake the open subscriptions of a session the moment it is revoked.

One listener on the bus's sessions channel (so a sign-out handled by another
process reaches sockets held here) sets the event each watching subscription
waits on next to its own stream.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from backend.core.events import SESSIONS_CHANNEL, EventBus

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Watcher:
    session_id: str
    revoked: asyncio.Event = field(default_factory=asyncio.Event)
    reason: str = ""


class SessionWatch:
    def __init__(self, bus: EventBus) -> None:
        self._bus = bus
        self._watchers: dict[int, set[Watcher]] = {}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        # Told the user id of every revocation (the principal cache forgets them).
        self.on_revoked: list[Callable[[int], None]] = []

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="session-watch")
        # Revocations published before the listener subscribed would be lost.
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        while True:
            try:
                async with self._bus.listen(SESSIONS_CHANNEL) as messages:
                    self._ready.set()
                    async for message in messages:
                        self.dispatch(message)
                return
            except asyncio.CancelledError:
                raise
            except Exception:  # the bus dropped; subscriptions still recheck on a timer
                log.warning("session revocation listener lost its bus; reconnecting")
                await asyncio.sleep(1)

    def dispatch(self, message: dict[str, Any]) -> None:
        if message.get("type") != "revoked":
            return
        sessions = set(message.get("sessions") or ())
        user_id = int(message.get("userId", 0))
        for forget in self.on_revoked:
            forget(user_id)
        for watcher in self._watchers.get(user_id, ()):
            if watcher.session_id in sessions:
                watcher.reason = str(message.get("change", ""))
                watcher.revoked.set()

    @asynccontextmanager
    async def watching(self, user_id: int, session_id: str) -> AsyncIterator[Watcher]:
        watcher = Watcher(session_id)
        self._watchers.setdefault(user_id, set()).add(watcher)
        try:
            yield watcher
        finally:
            mine = self._watchers.get(user_id)
            if mine is not None:
                mine.discard(watcher)
                if not mine:
                    del self._watchers[user_id]
