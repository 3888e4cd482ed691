"""Reserving stock for sales order lines: channel pools, priority, FEFO/FIFO.

Every function here runs inside the caller's transaction. The item's stock rows
are locked (in primary-key order) before anything is counted, so two intakes of
the same scarce item queue up and never promise the same unit twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.models.outbound import POOL_STATES
from backend.core.errors import DomainError, ErrorCode
from backend.inventory import reservations
from backend.inventory.reservations import RESERVABLE_ZONES
from backend.outbound import order_states


def line_reference(line_id: int) -> str:
    """The reservation reference of an order line: reservations are found by it."""
    return f"SOL-{line_id}"


def shelf_life_floor(customer: m.Customer, today: date | None = None) -> date | None:
    """Stock must still be good for this many days when it leaves: pass as expiring_after."""
    if customer.min_shelf_life_days <= 0:
        return None
    return (today or date.today()) + timedelta(days=customer.min_shelf_life_days)


async def lock_item_stock(session: AsyncSession, item_id: int, warehouse_id: int) -> None:
    """Lock every reservable quant of the item, in id order, before counting pools."""
    await session.execute(
        select(m.Quant.id)
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .where(m.Quant.item_id == item_id, m.Bin.warehouse_id == warehouse_id)
        .order_by(m.Quant.id)
        .with_for_update(of=m.Quant)
    )


async def _reservable_on_hand(session: AsyncSession, item_id: int, warehouse_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand), 0))
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Quant.item_id == item_id,
            m.Quant.status == m.StockStatus.AVAILABLE,
            m.Bin.warehouse_id == warehouse_id,
            m.Bin.blocked.is_(False),
            m.Zone.kind.in_(RESERVABLE_ZONES),
        )
    )
    return int(total or 0)


async def _channel_holdings(
    session: AsyncSession, item_id: int, warehouse_id: int
) -> dict[str, int]:
    """Units of the item each channel holds in active reservations of its orders."""
    rows = await session.execute(
        select(m.SalesOrder.channel, func.sum(m.SalesOrderLine.reserved))
        .join(m.SalesOrderLine, m.SalesOrderLine.order_id == m.SalesOrder.id)
        .where(
            m.SalesOrderLine.item_id == item_id,
            m.SalesOrder.warehouse_id == warehouse_id,
            m.SalesOrderLine.reserved > 0,
        )
        .group_by(m.SalesOrder.channel)
    )
    return {channel: int(total or 0) for channel, total in rows}


def pool_size(pool: m.ChannelStockPool, on_hand: int) -> int:
    if pool.fixed_quantity is not None:
        return pool.fixed_quantity
    return on_hand * (pool.percent or 0) // 100


async def channel_allowance(
    session: AsyncSession, item_id: int, warehouse_id: int, channel: str
) -> int | None:
    """How many more units this channel may reserve, or None when pools do not limit it.

    A channel with a pool may hold at most its pool; every other channel must
    leave the unused part of the other channels' pools alone."""
    pools = list(
        await session.scalars(
            select(m.ChannelStockPool).where(
                m.ChannelStockPool.item_id == item_id,
                m.ChannelStockPool.warehouse_id == warehouse_id,
            )
        )
    )
    if not pools:
        return None
    on_hand = await _reservable_on_hand(session, item_id, warehouse_id)
    held = await _channel_holdings(session, item_id, warehouse_id)
    fenced_for_others = 0
    own_cap: int | None = None
    for pool in pools:
        size = pool_size(pool, on_hand)
        if pool.channel == channel:
            own_cap = size - held.get(channel, 0)
        else:
            fenced_for_others += max(0, size - held.get(pool.channel, 0))
    free = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand - m.Quant.reserved), 0))
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Quant.item_id == item_id,
            m.Quant.status == m.StockStatus.AVAILABLE,
            m.Bin.warehouse_id == warehouse_id,
            m.Bin.blocked.is_(False),
            m.Zone.kind.in_(RESERVABLE_ZONES),
        )
    )
    allowance = int(free or 0) - fenced_for_others
    if own_cap is not None:
        allowance = min(allowance, own_cap)
    return max(0, allowance)


@dataclass(frozen=True)
class LineOutcome:
    line_id: int
    wanted: int
    reserved: int


