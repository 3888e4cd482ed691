# mypy: disable-error-code="valid-type"
"""Outbound GraphQL types: sales orders, channel pools, wave plans and guided picking,
with the mappers from domain rows and results to them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.outbound import orders as sales
from backend.outbound import picking
from backend.routing.batching import CartLimits
from backend.schema.errors import result_union
from backend.wave import create, planning

OrderStateEnum = strawberry.enum(m.OrderState, name="SalesOrderState")
ReserveAtEnum = strawberry.enum(m.ReserveAt, name="ReserveAt")
ShortPickRuleEnum = strawberry.enum(m.ShortPickRule, name="ShortPickRule")
PlanMethodEnum = strawberry.enum(planning.PlanMethod, name="WavePlanMethod")
PickStepEnum = strawberry.enum(picking.PickStep, name="PickStep")


def sid(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


# --- sales orders -------------------------------------------------------------------


@strawberry.type
class ShipTo:
    name: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None


_SHIP_TO_FIELDS = ("name", "street", "city", "postal_code", "country", "phone")


@strawberry.type
class SalesOrderLine:
    line_no: int
    item_sku: str
    item_name: str
    quantity: int
    reserved: int
    picked: int
    short: int
    backordered: bool
    backordered_quantity: int = strawberry.field(
        default=0, description="Units still waiting for stock on a backordered line."
    )


@strawberry.type
class SalesOrder:
    id: strawberry.ID
    number: str
    state: OrderStateEnum  # type: ignore[valid-type]
    warehouse_id: strawberry.ID
    customer_code: str
    carrier_code: str | None
    service: str
    channel: str
    priority: int
    cutoff_at: datetime | None
    ship_to: ShipTo
    wave_id: strawberry.ID | None
    created_at: datetime
    lines: list[SalesOrderLine]
    promised_date: date | None = None
    source: str = strawberry.field(default="DESK", description="DESK, SHOP or IMPORT.")
    credit_decision: str | None = strawberry.field(
        default=None, description="APPROVED or REJECTED once a credit hold was decided."
    )
    created_by_id: strawberry.ID | None = None
    backordered_units: int = 0


async def order_views(session: AsyncSession, rows: list[m.SalesOrder]) -> list[SalesOrder]:
    """Plain order objects (they are stored for replays), lines loaded in one query."""
    ids = [row.id for row in rows]
    lines: dict[int, list[tuple[m.SalesOrderLine, m.Item]]] = defaultdict(list)
    for line, item in await session.execute(
        select(m.SalesOrderLine, m.Item)
        .join(m.Item, m.Item.id == m.SalesOrderLine.item_id)
        .where(m.SalesOrderLine.order_id.in_(ids))
        .order_by(m.SalesOrderLine.order_id, m.SalesOrderLine.line_no)
    ):
        lines[line.order_id].append((line, item))
    customers = dict(
        (
            await session.execute(
                select(m.Customer.id, m.Customer.code).where(
                    m.Customer.id.in_({row.customer_id for row in rows})
                )
            )
        ).all()
    )
    carriers = dict((await session.execute(select(m.Carrier.id, m.Carrier.code))).all())
    return built_order_views(rows, lines, customers, carriers)


def taken_order_views(taken: Sequence[sales.TakenOrder]) -> list[SalesOrder]:
    """Orders just taken, answered from what the intake loaded and wrote."""
    return built_order_views(
        [t.order for t in taken],
        {t.order.id: [(line, t.items[line.item_id]) for line in t.lines] for t in taken},
        {t.order.customer_id: t.customer_code for t in taken},
        {
            t.order.carrier_id: t.carrier_code
            for t in taken
            if t.order.carrier_id is not None and t.carrier_code is not None
        },
    )


def built_order_views(
    rows: Sequence[m.SalesOrder],
    order_lines: Mapping[int, list[tuple[m.SalesOrderLine, m.Item]]],
    customers: Mapping[int, str],
    carriers: Mapping[int, str],
) -> list[SalesOrder]:
    lines: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for order_id, pairs in order_lines.items():
        for line, item in sorted(pairs, key=lambda pair: pair[0].line_no):
            lines[order_id].append(
                SalesOrderLine(
                    line_no=line.line_no,
                    item_sku=item.sku,
                    item_name=item.name,
                    quantity=line.quantity,
                    reserved=line.reserved,
                    picked=line.picked,
                    short=line.short,
                    backordered=line.backordered,
                    backordered_quantity=(
                        line.quantity - line.reserved - line.picked - line.short
                        if line.backordered
                        else 0
                    ),
                )
            )
    views = []
    for row in rows:
        address = row.ship_to or {}
        views.append(
            SalesOrder(
                id=strawberry.ID(str(row.id)),
                number=row.number,
                state=m.OrderState(row.state),
                warehouse_id=strawberry.ID(str(row.warehouse_id)),
                customer_code=customers.get(row.customer_id, ""),
                carrier_code=carriers.get(row.carrier_id) if row.carrier_id else None,
                service=row.service,
                channel=row.channel,
                priority=row.priority,
                cutoff_at=row.cutoff_at,
                ship_to=ShipTo(**{k: v for k, v in address.items() if k in _SHIP_TO_FIELDS}),
                wave_id=sid(row.wave_id),
                created_at=row.created_at,
                lines=lines.get(row.id, []),
                promised_date=row.promised_date,
                source=row.source,
                credit_decision=row.credit_decision,
                created_by_id=sid(row.created_by),
                backordered_units=sum(x.backordered_quantity for x in lines.get(row.id, [])),
            )
        )
    return views


async def order_view(session: AsyncSession, row: m.SalesOrder) -> SalesOrder:
    (view,) = await order_views(session, [row])
    return view


@strawberry.input
class SalesOrderLineInput:
    item_sku: str
    quantity: int


@strawberry.input
class ShipToInput:
    name: str | None = None
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    phone: str | None = None


@strawberry.input
class CreateSalesOrderInput:
    number: str
    customer_code: str
    lines: list[SalesOrderLineInput]
    carrier_code: str | None = None
    service: str = ""
    channel: str = "DEFAULT"
    priority: int = 5
    cutoff_at: datetime | None = None
    ship_to: ShipToInput | None = None
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None
    promised_date: date | None = None


@strawberry.input
class CreateSalesOrdersInput:
    orders: list[CreateSalesOrderInput]
    idempotency_key: str | None = None


@strawberry.input
class CancelSalesOrderInput:
    order_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.type
class SalesOrderSuccess:
    order: SalesOrder


@strawberry.type
class SalesOrdersSuccess:
    orders: list[SalesOrder]


@strawberry.type
class CancelSalesOrderSuccess:
    order: SalesOrder
    released_units: int
    units_in_totes: int = strawberry.field(
        description="Units already picked: a put-back task takes them back to storage."
    )
    closed_task_ids: list[strawberry.ID]
    put_back_task_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="PUTAWAY tasks for the units already picked."
    )


SalesOrderResult = result_union("SalesOrderResult", SalesOrderSuccess)
SalesOrdersResult = result_union("SalesOrdersResult", SalesOrdersSuccess)
CancelSalesOrderResult = result_union("CancelSalesOrderResult", CancelSalesOrderSuccess)


def ship_to_of(data: ShipToInput | None) -> dict[str, Any]:
    if data is None:
        return {}
    return {
        k: (v.strip() if isinstance(v, str) else v) for k, v in vars(data).items() if v is not None
    }


def new_order(principal: Principal, data: CreateSalesOrderInput) -> sales.NewSalesOrder:
    ship_to = ship_to_of(data.ship_to)
    return sales.NewSalesOrder(
        warehouse_id=acting_warehouse(principal, data.warehouse_id),
        number=data.number,
        customer_code=data.customer_code,
        lines=tuple(sales.NewLine(line.item_sku, line.quantity) for line in data.lines),
        carrier_code=data.carrier_code,
        service=data.service,
        channel=data.channel,
        priority=data.priority,
        cutoff_at=data.cutoff_at,
        ship_to=ship_to,
        promised_date=data.promised_date,
    )


# --- settings and pools --------------------------------------------------------------


@strawberry.type
class OutboundSettings:
    warehouse_id: strawberry.ID
    reserve_at: ReserveAtEnum  # type: ignore[valid-type]
    short_pick_rule: ShortPickRuleEnum  # type: ignore[valid-type]


@strawberry.input
class SetOutboundSettingsInput:
    reserve_at: ReserveAtEnum  # type: ignore[valid-type]
    short_pick_rule: ShortPickRuleEnum  # type: ignore[valid-type]
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.type
class ChannelStockPool:
    channel: str
    item_sku: str
    percent: int | None
    fixed_quantity: int | None


@strawberry.input
class SetChannelStockPoolInput:
    channel: str
    item_sku: str
    percent: int | None = None
    fixed_quantity: int | None = None
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.type
class ChannelStockPoolSuccess:
    pool: ChannelStockPool | None = strawberry.field(description="None: the pool was removed.")


@strawberry.input
class RetryBackordersInput:
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None


OutboundSettingsResult = result_union("OutboundSettingsResult", OutboundSettings)
ChannelStockPoolResult = result_union("ChannelStockPoolResult", ChannelStockPoolSuccess)

# --- wave planning ----------------------------------------------------------------------


@strawberry.input
class CartLimitsInput:
    totes: int
    units: int | None = None
    volume: float | None = strawberry.field(default=None, description="Litres.")
    weight: float | None = strawberry.field(default=None, description="Kilograms.")


@strawberry.input
class WavePlanInput:
    order_ids: list[strawberry.ID]
    cart_limits: CartLimitsInput
    method: PlanMethodEnum = planning.PlanMethod.OPTIMISED  # type: ignore[valid-type]
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.type
class PlannedStop:
    seq: int
    order_id: strawberry.ID
    order_number: str
    bin_code: str
    bin_label: str
    item_sku: str
    quantity: int
    aisle: int
    bay: int
    x: float = strawberry.field(description="Metres across the aisles, for drawing.")
    y: float = strawberry.field(description="Metres along the aisle from the front.")
    arrive_metres: float


@strawberry.type
class PlannedTour:
    seq: int
    metres: float
    lines: int
    units: int
    order_ids: list[strawberry.ID]
    stops: list[PlannedStop]


@strawberry.type
class WavePlan:
    method: str
    metres: float
    tour_count: int
    lines: int
    units: int
    tours: list[PlannedTour]


def plan_of(planned: planning.PlannedWave) -> WavePlan:
    tours = [
        PlannedTour(
            seq=t.seq,
            metres=round(t.metres, 1),
            lines=len(t.stops),
            units=t.units,
            order_ids=[strawberry.ID(str(o)) for o in t.order_ids],
            stops=[
                PlannedStop(
                    seq=k,
                    order_id=strawberry.ID(str(s.order_id)),
                    order_number=s.order_number,
                    bin_code=s.bin_code,
                    bin_label=s.bin_label,
                    item_sku=s.item_sku,
                    quantity=s.quantity,
                    aisle=s.aisle,
                    bay=s.bay,
                    x=round(s.x, 2),
                    y=round(s.y, 2),
                    arrive_metres=round(s.arrive_metres, 1),
                )
                for k, s in enumerate(t.stops, start=1)
            ],
        )
        for t in planned.tours
    ]
    return WavePlan(
        method=planned.method,
        metres=round(planned.metres, 1),
        tour_count=len(tours),
        lines=sum(t.lines for t in tours),
        units=sum(t.units for t in tours),
        tours=tours,
    )


def limits_of(data: CartLimitsInput) -> CartLimits:
    return CartLimits(totes=data.totes, units=data.units, volume=data.volume, weight=data.weight)


def wave_request(
    principal: Principal, data: WavePlanInput, setup_metres: float
) -> create.WaveRequest:
    return create.WaveRequest(
        warehouse_id=acting_warehouse(principal, data.warehouse_id),
        order_ids=tuple(parse_id(o, "orderIds") for o in data.order_ids),
        limits=limits_of(data.cart_limits),
        method=planning.PlanMethod(enum_value(data.method)),
        user_id=principal.user_id,
        setup_metres=setup_metres,
    )


@strawberry.type
class TourProgress:
    seq: int
    task_id: strawberry.ID | None
    task_state: str | None
    assignee_id: strawberry.ID | None
    metres: float
    orders: int
    lines_total: int
    lines_picked: int
    units_total: int
    units_picked: int


async def _tour_progress(session: AsyncSession, wave_id: int) -> list[TourProgress]:
    tours = list(
        await session.execute(
            select(m.WaveTour, m.Task)
            .outerjoin(m.Task, m.Task.id == m.WaveTour.task_id)
            .where(m.WaveTour.wave_id == wave_id)
            .order_by(m.WaveTour.seq)
        )
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = await session.execute(
        select(
            m.PickLine.tour_id,
            m.PickLine.state,
            func.count(),
            func.sum(m.PickLine.quantity),
            func.sum(m.PickLine.picked),
            func.count(func.distinct(m.PickLine.order_id)),
        )
        .join(m.WaveTour, m.WaveTour.id == m.PickLine.tour_id)
        .where(m.WaveTour.wave_id == wave_id, m.PickLine.state != m.PickLineState.CANCELLED)
        .group_by(m.PickLine.tour_id, m.PickLine.state)
    )
    for tour_id, state, n, units, picked, orders in rows:
        c = counts[tour_id]
        c["lines"] += n
        c["units"] += int(units or 0)
        c["picked_units"] += int(picked or 0)
        c["orders"] = max(c["orders"], orders)
        if state != m.PickLineState.OPEN:
            c["done"] += n
    return [
        TourProgress(
            seq=tour.seq,
            task_id=sid(tour.task_id),
            task_state=task.state if task else None,
            assignee_id=sid(task.assignee_id) if task else None,
            metres=round(tour.metres, 1),
            orders=counts[tour.id]["orders"],
            lines_total=counts[tour.id]["lines"],
            lines_picked=counts[tour.id]["done"],
            units_total=counts[tour.id]["units"],
            units_picked=counts[tour.id]["picked_units"],
        )
        for tour, task in tours
    ]


@strawberry.type
class Wave:
    id: strawberry.ID
    code: str
    state: str
    method: str
    metres: float
    warehouse_id: strawberry.ID
    created_at: datetime
    released_at: datetime | None
    lines_total: int
    lines_picked: int
    tours: list[TourProgress] = strawberry.field(
        description="Live progress per cart: lines picked of total."
    )


async def wave_view(session: AsyncSession, row: m.Wave) -> Wave:
    tours = await _tour_progress(session, row.id)
    return Wave(
        id=strawberry.ID(str(row.id)),
        code=row.code,
        state=row.state,
        method=row.method,
        metres=round(row.metres, 1),
        warehouse_id=strawberry.ID(str(row.warehouse_id)),
        created_at=row.created_at,
        released_at=row.released_at,
        lines_total=sum(t.lines_total for t in tours),
        lines_picked=sum(t.lines_picked for t in tours),
        tours=tours,
    )


@strawberry.type
class CreateWaveSuccess:
    wave: Wave
    plan: WavePlan


@strawberry.input
class ReleaseWaveInput:
    wave_id: strawberry.ID
    idempotency_key: str


@strawberry.type
class ReleaseWaveSuccess:
    wave: Wave
    pick_task_ids: list[strawberry.ID]
    replenish_task_ids: list[strawberry.ID]
    orders: int
    lines: int
    units: int


PreviewWaveResult = result_union("PreviewWaveResult", WavePlan)
CreateWaveResult = result_union("CreateWaveResult", CreateWaveSuccess)
ReleaseWaveResult = result_union("ReleaseWaveResult", ReleaseWaveSuccess)

# --- picking --------------------------------------------------------------------------


@strawberry.type
class PickStop:
    line_id: strawberry.ID
    bin_code: str
    bin_label: str = strawberry.field(description="Show it big.")
    aisle: int | None
    bay: int | None
    level: int | None
    item_sku: str
    item_name: str
    gtin: str | None
    lot_number: str | None
    expiry: date | None
    quantity: int = strawberry.field(description="Units still to pick at this stop.")
    ask_quantity: bool = strawberry.field(description="More than one: ask for the quantity.")
    order_number: str
    tote_slot: int
    tote_code: str | None = strawberry.field(description="None until the first unit goes in.")
    gtins: list[str] = strawberry.field(
        default_factory=list,
        description="Every GTIN of the item (units and packs); filled in `stops` only.",
    )
    arrive_metres: float | None = strawberry.field(
        default=None, description="Route metres walked on arriving here."
    )


@strawberry.type
class PickProgress:
    task_id: strawberry.ID
    task_state: str
    wave_code: str
    step: PickStepEnum  # type: ignore[valid-type]
    instruction: str = strawberry.field(description="What to do next, in English (fallback).")
    next: PickStop | None
    lines_total: int
    lines_done: int
    lines_left: int
    units_total: int
    units_picked: int
    units_left: int
    metres_total: float
    metres_left: float
    stops: list[PickStop] = strawberry.field(
        default_factory=list,
        description="The open stops in walking order (current first), when asked for with"
        " pickTaskProgress(route: true): what a handheld needs to carry on offline.",
    )


def stop_of(stop: picking.StopView) -> PickStop:
    return PickStop(
        line_id=strawberry.ID(str(stop.line_id)),
        bin_code=stop.bin_code,
        bin_label=stop.bin_label,
        aisle=stop.aisle,
        bay=stop.bay,
        level=stop.level,
        item_sku=stop.item_sku,
        item_name=stop.item_name,
        gtin=stop.gtin,
        lot_number=stop.lot_number,
        expiry=stop.expiry,
        quantity=stop.quantity,
        ask_quantity=stop.ask_quantity,
        order_number=stop.order_number,
        tote_slot=stop.tote_slot,
        tote_code=stop.tote_code,
        gtins=list(stop.gtins),
        arrive_metres=stop.arrive_metres,
    )


def progress_of(p: picking.Progress) -> PickProgress:
    stop = p.current
    return PickProgress(
        task_id=strawberry.ID(str(p.task_id)),
        task_state=p.task_state,
        wave_code=p.wave_code,
        step=p.step,
        instruction=p.instruction,
        next=None if stop is None else stop_of(stop),
        lines_total=p.lines_total,
        lines_done=p.lines_done,
        lines_left=p.lines_left,
        units_total=p.units_total,
        units_picked=p.units_picked,
        units_left=p.units_left,
        metres_total=p.metres_total,
        metres_left=p.metres_left,
        stops=[stop_of(s) for s in p.route],
    )


@strawberry.input
class PickScanInput:
    task_id: strawberry.ID
    line_id: strawberry.ID
    code: str
    idempotency_key: str


@strawberry.input
class PickConfirmInput:
    task_id: strawberry.ID
    line_id: strawberry.ID
    tote_code: str
    idempotency_key: str
    quantity: int | None = strawberry.field(
        default=None, description="Needed only when more than one unit is wanted."
    )


@strawberry.input
class PickShortInput:
    task_id: strawberry.ID
    line_id: strawberry.ID
    reported_quantity: int = strawberry.field(
        description="Units the picker can still take from this bin (0 if it is empty)."
    )
    idempotency_key: str


@strawberry.input
class PickLineInput:
    task_id: strawberry.ID
    line_id: strawberry.ID
    idempotency_key: str


PickProgressResult = result_union("PickProgressResult", PickProgress)


def enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
