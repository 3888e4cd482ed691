"""Creating a wave: plan outside the transaction, then store the plan only if what it
was made from is still true.

Planning many orders takes seconds of CPU; doing it inside the mutation's unit of work
would hold row locks (and SQLite's one write lock) from every handheld. So
`prepare_wave` reads (and, where the warehouse reserves when planning, reserves) in a
unit of work that is never committed, and plans after it has ended; `store_prepared_wave`
then runs in the mutation's own unit of work, reserves again, reads again, and keeps the
plan only if the reserved bins and quantities came out the same.

Nothing is committed before the wave is stored: a refused `createWave` leaves every
reservation and order state as it found them (refused means unchanged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.outbound.orders import settings_of
from backend.routing.batching import DEFAULT_TOUR_SETUP_METRES, CartLimits
from backend.wave import planning
from backend.wave.planner import PlanPool

OpenUnitOfWork = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class WaveRequest:
    warehouse_id: int
    order_ids: tuple[int, ...]
    limits: CartLimits
    method: planning.PlanMethod
    user_id: int | None
    # Metres one more cart tour costs the optimised plan (Settings.tour_setup_metres).
    setup_metres: float = DEFAULT_TOUR_SETUP_METRES


@dataclass(frozen=True)
class PreparedWave:
    request: WaveRequest
    inputs: planning.PlanInputs
    planned: planning.PlannedWave


async def _reserves_when_planning(session: AsyncSession, warehouse_id: int) -> bool:
    return (await settings_of(session, warehouse_id)).reserve_at == m.ReserveAt.WAVE


async def _read_inputs(
    session: AsyncSession, request: WaveRequest, *, lock: bool
) -> planning.PlanInputs:
    """The plan's inputs as of this transaction, reserving first where the warehouse
    reserves when planning (the caller decides whether that is ever committed)."""
    orders = await planning.load_orders(
        session, request.warehouse_id, list(request.order_ids), lock=lock
    )
    if await _reserves_when_planning(session, request.warehouse_id):
        await planning.reserve_if_needed(session, orders, request.user_id)
    return await planning.gather(session, request.warehouse_id, orders)


async def prepare_wave(
    open_uow: OpenUnitOfWork, request: WaveRequest, planner: PlanPool | None = None
) -> PreparedWave:
    """Plan the wave without keeping anything: the reading (and reserving) transaction
    is rolled back before the CPU-bound planning starts in the planner (a process of
    its own, or a worker thread when there is none)."""
    planning.check_limits(request.limits)
    async with open_uow() as uow:  # never committed
        inputs = await _read_inputs(uow.session, request, lock=False)
    planned = await (planner or PlanPool(0)).compute(
        inputs, request.limits, request.method, request.setup_metres
    )
    return PreparedWave(request, inputs, planned)


async def preview_wave(
    open_uow: OpenUnitOfWork, request: WaveRequest, planner: PlanPool | None = None
) -> planning.PlannedWave:
    """The plan `createWave` would make now; nothing is kept."""
    return (await prepare_wave(open_uow, request, planner)).planned


def _shape(
    inputs: planning.PlanInputs,
) -> dict[int, tuple[tuple[int, int, int, int | None, int], ...]]:
    """What a plan depends on, per order and in reservation order: line, item, bin, lot
    and quantity of each reserved pick, but not the reservations' ids (reserving again
    in another transaction gives the same picks new ids)."""
    return {
        order_id: tuple((p.order_line_id, p.item_id, p.bin_id, p.lot_id, p.quantity) for p in picks)
        for order_id, picks in inputs.picks.items()
    }


def rebase_plan(prepared: PreparedWave, current: planning.PlanInputs) -> planning.PlannedWave:
    """The prepared plan, pointing at `current`'s reservations; refused with
    STALE_VERSION when any order's reserved picks differ from those it was made from."""
    if _shape(prepared.inputs) != _shape(current):
        raise DomainError(
            ErrorCode.STALE_VERSION,
            "Some of these orders changed while the wave was planned: plan again.",
            "orderIds",
        )
    renamed = {
        old.reservation_id: new.reservation_id
        for order_id, picks in prepared.inputs.picks.items()
        for old, new in zip(picks, current.picks[order_id], strict=True)
    }
    planned = prepared.planned
    return dataclasses.replace(
        planned,
        tours=tuple(
            dataclasses.replace(
                tour,
                stops=tuple(
                    dataclasses.replace(stop, reservation_id=renamed[stop.reservation_id])
                    for stop in tour.stops
                ),
            )
            for tour in planned.tours
        ),
    )


async def store_prepared_wave(
    uow: UnitOfWork, prepared: PreparedWave
) -> tuple[m.Wave, planning.PlannedWave]:
    """Keep a prepared plan in this unit of work: the orders are locked, reserved again
    where the warehouse reserves when planning, and read again; the plan is stored only
    if the reserved picks are those it was made from."""
    current = await _read_inputs(uow.session, prepared.request, lock=True)
    planned = rebase_plan(prepared, current)
    wave = await planning.store_wave(uow.session, planned, prepared.request.user_id)
    return wave, planned
