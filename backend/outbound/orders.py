"""Sales orders: intake (with reservation when the warehouse reserves at intake),
cancellation, channel stock pools and the warehouse's outbound settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.parties import customer_exposure
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.outbound import CANCELLABLE_STATES
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import EVERY_WAREHOUSE, ReadScope
from backend.inventory.ledger import check_quantity
from backend.outbound import allocation, credit, order_states, order_webhooks
from backend.outbound.putback import PutBackUnits, create_put_back, picked_units
from backend.tasks import engine

MAX_LINES = 500
MAX_BULK_ORDERS = 500
CHANNEL_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@dataclass(frozen=True)
class NewLine:
    item_sku: str
    quantity: int


@dataclass(frozen=True)
class NewSalesOrder:
    warehouse_id: int
    number: str
    customer_code: str
    lines: tuple[NewLine, ...]
    carrier_code: str | None = None
    service: str = ""
    channel: str = "DEFAULT"
    priority: int = 5
    cutoff_at: datetime | None = None
    ship_to: dict[str, Any] = field(default_factory=dict)
    promised_date: date | None = None
    source: m.OrderSource = m.OrderSource.DESK
    # A shop order's state changes are posted here (signed), from the first one on.
    webhook_urls: tuple[str, ...] = ()


async def settings_of(session: AsyncSession, warehouse_id: int) -> m.OutboundSettings:
    row = await session.get(m.OutboundSettings, warehouse_id)
    return row or m.OutboundSettings(
        warehouse_id=warehouse_id,
        reserve_at=m.ReserveAt.INTAKE,
        short_pick_rule=m.ShortPickRule.BACKORDER,
    )


def normalise_channel(raw: str) -> str:
    channel = raw.strip().upper()
    if not channel or len(channel) > 32 or not set(channel) <= CHANNEL_CHARS:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A channel of 1–32 letters, digits, _ or -.", "channel"
        )
    return channel


def _check(order: NewSalesOrder) -> str:
    number = order.number.strip()
    if not number or len(number) > 40:
        raise DomainError(ErrorCode.INVALID_INPUT, "An order number of 1–40 characters.", "number")
    if not 1 <= order.priority <= 9:
        raise DomainError(ErrorCode.INVALID_INPUT, "Priority runs from 1 to 9.", "priority")
    if not order.lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "An order needs at least one line.", "lines")
    if len(order.lines) > MAX_LINES:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_LINES} lines an order.", "lines"
        )
    if len(order.service) > 32:
        raise DomainError(ErrorCode.INVALID_INPUT, "A service of at most 32 characters.", "service")
    if order.cutoff_at is not None and order.cutoff_at.tzinfo is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "The cut-off needs a time zone.", "cutoffAt")
    for line in order.lines:
        check_quantity(line.quantity, "lines")
    return number


async def create_sales_order(
    uow: UnitOfWork, new: NewSalesOrder, user_id: int | None
) -> m.SalesOrder:
    return await take_order(uow.session, new, user_id)


async def find_items(session: AsyncSession, raw_skus: Sequence[str]) -> dict[str, m.Item]:
    """Active items by SKU; ITEM_NOT_FOUND names the first unknown one."""
    skus = sorted({sku.strip() for sku in raw_skus})
    items = {
        row.sku: row
        for row in await session.scalars(
            select(m.Item).where(m.Item.sku.in_(skus), m.Item.active.is_(True))
        )
    }
    missing = [sku for sku in skus if sku not in items]
    if missing:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"Unknown SKU {missing[0]}.", "lines")
    return items


async def reserve_or_hold(session: AsyncSession, order: m.SalesOrder, user_id: int | None) -> None:
    """Over the customer's credit: held, nothing reserved; else reserved when the
    warehouse reserves at intake."""
    if await credit.over_limit(session, order):
        order.credit_decision = None
        order_states.hold_for_credit(order)
        await session.flush()
        return
    settings = await settings_of(session, order.warehouse_id)
    if settings.reserve_at == m.ReserveAt.INTAKE:
        await allocation.reserve_order(session, order, user_id)


async def take_order(
    session: AsyncSession, new: NewSalesOrder, user_id: int | None
) -> m.SalesOrder:
    """Store an order and its lines, then hold it for credit or reserve it."""
    (taken,) = await _take_orders(session, [new], user_id, name_orders=False)
    return taken.order


@dataclass(frozen=True)
class TakenOrder:
    """An order just taken, with what its answer needs (no re-read)."""

    order: m.SalesOrder
    lines: list[m.SalesOrderLine]
    items: dict[int, m.Item]
    customer_code: str
    carrier_code: str | None


async def take_orders(session: AsyncSession, new: NewSalesOrder, user_id: int | None) -> TakenOrder:
    """``take_order``, answered with its lines and items."""
    (taken,) = await _take_orders(session, [new], user_id, name_orders=False)
    return taken


@dataclass(frozen=True)
class OrderDraft:
    """One order of a bulk intake: its number as given (for messages) and how to build
    it (building may be refused too, e.g. a warehouse outside the caller's)."""

    number: str
    build: Callable[[], NewSalesOrder]


async def create_sales_orders(
    uow: UnitOfWork, drafts: Sequence[OrderDraft], user_id: int | None
) -> list[m.SalesOrder]:
    """Take many orders: all are stored, or none; a refusal names the order."""
    if not drafts:
        raise DomainError(ErrorCode.INVALID_INPUT, "No orders given.", "orders")
    if len(drafts) > MAX_BULK_ORDERS:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_BULK_ORDERS} orders a request.", "orders"
        )
    return [t.order for t in await take_sales_orders(uow, drafts, user_id)]


