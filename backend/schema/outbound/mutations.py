# mypy: disable-error-code="valid-type"
"""Outbound mutations: each parses its input, calls one domain function and maps the
result; `execute` runs it in one unit of work (refused means unchanged)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse, read_scope
from backend.outbound import credit, picking
from backend.outbound import orders as sales
from backend.outbound.order_edits import update_sales_order as edit_order
from backend.outbound.shipping.webhooks import schedule_delivery
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded
from backend.schema.outbound.order_desk import (
    CreditDecisionInput,
    CreditDecisionResult,
    CreditDecisionSuccess,
    ShopOrderResult,
    ShopOrderSuccess,
    SubmitShopOrderInput,
    UpdateSalesOrderInput,
    UpdateSalesOrderResult,
    UpdateSalesOrderSuccess,
    edit_of,
    shop_order,
)
from backend.schema.outbound.types import (
    CancelSalesOrderInput,
    CancelSalesOrderResult,
    CancelSalesOrderSuccess,
    ChannelStockPool,
    ChannelStockPoolResult,
    ChannelStockPoolSuccess,
    CreateSalesOrderInput,
    CreateSalesOrdersInput,
    CreateWaveResult,
    CreateWaveSuccess,
    OutboundSettings,
    OutboundSettingsResult,
    PickConfirmInput,
    PickLineInput,
    PickProgress,
    PickProgressResult,
    PickScanInput,
    PickShortInput,
    ReleaseWaveInput,
    ReleaseWaveResult,
    ReleaseWaveSuccess,
    RetryBackordersInput,
    SalesOrderResult,
    SalesOrdersResult,
    SalesOrdersSuccess,
    SalesOrderSuccess,
    SetChannelStockPoolInput,
    SetOutboundSettingsInput,
    WavePlanInput,
    enum_value,
    new_order,
    order_view,
    order_views,
    plan_of,
    progress_of,
    taken_order_views,
    wave_request,
    wave_view,
)
from backend.wave import create, release

PickStep = Callable[[UnitOfWork, Principal, int, int], Awaitable[picking.Progress]]


async def _pick_step(
    info: Info,
    input: PickLineInput | PickScanInput | PickConfirmInput | PickShortInput,
    step: PickStep,
) -> PickProgressResult:
    """One step of a guided pick: the task and line parsed, the step run in `execute`,
    the picker's progress answered."""

    async def handle(uow: UnitOfWork, principal: Principal) -> PickProgress:
        task_id = parse_id(input.task_id, "taskId")
        line_id = parse_id(input.line_id, "lineId")
        return progress_of(await step(uow, principal, task_id, line_id))

    return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)


