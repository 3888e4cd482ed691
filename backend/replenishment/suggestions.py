"""Reorder points per item and warehouse from the demand history, and the
purchase suggestions they lead to.

Demand comes from the daily aggregates (`analytics.aggregates`), refreshed by
the caller. The stock position is the free available stock (on hand minus
reserved). Open purchase orders are not subtracted here: the purchase order
tables belong to inbound, which turns these suggestions into draft orders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.analytics.rollup import item_flows
from backend.core.db.models import (
    Bin,
    Item,
    ItemPackaging,
    Quant,
    ReorderPolicy,
    StockStatus,
    Supplier,
)
from backend.replenishment.forecast import (
    ReorderPlan,
    order_quantity,
    plan_from_stats,
    stats_from_sums,
)

DEFAULT_LEAD_TIME_DAYS = 7
DEFAULT_SERVICE_LEVEL = 0.95
DEFAULT_WINDOW_DAYS = 90
DEFAULT_ORDER_CYCLE_DAYS = 14


@dataclass(frozen=True)
class ItemPlan:
    item_id: int
    supplier_id: int | None
    service_level: float
    order_cycle_days: int
    plan: ReorderPlan


@dataclass(frozen=True)
class PurchaseSuggestion:
    item_id: int
    sku: str
    name: str
    supplier_id: int | None
    supplier_code: str | None
    position: int
    mean_daily: float
    stdev_daily: float
    lead_time_days: int
    service_level: float
    safety_stock: float
    reorder_point: float
    quantity: int


def window(now: datetime, days: int) -> tuple[date, date]:
    """The last `days` complete UTC days before `now`."""
    end = now.date() - timedelta(days=1)
    return end - timedelta(days=days - 1), end


async def demand_sums(
    session: AsyncSession,
    warehouse_id: int,
    start: date,
    end: date,
    item_ids: list[int] | None = None,
) -> dict[int, tuple[int, int]]:
    """item → (Σ daily demand, Σ daily demand²) over the days from start to end, whole
    months from the monthly rollup (which keeps Σ demand² per month)."""
    flows = item_flows([warehouse_id], start, end + timedelta(days=1), item_ids)
    stmt = (
        select(
            flows.c.item_id,
            cast(func.sum(flows.c.demand_qty), BigInteger),
            cast(func.sum(flows.c.demand_sq), BigInteger),
        )
        .where(flows.c.demand_qty > 0)
        .group_by(flows.c.item_id)
    )
    return {i: (int(t or 0), int(sq or 0)) for i, t, sq in await session.execute(stmt)}


async def item_plans(
    session: AsyncSession,
    warehouse_id: int,
    now: datetime,
    *,
    item_ids: list[int] | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    service_level: float = DEFAULT_SERVICE_LEVEL,
) -> dict[int, ItemPlan]:
    """Safety stock and reorder point of every item with demand in the window."""
    start, end = window(now, window_days)
    demand = await demand_sums(session, warehouse_id, start, end, item_ids)
    policies = {
        p.item_id: (p, lead)
        for p, lead in await session.execute(
            select(ReorderPolicy, Supplier.lead_time_days)
            .outerjoin(Supplier, Supplier.id == ReorderPolicy.supplier_id)
            .where(ReorderPolicy.warehouse_id == warehouse_id)
        )
    }
    plans: dict[int, ItemPlan] = {}
    for item_id, (total, squares) in demand.items():
        policy, supplier_lead = policies.get(item_id, (None, None))
        lead = (
            (policy.lead_time_days if policy else None) or supplier_lead or DEFAULT_LEAD_TIME_DAYS
        )
        level = policy.service_level if policy else service_level
        plans[item_id] = ItemPlan(
            item_id=item_id,
            supplier_id=policy.supplier_id if policy else None,
            service_level=level,
            order_cycle_days=policy.order_cycle_days if policy else DEFAULT_ORDER_CYCLE_DAYS,
            plan=plan_from_stats(stats_from_sums(window_days, total, squares), int(lead), level),
        )
    return plans


async def free_stock(
    session: AsyncSession, warehouse_id: int, item_ids: list[int] | None = None
) -> dict[int, int]:
    stmt = (
        select(Quant.item_id, func.sum(Quant.on_hand - Quant.reserved))
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id == warehouse_id, Quant.status == StockStatus.AVAILABLE)
        .group_by(Quant.item_id)
    )
    if item_ids is not None:
        stmt = stmt.where(Quant.item_id.in_(item_ids))
    return {item_id: int(qty or 0) for item_id, qty in await session.execute(stmt)}


async def purchase_suggestions(
    session: AsyncSession,
    warehouse_id: int,
    now: datetime,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    service_level: float = DEFAULT_SERVICE_LEVEL,
) -> list[PurchaseSuggestion]:
    plans = await item_plans(
        session, warehouse_id, now, window_days=window_days, service_level=service_level
    )
    if not plans:
        return []
    # Whole-warehouse reads rather than IN lists of every planned item: thousands of
    # bound ids cost more to send than the rows not needed.
    stock = await free_stock(session, warehouse_id)
    packs = dict(
        (
            await session.execute(
                select(ItemPackaging.item_id, func.min(ItemPackaging.quantity))
                .where(ItemPackaging.quantity > 1)
                .group_by(ItemPackaging.item_id)
            )
        ).all()
    )
    quantities: dict[int, tuple[int, int]] = {}
    for item_id in sorted(plans):
        p = plans[item_id]
        position = stock.get(item_id, 0)
        qty = order_quantity(p.plan, position, p.order_cycle_days, int(packs.get(item_id) or 1))
        if qty > 0:
            quantities[item_id] = (position, qty)
    if not quantities:
        return []
    items = {
        i: (sku, name)
        for i, sku, name in await session.execute(
            select(Item.id, Item.sku, Item.name).where(Item.id.in_(quantities))
        )
    }
    supplier_ids = {plans[i].supplier_id for i in quantities if plans[i].supplier_id}
    suppliers = (
        {
            s.id: s.code
            for s in await session.scalars(select(Supplier).where(Supplier.id.in_(supplier_ids)))
        }
        if supplier_ids
        else {}
    )
    out: list[PurchaseSuggestion] = []
    for item_id, (position, qty) in quantities.items():
        if item_id not in items:
            continue
        p = plans[item_id]
        sku, name = items[item_id]
        out.append(
            PurchaseSuggestion(
                item_id=item_id,
                sku=sku,
                name=name,
                supplier_id=p.supplier_id,
                supplier_code=suppliers.get(p.supplier_id) if p.supplier_id else None,
                position=position,
                mean_daily=p.plan.mean_daily,
                stdev_daily=p.plan.stdev_daily,
                lead_time_days=p.plan.lead_time_days,
                service_level=p.service_level,
                safety_stock=p.plan.safety_stock,
                reorder_point=p.plan.reorder_point,
                quantity=qty,
            )
        )
    return out