async def take_sales_orders(
    uow: UnitOfWork, drafts: Sequence[OrderDraft], user_id: int | None
) -> list[TakenOrder]:
    """``create_sales_orders``, each answered with its lines and items."""
    if not drafts:
        raise DomainError(ErrorCode.INVALID_INPUT, "No orders given.", "orders")
    if len(drafts) > MAX_BULK_ORDERS:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_BULK_ORDERS} orders a request.", "orders"
        )
    return await _take_orders(uow.session, list(drafts), user_id, name_orders=True)


@dataclass
class _Lookups:
    """What a batch of orders refers to, read once for the whole batch."""

    taken_numbers: set[str]
    customers: dict[str, m.Customer]
    carriers: dict[str, int]
    items: dict[str, m.Item]
    exposure: dict[int, int]


async def _look_up(session: AsyncSession, news: Sequence[NewSalesOrder | None]) -> _Lookups:
    given = [n for n in news if n is not None]
    numbers = sorted({n.number.strip() for n in given})
    codes = sorted({n.customer_code.strip() for n in given})
    carrier_codes = sorted({n.carrier_code.strip() for n in given if n.carrier_code})
    skus = sorted({line.item_sku.strip() for n in given for line in n.lines})
    taken = set(
        await session.scalars(select(m.SalesOrder.number).where(m.SalesOrder.number.in_(numbers)))
    )
    customers = {
        c.code: c
        for c in await session.scalars(select(m.Customer).where(m.Customer.code.in_(codes)))
    }
    carriers: dict[str, int] = {}
    if carrier_codes:
        carriers = dict(
            (
                await session.execute(
                    select(m.Carrier.code, m.Carrier.id).where(m.Carrier.code.in_(carrier_codes))
                )
            ).all()
        )
    items = {
        row.sku: row
        for row in await session.scalars(
            select(m.Item).where(m.Item.sku.in_(skus), m.Item.active.is_(True))
        )
    }
    limited = [c.id for c in customers.values() if c.credit_limit_cents is not None]
    # Before this batch's orders are stored: each order adds its own value below.
    exposure = await customer_exposure(session, limited) if limited else {}
    return _Lookups(taken, customers, carriers, items, exposure)


