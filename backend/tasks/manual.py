"""A task created by hand by a supervisor (the createTask mutation): checked, then
created through the engine like any other."""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.models import TaskKind
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inventory.lookup import bin_by_scan
from backend.tasks import engine


@dataclass(frozen=True)
class ManualTask:
    kind: TaskKind
    title: str
    priority: int
    bin_code: str | None = None
    warehouse_id: str | None = None  # as sent; the bin's warehouse wins when a bin is named
    assignee_id: int | None = None
    note: str | None = None


async def create_manual_task(uow: UnitOfWork, principal: Principal, new: ManualTask) -> m.Task:
    if not 1 <= new.priority <= 9:
        raise DomainError(ErrorCode.INVALID_INPUT, "Priority runs from 1 to 9.", "priority")
    title = new.title.strip()
    if not title or len(title) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, "A title of 1–200 characters.", "title")
    bin_row = await bin_by_scan(uow.session, new.bin_code, principal) if new.bin_code else None
    wid = bin_row.warehouse_id if bin_row else acting_warehouse(principal, new.warehouse_id)
    if not principal.in_scope(wid):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "binCode")
    assignee = None
    if new.assignee_id is not None:
        assignee = await uow.session.get(m.User, new.assignee_id)
        if assignee is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such user.", "assigneeId")
    return await engine.create_task(
        uow,
        engine.NewTask(
            warehouse_id=wid,
            kind=new.kind,
            title=title,
            priority=new.priority,
            bin_id=bin_row.id if bin_row else None,
            assignee_id=assignee.id if assignee else None,
            payload={"note": new.note} if new.note else None,
        ),
        created_by=principal.user_id,
    )
