"""Pick faces refilled from reserve.

`evaluate_replenishment` looks at every active min/max setting of a warehouse;
a pick face holding less than its minimum (available units on that bin) gets
one REPLENISH task to bring it up to its maximum, taken from RESERVE bins in
FEFO order (earliest expiry first, undated last, then oldest receipt). A
setting with an open or claimed task is left alone, so running it again does
not duplicate work. The reserve stock is not reserved: if someone takes it
first, completing the task refuses with INSUFFICIENT_STOCK and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Bin,
    Item,
    Lot,
    MoveReason,
    Quant,
    ReplenishmentSetting,
    StockStatus,
    Task,
    TaskKind,
    TaskState,
    Zone,
    ZoneKind,
)
from backend.db.uow import UnitOfWork
from backend.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.tasks import engine

REFERENCE_PREFIX = "REPL-"


@dataclass(frozen=True)
class SourceLine:
    from_bin_id: int
    lot_id: int | None
    quantity: int


@dataclass(frozen=True)
class ReplenishmentPlan:
    setting_id: int
    item_id: int
    to_bin_id: int
    on_face: int
    lines: tuple[SourceLine, ...]

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass(frozen=True)
class EvaluationResult:
    created: list[Task]
    short: list[int]  # settings below minimum with no reserve stock to take


def reference_of(setting_id: int) -> str:
    return f"{REFERENCE_PREFIX}{setting_id}"


def allocate(need: int, sources: list[tuple[int, int | None, int]]) -> tuple[SourceLine, ...]:
    """Take `need` units from (bin, lot, free) sources in the order given."""
    lines: list[SourceLine] = []
    for bin_id, lot_id, free in sources:
        if need <= 0:
            break
        take = min(free, need)
        if take > 0:
            lines.append(SourceLine(bin_id, lot_id, take))
            need -= take
    return tuple(lines)


async def _on_face(session: AsyncSession, item_id: int, bin_id: int) -> int:
    value = await session.scalar(
        select(func.sum(Quant.on_hand - Quant.reserved)).where(
            Quant.item_id == item_id, Quant.bin_id == bin_id, Quant.status == StockStatus.AVAILABLE
        )
    )
    return int(value or 0)


async def _reserve_sources(
    session: AsyncSession, item_id: int, warehouse_id: int
) -> list[tuple[int, int | None, int]]:
    rows = await session.execute(
        select(Quant.bin_id, Quant.lot_id, Quant.on_hand - Quant.reserved)
        .join(Bin, Bin.id == Quant.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .outerjoin(Lot, Lot.id == Quant.lot_id)
        .where(
            Quant.item_id == item_id,
            Quant.status == StockStatus.AVAILABLE,
            Quant.on_hand > Quant.reserved,
            Bin.warehouse_id == warehouse_id,
            Bin.blocked.is_(False),
            Zone.kind == ZoneKind.RESERVE,
        )
        .order_by(Lot.expiry.is_(None), Lot.expiry, Quant.received_at, Quant.id)
    )
    return [(b, lot, int(free)) for b, lot, free in rows]


async def plan_replenishment(
    session: AsyncSession, warehouse_id: int
) -> tuple[list[ReplenishmentPlan], list[int]]:
    open_refs = set(
        await session.scalars(
            select(Task.reference).where(
                Task.warehouse_id == warehouse_id,
                Task.kind == TaskKind.REPLENISH,
                Task.state.in_([TaskState.OPEN, TaskState.CLAIMED]),
                Task.reference.like(f"{REFERENCE_PREFIX}%"),
            )
        )
    )
    settings = await session.scalars(
        select(ReplenishmentSetting)
        .join(Bin, Bin.id == ReplenishmentSetting.bin_id)
        .where(Bin.warehouse_id == warehouse_id, ReplenishmentSetting.active.is_(True))
        .order_by(ReplenishmentSetting.id)
    )
    plans: list[ReplenishmentPlan] = []
    short: list[int] = []
    for setting in settings.all():
        if reference_of(setting.id) in open_refs:
            continue
        on_face = await _on_face(session, setting.item_id, setting.bin_id)
        if on_face >= setting.min_qty:
            continue
        sources = await _reserve_sources(session, setting.item_id, warehouse_id)
        lines = allocate(setting.max_qty - on_face, sources)
        if not lines:
            short.append(setting.id)
            continue
        plans.append(ReplenishmentPlan(setting.id, setting.item_id, setting.bin_id, on_face, lines))
    return plans, short


async def evaluate_replenishment(
    uow: UnitOfWork, warehouse_id: int, created_by: int | None = None
) -> EvaluationResult:
    plans, short = await plan_replenishment(uow.session, warehouse_id)
    created: list[Task] = []
    for plan in plans:
        item = await uow.session.get(Item, plan.item_id)
        face = await uow.session.get(Bin, plan.to_bin_id)
        payload: dict[str, Any] = {
            "setting_id": plan.setting_id,
            "item_id": plan.item_id,
            "to_bin_id": plan.to_bin_id,
            "lines": [
                {"from_bin_id": line.from_bin_id, "lot_id": line.lot_id, "quantity": line.quantity}
                for line in plan.lines
            ],
        }
        task = await engine.create_task(
            uow,
            engine.NewTask(
                warehouse_id=warehouse_id,
                kind=TaskKind.REPLENISH,
                title=f"Replenish {item.sku if item else plan.item_id} "
                f"to {face.label if face else plan.to_bin_id}: {plan.quantity}",
                priority=3 if plan.on_face == 0 else 5,
                bin_id=plan.lines[0].from_bin_id,
                reference=reference_of(plan.setting_id),
                payload=payload,
            ),
            created_by=created_by,
        )
        created.append(task)
    return EvaluationResult(created, short)


async def complete_replenishment(uow: UnitOfWork, task: Task, user_id: int) -> int:
    """Move every line of a REPLENISH task from reserve to the pick face; the task is done."""
    if task.kind != TaskKind.REPLENISH or "lines" not in (task.payload or {}):
        raise DomainError(ErrorCode.INVALID_STATE, "Not a replenishment task.", "taskId")
    if task.state not in (TaskState.OPEN, TaskState.CLAIMED):
        raise DomainError(ErrorCode.INVALID_STATE, f"The task is {task.state.lower()}.", "taskId")
    if task.state == TaskState.CLAIMED and task.assignee_id != user_id:
        raise DomainError(ErrorCode.TASK_HELD_BY_OTHER, "Another person holds this task.")
    payload = task.payload
    moved = 0
    for line in payload["lines"]:
        await apply_move(
            uow.session,
            MoveRequest(
                item_id=int(payload["item_id"]),
                quantity=int(line["quantity"]),
                reason=MoveReason.REPLENISH,
                lot_id=line["lot_id"],
                source=Place(int(line["from_bin_id"])),
                destination=Place(int(payload["to_bin_id"])),
                reference=task.reference,
                user_id=user_id,
                task_id=task.id,
            ),
        )
        moved += int(line["quantity"])
    if task.assignee_id is None:
        task.assignee_id = user_id
    await engine.finish(uow, task)
    return moved