def _checked(new: NewSalesOrder, found: _Lookups, numbers: set[str]) -> m.Customer:
    """The checks of one order, in the order a single intake makes them."""
    number = _check(new)
    normalise_channel(new.channel)
    if number in found.taken_numbers or number in numbers:
        raise DomainError(ErrorCode.DUPLICATE, f"Order {number} exists already.", "number")
    customer = found.customers.get(new.customer_code.strip())
    if customer is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No customer with this code.", "customerCode")
    if new.carrier_code and new.carrier_code.strip() not in found.carriers:
        raise DomainError(ErrorCode.NOT_FOUND, "No carrier with this code.", "carrierCode")
    missing = sorted({x.item_sku.strip() for x in new.lines} - found.items.keys())
    if missing:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"Unknown SKU {missing[0]}.", "lines")
    return customer


def _value(new: NewSalesOrder, items: dict[str, m.Item]) -> int:
    """What the order adds to its customer's exposure (``customer_exposure``)."""
    return sum(
        line.quantity * (items[line.item_sku.strip()].unit_cost_cents or 0) for line in new.lines
    )


async def _take_orders(
    session: AsyncSession,
    given: Sequence[NewSalesOrder | OrderDraft],
    user_id: int | None,
    *,
    name_orders: bool,
) -> list[TakenOrder]:
    """Store orders and their lines, hold those over their customer's credit, and
    reserve the rest (when the warehouse reserves at intake) in one set-based pass.
    Orders are checked in turn, as if taken one by one; the first refusal wins."""
    news = _built(given)
    found = await _look_up(session, [new for new, _ in news])
    checked, customers = _checked_all(given, news, found, name_orders=name_orders)
    orders, lines = await _stored(session, checked, customers, found, user_id)
    to_reserve = _credit_checked(checked, orders, customers, lines, found)
    settings: dict[int, m.OutboundSettings] = {}
    reserving: list[allocation.OrderToReserve] = []
    for pending in to_reserve:
        wid = pending.order.warehouse_id
        if wid not in settings:
            settings[wid] = await settings_of(session, wid)
        if settings[wid].reserve_at == m.ReserveAt.INTAKE:
            reserving.append(pending)
    by_id = {item.id: item for item in found.items.values()}
    if reserving:
        await allocation.reserve_orders(session, reserving, by_id, user_id)
    await session.flush()
    return [
        TakenOrder(
            order,
            own,
            by_id,
            customer.code,
            new.carrier_code.strip() if new.carrier_code else None,
        )
        for new, order, customer, own in zip(checked, orders, customers, lines, strict=True)
    ]


def _built(
    given: Sequence[NewSalesOrder | OrderDraft],
) -> list[tuple[NewSalesOrder | None, DomainError | None]]:
    """Each entry as a NewSalesOrder, or the refusal its draft met."""
    news: list[tuple[NewSalesOrder | None, DomainError | None]] = []
    for entry in given:
        if isinstance(entry, NewSalesOrder):
            news.append((entry, None))
            continue
        try:
            news.append((entry.build(), None))
        except DomainError as error:
            news.append((None, error))
    return news


def _checked_all(
    given: Sequence[NewSalesOrder | OrderDraft],
    news: list[tuple[NewSalesOrder | None, DomainError | None]],
    found: _Lookups,
    *,
    name_orders: bool,
) -> tuple[list[NewSalesOrder], list[m.Customer]]:
    """The orders checked in turn against what was looked up (a number repeated in
    the batch is a duplicate); a batch names the order a refusal belongs to."""
    checked: list[NewSalesOrder] = []
    customers: list[m.Customer] = []
    numbers: set[str] = set()
    for n, (new, refusal) in enumerate(news):
        try:
            if new is None:
                assert refusal is not None
                raise refusal
            customers.append(_checked(new, found, numbers))
            numbers.add(new.number.strip())
            checked.append(new)
        except DomainError as error:
            if not name_orders:
                raise
            label = given[n].number if isinstance(given[n], OrderDraft) else ""
            raise DomainError(
                error.code, f"Order {n + 1} ({label}): {error.message}", error.field
            ) from error
    return checked, customers


