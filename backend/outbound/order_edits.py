"""Changing a sales order before release: its lines and quantities, priority, promised
date and address. The order's reservations are given back and taken again for the new
lines in the same transaction; a change that puts the customer over the credit limit
holds the order. Once on a wave or released it is ORDER_NOT_EDITABLE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.models.outbound import EDITABLE_STATES
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import ReadScope
from backend.inventory.ledger import check_quantity
from backend.outbound import allocation, credit, order_states
from backend.outbound.orders import (
    MAX_LINES,
    NewLine,
    find_items,
    release_reservations,
    settings_of,
)

SHIP_TO_FIELDS = ("name", "street", "city", "postal_code", "country", "phone")


@dataclass(frozen=True)
class OrderEdit:
    """What to change; None leaves a field as it is."""

    order_id: int
    lines: tuple[NewLine, ...] | None = None
    priority: int | None = None
    promised_date: date | None = None
    clear_promised_date: bool = False
    ship_to: dict[str, Any] | None = None


def _check(edit: OrderEdit) -> None:
    if edit.priority is not None and not 1 <= edit.priority <= 9:
        raise DomainError(ErrorCode.INVALID_INPUT, "Priority runs from 1 to 9.", "priority")
    if edit.lines is not None:
        if not edit.lines:
            raise DomainError(ErrorCode.INVALID_INPUT, "An order needs at least one line.", "lines")
        if len(edit.lines) > MAX_LINES:
            raise DomainError(
                ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_LINES} lines an order.", "lines"
            )
        for line in edit.lines:
            check_quantity(line.quantity, "lines")
    if edit.ship_to is not None:
        for key, value in edit.ship_to.items():
            if key not in SHIP_TO_FIELDS or len(str(value or "")) > 200:
                raise DomainError(ErrorCode.INVALID_INPUT, "An address field too long.", "shipTo")


async def _lock_editable(session: AsyncSession, order_id: int, scope: ReadScope) -> m.SalesOrder:
    order = await session.get(m.SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None or not scope.allows(order.warehouse_id):
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No such order.", "orderId")
    if order.state not in EDITABLE_STATES or order.wave_id is not None:
        where = "on a wave" if order.wave_id is not None else order.state.lower()
        raise DomainError(
            ErrorCode.ORDER_NOT_EDITABLE,
            f"Order {order.number} is {where}: it can no longer be changed.",
            "orderId",
        )
    return order


async def _replace_lines(
    session: AsyncSession, order: m.SalesOrder, lines: tuple[NewLine, ...]
) -> None:
    """Reservations back first (stock rows locked in item order), then the new lines."""
    items = await find_items(session, [line.item_sku for line in lines])
    old, _ = await release_reservations(session, order)
    for stale in old:
        await session.delete(stale)
    await session.flush()
    for n, line in enumerate(lines, start=1):
        session.add(
            m.SalesOrderLine(
                order_id=order.id,
                line_no=n,
                item_id=items[line.item_sku.strip()].id,
                quantity=line.quantity,
            )
        )
    await session.flush()


async def _reserve_again(session: AsyncSession, order: m.SalesOrder, user_id: int | None) -> None:
    if order.state == m.OrderState.CREDIT_HOLD:
        return  # still waiting for its decision, with the new lines
    if await credit.over_limit(session, order):
        order.credit_decision = None
        order_states.hold_for_credit(order)
        return
    reserves_now = (await settings_of(session, order.warehouse_id)).reserve_at == (
        m.ReserveAt.INTAKE
    )
    if reserves_now or order.state != m.OrderState.NEW:
        await allocation.reserve_order(session, order, user_id)


async def update_sales_order(
    session: AsyncSession, edit: OrderEdit, scope: ReadScope, user_id: int | None
) -> m.SalesOrder:
    """Apply `edit` to an order not yet released, or refuse and change nothing."""
    _check(edit)
    order = await _lock_editable(session, edit.order_id, scope)
    if edit.priority is not None:
        order.priority = edit.priority
    if edit.clear_promised_date:
        order.promised_date = None
    elif edit.promised_date is not None:
        order.promised_date = edit.promised_date
    if edit.ship_to is not None:
        order.ship_to = {
            **(order.ship_to or {}),
            **{k: str(v).strip() for k, v in edit.ship_to.items() if v is not None},
        }
    if edit.lines is not None:
        await _replace_lines(session, order, edit.lines)
        await _reserve_again(session, order, user_id)
    await session.flush()
    return order