async def _preempt(
    session: AsyncSession, order: m.SalesOrder, line: m.SalesOrderLine, shortfall: int
) -> int:
    """Take reservations of the same item from less urgent orders still in the pool.

    Order priority decides who gets scarce stock: an urgent order's shortfall is
    covered by releasing the newest reservations of the least urgent orders that
    have not been planned into a wave yet. Returns the units set free."""
    victims = (
        await session.execute(
            select(m.SalesOrderLine, m.SalesOrder)
            .join(m.SalesOrder, m.SalesOrder.id == m.SalesOrderLine.order_id)
            .where(
                m.SalesOrderLine.item_id == line.item_id,
                m.SalesOrderLine.reserved > 0,
                m.SalesOrder.warehouse_id == order.warehouse_id,
                m.SalesOrder.priority > order.priority,
                m.SalesOrder.wave_id.is_(None),
                m.SalesOrder.state.in_(POOL_STATES),
                m.SalesOrder.channel == order.channel,
            )
            .order_by(m.SalesOrder.priority.desc(), m.SalesOrder.id.desc())
            .with_for_update(of=m.SalesOrderLine)
        )
    ).all()
    freed = 0
    for victim_line, victim_order in victims:
        if freed >= shortfall:
            break
        active = await session.scalars(
            select(m.Reservation)
            .where(
                m.Reservation.reference == line_reference(victim_line.id),
                m.Reservation.state == m.ReservationState.ACTIVE,
            )
            .order_by(m.Reservation.id.desc())
        )
        for reservation in list(active):
            if freed >= shortfall:
                break
            units = min(reservation.quantity, shortfall - freed)
            await release_part(session, reservation.id, units)
            victim_line.reserved -= units
            freed += units
        victim_line.backordered = victim_line.reserved + victim_line.picked < (
            victim_line.quantity - victim_line.short
        )
        await session.flush()
        await refresh_order_state(session, victim_order)
    return freed


async def reserve_line(
    session: AsyncSession,
    order: m.SalesOrder,
    line: m.SalesOrderLine,
    customer: m.Customer,
    user_id: int | None,
) -> LineOutcome:
    """Reserve what is still missing on one line: as much as the pools allow."""
    wanted = line.quantity - line.reserved - line.picked - line.short
    if wanted <= 0:
        return LineOutcome(line.id, 0, 0)
    await lock_item_stock(session, line.item_id, order.warehouse_id)
    allowance = await channel_allowance(session, line.item_id, order.warehouse_id, order.channel)
    target = wanted if allowance is None else min(wanted, allowance)
    expiring_after = shelf_life_floor(customer)
    got = await _reserve(session, line, order.warehouse_id, target, expiring_after, user_id)
    if got < wanted:
        # Scarce: less urgent orders of the same channel give way.
        if await _preempt(session, order, line, wanted - got):
            allowance = await channel_allowance(
                session, line.item_id, order.warehouse_id, order.channel
            )
            more = wanted - got if allowance is None else min(wanted - got, allowance)
            got += await _reserve(session, line, order.warehouse_id, more, expiring_after, user_id)
    line.backordered = got < wanted
    await session.flush()
    return LineOutcome(line.id, wanted, got)


async def _reserve(
    session: AsyncSession,
    line: m.SalesOrderLine,
    warehouse_id: int,
    quantity: int,
    expiring_after: date | None,
    user_id: int | None,
) -> int:
    if quantity <= 0:
        return 0
    outcome = await reservations.reserve(
        session,
        item_id=line.item_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        reference=line_reference(line.id),
        user_id=user_id,
        allow_partial=True,
        expiring_after=expiring_after,
    )
    line.reserved += outcome.reserved
    return outcome.reserved


async def reserve_order(
    session: AsyncSession, order: m.SalesOrder, user_id: int | None
) -> list[LineOutcome]:
    customer = await session.get(m.Customer, order.customer_id)
    assert customer is not None
    lines = await session.scalars(
        select(m.SalesOrderLine)
        .where(m.SalesOrderLine.order_id == order.id)
        .order_by(m.SalesOrderLine.item_id, m.SalesOrderLine.id)
    )
    outcomes = [await reserve_line(session, order, line, customer, user_id) for line in lines]
    await refresh_order_state(session, order)
    return outcomes


async def release_line(session: AsyncSession, line: m.SalesOrderLine) -> int:
    """Give back every active reservation of a line; returns the units released."""
    active = await session.scalars(
        select(m.Reservation)
        .where(
            m.Reservation.reference == line_reference(line.id),
            m.Reservation.state == m.ReservationState.ACTIVE,
        )
        .order_by(m.Reservation.quant_id)
    )
    released = 0
    for reservation in list(active):
        await reservations.release(session, reservation.id)
        released += reservation.quantity
    line.reserved -= released
    await session.flush()
    return released