async def _stored(
    session: AsyncSession,
    checked: list[NewSalesOrder],
    customers: list[m.Customer],
    found: _Lookups,
    user_id: int | None,
) -> tuple[list[m.SalesOrder], list[list[m.SalesOrderLine]]]:
    """The orders and their lines written (each order's webhook row queued)."""
    orders = []
    for new, customer in zip(checked, customers, strict=True):
        carrier_id = found.carriers[new.carrier_code.strip()] if new.carrier_code else None
        order = m.SalesOrder(
            warehouse_id=new.warehouse_id,
            number=new.number.strip(),
            customer_id=customer.id,
            carrier_id=carrier_id,
            service=new.service.strip(),
            channel=normalise_channel(new.channel),
            priority=new.priority,
            cutoff_at=new.cutoff_at,
            ship_to=new.ship_to or dict(customer.address or {}),
            state=m.OrderState.NEW,
            promised_date=new.promised_date,
            source=new.source,
            webhook_urls=list(new.webhook_urls),
            created_by=user_id,
            created_at=utcnow(),
        )
        session.add(order)
        orders.append(order)
    await session.flush()
    lines: list[list[m.SalesOrderLine]] = []
    for new, order in zip(checked, orders, strict=True):
        order_webhooks.enqueue(session.sync_session, order, None)
        own = [
            m.SalesOrderLine(
                order_id=order.id,
                line_no=n,
                item_id=found.items[line.item_sku.strip()].id,
                quantity=line.quantity,
                reserved=0,
                picked=0,
                short=0,
                backordered=False,
            )
            for n, line in enumerate(new.lines, start=1)
        ]
        session.add_all(own)
        lines.append(own)
    await session.flush()
    return orders, lines


def _credit_checked(
    checked: list[NewSalesOrder],
    orders: list[m.SalesOrder],
    customers: list[m.Customer],
    lines: list[list[m.SalesOrderLine]],
    found: _Lookups,
) -> list[allocation.OrderToReserve]:
    """Orders that would take their customer over the credit limit are held (nothing
    reserved, not counted as exposure); the rest go on to be reserved."""
    to_reserve: list[allocation.OrderToReserve] = []
    for new, order, customer, own in zip(checked, orders, customers, lines, strict=True):
        limit = customer.credit_limit_cents
        if limit is not None:
            exposure = found.exposure.get(customer.id, 0) + _value(new, found.items)
            if exposure > limit:
                order.credit_decision = None
                order_states.hold_for_credit(order)
                continue
            found.exposure[customer.id] = exposure
        to_reserve.append(allocation.OrderToReserve(order, customer, own))
    return to_reserve


async def set_outbound_settings(
    session: AsyncSession,
    warehouse_id: int,
    reserve_at: m.ReserveAt,
    short_pick_rule: m.ShortPickRule,
) -> m.OutboundSettings:
    """When the warehouse reserves (intake or wave) and what a short pick does."""
    row = await session.get(m.OutboundSettings, warehouse_id)
    if row is None:
        row = m.OutboundSettings(warehouse_id=warehouse_id)
        session.add(row)
    row.reserve_at = reserve_at
    row.short_pick_rule = short_pick_rule
    await session.flush()
    return row


@dataclass(frozen=True)
class Cancellation:
    order: m.SalesOrder
    released_units: int
    units_in_totes: int
    cancelled_task_ids: tuple[int, ...]
    put_back_task_ids: tuple[int, ...] = ()


