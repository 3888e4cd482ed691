"""Put-back of picked units that will not ship: back from the packing bin to storage.

Here rather than in packing because cancelling an order (backend.outbound.orders)
puts back too, and packing builds on orders, not the other way round.

Units a supervisor short-ships at the packing station, and the units already
picked for an order cancelled mid-pick, wait in the packing bin the pick moved
them to. Each (item, lot, bin, status) of them becomes one PUTAWAY task with a
putaway job from that bin, created through the task engine in the caller's
transaction. A picker (or receiver) then works it on the handheld's putaway
screen like received stock: suggested bins, scan to confirm, override with a
reason. That scan moves the stock through the ledger (reason PUTAWAY); creating
the task moves nothing, so the units stay counted where they physically are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.tasks.engine import NewTask, create_task

TASK_PRIORITY = 4  # ahead of routine putaway: the packing bench needs its space


@dataclass(frozen=True)
class PickedUnits:
    """Units of one order line that were picked and now wait at ``bin_id``."""

    order_line_id: int
    line_no: int
    item_id: int
    lot_id: int | None
    bin_id: int
    status: str
    quantity: int


async def picked_units(session: AsyncSession, order: m.SalesOrder) -> list[PickedUnits]:
    """Where each picked unit of the order is now.

    A confirmed pick moves stock (reason PICK) from the pick bin to the tote's
    place; the pick lines say how much of which line came from which bin. The
    destination is the latest PICK move out of that bin for the item and lot.
    """
    lines = {
        line.id: line
        for line in await session.scalars(
            select(m.SalesOrderLine).where(m.SalesOrderLine.order_id == order.id)
        )
    }
    totals: dict[tuple[int, int | None, int, str], int] = defaultdict(int)
    for pick in await session.scalars(
        select(m.PickLine)
        .where(m.PickLine.order_id == order.id, m.PickLine.picked > 0)
        .order_by(m.PickLine.id)
    ):
        move = await session.scalar(
            select(m.StockMove)
            .where(
                m.StockMove.reason == m.MoveReason.PICK,
                m.StockMove.item_id == pick.item_id,
                func.coalesce(m.StockMove.lot_id, 0) == (pick.lot_id or 0),
                m.StockMove.from_bin_id == pick.bin_id,
                m.StockMove.to_bin_id.is_not(None),
            )
            .order_by(m.StockMove.id.desc())
            .limit(1)
        )
        if move is None or move.to_bin_id is None:
            continue
        status = move.to_status or m.StockStatus.AVAILABLE
        totals[(pick.order_line_id, pick.lot_id, move.to_bin_id, status)] += pick.picked
    units = [
        PickedUnits(
            order_line_id=line_id,
            line_no=lines[line_id].line_no,
            item_id=lines[line_id].item_id,
            lot_id=lot_id,
            bin_id=bin_id,
            status=status,
            quantity=quantity,
        )
        for (line_id, lot_id, bin_id, status), quantity in totals.items()
        if line_id in lines
    ]
    return sorted(units, key=lambda u: (u.line_no, u.lot_id or 0, u.bin_id))


@dataclass(frozen=True)
class PutBackUnits:
    item_id: int
    lot_id: int | None
    bin_id: int
    status: str
    quantity: int


async def create_put_back(
    uow: UnitOfWork,
    *,
    warehouse_id: int,
    units: Iterable[PutBackUnits],
    reference: str,
    why: str,
    created_by: int | None,
) -> list[int]:
    """One PUTAWAY task (and putaway job) per item, lot, bin and status; their ids."""
    totals: dict[tuple[int, int | None, int, str], int] = defaultdict(int)
    for unit in units:
        if unit.quantity > 0:
            totals[(unit.item_id, unit.lot_id, unit.bin_id, unit.status)] += unit.quantity
    session = uow.session
    task_ids = []
    for (item_id, lot_id, bin_id, status), quantity in sorted(
        totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2], kv[0][3])
    ):
        item = await session.get(m.Item, item_id)
        assert item is not None
        task = await create_task(
            uow,
            NewTask(
                warehouse_id=warehouse_id,
                kind=m.TaskKind.PUTAWAY,
                title=f"Put back {quantity} × {item.sku} ({why})"[:200],
                priority=TASK_PRIORITY,
                bin_id=bin_id,
                reference=reference[:80],
                payload={"put_back": why, "reference": reference},
            ),
            created_by,
        )
        session.add(
            m.PutawayJob(
                task_id=task.id,
                receipt_line_id=None,
                warehouse_id=warehouse_id,
                item_id=item_id,
                lot_id=lot_id,
                status=status,
                from_bin_id=bin_id,
                quantity=quantity,
            )
        )
        task_ids.append(task.id)
    await session.flush()
    return task_ids
