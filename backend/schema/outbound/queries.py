# mypy: disable-error-code="valid-type"
"""Outbound reads: the order pool, sales orders, wave previews and progress, guided
picking progress, settings and channel pools. Every read is limited to the caller's
warehouses through backend.core.scope."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.core.ids import id_or_none, parse_id
from backend.core.scope import read_scope
from backend.outbound import orders as sales
from backend.outbound import picking
from backend.outbound.order_list import OrderFilter, order_list_query
from backend.schema.context import Info
from backend.schema.errors import to_user_error
from backend.schema.outbound.types import (
    ChannelStockPool,
    OrderStateEnum,
    OutboundSettings,
    PickProgressResult,
    PreviewWaveResult,
    SalesOrder,
    Wave,
    WavePlanInput,
    enum_value,
    order_view,
    order_views,
    plan_of,
    progress_of,
    wave_request,
    wave_view,
)
from backend.schema.pagination import Connection, Edge, paginate
from backend.wave import create, pool


def _row_id(raw: object) -> int | None:
    """An id to look a row up by; anything else finds nothing."""
    return id_or_none(raw)


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
        stmt = pool.pool_query(
            pool.PoolFilter(
                scope=read_scope(principal, warehouse_id),
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

    @strawberry.field(
        description="Sales orders for the office, oldest first: by state, priority, channel,"
        " customer, promised date range and a part of the number."
    )
    async def sales_orders(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        states: list[OrderStateEnum] | None = None,
        priority: int | None = None,
        channel: str | None = None,
        customer_code: str | None = None,
        promised_from: date | None = None,
        promised_to: date | None = None,
        search: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[SalesOrder]:
        principal = await info.context.require(Perm.TASK_READ)
        stmt = order_list_query(
            OrderFilter(
                scope=read_scope(principal, warehouse_id),
                states=tuple(str(enum_value(s)) for s in states or ()),
                priority=priority,
                channel=channel,
                customer_code=customer_code,
                promised_from=promised_from,
                promised_to=promised_to,
                search=search,
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
        scope = read_scope(principal)
        async with info.context.db() as session:
            row = None
            if number is not None:
                row = await session.scalar(
                    select(m.SalesOrder).where(m.SalesOrder.number == number)
                )
            elif id is not None and (order_id := _row_id(id)) is not None:
                row = await session.get(m.SalesOrder, order_id)
            if row is None or not scope.allows(row.warehouse_id):
                return None
            return await order_view(session, row)

    @strawberry.field(description="Plan tours for these orders without keeping anything.")
    async def preview_wave(self, info: Info, input: WavePlanInput) -> PreviewWaveResult:
        principal = await info.context.require(Perm.WAVE_PLAN)
        try:
            planned = await create.preview_wave(
                info.context.app.unit_of_work,
                wave_request(principal, input, info.context.app.settings.tour_setup_metres),
                info.context.app.planner,
            )
        except DomainError as error:
            return to_user_error(error)
        return plan_of(planned)

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
        stmt = select(m.Wave).where(read_scope(principal, warehouse_id).clause(m.Wave.warehouse_id))
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
        wave_id = _row_id(id)
        if wave_id is None:
            return None
        async with info.context.db() as session:
            row = await session.get(m.Wave, wave_id)
            if row is None or not read_scope(principal).allows(row.warehouse_id):
                return None
            return await wave_view(session, row)

    @strawberry.field(description="Where the picker is in a pick task and what comes next.")
    async def pick_task_progress(
        self, info: Info, task_id: strawberry.ID, route: bool = False
    ) -> PickProgressResult:
        principal = await info.context.require(Perm.TASK_READ)
        try:
            async with info.context.db() as session:
                return progress_of(
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
        named = warehouse_id if warehouse_id is not None else principal.home_warehouse_id
        if named is None:
            return None
        scope = read_scope(principal, named)
        if scope.empty:
            return None
        (wid,) = scope.ids()
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
        stmt = (
            select(m.ChannelStockPool, m.Item.sku)
            .join(m.Item, m.Item.id == m.ChannelStockPool.item_id)
            .where(read_scope(principal, warehouse_id).clause(m.ChannelStockPool.warehouse_id))
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