async def _lock_cancellable(session: AsyncSession, order_id: int, scope: ReadScope) -> m.SalesOrder:
    order = await session.get(m.SalesOrder, order_id, with_for_update=True, populate_existing=True)
    if order is None or not scope.allows(order.warehouse_id):
        raise DomainError(ErrorCode.ORDER_NOT_FOUND, "No such order.", "orderId")
    if order.state == m.OrderState.CANCELLED:
        raise DomainError(ErrorCode.INVALID_STATE, "The order is cancelled already.", "orderId")
    if order.state not in CANCELLABLE_STATES:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"The order is {order.state.lower()}: it can no longer be cancelled.",
            "orderId",
        )
    return order


async def release_reservations(
    session: AsyncSession, order: m.SalesOrder
) -> tuple[list[m.SalesOrderLine], int]:
    """Every reservation of the order goes back; its lines and the units released."""
    lines = list(
        await session.scalars(
            select(m.SalesOrderLine)
            .where(m.SalesOrderLine.order_id == order.id)
            .order_by(m.SalesOrderLine.item_id, m.SalesOrderLine.id)
        )
    )
    # Stock rows first, as every intake does: no lock-order deadlock with an intake.
    for item_id in sorted({line.item_id for line in lines}):
        await allocation.lock_item_stock(session, item_id, order.warehouse_id)
    released = 0
    for line in lines:
        released += await allocation.release_line(session, line)
    return lines, released


async def _cancel_open_picks(uow: UnitOfWork, order: m.SalesOrder) -> list[int]:
    """The order's open pick lines are cancelled; a pick task left with nothing to
    pick is finished (DONE if its cart picked anything, else CANCELLED). Its ids."""
    session = uow.session
    open_lines = list(
        await session.scalars(
            select(m.PickLine).where(
                m.PickLine.order_id == order.id, m.PickLine.state == m.PickLineState.OPEN
            )
        )
    )
    tour_ids = {pl.tour_id for pl in open_lines}
    for pick_line in open_lines:
        pick_line.state = m.PickLineState.CANCELLED
    await session.flush()
    finished: list[int] = []
    for tour_id in sorted(tour_ids):
        tour = await session.get(m.WaveTour, tour_id)
        if tour is None or tour.task_id is None:
            continue
        still_open = await session.scalar(
            select(m.PickLine.id).where(
                m.PickLine.tour_id == tour_id, m.PickLine.state == m.PickLineState.OPEN
            )
        )
        if still_open is not None:
            continue
        task = await session.get(m.Task, tour.task_id, with_for_update=True)
        if task is not None and task.state in (m.TaskState.OPEN, m.TaskState.CLAIMED):
            any_picked = await session.scalar(
                select(m.PickLine.id).where(m.PickLine.tour_id == tour_id, m.PickLine.picked > 0)
            )
            await engine.finish(
                uow, task, m.TaskState.DONE if any_picked else m.TaskState.CANCELLED
            )
            finished.append(task.id)
    return finished


async def cancel_sales_order(
    uow: UnitOfWork,
    order_id: int,
    scope: ReadScope = EVERY_WAREHOUSE,
    user_id: int | None = None,
) -> Cancellation:
    """Cancel until picked: reservations go back, the order's open pick lines are
    cancelled, and a pick task left with nothing to pick is cancelled too. Units
    picked already wait in the packing bin the picks moved them to: a put-back
    task (PUTAWAY) per item and lot takes them back to storage."""
    session = uow.session
    order = await _lock_cancellable(session, order_id, scope)
    lines, released = await release_reservations(session, order)
    finished_tasks = await _cancel_open_picks(uow, order)
    put_back = await create_put_back(
        uow,
        warehouse_id=order.warehouse_id,
        units=[
            PutBackUnits(u.item_id, u.lot_id, u.bin_id, u.status, u.quantity)
            for u in await picked_units(session, order)
        ],
        reference=order.number,
        why="order cancelled",
        created_by=user_id,
    )
    order_states.mark_cancelled(order)
    await session.flush()
    in_totes = sum(line.picked for line in lines)
    return Cancellation(order, released, in_totes, tuple(finished_tasks), tuple(put_back))


