"""Wave planning against the database: the reserved bins of pooled orders become
``Order``s for the pure batching functions, and a chosen plan is stored as a
wave with its tours and ordered pick lines, so release uses exactly that plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.outbound import POOL_STATES
from backend.core.errors import DomainError, ErrorCode
from backend.layout.geometry import geometry_of
from backend.outbound import allocation
from backend.routing.batching import (
    DEFAULT_TOUR_SETUP_METRES,
    CartLimits,
    Order,
    first_come_batches,
    plan_batches,
)
from backend.routing.geometry import PickLocation, WarehouseGeometry
from backend.scan import CodeKind, make_code

MAX_WAVE_ORDERS = 2000


class PlanMethod(StrEnum):
    OPTIMISED = "OPTIMISED"
    FIRST_COME = "FIRST_COME"


@dataclass(frozen=True)
class PlannedStop:
    order_id: int
    order_number: str
    order_line_id: int
    reservation_id: int
    item_id: int
    item_sku: str
    lot_id: int | None
    bin_id: int
    bin_code: str
    bin_label: str
    quantity: int
    aisle: int
    bay: int
    x: float
    y: float
    arrive_metres: float


@dataclass(frozen=True)
class PlannedTour:
    seq: int
    order_ids: tuple[int, ...]
    metres: float
    stops: tuple[PlannedStop, ...]

    @property
    def units(self) -> int:
        return sum(s.quantity for s in self.stops)


@dataclass(frozen=True)
class PlannedWave:
    warehouse_id: int
    method: str
    metres: float
    tours: tuple[PlannedTour, ...]
    limits: CartLimits


def check_limits(limits: CartLimits) -> None:
    if not 1 <= limits.totes <= 100:
        raise DomainError(ErrorCode.INVALID_INPUT, "A cart holds 1–100 totes.", "cartLimits")
    for value in (limits.units, limits.volume, limits.weight):
        if value is not None and value <= 0:
            raise DomainError(
                ErrorCode.INVALID_INPUT, "Cart limits must be positive.", "cartLimits"
            )


@dataclass(frozen=True)
class _Pick:
    """One reserved pick, copied out of the database rows so that planning can run
    after the read transaction has ended (and hold no lock while it computes)."""

    order_id: int
    order_line_id: int
    reservation_id: int
    quantity: int
    item_id: int
    item_sku: str
    volume_cm3: float
    weight_g: float
    lot_id: int | None
    bin_id: int
    bin_code: str
    bin_label: str
    aisle: int
    bay: int


@dataclass(frozen=True)
class PlanInputs:
    """Everything the pure planner needs, read in one short transaction."""

    warehouse_id: int
    geometry: WarehouseGeometry
    orders: tuple[Order, ...]
    picks: dict[int, tuple[_Pick, ...]]
    numbers: dict[int, str]

    @property
    def fingerprint(self) -> frozenset[tuple[int, int, int, int]]:
        """What a plan depends on: each order's reservations, their quantities and bins.
        Equal fingerprints mean a plan made from one is still right for the other."""
        return frozenset(
            (p.order_id, p.reservation_id, p.quantity, p.bin_id)
            for picks in self.picks.values()
            for p in picks
        )


async def load_orders(
    session: AsyncSession, warehouse_id: int, order_ids: list[int], *, lock: bool
) -> list[m.SalesOrder]:
    if not order_ids:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose at least one order.", "orderIds")
    if len(order_ids) > MAX_WAVE_ORDERS:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_WAVE_ORDERS} orders a wave.", "orderIds"
        )
    if len(set(order_ids)) != len(order_ids):
        raise DomainError(ErrorCode.INVALID_INPUT, "An order is listed twice.", "orderIds")
    stmt = select(m.SalesOrder).where(m.SalesOrder.id.in_(order_ids)).order_by(m.SalesOrder.id)
    if lock:
        stmt = stmt.with_for_update()
    found = {o.id: o for o in await session.scalars(stmt)}
    ordered = []
    for oid in order_ids:
        order = found.get(oid)
        if order is None or order.warehouse_id != warehouse_id:
            raise DomainError(ErrorCode.ORDER_NOT_FOUND, f"No order with id {oid}.", "orderIds")
        ordered.append(order)
    return ordered


async def reserve_if_needed(
    session: AsyncSession, orders: list[m.SalesOrder], user_id: int | None
) -> None:
    """Warehouses that reserve when planning do it here, most urgent orders first."""
    for order in sorted(orders, key=lambda o: (o.priority, o.id)):
        if order.state == m.OrderState.NEW and order.wave_id is None:
            await allocation.reserve_order(session, order, user_id)


def _check_plannable(orders: list[m.SalesOrder]) -> None:
    for order in orders:
        if order.wave_id is not None:
            raise DomainError(
                ErrorCode.INVALID_STATE, f"Order {order.number} is in a wave already.", "orderIds"
            )
        if order.state not in POOL_STATES:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                f"Order {order.number} is {order.state.lower()}: only reserved orders"
                " go into a wave.",
                "orderIds",
            )


async def _picks(session: AsyncSession, orders: list[m.SalesOrder]) -> dict[int, list[_Pick]]:
    order_ids = [o.id for o in orders]
    lines = {
        line.id: line
        for line in await session.scalars(
            select(m.SalesOrderLine).where(m.SalesOrderLine.order_id.in_(order_ids))
        )
    }
    refs = {allocation.line_reference(line_id): line_id for line_id in lines}
    rows = await session.execute(
        select(m.Reservation, m.Quant, m.Bin, m.Item)
        .join(m.Quant, m.Quant.id == m.Reservation.quant_id)
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Item, m.Item.id == m.Reservation.item_id)
        .where(
            m.Reservation.reference.in_(list(refs)),
            m.Reservation.state == m.ReservationState.ACTIVE,
        )
        .order_by(m.Reservation.id)
    )
    by_order: dict[int, list[_Pick]] = defaultdict(list)
    for reservation, quant, bin_row, item in rows:
        line = lines[refs[reservation.reference]]
        by_order[line.order_id].append(
            _Pick(
                order_id=line.order_id,
                order_line_id=line.id,
                reservation_id=reservation.id,
                quantity=reservation.quantity,
                item_id=item.id,
                item_sku=item.sku,
                volume_cm3=item.volume_cm3,
                weight_g=item.weight_g,
                lot_id=quant.lot_id,
                bin_id=bin_row.id,
                bin_code=bin_row.code,
                bin_label=bin_row.label,
                aisle=bin_row.aisle or 0,
                bay=bin_row.bay or 0,
            )
        )
    return by_order


async def gather(
    session: AsyncSession, warehouse_id: int, orders: list[m.SalesOrder]
) -> PlanInputs:
    """Read what planning needs; refuse orders that cannot go into a wave."""
    _check_plannable(orders)
    warehouse = await session.get(m.Warehouse, warehouse_id)
    assert warehouse is not None
    picks = await _picks(session, orders)
    geometry = geometry_of(
        warehouse,
        max((p.aisle for ps in picks.values() for p in ps), default=0),
        max((p.bay for ps in picks.values() for p in ps), default=0),
    )
    if geometry is None:
        raise DomainError(
            ErrorCode.INVALID_STATE, "The warehouse layout has no usable geometry.", "warehouseId"
        )
    batch_orders = []
    for order in orders:
        mine = picks.get(order.id, [])
        if not mine:
            raise DomainError(
                ErrorCode.INVALID_STATE, f"Order {order.number} has nothing reserved.", "orderIds"
            )
        batch_orders.append(
            Order(
                id=str(order.id),
                picks=tuple(PickLocation(p.aisle, p.bay) for p in mine),
                units=sum(p.quantity for p in mine),
                # Litres and kilograms: the units the cart limits are given in.
                volume=sum(p.volume_cm3 * p.quantity for p in mine) / 1000,
                weight=sum(p.weight_g * p.quantity for p in mine) / 1000,
            )
        )
    return PlanInputs(
        warehouse_id=warehouse_id,
        geometry=geometry,
        orders=tuple(batch_orders),
        picks={order_id: tuple(ps) for order_id, ps in picks.items()},
        numbers={o.id: o.number for o in orders},
    )


def compute(
    inputs: PlanInputs,
    limits: CartLimits,
    method: PlanMethod,
    setup_metres: float = DEFAULT_TOUR_SETUP_METRES,
) -> PlannedWave:
    """The plan itself: pure and CPU-bound, so callers may run it in a worker thread.
    ``setup_metres`` is what one more tour costs the optimised plan (WMS_TOUR_SETUP_METRES)."""
    check_limits(limits)
    geometry = inputs.geometry
    orders = list(inputs.orders)
    if method == PlanMethod.OPTIMISED:
        plan = plan_batches(geometry, orders, limits, setup_metres=setup_metres)
    else:
        plan = first_come_batches(geometry, orders, limits)
    tours = []
    for seq, batch in enumerate(plan.batches, start=1):
        stops = []
        for k, line_index in enumerate(batch.route.stops):
            order_key, pick_index = batch.lines[line_index]
            pick = inputs.picks[int(order_key)][pick_index]
            location = PickLocation(pick.aisle, pick.bay)
            x, y = geometry.coordinates(location)
            stops.append(
                PlannedStop(
                    order_id=pick.order_id,
                    order_number=inputs.numbers[pick.order_id],
                    order_line_id=pick.order_line_id,
                    reservation_id=pick.reservation_id,
                    item_id=pick.item_id,
                    item_sku=pick.item_sku,
                    lot_id=pick.lot_id,
                    bin_id=pick.bin_id,
                    bin_code=pick.bin_code,
                    bin_label=pick.bin_label,
                    quantity=pick.quantity,
                    aisle=location.aisle,
                    bay=location.cell,
                    x=x,
                    y=y,
                    arrive_metres=batch.route.arrive_metres[k] if batch.route.arrive_metres else 0,
                )
            )
        tours.append(
            PlannedTour(
                seq=seq,
                order_ids=tuple(int(o) for o in batch.order_ids),
                metres=batch.metres,
                stops=tuple(stops),
            )
        )
    return PlannedWave(inputs.warehouse_id, plan.method, plan.metres, tuple(tours), limits)


async def plan_wave(
    session: AsyncSession,
    warehouse_id: int,
    orders: list[m.SalesOrder],
    limits: CartLimits,
    method: PlanMethod,
) -> PlannedWave:
    """Read and plan in one go (previews and benchmarks; `createWave` plans outside
    its transaction with `gather` + `compute` and checks the fingerprint before storing)."""
    check_limits(limits)
    return compute(await gather(session, warehouse_id, orders), limits, method)


async def store_wave(session: AsyncSession, planned: PlannedWave, user_id: int | None) -> m.Wave:
    """Keep the plan: wave, tours, tote slots and pick lines in route order."""
    now = utcnow()
    wave = m.Wave(
        warehouse_id=planned.warehouse_id,
        code=f"pending-{now.timestamp()}-{user_id}",
        state=m.WaveState.PLANNED,
        method=planned.method,
        metres=planned.metres,
        cart_limits={
            "totes": planned.limits.totes,
            "units": planned.limits.units,
            "volume": planned.limits.volume,
            "weight": planned.limits.weight,
        },
        created_by=user_id,
        created_at=now,
    )
    session.add(wave)
    await session.flush()
    wave.code = make_code(CodeKind.WAVE, str(wave.id))
    order_ids: list[int] = []
    for tour_plan in planned.tours:
        tour = m.WaveTour(wave_id=wave.id, seq=tour_plan.seq, metres=tour_plan.metres)
        session.add(tour)
        await session.flush()
        for slot, order_id in enumerate(tour_plan.order_ids, start=1):
            session.add(m.TourOrder(tour_id=tour.id, order_id=order_id, slot=slot))
            order_ids.append(order_id)
        for seq, stop in enumerate(tour_plan.stops, start=1):
            session.add(
                m.PickLine(
                    tour_id=tour.id,
                    seq=seq,
                    order_id=stop.order_id,
                    order_line_id=stop.order_line_id,
                    reservation_id=stop.reservation_id,
                    item_id=stop.item_id,
                    lot_id=stop.lot_id,
                    bin_id=stop.bin_id,
                    quantity=stop.quantity,
                    arrive_metres=stop.arrive_metres,
                )
            )
    await session.flush()
    for order in await session.scalars(select(m.SalesOrder).where(m.SalesOrder.id.in_(order_ids))):
        order.wave_id = wave.id
    await session.flush()
    return wave
