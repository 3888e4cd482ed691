"""One mutation, one unit of work, one transaction.

The unit of work rolls back unless committed. Events collected while it runs
are handed to the publisher only after the commit succeeded, so a handheld is
never told about a task that does not exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.events import EVENT_TYPES, Event

Publisher = Callable[[list[Event]], Awaitable[None]]


class UnitOfWork:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], publish: Publisher | None = None
    ) -> None:
        self._sessions = sessions
        self._publish = publish
        self._events: list[Event] = []
        self._session: AsyncSession | None = None
        self.committed = False
        # The warehouse the work happened in, when the domain names it (for the audit).
        self.warehouse_id: int | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside its `async with` block")
        return self._session

    def emit(self, event: Event) -> None:
        """Queue an event (one of core.events.EVENT_TYPES); it goes out after commit,
        or never."""
        if not isinstance(event, EVENT_TYPES):
            raise TypeError(f"not a declared event: {type(event).__name__}")
        self._events.append(event)

    @property
    def event_warehouses(self) -> set[int]:
        """The warehouses whose channels this work's events go to."""
        return {e.warehouse_id for e in self._events if e.channel.startswith("warehouse.")}

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        await self._session.begin()
        return self

    async def commit(self) -> None:
        await self.session.commit()
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if not self.committed:
                await session.rollback()
        finally:
            await session.close()
            self._session = None
        if self.committed and self._events and self._publish is not None:
            events, self._events = self._events, []
            await self._publish(events)
