"""The one owner of a sales order's state: which changes are allowed, and the
functions every other module (intake, allocation, waves, picking, packing, shipping,
cancellation) calls to make them.

A change not in ``TRANSITIONS`` is refused with ``INVALID_STATE`` and changes nothing;
setting the state an order already has is allowed and does nothing. Callers keep
their own friendlier checks (say, "only picked orders can be packed"); this table is
the last word, so a new caller cannot move an order somewhere it must never go.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import object_session

from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError, ErrorCode
from backend.outbound import order_webhooks

S = m.OrderState

# Each state and the states an order may go to from it.
TRANSITIONS: Mapping[S, frozenset[S]] = {
    # Reserving (at intake, when planning, on retry), held for credit, or cancelling.
    S.NEW: frozenset({S.RESERVED, S.PARTIALLY_RESERVED, S.BACKORDERED, S.CREDIT_HOLD, S.CANCELLED}),
    # Approved (back to NEW, then reserved), or rejected / cancelled.
    S.CREDIT_HOLD: frozenset({S.NEW, S.CANCELLED}),
    # Pool states follow the lines' reservations; a wave's release takes them out; an
    # edit that puts the customer over the limit holds the order again.
    S.RESERVED: frozenset(
        {S.PARTIALLY_RESERVED, S.BACKORDERED, S.RELEASED, S.CREDIT_HOLD, S.CANCELLED}
    ),
    S.PARTIALLY_RESERVED: frozenset(
        {S.RESERVED, S.BACKORDERED, S.RELEASED, S.CREDIT_HOLD, S.CANCELLED}
    ),
    S.BACKORDERED: frozenset({S.RESERVED, S.PARTIALLY_RESERVED, S.CREDIT_HOLD, S.CANCELLED}),
    # On the floor: the first pick, the last pick (or nothing found at all).
    S.RELEASED: frozenset({S.PICKING, S.PICKED, S.BACKORDERED, S.CANCELLED}),
    S.PICKING: frozenset({S.PICKED, S.BACKORDERED, S.CANCELLED}),
    # Packed, or given up at the packing station (every picked unit short-shipped).
    S.PICKED: frozenset({S.PACKED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED}),
    S.SHIPPED: frozenset(),
    S.CANCELLED: frozenset(),
}


def allowed(current: S | str, target: S) -> bool:
    current = S(current)
    return current == target or target in TRANSITIONS[current]


def sources_of(target: S) -> tuple[S, ...]:
    """The states an order may reach `target` from (for changes made in bulk)."""
    return tuple(s for s in S if target in TRANSITIONS[s])


def change(order: m.SalesOrder, target: S) -> None:
    """Move one order to `target`, or refuse with INVALID_STATE and change nothing."""
    if not allowed(order.state, target):
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"Order {order.number} is {S(order.state).lower()}: it cannot become {target.lower()}.",
            "orderId",
        )
    if order.state == target:
        return
    previous = S(order.state)
    order.state = target
    if target == S.CANCELLED:
        order.cancelled_at = utcnow()
    session = object_session(order)
    if session is not None:
        order_webhooks.enqueue(session, order, previous)


# Named steps, so that a caller says what happened rather than which state to set.


def follow_reservations(order: m.SalesOrder, covered: int, needed: int) -> None:
    """A pool order's state after its lines' reservations changed."""
    if covered == 0:
        change(order, S.BACKORDERED)
    elif covered < needed:
        change(order, S.PARTIALLY_RESERVED)
    else:
        change(order, S.RESERVED)


async def release_wave_orders(session: AsyncSession, wave_id: int) -> None:
    """The pool orders of a released wave go to the floor (in one statement: a wave
    holds up to thousands of orders; orders not in a pool state are left alone)."""
    shop_orders = await session.scalars(
        select(m.SalesOrder).where(
            m.SalesOrder.wave_id == wave_id,
            m.SalesOrder.state.in_(sources_of(S.RELEASED)),
            m.SalesOrder.source == m.OrderSource.SHOP,
        )
    )
    for order in list(shop_orders):
        # One by one, so each is told (its webhook); the rest change in one statement.
        change(order, S.RELEASED)
    await session.flush()
    await session.execute(
        update(m.SalesOrder)
        .where(m.SalesOrder.wave_id == wave_id, m.SalesOrder.state.in_(sources_of(S.RELEASED)))
        .values(state=S.RELEASED)
        .execution_options(synchronize_session=False)
    )


def mark_picking(order: m.SalesOrder) -> None:
    """The first unit of a released order went into a tote."""
    if order.state == S.RELEASED:
        change(order, S.PICKING)


def mark_picks_done(order: m.SalesOrder, units_picked: int) -> None:
    """No pick line of the order is open: picked, or nothing found (back to the pool
    once stock arrives)."""
    if units_picked:
        change(order, S.PICKED)
    else:
        change(order, S.BACKORDERED)
        order.wave_id = None


def mark_packed(order: m.SalesOrder) -> None:
    change(order, S.PACKED)


def mark_shipped(order: m.SalesOrder) -> None:
    change(order, S.SHIPPED)


def mark_cancelled(order: m.SalesOrder) -> None:
    change(order, S.CANCELLED)


def hold_for_credit(order: m.SalesOrder) -> None:
    """Over the customer's credit limit: nothing is reserved until someone decides."""
    change(order, S.CREDIT_HOLD)


def approve_credit(order: m.SalesOrder) -> None:
    """Credit approved: back to NEW, from where it is reserved like any order."""
    change(order, S.NEW)
