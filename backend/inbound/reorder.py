"""Purchase suggestions turned into draft purchase orders for a buyer to check and submit.

`replenishment.suggestions` says what to buy from free stock and the demand
history alone. Here what is already on order (drafts included, so running this
twice does not order twice) is netted out, the rest rounded up to whole cases,
and one draft order is made per supplier. Drafts then go through the usual
approval rules when the buyer submits them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.analytics.aggregates import refresh
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inbound import purchasing
from backend.replenishment.suggestions import PurchaseSuggestion, purchase_suggestions

OPEN_STATES = (
    m.PoState.DRAFT,
    m.PoState.SUBMITTED,
    m.PoState.APPROVED,
    m.PoState.PARTIALLY_RECEIVED,
)


class SkipReason(StrEnum):
    NO_SUPPLIER = "NO_SUPPLIER"  # the item has no supplier to buy from
    ON_ORDER = "ON_ORDER"  # open orders already cover the suggestion
    OTHER_SUPPLIER = "OTHER_SUPPLIER"  # filtered out by the supplier asked for


@dataclass(frozen=True)
class Skipped:
    sku: str
    suggested: int
    on_order: int
    reason: str


@dataclass(frozen=True)
class Drafts:
    orders: list[m.PurchaseOrder]
    skipped: list[Skipped]


async def on_order(session: AsyncSession, warehouse_id: int) -> dict[int, int]:
    """Units ordered and not yet received per item, over the warehouse's open orders."""
    rows = await session.execute(
        select(
            m.PurchaseOrderLine.item_id,
            func.sum(m.PurchaseOrderLine.quantity - m.PurchaseOrderLine.received),
        )
        .join(m.PurchaseOrder, m.PurchaseOrder.id == m.PurchaseOrderLine.po_id)
        .where(
            m.PurchaseOrder.warehouse_id == warehouse_id,
            m.PurchaseOrder.state.in_(OPEN_STATES),
            m.PurchaseOrderLine.quantity > m.PurchaseOrderLine.received,
        )
        .group_by(m.PurchaseOrderLine.item_id)
    )
    return {item_id: int(units) for item_id, units in rows.all()}


async def _case_of(session: AsyncSession, item_ids: list[int]) -> dict[int, m.ItemPackaging]:
    """The smallest packaging of more than one unit per item: what a supplier ships."""
    cases: dict[int, m.ItemPackaging] = {}
    for pack in await session.scalars(
        select(m.ItemPackaging)
        .where(m.ItemPackaging.item_id.in_(item_ids), m.ItemPackaging.quantity > 1)
        .order_by(m.ItemPackaging.item_id, m.ItemPackaging.quantity, m.ItemPackaging.id)
    ):
        cases.setdefault(pack.item_id, pack)
    return cases


async def draft_orders(
    uow: UnitOfWork,
    principal: Principal,
    now: datetime,
    *,
    warehouse_id: object | None,
    supplier_code: str | None = None,
    service_level: float,
    window_days: int,
) -> Drafts:
    session = uow.session
    wid = acting_warehouse(principal, warehouse_id)
    if not 0.5 < service_level < 1 or not 2 <= window_days <= 730:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "serviceLevel lies between 0.5 and 1, windowDays between 2 and 730.",
            "serviceLevel",
        )
    wanted_supplier = (supplier_code or "").strip() or None
    if wanted_supplier is not None:
        exists = await session.scalar(
            select(m.Supplier.id).where(m.Supplier.code == wanted_supplier)
        )
        if exists is None:
            raise DomainError(
                ErrorCode.SUPPLIER_NOT_FOUND, f"No supplier {wanted_supplier!r}.", "supplierCode"
            )
    await refresh(session, now)
    suggestions = await purchase_suggestions(
        session, wid, now, window_days=window_days, service_level=service_level
    )
    ordered = await on_order(session, wid)
    cases = await _case_of(session, [s.item_id for s in suggestions])
    costs = dict(
        (
            await session.execute(
                select(m.Item.id, m.Item.unit_cost_cents).where(
                    m.Item.id.in_([s.item_id for s in suggestions])
                )
            )
        ).all()
    )

    by_supplier: dict[str, list[purchasing.NewLine]] = defaultdict(list)
    skipped: list[Skipped] = []
    for s in sorted(suggestions, key=lambda s: s.sku):
        already = ordered.get(s.item_id, 0)
        reason = _skip_reason(s, already, wanted_supplier)
        if reason is not None:
            skipped.append(Skipped(s.sku, s.quantity, already, reason.value))
            continue
        assert s.supplier_code is not None
        by_supplier[s.supplier_code].append(
            _line(s, s.quantity - already, cases.get(s.item_id), int(costs.get(s.item_id) or 0))
        )

    orders = []
    for code in sorted(by_supplier):
        po = await purchasing.create_order(
            uow,
            principal,
            supplier_code=code,
            lines=by_supplier[code],
            warehouse_id=wid,
            note=(
                f"Drafted from purchase suggestions: service level {service_level:.0%}, "
                f"{window_days}-day demand window, open orders netted."
            ),
        )
        orders.append(po)
    return Drafts(orders, skipped)


def _skip_reason(
    s: PurchaseSuggestion, already: int, wanted_supplier: str | None
) -> SkipReason | None:
    if s.supplier_code is None:
        return SkipReason.NO_SUPPLIER
    if wanted_supplier is not None and s.supplier_code != wanted_supplier:
        return SkipReason.OTHER_SUPPLIER
    if s.quantity - already <= 0:
        return SkipReason.ON_ORDER
    return None


def _line(
    s: PurchaseSuggestion, need: int, case: m.ItemPackaging | None, unit_cost_cents: int
) -> purchasing.NewLine:
    """Whole cases when the item comes in cases (rounded up), else single units."""
    if case is None:
        return purchasing.NewLine(item_sku=s.sku, quantity=need, unit_price_cents=unit_cost_cents)
    cases = -(-need // case.quantity)
    return purchasing.NewLine(
        item_sku=s.sku,
        quantity=cases,
        unit_price_cents=unit_cost_cents * case.quantity,
        packaging=case.name,
    )
