"""What a REPLENISH task asks for, as data the handheld can name each step from."""

from __future__ import annotations

from datetime import date

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.replenishment import pickface
from backend.schema.context import Info


@strawberry.type
class ReplenishSource:
    bin_code: str
    bin_label: str
    lot_number: str | None
    expiry: date | None
    quantity: int


@strawberry.type(description="A REPLENISH task: the item, where it comes from, where it goes.")
class ReplenishTask:
    task_id: strawberry.ID
    item_sku: str
    item_name: str
    tracking: str
    to_bin_code: str
    to_bin_label: str
    quantity: int
    sources: list[ReplenishSource] = strawberry.field(
        description="Reserve bins in the order to visit them (earliest expiry first)."
    )


@strawberry.type
class ReplenishQuery:
    @strawberry.field(description="The details of a REPLENISH task; null for any other task.")
    async def replenish_task(self, info: Info, task_id: strawberry.ID) -> ReplenishTask | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            try:
                task = await session.get(m.Task, parse_id(task_id, "taskId"))
                if task is None or not principal.in_scope(task.warehouse_id):
                    return None
                details = await pickface.replenish_details(session, task)
            except DomainError:
                return None
            return ReplenishTask(
                task_id=strawberry.ID(str(task.id)),
                item_sku=details.item.sku,
                item_name=details.item.name,
                tracking=details.item.tracking,
                to_bin_code=details.face.code,
                to_bin_label=details.face.label,
                quantity=details.quantity,
                sources=[
                    ReplenishSource(
                        bin_code=s.bin.code,
                        bin_label=s.bin.label,
                        lot_number=s.lot.lot_number if s.lot else None,
                        expiry=s.lot.expiry if s.lot else None,
                        quantity=s.quantity,
                    )
                    for s in details.sources
                ],
            )
