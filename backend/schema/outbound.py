# mypy: disable-error-code="valid-type"
"""Outbound API: sales orders, channel pools, the order pool, waves and guided picking."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.permissions import Perm
from backend.auth.principal import Principal
from backend.db import models as m
from backend.db.uow import UnitOfWork
from backend.errors import DomainError, ErrorCode
from backend.ids import acting_warehouse, parse_id
from backend.orders import sales
from backend.outbound import picking
from backend.schema.context import Info
from backend.schema.errors import UserError, result_union, to_user_error
from backend.schema.mutation import execute, guarded
from backend.schema.pagination import Connection, Edge, paginate
from backend.wave import planning, pool, release
from backend.wave.batching import CartLimits

OrderStateEnum = strawberry.enum(m.OrderState, name="SalesOrderState")
ReserveAtEnum = strawberry.enum(m.ReserveAt, name="ReserveAt")
ShortPickRuleEnum = strawberry.enum(m.ShortPickRule, name="ShortPickRule")
PlanMethodEnum = strawberry.enum(planning.PlanMethod, name="WavePlanMethod")
PickStepEnum = strawberry.enum(picking.PickStep, name="PickStep")


def _scope(principal: Principal) -> set[int] | None:
    return None if principal.all_warehouses else set(principal.warehouse_ids)


def _sid(value: int | None) -> strawberry.ID | None:
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


async def order_views(session: AsyncSession, rows: list[m.SalesOrder]) -> list[SalesOrder]:
    """Plain order objects (they are stored for replays), lines loaded in one query."""
    ids = [row.id for row in rows]
    lines: dict[int, list[SalesOrderLine]] = defaultdict(list)
    for line, item in await session.execute(
        select(m.SalesOrderLine, m.Item)
        .join(m.Item, m.Item.id == m.SalesOrderLine.item_id)
        .where(m.SalesOrderLine.order_id.in_(ids))
        .order_by(m.SalesOrderLine.order_id, m.SalesOrderLine.line_no)
    ):
        lines[line.order_id].append(
            SalesOrderLine(
                line_no=line.line_no,
                item_sku=item.sku,
                item_name=item.name,
                quantity=line.quantity,
                reserved=line.reserved,
                picked=line.picked,
                short=line.short,
                backordered=line.backordered,
            )
        )
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
                wave_id=_sid(row.wave_id),
                created_at=row.created_at,
                lines=lines.get(row.id, []),
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

MAX_BULK_ORDERS = 500


def _new_order(principal: Principal, data: CreateSalesOrderInput) -> sales.NewSalesOrder:
    ship_to: dict[str, Any] = {}
    if data.ship_to is not None:
        ship_to = {
            k: (v.strip() if isinstance(v, str) else v)
            for k, v in vars(data.ship_to).items()
            if v is not None
        }
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


def _plan_of(planned: planning.PlannedWave) -> WavePlan:
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


def _limits(data: CartLimitsInput) -> CartLimits:
    return CartLimits(totes=data.totes, units=data.units, volume=data.volume, weight=data.weight)


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
            task_id=_sid(tour.task_id),
            task_state=task.state if task else None,
            assignee_id=_sid(task.assignee_id) if task else None,
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


def _stop(stop: picking.StopView) -> PickStop:
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


def _progress(p: picking.Progress) -> PickProgress:
    stop = p.current
    return PickProgress(
        task_id=strawberry.ID(str(p.task_id)),
        task_state=p.task_state,
        wave_code=p.wave_code,
        step=p.step,
        instruction=p.instruction,
        next=None if stop is None else _stop(stop),
        lines_total=p.lines_total,
        lines_done=p.lines_done,
        lines_left=p.lines_left,
        units_total=p.units_total,
        units_picked=p.units_picked,
        units_left=p.units_left,
        metres_total=p.metres_total,
        metres_left=p.metres_left,
        stops=[_stop(s) for s in p.route],
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

# --- queries --------------------------------------------------------------------------


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@strawberry.type
class OutboundQuery:
    @strawberry.field(description="Reserved orders waiting for a wave, for the planner.")
    async def order_pool(
        self,
        info: Info,
        first: int = 100,
        after: str | None = None,
        carrier: str | None = None,
        cutoff_before: datetime | None = None,
        priority: int | None = None,
        zone: str | None = None,
        channel: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        include_unreserved: bool = False,
    ) -> Connection[SalesOrder]:
        principal = await info.context.require(Perm.WAVE_PLAN)
        wids = (
            [int(warehouse_id)]
            if warehouse_id is not None and principal.in_scope(int(warehouse_id))
            else sorted(principal.warehouse_ids)
        )
        stmt = pool.pool_query(
            pool.PoolFilter(
                warehouse_ids=tuple(wids),
                carrier_code=carrier,
                cutoff_before=cutoff_before,
                priority=priority,
                zone_code=zone,
                channel=channel,
                include_unreserved=include_unreserved,
            )
        )
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.SalesOrder.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            views = await order_views(session, [edge.node for edge in page.edges])
            return Connection(
                edges=[
                    Edge(cursor=e.cursor, node=v) for e, v in zip(page.edges, views, strict=True)
                ],
                page_info=page.page_info,
            )

    @strawberry.field
    async def sales_order(
        self, info: Info, number: str | None = None, id: strawberry.ID | None = None
    ) -> SalesOrder | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            if number is not None:
                row = await session.scalar(
                    select(m.SalesOrder).where(m.SalesOrder.number == number)
                )
            elif id is not None and str(id).isdigit():
                row = await session.get(m.SalesOrder, int(id))
            else:
                row = None
            if row is None or not principal.in_scope(row.warehouse_id):
                return None
            return await order_view(session, row)

    @strawberry.field(description="Plan tours for these orders without keeping anything.")
    async def preview_wave(self, info: Info, input: WavePlanInput) -> PreviewWaveResult:
        principal = await info.context.require(Perm.WAVE_PLAN)
        try:
            wid = acting_warehouse(principal, input.warehouse_id)
            order_ids = [parse_id(o, "orderIds") for o in input.order_ids]
            limits = _limits(input.cart_limits)
            method = planning.PlanMethod(_enum_value(input.method))
            async with info.context.db() as session:
                reserve_first = (
                    await sales.settings_of(session, wid)
                ).reserve_at == m.ReserveAt.WAVE
                if not reserve_first:
                    orders = await planning.load_orders(session, wid, order_ids, lock=False)
                    planned = await planning.plan_wave(session, wid, orders, limits, method)
            if reserve_first:
                # A warehouse that reserves when planning must reserve to know the bins:
                # in a unit of work that is never committed, so nothing is kept.
                async with info.context.app.unit_of_work() as uow:
                    orders = await planning.load_orders(uow.session, wid, order_ids, lock=False)
                    await planning.reserve_if_needed(uow.session, orders, principal.user_id)
                    planned = await planning.plan_wave(uow.session, wid, orders, limits, method)
            return _plan_of(planned)
        except DomainError as error:
            return to_user_error(error)

    @strawberry.field(description="Waves with live progress, newest last.")
    async def waves(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[Wave]:
        principal = await info.context.require(Perm.TASK_READ)
        wids = (
            [int(warehouse_id)]
            if warehouse_id is not None and principal.in_scope(int(warehouse_id))
            else sorted(principal.warehouse_ids)
        )
        stmt = select(m.Wave).where(m.Wave.warehouse_id.in_(wids))
        if state:
            stmt = stmt.where(m.Wave.state == state)
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.Wave.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            return Connection(
                edges=[
                    Edge(cursor=e.cursor, node=await wave_view(session, e.node)) for e in page.edges
                ],
                page_info=page.page_info,
            )

    @strawberry.field
    async def wave(self, info: Info, id: strawberry.ID) -> Wave | None:
        principal = await info.context.require(Perm.TASK_READ)
        if not str(id).isdigit():
            return None
        async with info.context.db() as session:
            row = await session.get(m.Wave, int(id))
            if row is None or not principal.in_scope(row.warehouse_id):
                return None
            return await wave_view(session, row)

    @strawberry.field(description="Where the picker is in a pick task and what comes next.")
    async def pick_task_progress(
        self, info: Info, task_id: strawberry.ID, route: bool = False
    ) -> PickProgressResult:
        principal = await info.context.require(Perm.TASK_READ)
        try:
            async with info.context.db() as session:
                return _progress(
                    await picking.task_progress(
                        session, principal, parse_id(task_id, "taskId"), route=route
                    )
                )
        except DomainError as error:
            return to_user_error(error)

    @strawberry.field
    async def outbound_settings(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> OutboundSettings | None:
        principal = await info.context.require(Perm.TASK_READ)
        wid = int(warehouse_id) if warehouse_id else principal.home_warehouse_id
        if wid is None or not principal.in_scope(wid):
            return None
        async with info.context.db() as session:
            row = await sales.settings_of(session, wid)
            return OutboundSettings(
                warehouse_id=strawberry.ID(str(wid)),
                reserve_at=m.ReserveAt(row.reserve_at),
                short_pick_rule=m.ShortPickRule(row.short_pick_rule),
            )

    @strawberry.field
    async def channel_stock_pools(
        self, info: Info, item_sku: str | None = None, warehouse_id: strawberry.ID | None = None
    ) -> list[ChannelStockPool]:
        principal = await info.context.require(Perm.STOCK_READ)
        wids = (
            [int(warehouse_id)]
            if warehouse_id is not None and principal.in_scope(int(warehouse_id))
            else sorted(principal.warehouse_ids)
        )
        stmt = (
            select(m.ChannelStockPool, m.Item.sku)
            .join(m.Item, m.Item.id == m.ChannelStockPool.item_id)
            .where(m.ChannelStockPool.warehouse_id.in_(wids))
            .order_by(m.ChannelStockPool.id)
            .limit(1000)
        )
        if item_sku:
            stmt = stmt.where(m.Item.sku == item_sku)
        async with info.context.db() as session:
            return [
                ChannelStockPool(
                    channel=p.channel,
                    item_sku=sku,
                    percent=p.percent,
                    fixed_quantity=p.fixed_quantity,
                )
                for p, sku in await session.execute(stmt)
            ]


# --- mutations ------------------------------------------------------------------------


@strawberry.type
class OutboundMutations:
    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Take a sales order; it is reserved at once when the warehouse reserves"
        " at intake (FEFO/FIFO, channel pools, priority, never oversold).",
    )
    async def create_sales_order(
        self, info: Info, input: CreateSalesOrderInput
    ) -> SalesOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SalesOrderSuccess:
            order = await sales.create_sales_order(
                uow, _new_order(principal, input), principal.user_id
            )
            return SalesOrderSuccess(order=await order_view(uow.session, order))

        return await execute(
            info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
        )

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Take many sales orders at once: all are stored, or none.",
    )
    async def create_sales_orders(
        self, info: Info, input: CreateSalesOrdersInput
    ) -> SalesOrdersResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SalesOrdersSuccess:
            if not input.orders:
                raise DomainError(ErrorCode.INVALID_INPUT, "No orders given.", "orders")
            if len(input.orders) > MAX_BULK_ORDERS:
                raise DomainError(
                    ErrorCode.QUANTITY_TOO_LARGE,
                    f"At most {MAX_BULK_ORDERS} orders a request.",
                    "orders",
                )
            created = []
            for n, data in enumerate(input.orders):
                try:
                    order = await sales.create_sales_order(
                        uow, _new_order(principal, data), principal.user_id
                    )
                except DomainError as error:
                    raise DomainError(
                        error.code, f"Order {n + 1} ({data.number}): {error.message}", error.field
                    ) from error
                created.append(order)
            return SalesOrdersSuccess(orders=await order_views(uow.session, created))

        return await execute(info, input, handle, audit_entity="sales_order")

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Cancel an order until it is picked: reservations are released and its"
        " open pick lines cancelled.",
    )
    async def cancel_sales_order(
        self, info: Info, input: CancelSalesOrderInput
    ) -> CancelSalesOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CancelSalesOrderSuccess:
            outcome = await sales.cancel_sales_order(
                uow, parse_id(input.order_id, "orderId"), _scope(principal), principal.user_id
            )
            return CancelSalesOrderSuccess(
                order=await order_view(uow.session, outcome.order),
                released_units=outcome.released_units,
                units_in_totes=outcome.units_in_totes,
                closed_task_ids=[strawberry.ID(str(t)) for t in outcome.cancelled_task_ids],
                put_back_task_ids=[strawberry.ID(str(t)) for t in outcome.put_back_task_ids],
            )

        return await execute(
            info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
        )

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Try again to reserve for short orders, most urgent first.",
    )
    async def retry_backorders(self, info: Info, input: RetryBackordersInput) -> SalesOrdersResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SalesOrdersSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            orders = await sales.retry_backorders(uow.session, wid, principal.user_id)
            return SalesOrdersSuccess(orders=await order_views(uow.session, orders))

        return await execute(info, input, handle, audit_entity="sales_order")

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="When stock is reserved (intake or wave) and what a short pick does.",
    )
    async def set_outbound_settings(
        self, info: Info, input: SetOutboundSettingsInput
    ) -> OutboundSettingsResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> OutboundSettings:
            wid = acting_warehouse(principal, input.warehouse_id)
            row = await uow.session.get(m.OutboundSettings, wid)
            if row is None:
                row = m.OutboundSettings(warehouse_id=wid)
                uow.session.add(row)
            row.reserve_at = m.ReserveAt(_enum_value(input.reserve_at))
            row.short_pick_rule = m.ShortPickRule(_enum_value(input.short_pick_rule))
            await uow.session.flush()
            return OutboundSettings(
                warehouse_id=strawberry.ID(str(wid)),
                reserve_at=m.ReserveAt(row.reserve_at),
                short_pick_rule=m.ShortPickRule(row.short_pick_rule),
            )

        return await execute(info, input, handle, audit_entity="warehouse")

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Ring-fence a percent or a fixed quantity of an item for a channel;"
        " neither removes the pool.",
    )
    async def set_channel_stock_pool(
        self, info: Info, input: SetChannelStockPoolInput
    ) -> ChannelStockPoolResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ChannelStockPoolSuccess:
            row = await sales.set_channel_pool(
                uow.session,
                warehouse_id=acting_warehouse(principal, input.warehouse_id),
                channel=input.channel,
                item_sku=input.item_sku,
                percent=input.percent,
                fixed_quantity=input.fixed_quantity,
            )
            if row is None:
                return ChannelStockPoolSuccess(pool=None)
            return ChannelStockPoolSuccess(
                pool=ChannelStockPool(
                    channel=row.channel,
                    item_sku=input.item_sku.strip(),
                    percent=row.percent,
                    fixed_quantity=row.fixed_quantity,
                )
            )

        return await execute(info, input, handle, audit_entity="channel_stock_pool")

    @guarded(
        Perm.WAVE_PLAN,
        idempotent=False,
        description="Plan and keep a wave: release will use exactly these tours.",
    )
    async def create_wave(self, info: Info, input: WavePlanInput) -> CreateWaveResult:
        prepared: list[tuple[int, list[int], planning.PlanInputs, planning.PlannedWave]] = []

        async def plan_outside(principal: Principal) -> None:
            # Planning many orders takes seconds of CPU; doing it inside the unit of work
            # would hold row locks (and SQLite's one write lock) from every handheld.
            wid = acting_warehouse(principal, input.warehouse_id)
            order_ids = [parse_id(o, "orderIds") for o in input.order_ids]
            limits = _limits(input.cart_limits)
            planning.check_limits(limits)
            method = planning.PlanMethod(_enum_value(input.method))
            async with info.context.db() as session:
                reserve_first = (
                    await sales.settings_of(session, wid)
                ).reserve_at == m.ReserveAt.WAVE
            if reserve_first:
                # Kept even if planning then fails: the orders wait reserved in the pool,
                # as they do where stock is reserved at intake.
                async with info.context.app.unit_of_work() as uow:
                    orders = await planning.load_orders(uow.session, wid, order_ids, lock=True)
                    await planning.reserve_if_needed(uow.session, orders, principal.user_id)
                    await uow.commit()
            async with info.context.db() as session:
                orders = await planning.load_orders(session, wid, order_ids, lock=False)
                inputs = await planning.gather(session, wid, orders)
            planned = await asyncio.to_thread(planning.compute, inputs, limits, method)
            prepared.append((wid, order_ids, inputs, planned))

        async def handle(uow: UnitOfWork, principal: Principal) -> CreateWaveSuccess:
            wid, order_ids, inputs, planned = prepared[-1]
            orders = await planning.load_orders(uow.session, wid, order_ids, lock=True)
            current = await planning.gather(uow.session, wid, orders)
            if current.fingerprint != inputs.fingerprint:
                raise DomainError(
                    ErrorCode.STALE_VERSION,
                    "Some of these orders changed while the wave was planned: plan again.",
                    "orderIds",
                )
            wave = await planning.store_wave(uow.session, planned, principal.user_id)
            return CreateWaveSuccess(
                wave=await wave_view(uow.session, wave), plan=_plan_of(planned)
            )

        return await execute(
            info,
            input,
            handle,
            audit_entity="wave",
            audit_id=lambda r: r.wave.id,
            before=plan_outside,
        )

    @guarded(
        Perm.WAVE_PLAN,
        description="Release a planned wave in one transaction: a PICK task per cart,"
        " REPLENISH tasks for pick faces that would run short.",
    )
    async def release_wave(self, info: Info, input: ReleaseWaveInput) -> ReleaseWaveResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReleaseWaveSuccess:
            outcome = await release.release_wave(
                uow, parse_id(input.wave_id, "waveId"), principal.user_id, _scope(principal)
            )
            return ReleaseWaveSuccess(
                wave=await wave_view(uow.session, outcome.wave),
                pick_task_ids=[strawberry.ID(str(t)) for t in outcome.pick_task_ids],
                replenish_task_ids=[strawberry.ID(str(t)) for t in outcome.replenish_task_ids],
                orders=outcome.orders,
                lines=outcome.lines,
                units=outcome.units,
            )

        return await execute(info, input, handle, audit_entity="wave", audit_id=lambda r: r.wave.id)

    @guarded(Perm.PICK, description="Scan the bin label of the current stop.")
    async def pick_scan_bin(self, info: Info, input: PickScanInput) -> PickProgressResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
            return _progress(
                await picking.scan_bin(
                    uow,
                    principal,
                    parse_id(input.task_id, "taskId"),
                    parse_id(input.line_id, "lineId"),
                    input.code,
                )
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)

    @guarded(Perm.PICK, description="Scan the item (GTIN or GS1-128 with its lot).")
    async def pick_scan_item(self, info: Info, input: PickScanInput) -> PickProgressResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
            return _progress(
                await picking.scan_item(
                    uow,
                    principal,
                    parse_id(input.task_id, "taskId"),
                    parse_id(input.line_id, "lineId"),
                    input.code,
                )
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)

    @guarded(Perm.PICK, description="Put the units in the order's tote: the stock moves.")
    async def pick_confirm(self, info: Info, input: PickConfirmInput) -> PickProgressResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
            return _progress(
                await picking.confirm(
                    uow,
                    principal,
                    parse_id(input.task_id, "taskId"),
                    parse_id(input.line_id, "lineId"),
                    input.quantity,
                    input.tote_code,
                )
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)

    @guarded(
        Perm.PICK,
        description="The bin holds fewer than wanted: flag it for a count and find the"
        " rest elsewhere.",
    )
    async def pick_short(self, info: Info, input: PickShortInput) -> PickProgressResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
            return _progress(
                await picking.short(
                    uow,
                    principal,
                    parse_id(input.task_id, "taskId"),
                    parse_id(input.line_id, "lineId"),
                    input.reported_quantity,
                )
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)

    @guarded(Perm.PICK, description="Come back to this line later: it moves to the end.")
    async def pick_skip(self, info: Info, input: PickLineInput) -> PickProgressResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
            return _progress(
                await picking.skip(
                    uow,
                    principal,
                    parse_id(input.task_id, "taskId"),
                    parse_id(input.line_id, "lineId"),
                )
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)


__all__ = ["OutboundMutations", "OutboundQuery", "UserError"]
