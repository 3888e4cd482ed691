"""The task engine: creating, claiming and finishing tasks for the floor.

Claiming uses SKIP LOCKED on PostgreSQL so two pickers never get the same task
and neither waits on the other; SQLite serialises writers with BEGIN IMMEDIATE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import TASK_ROLES, Role
from backend.core.auth.principal import Principal
from backend.core.db.base import utcnow
from backend.core.db.models import Bin, Task, TaskKind, TaskState, Zone
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import TaskChanged, TaskSnapshot


@dataclass(frozen=True)
class NewTask:
    warehouse_id: int
    kind: TaskKind
    title: str
    priority: int = 5
    bin_id: int | None = None
    zone_id: int | None = None
    assignee_id: int | None = None
    reference: str | None = None
    payload: dict[str, Any] | None = None
    role: str | None = None


def default_role(kind: str) -> str:
    roles = sorted(TASK_ROLES.get(kind, frozenset({Role.SUPERVISOR})))
    return roles[0]


async def task_view(session: AsyncSession, task: Task) -> TaskSnapshot:
    """The task sent to handhelds; the same shape the schema's Task type has."""
    bin_code = zone_code = None
    if task.bin_id is not None:
        bin_row = await session.get(Bin, task.bin_id)
        bin_code = bin_row.code if bin_row else None
    if task.zone_id is not None:
        zone = await session.get(Zone, task.zone_id)
        zone_code = zone.code if zone else None
    return TaskSnapshot(
        id=task.id,
        warehouse_id=task.warehouse_id,
        kind=task.kind,
        state=task.state,
        role=task.role,
        title=task.title,
        priority=task.priority,
        bin_code=bin_code,
        zone_code=zone_code,
        assignee_id=task.assignee_id,
        reference=task.reference,
        version=task.version,
        created_at=task.created_at.isoformat(),
    )


async def _emit(uow: UnitOfWork, task: Task, change: str) -> None:
    uow.emit(TaskChanged(task.warehouse_id, change, await task_view(uow.session, task)))


async def create_task(uow: UnitOfWork, new: NewTask, created_by: int | None) -> Task:
    session = uow.session
    zone_id = new.zone_id
    if new.bin_id is not None and zone_id is None:
        bin_row = await session.get(Bin, new.bin_id)
        zone_id = bin_row.zone_id if bin_row else None
    task = Task(
        warehouse_id=new.warehouse_id,
        kind=new.kind,
        role=new.role or default_role(new.kind),
        title=new.title,
        priority=new.priority,
        bin_id=new.bin_id,
        zone_id=zone_id,
        assignee_id=new.assignee_id,
        reference=new.reference,
        payload=new.payload or {},
        created_by=created_by,
        created_at=utcnow(),
    )
    session.add(task)
    await session.flush()
    await _emit(uow, task, "CREATED")
    return task


def _claimable_roles(principal: Principal) -> list[str]:
    if Role.SUPERVISOR in principal.roles or Role.ADMIN in principal.roles:
        return [str(role) for role in Role]
    return sorted(principal.roles)


async def claim_next(uow: UnitOfWork, principal: Principal, warehouse_id: int) -> Task | None:
    session = uow.session
    query = (
        select(Task)
        .where(
            Task.warehouse_id == warehouse_id,
            Task.state == TaskState.OPEN,
            Task.role.in_(_claimable_roles(principal)),
            (Task.assignee_id.is_(None)) | (Task.assignee_id == principal.user_id),
        )
        .order_by(Task.priority, Task.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    task = await session.scalar(query)
    if task is None:
        return None
    return await _mark_claimed(uow, task, principal)


async def claim(uow: UnitOfWork, principal: Principal, task_id: int) -> Task:
    task = await uow.session.get(Task, task_id, with_for_update=True, populate_existing=True)
    if task is None or not principal.in_scope(task.warehouse_id):
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such task.", "taskId")
    if task.state == TaskState.CLAIMED and task.assignee_id == principal.user_id:
        return task
    if task.state == TaskState.CLAIMED or (
        task.assignee_id is not None and task.assignee_id != principal.user_id
    ):
        raise DomainError(ErrorCode.TASK_HELD_BY_OTHER, "Another person holds this task.")
    if task.state != TaskState.OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, f"The task is {task.state.lower()}.")
    if task.role not in _claimable_roles(principal):
        raise DomainError(ErrorCode.TASK_NOT_FOR_ROLE, "This task is for another role.")
    return await _mark_claimed(uow, task, principal)


async def _mark_claimed(uow: UnitOfWork, task: Task, principal: Principal) -> Task:
    task.state = TaskState.CLAIMED
    task.assignee_id = principal.user_id
    task.claimed_at = utcnow()
    task.version += 1
    await uow.session.flush()
    await _emit(uow, task, "CLAIMED")
    return task


async def finish(uow: UnitOfWork, task: Task, state: TaskState = TaskState.DONE) -> Task:
    task.state = state
    task.finished_at = utcnow()
    task.version += 1
    await uow.session.flush()
    await _emit(uow, task, state)
    return task


async def release(uow: UnitOfWork, principal: Principal, task_id: int) -> Task:
    """Hand a claimed task back to the pool (the picker's shift ends, a device breaks)."""
    task = await uow.session.get(Task, task_id, with_for_update=True, populate_existing=True)
    if task is None or not principal.in_scope(task.warehouse_id):
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such task.", "taskId")
    if task.state != TaskState.CLAIMED:
        raise DomainError(ErrorCode.INVALID_STATE, "Only a claimed task can be released.")
    if task.assignee_id != principal.user_id and not (
        Role.SUPERVISOR in principal.roles or Role.ADMIN in principal.roles
    ):
        raise DomainError(ErrorCode.TASK_HELD_BY_OTHER, "Another person holds this task.")
    task.state = TaskState.OPEN
    task.assignee_id = None
    task.claimed_at = None
    task.version += 1
    await uow.session.flush()
    await _emit(uow, task, "RELEASED")
    return task


def visible_tasks_query(principal: Principal) -> Select[Any]:
    """Open tasks for the caller's roles in their warehouse, plus the ones they hold."""
    warehouse_ids = sorted(principal.warehouse_ids)
    if principal.home_warehouse_id is not None:
        warehouse_ids = [principal.home_warehouse_id]
    return select(Task).where(
        Task.warehouse_id.in_(warehouse_ids),
        or_(
            and_(
                Task.state == TaskState.OPEN,
                Task.role.in_(_claimable_roles(principal)),
                or_(Task.assignee_id.is_(None), Task.assignee_id == principal.user_id),
            ),
            and_(Task.state == TaskState.CLAIMED, Task.assignee_id == principal.user_id),
        ),
    )
