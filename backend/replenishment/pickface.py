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

from backend.core.db.models import (
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
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
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
    """The reference of a min/max setting's task: one open task per setting."""
    return f"{REFERENCE_PREFIX}{setting_id}"


def shortfall_reference_of(quant_id: int) -> str:
    """The reference of a wave release's task for a pick face quant it overbooked.
    Its own namespace: a bare number would read as a min/max setting's id, and an
    open wave task would then stop that setting from ever being refilled."""
    return f"{REFERENCE_PREFIX}Q{quant_id}"


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


async def create_replenish_task(
    uow: UnitOfWork,
    *,
    warehouse_id: int,
    item: Item,
    face: Bin,
    lines: tuple[SourceLine, ...],
    reference: str,
    priority: int,
    created_by: int | None,
    extra: dict[str, Any] | None = None,
) -> Task:
    """One REPLENISH task in the one payload shape `complete_replenishment` and
    `replenish_details` read, whoever asks for it (the min/max check or a wave release)."""
    payload: dict[str, Any] = {
        "item_id": item.id,
        "to_bin_id": face.id,
        "lines": [
            {"from_bin_id": line.from_bin_id, "lot_id": line.lot_id, "quantity": line.quantity}
            for line in lines
        ],
        **(extra or {}),
    }
    return await engine.create_task(
        uow,
        engine.NewTask(
            warehouse_id=warehouse_id,
            kind=TaskKind.REPLENISH,
            title=f"Replenish {item.sku} to {face.label}: {sum(x.quantity for x in lines)}",
            priority=priority,
            bin_id=lines[0].from_bin_id,
            reference=reference,
            payload=payload,
        ),
        created_by=created_by,
    )


async def evaluate_replenishment(
    uow: UnitOfWork, warehouse_id: int, created_by: int | None = None
) -> EvaluationResult:
    plans, short = await plan_replenishment(uow.session, warehouse_id)
    created: list[Task] = []
    for plan in plans:
        item = await uow.session.get(Item, plan.item_id)
        face = await uow.session.get(Bin, plan.to_bin_id)
        assert item is not None and face is not None
        task = await create_replenish_task(
            uow,
            warehouse_id=warehouse_id,
            item=item,
            face=face,
            lines=plan.lines,
            reference=reference_of(plan.setting_id),
            priority=3 if plan.on_face == 0 else 5,
            created_by=created_by,
            extra={"setting_id": plan.setting_id},
        )
        created.append(task)
    return EvaluationResult(created, short)


@dataclass(frozen=True)
class ReplenishSource:
    bin: Bin
    lot: Lot | None
    quantity: int


@dataclass(frozen=True)
class ReplenishDetails:
    task: Task
    item: Item
    face: Bin
    sources: tuple[ReplenishSource, ...]

    @property
    def quantity(self) -> int:
        return sum(s.quantity for s in self.sources)


async def replenish_details(session: AsyncSession, task: Task) -> ReplenishDetails:
    """What a REPLENISH task asks for, as rows: the handheld names each step from this."""
    payload = task.payload or {}
    if task.kind != TaskKind.REPLENISH or "lines" not in payload:
        raise DomainError(ErrorCode.INVALID_STATE, "Not a replenishment task.", "taskId")
    item = await session.get(Item, int(payload["item_id"]))
    face = await session.get(Bin, int(payload["to_bin_id"]))
    assert item is not None and face is not None
    sources = []
    for line in payload["lines"]:
        source = await session.get(Bin, int(line["from_bin_id"]))
        assert source is not None
        lot = await session.get(Lot, int(line["lot_id"])) if line.get("lot_id") else None
        sources.append(ReplenishSource(source, lot, int(line["quantity"])))
    return ReplenishDetails(task, item, face, tuple(sources))


async def complete_replenishment(
    uow: UnitOfWork,
    task: Task,
    user_id: int,
    *,
    to_bin: Bin | None = None,
    item: Item | None = None,
    quantity: int | None = None,
) -> int:
    """Move the task's reserve stock to the pick face; the task is done.

    The handheld sends what it scanned: a pick face or item other than the task's is
    refused. `quantity` below the task's is a partial refill (the reserve held less
    than expected): that much moves, in the task's line order, and the next min/max
    check asks again if the face is still low.
    """
    details = await replenish_details(uow.session, task)
    if task.state not in (TaskState.OPEN, TaskState.CLAIMED):
        raise DomainError(ErrorCode.INVALID_STATE, f"The task is {task.state.lower()}.", "taskId")
    if task.state == TaskState.CLAIMED and task.assignee_id != user_id:
        raise DomainError(ErrorCode.TASK_HELD_BY_OTHER, "Another person holds this task.")
    if to_bin is not None and to_bin.id != details.face.id:
        raise DomainError(
            ErrorCode.WRONG_BIN,
            f"This goes to {details.face.label}, not {to_bin.label}.",
            "toBinCode",
        )
    if item is not None and item.id != details.item.id:
        raise DomainError(
            ErrorCode.WRONG_ITEM, f"This task moves {details.item.sku}, not {item.sku}.", "itemCode"
        )
    wanted = details.quantity if quantity is None else quantity
    if not 0 < wanted <= details.quantity:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY,
            f"Between 1 and {details.quantity} units for this task.",
            "quantity",
        )
    moved = 0
    for source in details.sources:
        take = min(source.quantity, wanted - moved)
        if take <= 0:
            break
        await apply_move(
            uow.session,
            MoveRequest(
                item_id=details.item.id,
                quantity=take,
                reason=MoveReason.REPLENISH,
                lot_id=source.lot.id if source.lot else None,
                source=Place(source.bin.id),
                destination=Place(details.face.id),
                reference=task.reference,
                user_id=user_id,
                task_id=task.id,
            ),
        )
        moved += take
    if task.assignee_id is None:
        task.assignee_id = user_id
    await engine.finish(uow, task)
    return moved