async def refresh_order_state(session: AsyncSession, order: m.SalesOrder) -> None:
    """Pool states follow the lines; later states are set by waves and picking."""
    if order.state not in (
        m.OrderState.NEW,
        m.OrderState.RESERVED,
        m.OrderState.PARTIALLY_RESERVED,
        m.OrderState.BACKORDERED,
    ):
        return
    lines = list(
        await session.scalars(select(m.SalesOrderLine).where(m.SalesOrderLine.order_id == order.id))
    )
    covered = sum(line.reserved for line in lines)
    needed = sum(line.quantity - line.short - line.picked for line in lines)
    order_states.follow_reservations(order, covered, needed)
    await session.flush()


async def release_part(session: AsyncSession, reservation_id: int, quantity: int) -> None:
    """Give back some units of an active reservation (all of them: release it)."""
    reservation = await session.get(
        m.Reservation, reservation_id, with_for_update=True, populate_existing=True
    )
    assert reservation is not None
    if reservation.state != m.ReservationState.ACTIVE:
        return
    if quantity >= reservation.quantity:
        await reservations.release(session, reservation.id)
        return
    await session.execute(
        update(m.Quant)
        .where(m.Quant.id == reservation.quant_id)
        .values(reserved=m.Quant.reserved - quantity)
        .execution_options(synchronize_session=False)
    )
    reservation.quantity -= quantity
    await session.flush()


async def reserve_on_quant(
    session: AsyncSession, quant_id: int, quantity: int, reference: str, user_id: int | None
) -> m.Reservation:
    """Reserve on one named quant (a picker took another lot from the same bin)."""
    result = await session.execute(
        update(m.Quant)
        .where(m.Quant.id == quant_id, m.Quant.on_hand - m.Quant.reserved >= quantity)
        .values(reserved=m.Quant.reserved + quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(
            ErrorCode.INSUFFICIENT_STOCK,
            "Not enough free stock of that lot here: pick the lot shown.",
            "code",
        )
    quant = await session.get(m.Quant, quant_id)
    assert quant is not None
    reservation = m.Reservation(
        quant_id=quant_id,
        item_id=quant.item_id,
        quantity=quantity,
        reference=reference,
        user_id=user_id,
    )
    session.add(reservation)
    await session.flush()
    return reservation


async def reserve_elsewhere(
    session: AsyncSession,
    *,
    item_id: int,
    warehouse_id: int,
    quantity: int,
    reference: str,
    exclude_bin_ids: set[int],
    expiring_after: date | None,
    user_id: int | None,
) -> list[m.Reservation]:
    """After a short pick: reserve the missing units on other bins, FEFO/FIFO,
    leaving out bins that wait for a count. Returns the new reservations."""
    item = await session.get(m.Item, item_id)
    assert item is not None
    rows = (
        await session.execute(
            select(m.Quant, m.Lot.expiry)
            .join(m.Bin, m.Bin.id == m.Quant.bin_id)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
            .where(
                m.Quant.item_id == item_id,
                m.Quant.status == m.StockStatus.AVAILABLE,
                m.Quant.on_hand > m.Quant.reserved,
                m.Bin.warehouse_id == warehouse_id,
                m.Bin.blocked.is_(False),
                m.Bin.needs_count.is_(False),
                m.Bin.id.not_in(exclude_bin_ids or {0}),
                m.Zone.kind.in_(RESERVABLE_ZONES),
            )
            .order_by(m.Quant.id)
            .with_for_update(of=m.Quant)
            .execution_options(populate_existing=True)
        )
    ).all()
    candidates = [
        (quant, expiry)
        for quant, expiry in rows
        if expiring_after is None or expiry is None or expiry > expiring_after
    ]
    if item.expiry_tracked:
        candidates.sort(key=lambda c: (c[1] is None, c[1] or date.max, c[0].received_at, c[0].id))
    else:
        candidates.sort(key=lambda c: (c[0].received_at, c[0].id))
    made: list[m.Reservation] = []
    remaining = quantity
    for quant, _ in candidates:
        if remaining == 0:
            break
        take = min(remaining, quant.on_hand - quant.reserved)
        if take > 0:
            made.append(await reserve_on_quant(session, quant.id, take, reference, user_id))
            remaining -= take
    return made
