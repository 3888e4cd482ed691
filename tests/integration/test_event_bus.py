"""The bus under many devices joining a channel at once (a shift starting, a server
restart): every one of them hears the next event."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack

from backend.core.events import EventBus
from tests.integration.conftest import BROADCAST_URL

DEVICES = 30


async def test_devices_joining_a_channel_at_once_all_hear_the_next_event() -> None:
    bus = EventBus(BROADCAST_URL)
    await bus.connect()
    channel = "warehouse.987654"
    try:
        async with AsyncExitStack() as stack:
            feeds = await asyncio.gather(
                *(stack.enter_async_context(bus.listen(channel)) for _ in range(DEVICES))
            )
            await bus._broadcast.publish(channel, '{"type": "Ping"}')

            async def first(feed):  # type: ignore[no-untyped-def]
                return await asyncio.wait_for(anext(feed), timeout=10)

            heard = await asyncio.gather(*(first(f) for f in feeds), return_exceptions=True)
            # Closed here, on the loop: left to the garbage collector, an async
            # generator's finaliser may run inside whatever code is running then.
            for feed in feeds:
                await feed.aclose()
        assert [h for h in heard if h != {"type": "Ping"}] == []
        # All left: joining again works (the channel was not left half-subscribed).
        async with bus.listen(channel) as again:
            await bus._broadcast.publish(channel, '{"type": "Pong"}')
            assert await asyncio.wait_for(anext(again), timeout=10) == {"type": "Pong"}
            await again.aclose()
    finally:
        await bus.disconnect()
