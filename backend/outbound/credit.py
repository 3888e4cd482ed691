"""Customer credit holds: an order that would put its customer over the credit limit
is held (nothing reserved) until someone with ``order.credit_approve`` decides.

Exposure is what the customer's open orders are worth at item unit cost
(``catalog/parties.py::customer_exposure``), the order being checked included; held
orders are not exposure. The person who took the order may not approve it, and an
order is decided once.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.parties import customer_exposure
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import ReadScope
from backend.outbound import allocation, order_states


async def over_limit(session: AsyncSession, order: m.SalesOrder) -> bool:
    """Would the customer's open orders, this one included, exceed the limit?"""
    customer = await session.get(m.Customer, order.customer_id)
    if customer is None or customer.credit_limit_cents is None:
        return False
    await session.flush()
    exposure = (await customer_exposure(session, [customer.id]))[customer.id]
    return exposure > customer.credit_limit_cents


async def _lock_held(session: AsyncSession, order_id: int, scope: ReadScope) -> m.SalesOrder:
    order = await session.get(m.SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None or not scope.allows(order.warehouse_id):
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No such order.", "orderId")
    if order.credit_decision is not None and order.state != m.OrderState.CREDIT_HOLD:
        raise DomainError(
            ErrorCode.ALREADY_DECIDED,
            f"Order {order.number}'s credit was {order.credit_decision.lower()} already.",
            "orderId",
        )
    if order.state != m.OrderState.CREDIT_HOLD:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"Order {order.number} is {order.state.lower()}, not on credit hold.",
            "orderId",
        )
    return order


def _decide(order: m.SalesOrder, decision: m.CreditDecision, user_id: int | None) -> None:
    if user_id is not None and order.created_by == user_id:
        raise DomainError(
            ErrorCode.SELF_APPROVAL,
            f"Order {order.number} was taken by you: someone else decides its credit.",
            "orderId",
        )
    order.credit_decision = decision
    order.credit_decided_by = user_id
    order.credit_decided_at = utcnow()


async def approve(
    session: AsyncSession, order_id: int, scope: ReadScope, user_id: int | None
) -> m.SalesOrder:
    """Release a held order: it is reserved now when the warehouse reserves at intake
    (a warehouse without outbound settings does), else when a wave is planned."""
    order = await _lock_held(session, order_id, scope)
    _decide(order, m.CreditDecision.APPROVED, user_id)
    order_states.approve_credit(order)
    await session.flush()
    settings = await session.get(m.OutboundSettings, order.warehouse_id)
    if settings is None or settings.reserve_at == m.ReserveAt.INTAKE:
        await allocation.reserve_order(session, order, user_id)
    return order


async def reject(
    session: AsyncSession, order_id: int, scope: ReadScope, user_id: int | None
) -> m.SalesOrder:
    """Refuse a held order: it is cancelled (nothing was reserved)."""
    order = await _lock_held(session, order_id, scope)
    _decide(order, m.CreditDecision.REJECTED, user_id)
    order_states.mark_cancelled(order)
    await session.flush()
    return order
