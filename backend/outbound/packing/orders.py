"""The outbound orders packing and shipping work on, read through the outbound models.

Packing tables keep order ids as plain integers (no foreign keys to another
area's tables); everything about an order is looked up here, at run time, so
that this module is the one place to follow when the outbound tables change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.outbound import allocation
from backend.printing.documents import Address
from backend.scan import CodeKind, InternalScan, parse_scan


async def resolve_order(session: AsyncSession, code: str) -> m.SalesOrder:
    """An order from what the packer scanned: its SO code, its tote, or its number."""
    raw = code.strip()
    if not raw:
        raise DomainError(ErrorCode.SCAN_EMPTY, "Scan the tote or the order.", "code")
    scan: InternalScan | None = None
    try:
        parsed = parse_scan(raw)
        scan = parsed if isinstance(parsed, InternalScan) else None
    except DomainError:
        scan = None  # not one of our codes: try it as a plain order number
    order: m.SalesOrder | None = None
    if scan is not None and scan.kind is CodeKind.TOTE:
        order = await session.scalar(
            select(m.SalesOrder)
            .join(m.TourOrder, m.TourOrder.order_id == m.SalesOrder.id)
            .where(
                m.TourOrder.tote_code == scan.code,
                m.SalesOrder.state.in_((m.OrderState.PICKING, m.OrderState.PICKED)),
            )
            .order_by(m.TourOrder.id.desc())
            .limit(1)
        )
        if order is None:
            raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No picked order is in this tote.", "code")
        return order
    if scan is not None and scan.kind is not CodeKind.SO:
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan a tote or an order code.", "code")
    candidates = [raw] if scan is None else [scan.code, scan.body]
    order = await session.scalar(
        select(m.SalesOrder).where(m.SalesOrder.number.in_(candidates)).limit(1)
    )
    if order is None:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No order with this code.", "code")
    return order


async def order_by_id(session: AsyncSession, order_id: int) -> m.SalesOrder:
    order = await session.get(m.SalesOrder, order_id)
    if order is None:
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No such order.", "orderId")
    return order


PACKABLE_STATES = (m.OrderState.PICKED,)


def check_packable(order: m.SalesOrder) -> None:
    if order.state in (m.OrderState.PACKED, m.OrderState.SHIPPED):
        raise DomainError(
            ErrorCode.INVALID_STATE, f"Order {order.number} is already {order.state}.", "code"
        )
    if order.state == m.OrderState.CANCELLED:
        raise DomainError(ErrorCode.ORDER_CANCELLED, f"Order {order.number} is cancelled.", "code")
    if order.state not in PACKABLE_STATES:
        raise DomainError(
            ErrorCode.ORDER_NOT_PICKED,
            f"Order {order.number} is {order.state}; it can be packed once picked.",
            "code",
        )


async def give_up_picked(session: AsyncSession, order_line_id: int, quantity: int) -> None:
    """Picked units of a line that will not ship: no longer in a tote, given up."""
    line = await session.get(
        m.SalesOrderLine, order_line_id, with_for_update=True, populate_existing=True
    )
    if line is None:
        return
    moved = min(quantity, line.picked)
    line.picked -= moved
    line.short += moved


async def release_order_reservations(session: AsyncSession, order: m.SalesOrder) -> int:
    """Let go of whatever the order's lines still hold on the shelves; units released."""
    holding = [
        line
        for line in await session.scalars(
            select(m.SalesOrderLine)
            .where(m.SalesOrderLine.order_id == order.id, m.SalesOrderLine.reserved > 0)
            .order_by(m.SalesOrderLine.item_id, m.SalesOrderLine.id)
        )
    ]
    # Stock rows first, in item order, as intake and cancel lock them: no deadlock.
    for item_id in sorted({line.item_id for line in holding}):
        await allocation.lock_item_stock(session, item_id, order.warehouse_id)
    released = 0
    for line in holding:
        released += await allocation.release_line(session, line)
    return released


def _text(data: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = data.get(key)
        if value:
            return str(value)
    return ""


def address_of(data: dict[str, Any] | None, fallback_name: str = "") -> Address:
    """An address from the free-form JSON kept on orders, customers and warehouses."""
    data = data or {}
    return Address(
        name=_text(data, "name", "contact") or fallback_name,
        company=_text(data, "company"),
        line1=_text(data, "line1", "street", "address1"),
        line2=_text(data, "line2", "address2"),
        postal_code=_text(data, "postal_code", "postalCode", "zip"),
        city=_text(data, "city"),
        region=_text(data, "region", "state"),
        country=_text(data, "country"),
        phone=_text(data, "phone"),
    )


@dataclass(frozen=True)
class OrderHeader:
    order_id: int
    number: str
    order_date: date
    customer_name: str
    ship_to: Address
    bill_to: Address | None
    ship_from: Address
    carrier_id: int | None
    service: str


async def order_header(session: AsyncSession, order: m.SalesOrder) -> OrderHeader:
    customer = await session.get(m.Customer, order.customer_id)
    warehouse = await session.get(m.Warehouse, order.warehouse_id)
    customer_name = customer.name if customer else ""
    ship_to_data = order.ship_to or (customer.address if customer else {})
    ship_to = address_of(ship_to_data, customer_name)
    if not ship_to.company and customer_name and ship_to.name != customer_name:
        ship_to = Address(**{**ship_to.__dict__, "company": customer_name})
    return OrderHeader(
        order_id=order.id,
        number=order.number,
        order_date=order.created_at.date(),
        customer_name=customer_name,
        ship_to=ship_to,
        bill_to=address_of(customer.address, customer_name) if customer else None,
        ship_from=address_of(
            warehouse.address if warehouse else {}, warehouse.name if warehouse else ""
        ),
        carrier_id=order.carrier_id,
        service=order.service,
    )
