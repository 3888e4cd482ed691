"""The sales-order import kind: one row per order line, rows grouped into orders by
number (an order's rows need not be adjacent).

Every row is checked (customer, item, carrier, number not taken, the order's rows
agreeing on customer, priority, channel and promised date); orders are taken only at
the end, through the same intake as the API (credit hold or reservation), once every
row passed, and all in the import's one transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem
from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.imports import cells
from backend.imports.base import Context, Kind, Parsed
from backend.inventory.ledger import MAX_MOVE_QUANTITY
from backend.outbound import orders as sales

SHIP_TO = ("name", "street", "city", "postal_code", "country", "phone")
_HEADS = "order_heads"  # ctx.seen: number → (line, the head every row of it must repeat)
_DRAFTS = "order_drafts"  # ctx.seen: number → _Draft, taken in `finish`


@dataclass(frozen=True)
class OrderRow:
    number: str
    customer_code: str
    sku: str
    quantity: int
    priority: int
    channel: str
    promised_date: date | None
    carrier_code: str
    ship_to: dict[str, str]

    @property
    def head(self) -> tuple[Any, ...]:
        return (self.customer_code, self.priority, self.channel, self.promised_date)


@dataclass
class _Draft:
    first_line: int
    row: OrderRow
    lines: list[sales.NewLine] = field(default_factory=list)


def _required(values: dict[str, str], problems: list[Problem]) -> None:
    for column in ("order_number", "customer_code", "item_sku"):
        if not cells.text(values, column):
            problems.append(Problem(column, ErrorCode.INVALID_INPUT, f"{column} is required."))


class SalesOrders(Kind):
    name = "sales_orders"
    columns = (
        "order_number",
        "customer_code",
        "item_sku",
        "quantity",
        "priority",
        "channel",
        "promised_date",
        "carrier_code",
        *(f"ship_to_{f}" for f in SHIP_TO),
    )
    required = frozenset({"order_number", "customer_code", "item_sku", "quantity"})
    permission = Perm.ORDER_MANAGE
    read_permission = Perm.TASK_READ
    example = ("SO-2001", "CUST-01", "SKU-1001", "6", "5", "DEFAULT", "2027-01-15", "")
    fields: ClassVar[dict[str, str]] = {
        "number": "order_number",
        "customerCode": "customer_code",
        "lines": "item_sku",
    }

    def parse(self, values: dict[str, str], problems: list[Problem]) -> OrderRow:
        _required(values, problems)
        quantity = cells.integer(values, "quantity", problems, 0) or 0
        if not 1 <= quantity <= MAX_MOVE_QUANTITY:
            problems.append(
                Problem(
                    "quantity", ErrorCode.INVALID_QUANTITY, f"Quantity {quantity} is not 1 or more."
                )
            )
        priority = cells.integer(values, "priority", problems, 5) or 5
        if not 1 <= priority <= 9:
            problems.append(
                Problem("priority", ErrorCode.INVALID_INPUT, "Priority runs from 1 to 9.")
            )
        channel = cells.text(values, "channel", "DEFAULT")
        try:
            channel = sales.normalise_channel(channel)
        except DomainError as error:
            problems.append(Problem("channel", error.code, error.message))
        number = cells.text(values, "order_number")
        if len(number) > 40:
            problems.append(
                Problem("order_number", ErrorCode.INVALID_INPUT, "At most 40 characters.")
            )
        return OrderRow(
            number=number,
            customer_code=cells.text(values, "customer_code"),
            sku=cells.text(values, "item_sku"),
            quantity=quantity,
            priority=priority,
            channel=channel,
            promised_date=cells.day(values, "promised_date", problems),
            carrier_code=cells.text(values, "carrier_code"),
            ship_to={f: v for f in SHIP_TO if (v := cells.text(values, f"ship_to_{f}"))},
        )

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        rows = [p.spec for p in chunk]
        taken = set(
            await session.scalars(
                select(m.SalesOrder.number).where(m.SalesOrder.number.in_({r.number for r in rows}))
            )
        )
        customers = set(
            await session.scalars(
                select(m.Customer.code).where(
                    m.Customer.code.in_({r.customer_code for r in rows}),
                    m.Customer.active.is_(True),
                )
            )
        )
        items = set(
            await session.scalars(
                select(m.Item.sku).where(
                    m.Item.sku.in_({r.sku for r in rows}), m.Item.active.is_(True)
                )
            )
        )
        carriers = set(
            await session.scalars(
                select(m.Carrier.code).where(m.Carrier.code.in_({r.carrier_code for r in rows}))
            )
        )
        heads: dict[str, tuple[int, tuple[Any, ...]]] = ctx.seen.setdefault(_HEADS, {})
        failed: dict[int, list[Problem]] = {}
        for parsed in chunk:
            row: OrderRow = parsed.spec
            problems = []
            if row.number in taken:
                problems.append(
                    Problem(
                        "order_number", ErrorCode.DUPLICATE, f"Order {row.number} exists already."
                    )
                )
            if row.customer_code not in customers:
                problems.append(Problem("customer_code", ErrorCode.NOT_FOUND, "No such customer."))
            if row.sku not in items:
                problems.append(
                    Problem("item_sku", ErrorCode.ITEM_NOT_FOUND, f"Unknown SKU {row.sku}.")
                )
            if row.carrier_code and row.carrier_code not in carriers:
                problems.append(Problem("carrier_code", ErrorCode.NOT_FOUND, "No such carrier."))
            first, head = heads.setdefault(row.number, (parsed.line, row.head))
            if head != row.head:
                problems.append(
                    Problem(
                        "customer_code",
                        ErrorCode.INVALID_INPUT,
                        f"Order {row.number}'s customer, priority, channel and promised date"
                        f" differ from line {first}.",
                    )
                )
            if problems:
                failed[parsed.line] = problems
        return failed

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        """Lines are gathered per order; the orders are taken in `finish`."""
        drafts: dict[str, _Draft] = ctx.seen.setdefault(_DRAFTS, {})
        for parsed in chunk:
            row: OrderRow = parsed.spec
            draft = drafts.setdefault(row.number, _Draft(parsed.line, row))
            draft.lines.append(sales.NewLine(row.sku, row.quantity))

    async def finish(self, session: AsyncSession, ctx: Context) -> dict[int, list[Problem]]:
        drafts: dict[str, _Draft] = ctx.seen.get(_DRAFTS, {})
        failed: dict[int, list[Problem]] = {}
        for number, draft in drafts.items():
            row = draft.row
            new = sales.NewSalesOrder(
                warehouse_id=ctx.warehouse_id,
                number=number,
                customer_code=row.customer_code,
                lines=tuple(draft.lines),
                carrier_code=row.carrier_code or None,
                channel=row.channel,
                priority=row.priority,
                ship_to=row.ship_to,
                promised_date=row.promised_date,
                source=m.OrderSource.IMPORT,
            )
            try:
                async with session.begin_nested():
                    await sales.take_order(session, new, ctx.user_id)
            except DomainError as error:
                column = self.column_of(error.field or "order_number")
                failed[draft.first_line] = [Problem(column, error.code, error.message)]
        return failed

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        stmt = (
            select(
                m.SalesOrderLine.id,
                m.SalesOrder,
                m.Customer.code,
                m.Item.sku,
                m.SalesOrderLine.quantity,
            )
            .join(m.SalesOrder, m.SalesOrder.id == m.SalesOrderLine.order_id)
            .join(m.Customer, m.Customer.id == m.SalesOrder.customer_id)
            .join(m.Item, m.Item.id == m.SalesOrderLine.item_id)
            .where(m.SalesOrder.warehouse_id == ctx.warehouse_id)
        )
        last = 0
        while True:
            rows = (
                await session.execute(
                    stmt.where(m.SalesOrderLine.id > last).order_by(m.SalesOrderLine.id).limit(2000)
                )
            ).all()
            if not rows:
                return
            for line_id, order, customer, sku, quantity in rows:
                address = order.ship_to or {}
                yield [
                    order.number,
                    customer,
                    sku,
                    str(quantity),
                    str(order.priority),
                    order.channel,
                    order.promised_date.isoformat() if order.promised_date else "",
                    "",
                    *(str(address.get(f) or "") for f in SHIP_TO),
                ]
                last = line_id