async def set_channel_pool(
    session: AsyncSession,
    *,
    warehouse_id: int,
    channel: str,
    item_sku: str,
    percent: int | None,
    fixed_quantity: int | None,
) -> m.ChannelStockPool | None:
    """Give a channel a share of an item; neither percent nor quantity removes it."""
    channel = normalise_channel(channel)
    if percent is not None and fixed_quantity is not None:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Give a percent or a fixed quantity, not both.", "percent"
        )
    if percent is not None and not 1 <= percent <= 100:
        raise DomainError(ErrorCode.INVALID_INPUT, "A percent from 1 to 100.", "percent")
    if fixed_quantity is not None and not 0 <= fixed_quantity <= 10_000_000:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "A quantity from 0.", "fixedQuantity")
    item_id = await session.scalar(select(m.Item.id).where(m.Item.sku == item_sku.strip()))
    if item_id is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    row = await session.scalar(
        select(m.ChannelStockPool).where(
            m.ChannelStockPool.warehouse_id == warehouse_id,
            m.ChannelStockPool.channel == channel,
            m.ChannelStockPool.item_id == item_id,
        )
    )
    if percent is None and fixed_quantity is None:
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    if row is None:
        row = m.ChannelStockPool(warehouse_id=warehouse_id, channel=channel, item_id=item_id)
        session.add(row)
    row.percent = percent
    row.fixed_quantity = fixed_quantity
    await session.flush()
    return row


async def retry_backorders(
    session: AsyncSession, warehouse_id: int, user_id: int | None, limit: int = 500
) -> list[m.SalesOrder]:
    """Try again to reserve for orders still short, most urgent and earliest cut-off first."""
    orders = list(
        await session.scalars(
            select(m.SalesOrder)
            .where(
                m.SalesOrder.warehouse_id == warehouse_id,
                m.SalesOrder.wave_id.is_(None),
                m.SalesOrder.state.in_(
                    (m.OrderState.NEW, m.OrderState.BACKORDERED, m.OrderState.PARTIALLY_RESERVED)
                ),
            )
            .order_by(
                m.SalesOrder.priority,
                m.SalesOrder.cutoff_at.is_(None),
                m.SalesOrder.cutoff_at,
                m.SalesOrder.id,
            )
            .limit(limit)
        )
    )
    for order in orders:
        await allocation.reserve_order(session, order, user_id)
    return orders


async def release_backorders(
    session: AsyncSession,
    warehouse_id: int,
    item_ids: list[int],
    user_id: int | None,
    limit: int = 100,
) -> list[m.SalesOrder]:
    """Stock of these items became available (a putaway, a restocked return): reserve it
    for the orders waiting on them, in the same order as ``retry_backorders``. Runs in
    the caller's transaction, so the stock and the orders change together."""
    if not item_ids:
        return []
    waiting = (
        select(m.SalesOrderLine.order_id)
        .where(
            m.SalesOrderLine.item_id.in_(sorted(set(item_ids))),
            m.SalesOrderLine.reserved < m.SalesOrderLine.quantity,
        )
        .distinct()
    )
    orders = list(
        await session.scalars(
            select(m.SalesOrder)
            .where(
                m.SalesOrder.warehouse_id == warehouse_id,
                m.SalesOrder.wave_id.is_(None),
                m.SalesOrder.state.in_((m.OrderState.BACKORDERED, m.OrderState.PARTIALLY_RESERVED)),
                m.SalesOrder.id.in_(waiting),
            )
            .order_by(
                m.SalesOrder.priority,
                m.SalesOrder.cutoff_at.is_(None),
                m.SalesOrder.cutoff_at,
                m.SalesOrder.id,
            )
            .limit(limit)
        )
    )
    for order in orders:
        await allocation.reserve_order(session, order, user_id)
    return orders
