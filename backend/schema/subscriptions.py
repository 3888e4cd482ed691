from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import suppress
from typing import Any

import strawberry
from starlette.websockets import WebSocket

from backend.core.auth.permissions import Perm, may_work_task
from backend.core.auth.principal import Principal
from backend.core.auth.sessions import RevokeReason
from backend.core.events import TaskChanged, TaskSnapshot, warehouse_channel
from backend.core.ids import id_or_none
from backend.schema.context import Info
from backend.schema.types import Task, TaskEvent

# Close codes: 4401 tells the handheld to sign in again; 4000 (a rotated token)
# lets it reconnect at once with the new token it already holds.
CLOSE_SESSION_ENDED = 4401
CLOSE_ROTATED = 4000


async def _still_valid(info: Info) -> bool:
    return await info.context.reload_principal() is not None


async def _until_revoked(
    info: Info, principal: Principal, messages: AsyncIterator[dict[str, Any]]
) -> AsyncIterator[dict[str, Any]]:
    """`messages`, until the caller's session is revoked (signed out, disabled, roles
    or warehouses changed, token rotated) here or in another process; then the
    socket is closed, so no further operation runs on the old session either."""
    app = info.context.app
    recheck = app.settings.session_recheck_seconds or None
    async with app.session_watch.watching(principal.user_id, principal.session_id) as watcher:
        revoked: asyncio.Future[Any] = asyncio.ensure_future(watcher.revoked.wait())
        pending: asyncio.Future[Any] | None = None
        try:
            while True:
                if pending is None:
                    pending = asyncio.ensure_future(anext(messages))
                done, _ = await asyncio.wait(
                    {pending, revoked}, timeout=recheck, return_when=asyncio.FIRST_COMPLETED
                )
                if revoked in done or (not done and not await _still_valid(info)):
                    break
                if pending in done:
                    try:
                        message = pending.result()
                    except StopAsyncIteration:
                        return
                    pending = None
                    yield message
        finally:
            for future in (pending, revoked):
                if future is not None and not future.done():
                    future.cancel()
                    with suppress(asyncio.CancelledError, StopAsyncIteration):
                        await future
    socket = info.context.request
    if isinstance(socket, WebSocket):
        rotated = watcher.reason == RevokeReason.ROTATED.value
        await socket.close(
            code=CLOSE_ROTATED if rotated else CLOSE_SESSION_ENDED,
            reason="Session rotated" if rotated else "Session ended",
        )
        # The server now reports the disconnect to the protocol handler, which cancels
        # this operation; returning instead would send "complete" on a closed socket.
        await asyncio.Event().wait()


@strawberry.type
class WarehouseEvent:
    type: str
    payload: str = strawberry.field(description="The event as JSON.")


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Tasks created, claimed, finished or released that the caller may work on, "
        "and every change to a task the caller holds. Sent after commit."
    )
    async def task_events(self, info: Info) -> AsyncGenerator[TaskEvent, None]:
        principal = await info.context.require(Perm.TASK_READ)
        if principal.home_warehouse_id is None:
            return
        async with info.context.app.bus.listen(
            warehouse_channel(principal.home_warehouse_id)
        ) as messages:
            async for message in _until_revoked(info, principal, messages):
                if message.get("type") != TaskChanged.type:
                    continue
                view = TaskSnapshot.from_wire(message["task"])
                mine = view.assignee_id == principal.user_id
                # Claims, releases and ends go to everyone who could work the task, so
                # a task another picker just took leaves every other list at once.
                relevant = may_work_task(principal.roles, view.kind) and (
                    view.assignee_id is None or message["change"] != "CREATED"
                )
                if mine or relevant:
                    yield TaskEvent(change=message["change"], task=Task.of_view(view))

    @strawberry.subscription(description="Every event of a warehouse (supervisors' screens).")
    async def warehouse_events(
        self, info: Info, warehouse_id: strawberry.ID
    ) -> AsyncGenerator[WarehouseEvent, None]:
        principal = await info.context.require(Perm.TASK_MANAGE)
        wid = id_or_none(warehouse_id)
        if wid is None or not principal.in_scope(wid):
            return
        async with info.context.app.bus.listen(warehouse_channel(wid)) as messages:
            async for message in _until_revoked(info, principal, messages):
                yield WarehouseEvent(type=str(message.get("type")), payload=json.dumps(message))