async def _credit_decision(
    info: Info, input: CreditDecisionInput, *, approve: bool
) -> CreditDecisionResult:
    async def handle(uow: UnitOfWork, principal: Principal) -> CreditDecisionSuccess:
        order_id = parse_id(input.order_id, "orderId")
        scope = read_scope(principal)
        if approve:
            order = await credit.approve(uow.session, order_id, scope, principal.user_id)
        else:
            order = await credit.reject(uow.session, order_id, scope, principal.user_id)
        return CreditDecisionSuccess(order=await order_view(uow.session, order))

    result = await execute(
        info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
    )
    schedule_delivery(info.context.app)
    return result


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
            taken = await sales.take_orders(
                uow.session, new_order(principal, input), principal.user_id
            )
            (view,) = taken_order_views([taken])
            return SalesOrderSuccess(order=view)

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
            drafts = [
                sales.OrderDraft(data.number, partial(new_order, principal, data))
                for data in input.orders
            ]
            taken = await sales.take_sales_orders(uow, drafts, principal.user_id)
            return SalesOrdersSuccess(orders=taken_order_views(taken))

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
                uow, parse_id(input.order_id, "orderId"), read_scope(principal), principal.user_id
            )
            return CancelSalesOrderSuccess(
                order=await order_view(uow.session, outcome.order),
                released_units=outcome.released_units,
                units_in_totes=outcome.units_in_totes,
                closed_task_ids=[strawberry.ID(str(t)) for t in outcome.cancelled_task_ids],
                put_back_task_ids=[strawberry.ID(str(t)) for t in outcome.put_back_task_ids],
            )

        result = await execute(
            info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
        )
        schedule_delivery(info.context.app)  # a shop order's change waits in the outbox
        return result

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=False,
        description="Change an order before release: its lines and quantities, priority,"
        " promised date, address. Its reservations follow in the same transaction;"
        " released or on a wave: ORDER_NOT_EDITABLE.",
    )
    async def update_sales_order(
        self, info: Info, input: UpdateSalesOrderInput
    ) -> UpdateSalesOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> UpdateSalesOrderSuccess:
            order = await edit_order(
                uow.session, edit_of(input), read_scope(principal), principal.user_id
            )
            return UpdateSalesOrderSuccess(order=await order_view(uow.session, order))

        result = await execute(
            info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
        )
        schedule_delivery(info.context.app)
        return result

    @guarded(
        Perm.ORDER_CREDIT_APPROVE,
        idempotent=False,
        description="Release an order held over its customer's credit limit: it is reserved"
        " now. Not by the person who took it (SELF_APPROVAL); once (ALREADY_DECIDED).",
    )
    async def approve_credit_hold(
        self, info: Info, input: CreditDecisionInput
    ) -> CreditDecisionResult:
        return await _credit_decision(info, input, approve=True)

    @guarded(
        Perm.ORDER_CREDIT_APPROVE,
        idempotent=False,
        description="Refuse an order held over its customer's credit limit: it is cancelled.",
    )
    async def reject_credit_hold(
        self, info: Info, input: CreditDecisionInput
    ) -> CreditDecisionResult:
        return await _credit_decision(info, input, approve=False)

    @guarded(
        Perm.ORDER_MANAGE,
        idempotent=True,
        description="A web shop's order (see docs/API.md): the idempotency key is required;"
        " the same key and body answer the same, another body is IDEMPOTENCY_KEY_REUSED."
        " Every state change of the order is posted, signed, to WMS_ORDER_WEBHOOK_URLS.",
    )
    async def submit_shop_order(self, info: Info, input: SubmitShopOrderInput) -> ShopOrderResult:
        urls = info.context.app.settings.shipping.order_webhook_urls

        async def handle(uow: UnitOfWork, principal: Principal) -> ShopOrderSuccess:
            order = await sales.create_sales_order(
                uow, shop_order(principal, input, urls), principal.user_id
            )
            return ShopOrderSuccess(
                order=await order_view(uow.session, order),
                credit_hold=order.state == m.OrderState.CREDIT_HOLD,
            )

        result = await execute(
            info, input, handle, audit_entity="sales_order", audit_id=lambda r: r.order.id
        )
        schedule_delivery(info.context.app)
        return result

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
            row = await sales.set_outbound_settings(
                uow.session,
                wid,
                m.ReserveAt(enum_value(input.reserve_at)),
                m.ShortPickRule(enum_value(input.short_pick_rule)),
            )
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
        prepared: list[create.PreparedWave] = []

        async def plan_outside(principal: Principal) -> None:
            # Planning runs outside the unit of work and keeps nothing; see wave/create.py.
            prepared.append(
                await create.prepare_wave(
                    info.context.app.unit_of_work,
                    wave_request(principal, input, info.context.app.settings.tour_setup_metres),
                    info.context.app.planner,
                )
            )

        async def handle(uow: UnitOfWork, principal: Principal) -> CreateWaveSuccess:
            wave, planned = await create.store_prepared_wave(uow, prepared[-1])
            return CreateWaveSuccess(wave=await wave_view(uow.session, wave), plan=plan_of(planned))

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
                uow, parse_id(input.wave_id, "waveId"), principal.user_id, read_scope(principal)
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
        return await _pick_step(
            info,
            input,
            lambda uow, who, task, line: picking.scan_bin(uow, who, task, line, input.code),
        )

    @guarded(Perm.PICK, description="Scan the item (GTIN or GS1-128 with its lot).")
    async def pick_scan_item(self, info: Info, input: PickScanInput) -> PickProgressResult:
        return await _pick_step(
            info,
            input,
            lambda uow, who, task, line: picking.scan_item(uow, who, task, line, input.code),
        )

    @guarded(Perm.PICK, description="Put the units in the order's tote: the stock moves.")
    async def pick_confirm(self, info: Info, input: PickConfirmInput) -> PickProgressResult:
        return await _pick_step(
            info,
            input,
            lambda uow, who, task, line: picking.confirm(
                uow, who, task, line, input.quantity, input.tote_code
            ),
        )

    @guarded(
        Perm.PICK,
        description="The bin holds fewer than wanted: flag it for a count and find the"
        " rest elsewhere.",
    )
    async def pick_short(self, info: Info, input: PickShortInput) -> PickProgressResult:
        return await _pick_step(
            info,
            input,
            lambda uow, who, task, line: picking.short(
                uow, who, task, line, input.reported_quantity
            ),
        )

    @guarded(Perm.PICK, description="Come back to this line later: it moves to the end.")
    async def pick_skip(self, info: Info, input: PickLineInput) -> PickProgressResult:
        return await _pick_step(info, input, picking.skip)
