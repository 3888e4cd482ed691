from __future__ import annotations

import json
from collections.abc import AsyncGenerator

import strawberry

from backend.core.auth.permissions import Perm, may_work_task
from backend.core.events import TaskChanged, TaskSnapshot, warehouse_channel
from backend.core.ids import id_or_none
from backend.schema.context import Info
from backend.schema.types import Task, TaskEvent


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
            async for message in messages:
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
            async for message in messages:
                yield WarehouseEvent(type=str(message.get("type")), payload=json.dumps(message))
