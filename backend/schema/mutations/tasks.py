from __future__ import annotations

import strawberry
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.models import TaskKind
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.scan import CodeKind, InternalScan, parse_scan
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded
from backend.schema.types import Task
from backend.tasks import engine

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


async def _bin_by_scan(uow: UnitOfWork, raw: str) -> m.Bin:
    scan = parse_scan(raw)
    if not isinstance(scan, InternalScan) or scan.kind is not CodeKind.BIN:
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan a bin label.", "binCode")
    row = await uow.session.scalar(select(m.Bin).where(m.Bin.code == scan.code))
    if row is None:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "No bin with this code.", "binCode")
    return row


async def _view(uow: UnitOfWork, task: m.Task) -> Task:
    return Task.of_view(await engine.task_view(uow.session, task))


@strawberry.type
class TaskMutations:
    @guarded(Perm.TASK_MANAGE, description="Create a task by hand and push it to the floor.")
    async def create_task(self, info: Info, input: CreateTaskInput) -> CreateTaskResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TaskSuccess:
            if not 1 <= input.priority <= 9:
                raise DomainError(ErrorCode.INVALID_INPUT, "Priority runs from 1 to 9.", "priority")
            title = input.title.strip()
            if not title or len(title) > 200:
                raise DomainError(ErrorCode.INVALID_INPUT, "A title of 1–200 characters.", "title")
            bin_row = await _bin_by_scan(uow, input.bin_code) if input.bin_code else None
            wid = (
                bin_row.warehouse_id if bin_row else acting_warehouse(principal, input.warehouse_id)
            )
            if not principal.in_scope(wid):
                raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "binCode")
            assignee = None
            if input.assignee_id is not None:
                assignee = await uow.session.get(m.User, parse_id(input.assignee_id, "assigneeId"))
                if assignee is None:
                    raise DomainError(ErrorCode.NOT_FOUND, "No such user.", "assigneeId")
            task = await engine.create_task(
                uow,
                engine.NewTask(
                    warehouse_id=wid,
                    kind=TaskKind(input.kind),
                    title=title,
                    priority=input.priority,
                    bin_id=bin_row.id if bin_row else None,
                    assignee_id=assignee.id if assignee else None,
                    payload={"note": input.note} if input.note else None,
                ),
                created_by=principal.user_id,
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
