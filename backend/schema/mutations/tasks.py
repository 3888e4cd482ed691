from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.models import TaskKind
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded
from backend.schema.types import Task
from backend.tasks import engine
from backend.tasks.manual import ManualTask, create_manual_task

TaskKindEnum = strawberry.enum(TaskKind, name="TaskKind")


@strawberry.type
class TaskSuccess:
    task: Task


@strawberry.type
class ClaimNextSuccess:
    task: Task | None = strawberry.field(description="None when no task is waiting.")


CreateTaskResult = result_union("CreateTaskResult", TaskSuccess)
ClaimNextTaskResult = result_union("ClaimNextTaskResult", ClaimNextSuccess)


@strawberry.input
class CreateTaskInput:
    kind: TaskKindEnum  # type: ignore[valid-type]
    title: str
    idempotency_key: str
    bin_code: str | None = None
    priority: int = 5
    assignee_id: strawberry.ID | None = None
    warehouse_id: strawberry.ID | None = None
    note: str | None = None


@strawberry.input
class TaskRefInput:
    task_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class ClaimNextTaskInput:
    idempotency_key: str
    warehouse_id: strawberry.ID | None = None


async def _view(uow: UnitOfWork, task: m.Task) -> Task:
    return Task.of_view(await engine.task_view(uow.session, task))


@strawberry.type
class TaskMutations:
    @guarded(Perm.TASK_MANAGE, description="Create a task by hand and push it to the floor.")
    async def create_task(self, info: Info, input: CreateTaskInput) -> CreateTaskResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TaskSuccess:
            task = await create_manual_task(
                uow,
                principal,
                ManualTask(
                    kind=TaskKind(input.kind),
                    title=input.title,
                    priority=input.priority,
                    bin_code=input.bin_code,
                    warehouse_id=input.warehouse_id,
                    assignee_id=None
                    if input.assignee_id is None
                    else parse_id(input.assignee_id, "assigneeId"),
                    note=input.note,
                ),
            )
            return TaskSuccess(task=await _view(uow, task))

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task.id)

    @guarded(Perm.TASK_WORK, description="Take a specific task; refused if someone else holds it.")
    async def claim_task(self, info: Info, input: TaskRefInput) -> CreateTaskResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TaskSuccess:
            task = await engine.claim(uow, principal, parse_id(input.task_id, "taskId"))
            return TaskSuccess(task=await _view(uow, task))

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task.id)

    @guarded(
        Perm.TASK_WORK, description="Take the most urgent waiting task for the caller's roles."
    )
    async def claim_next_task(self, info: Info, input: ClaimNextTaskInput) -> ClaimNextTaskResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ClaimNextSuccess:
            task = await engine.claim_next(
                uow, principal, acting_warehouse(principal, input.warehouse_id)
            )
            return ClaimNextSuccess(task=await _view(uow, task) if task else None)

        return await execute(
            info,
            input,
            handle,
            audit_entity="task",
            audit_id=lambda r: r.task.id if r.task else None,
        )

    @guarded(Perm.TASK_WORK, description="Give a claimed task back to the pool.")
    async def release_task(self, info: Info, input: TaskRefInput) -> CreateTaskResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TaskSuccess:
            task = await engine.release(uow, principal, parse_id(input.task_id, "taskId"))
            return TaskSuccess(task=await _view(uow, task))

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task.id)
