"""Releasing a planned wave: one transaction turns every tour into a PICK task
(one cart, one tote per order, lines in route order) and tops up pick faces that
would run short with REPLENISH tasks. Anything failing rolls the whole release
back; the tasks reach handhelds only after the commit (create_task emits)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from backend.core.auth.permissions import Role
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.outbound import POOL_STATES
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import WaveChanged
from backend.core.scope import EVERY_WAREHOUSE, ReadScope
from backend.outbound import order_states
from backend.replenishment import pickface
from backend.tasks import engine


@dataclass(frozen=True)
class ReleaseOutcome:
    wave: m.Wave
    pick_task_ids: tuple[int, ...]
    replenish_task_ids: tuple[int, ...]
    orders: int
    lines: int
    units: int


async def _lock_wave(uow: UnitOfWork, wave_id: int, scope: ReadScope) -> m.Wave:
    wave = await uow.session.get(m.Wave, wave_id, with_for_update=True, populate_existing=True)
    if wave is None or not scope.allows(wave.warehouse_id):
        raise DomainError(ErrorCode.WAVE_NOT_FOUND, "No such wave.", "waveId")
    if wave.state != m.WaveState.PLANNED:
        if wave.state == m.WaveState.CANCELLED:
            raise DomainError(ErrorCode.INVALID_STATE, "The wave was cancelled.", "waveId")
        raise DomainError(
            ErrorCode.WAVE_ALREADY_RELEASED,
            f"Wave {wave.code} was released already; its tasks are on the floor.",
            "waveId",
        )
    return wave


async def release_wave(
    uow: UnitOfWork, wave_id: int, user_id: int | None, scope: ReadScope = EVERY_WAREHOUSE
) -> ReleaseOutcome:
    session = uow.session
    wave = await _lock_wave(uow, wave_id, scope)
    tours = list(
        await session.scalars(
            select(m.WaveTour).where(m.WaveTour.wave_id == wave.id).order_by(m.WaveTour.seq)
        )
    )
    tour_ids = [t.id for t in tours]
    lines_by_tour: dict[int, list[m.PickLine]] = defaultdict(list)
    for line in await session.scalars(
        select(m.PickLine)
        .where(m.PickLine.tour_id.in_(tour_ids), m.PickLine.state == m.PickLineState.OPEN)
        .order_by(m.PickLine.tour_id, m.PickLine.seq)
    ):
        lines_by_tour[line.tour_id].append(line)
    orders = {
        o.id: o
        for o in await session.scalars(
            select(m.SalesOrder).where(m.SalesOrder.wave_id == wave.id).with_for_update()
        )
    }
    released_orders = sum(1 for o in orders.values() if o.state in POOL_STATES)
    pick_tasks: list[int] = []
    total_lines = total_units = 0
    for tour in tours:
        lines = lines_by_tour.get(tour.id, [])
        if not lines:
            continue  # every order on this cart was cancelled after planning
        units = sum(line.quantity for line in lines)
        tour_orders = {line.order_id for line in lines}
        task = await engine.create_task(
            uow,
            engine.NewTask(
                warehouse_id=wave.warehouse_id,
                kind=m.TaskKind.PICK,
                title=f"Pick {wave.code} cart {tour.seq}: {len(tour_orders)} orders,"
                f" {len(lines)} lines, {units} units",
                priority=min(orders[oid].priority for oid in tour_orders),
                bin_id=lines[0].bin_id,
                reference=f"{wave.code}/{tour.seq}",
                payload={
                    "waveId": wave.id,
                    "tourId": tour.id,
                    "lines": len(lines),
                    "units": units,
                    "metres": round(tour.metres, 1),
                },
                role=Role.PICKER.value,
            ),
            created_by=user_id,
        )
        tour.task_id = task.id
        pick_tasks.append(task.id)
        total_lines += len(lines)
        total_units += units
    await order_states.release_wave_orders(session, wave.id)
    lines_all = [line for lines in lines_by_tour.values() for line in lines]
    replenish = await _replenish(uow, wave, lines_all, user_id)
    wave.state = m.WaveState.RELEASED
    wave.released_at = utcnow()
    await session.flush()
    uow.emit(WaveChanged(wave.warehouse_id, "RELEASED", wave.id, wave.code))
    return ReleaseOutcome(
        wave, tuple(pick_tasks), tuple(replenish), released_orders, total_lines, total_units
    )


async def _replenish(
    uow: UnitOfWork, wave: m.Wave, lines: list[m.PickLine], user_id: int | None
) -> list[int]:
    """A pick face whose reserved quantity exceeds its free stock gets a REPLENISH
    task from a reserve bin holding free stock of the same item (FEFO, then FIFO)."""
    session = uow.session
    keys = sorted({(line.bin_id, line.item_id) for line in lines})
    if not keys:
        return []
    bin_ids = sorted({b for b, _ in keys})
    item_ids = sorted({i for _, i in keys})
    faces = await session.execute(
        select(m.Quant, m.Bin)
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Quant.bin_id.in_(bin_ids),
            m.Quant.item_id.in_(item_ids),
            m.Zone.kind == m.ZoneKind.PICK_FACE,
            m.Quant.reserved > m.Quant.on_hand - m.Quant.reserved,
        )
        .order_by(m.Quant.id)
    )
    wanted = set(keys)
    created: list[int] = []
    for quant, face in faces:
        if (quant.bin_id, quant.item_id) not in wanted:
            continue
        reference = pickface.shortfall_reference_of(quant.id)
        pending = await session.scalar(
            select(m.Task.id).where(
                m.Task.reference == reference,
                m.Task.kind == m.TaskKind.REPLENISH,
                m.Task.state.in_((m.TaskState.OPEN, m.TaskState.CLAIMED)),
            )
        )
        if pending is not None:
            continue
        source = (
            await session.execute(
                select(m.Quant, m.Bin)
                .join(m.Bin, m.Bin.id == m.Quant.bin_id)
                .join(m.Zone, m.Zone.id == m.Bin.zone_id)
                .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
                .where(
                    m.Quant.item_id == quant.item_id,
                    m.Quant.status == m.StockStatus.AVAILABLE,
                    m.Quant.on_hand > m.Quant.reserved,
                    m.Bin.warehouse_id == wave.warehouse_id,
                    m.Bin.blocked.is_(False),
                    m.Zone.kind == m.ZoneKind.RESERVE,
                )
                .order_by(m.Lot.expiry.is_(None), m.Lot.expiry, m.Quant.received_at, m.Quant.id)
                .limit(1)
            )
        ).first()
        if source is None:
            continue  # nothing in reserve: the short pick flow will handle it
        from_quant, from_bin = source
        shortfall = quant.reserved - (quant.on_hand - quant.reserved)
        quantity = min(from_quant.on_hand - from_quant.reserved, max(shortfall, quant.reserved))
        item = await session.get(m.Item, quant.item_id)
        assert item is not None
        task = await pickface.create_replenish_task(
            uow,
            warehouse_id=wave.warehouse_id,
            item=item,
            face=face,
            lines=(pickface.SourceLine(from_bin.id, from_quant.lot_id, quantity),),
            reference=reference,
            priority=2,
            created_by=user_id,
            extra={"wave_id": wave.id},
        )
        created.append(task.id)
    return created
