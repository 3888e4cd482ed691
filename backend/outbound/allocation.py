"""Reserving stock for sales order lines: channel pools, priority, FEFO/FIFO.

Every function here runs inside the caller's transaction. The item's stock rows
are locked (in primary-key order) before anything is counted, so two intakes of
the same scarce item queue up and never promise the same unit twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.base import utcnow
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


@dataclass
class OrderToReserve:
    """An order to reserve, with its customer (shelf life) and its lines."""

    order: m.SalesOrder
    customer: m.Customer
    lines: list[m.SalesOrderLine]


@dataclass
class _Quant:
    id: int
    item_id: int
    on_hand: int
    reserved: int
    expiry: date | None
    received_at: datetime
    # AVAILABLE, in an unblocked bin of a reservable zone: counts for pools and may be reserved.
    reservable: bool


@dataclass
class _Take:
    quant_id: int
    item_id: int
    quantity: int
    reference: str


@dataclass
class _Stock:
    """The locked stock of the items being reserved, in one warehouse: quants in pick
    order, channel pools and what each channel holds, changed in memory as lines are
    reserved; the writes wait in ``pending`` until ``write``."""

    warehouse_id: int
    items: dict[int, m.Item]
    user_id: int | None
    quants: dict[int, list[_Quant]] = field(default_factory=dict)
    pools: dict[int, list[m.ChannelStockPool]] = field(default_factory=dict)
    held: dict[tuple[int, str], int] = field(default_factory=dict)
    pending: list[_Take] = field(default_factory=list)

    async def load(self, session: AsyncSession, item_ids: set[int], *, pools: bool) -> None:
        """Lock and read every quant of these items (item by item, each in id order: the
        order every intake, edit and cancellation locks in), their pools and holdings."""
        ids = sorted(item_ids)
        if pools:
            for pool in await session.scalars(
                select(m.ChannelStockPool)
                .where(
                    m.ChannelStockPool.item_id.in_(ids),
                    m.ChannelStockPool.warehouse_id == self.warehouse_id,
                )
                .order_by(m.ChannelStockPool.id)
            ):
                self.pools.setdefault(pool.item_id, []).append(pool)
        rows = await session.execute(
            select(
                m.Quant.id,
                m.Quant.item_id,
                m.Quant.status,
                m.Quant.on_hand,
                m.Quant.reserved,
                m.Quant.received_at,
                m.Lot.expiry,
                m.Bin.blocked,
                m.Zone.kind,
            )
            .join(m.Bin, m.Bin.id == m.Quant.bin_id)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
            .where(m.Quant.item_id.in_(ids), m.Bin.warehouse_id == self.warehouse_id)
            .order_by(m.Quant.item_id, m.Quant.id)
            .with_for_update(of=m.Quant)
        )
        for item_id in ids:
            self.quants[item_id] = []
        for qid, item_id, status, on_hand, reserved, received_at, expiry, blocked, kind in rows:
            reservable = (
                status == m.StockStatus.AVAILABLE and not blocked and kind in RESERVABLE_ZONES
            )
            self.quants[item_id].append(
                _Quant(qid, item_id, on_hand, reserved, expiry, received_at, reservable)
            )
        for item_id in ids:
            self.quants[item_id] = _pick_order(self.items[item_id], self.quants[item_id])
        pooled = sorted(i for i in ids if self.pools.get(i))
        for key in [k for k in self.held if k[0] in item_ids]:
            del self.held[key]
        if pooled:
            held = await session.execute(
                select(
                    m.SalesOrderLine.item_id,
                    m.SalesOrder.channel,
                    func.sum(m.SalesOrderLine.reserved),
                )
                .join(m.SalesOrderLine, m.SalesOrderLine.order_id == m.SalesOrder.id)
                .where(
                    m.SalesOrderLine.item_id.in_(pooled),
                    m.SalesOrder.warehouse_id == self.warehouse_id,
                    m.SalesOrderLine.reserved > 0,
                )
                .group_by(m.SalesOrderLine.item_id, m.SalesOrder.channel)
            )
            for item_id, channel, total in held:
                self.held[(item_id, channel)] = int(total or 0)

    def allowance(self, item_id: int, channel: str) -> int | None:
        """As ``channel_allowance``, from the loaded stock."""
        pools = self.pools.get(item_id)
        if not pools:
            return None
        quants = [q for q in self.quants[item_id] if q.reservable]
        on_hand = sum(q.on_hand for q in quants)
        free = sum(q.on_hand - q.reserved for q in quants)
        fenced_for_others = 0
        own_cap: int | None = None
        for pool in pools:
            size = pool_size(pool, on_hand)
            if pool.channel == channel:
                own_cap = size - self.held.get((item_id, channel), 0)
            else:
                fenced_for_others += max(0, size - self.held.get((item_id, pool.channel), 0))
        allowance = free - fenced_for_others
        if own_cap is not None:
            allowance = min(allowance, own_cap)
        return max(0, allowance)

    def take(
        self,
        line: m.SalesOrderLine,
        channel: str,
        quantity: int,
        expiring_after: date | None,
    ) -> int:
        """Reserve up to ``quantity`` for the line, FEFO/FIFO, in memory."""
        remaining = quantity
        for quant in self.quants[line.item_id]:
            if remaining <= 0:
                break
            if not quant.reservable or quant.on_hand <= quant.reserved:
                continue
            if expiring_after is not None and quant.expiry is not None:
                if quant.expiry <= expiring_after:
                    continue
            take = min(remaining, quant.on_hand - quant.reserved)
            quant.reserved += take
            self.pending.append(_Take(quant.id, line.item_id, take, line_reference(line.id)))
            remaining -= take
        got = max(0, quantity) - max(0, remaining)
        line.reserved += got
        key = (line.item_id, channel)
        self.held[key] = self.held.get(key, 0) + got
        return got

    async def write(self, session: AsyncSession) -> None:
        """The reservations taken so far: quants raised in one executemany, reservations
        inserted in one, lines (and anything else changed) flushed."""
        if self.pending:
            quants = m.Quant.__table__
            assert isinstance(quants, Table)
            await session.execute(
                quants.update()
                .where(
                    quants.c.id == bindparam("qid"),
                    quants.c.on_hand - quants.c.reserved >= bindparam("take"),
                )
                .values(reserved=quants.c.reserved + bindparam("take")),
                [{"qid": t.quant_id, "take": t.quantity} for t in self.pending],
            )
            now = utcnow()
            await session.execute(
                insert(m.Reservation),
                [
                    {
                        "quant_id": t.quant_id,
                        "item_id": t.item_id,
                        "quantity": t.quantity,
                        "reference": t.reference,
                        "state": m.ReservationState.ACTIVE,
                        "user_id": self.user_id,
                        "created_at": now,
                    }
                    for t in self.pending
                ],
            )
            self.pending.clear()
        await session.flush()


def _pick_order(item: m.Item, quants: list[_Quant]) -> list[_Quant]:
    """FEFO for expiry-tracked items (no date last), FIFO otherwise; as ``reservations``."""
    if item.expiry_tracked:
        return sorted(
            quants,
            key=lambda q: (q.expiry is None, q.expiry or date.max, q.received_at, q.id),
        )
    return sorted(quants, key=lambda q: (q.received_at, q.id))


async def reserve_orders(
    session: AsyncSession,
    batch: Sequence[OrderToReserve],
    items: dict[int, m.Item],
    user_id: int | None,
) -> None:
    """Reserve what is missing on every line of these orders, in the batch's order and
    each order's lines by item: the stock of all their items is locked and read once
    (per warehouse), allocated in memory and written in a few statements. A short line
    lets less urgent orders give way (``_preempt``), which reads that item again."""
    by_warehouse: dict[int, list[OrderToReserve]] = {}
    for entry in batch:
        by_warehouse.setdefault(entry.order.warehouse_id, []).append(entry)
    for warehouse_id, entries in by_warehouse.items():
        item_ids = {line.item_id for e in entries for line in e.lines}
        stock = _Stock(warehouse_id, items, user_id)
        if item_ids:
            await stock.load(session, item_ids, pools=True)
        for entry in entries:
            await _reserve_entry(session, stock, entry)
        await stock.write(session)
        for entry in entries:
            _follow(entry)
    await session.flush()


async def _reserve_entry(session: AsyncSession, stock: _Stock, entry: OrderToReserve) -> None:
    order = entry.order
    expiring_after = shelf_life_floor(entry.customer)
    for line in sorted(entry.lines, key=lambda x: (x.item_id, x.id)):
        wanted = line.quantity - line.reserved - line.picked - line.short
        if wanted <= 0:
            continue
        allowance = stock.allowance(line.item_id, order.channel)
        target = wanted if allowance is None else min(wanted, allowance)
        got = stock.take(line, order.channel, target, expiring_after) if target > 0 else 0
        if got < wanted:
            # Scarce: less urgent orders of the same channel give way. They are found in
            # the database, so what this batch reserved so far is written first.
            await stock.write(session)
            if await _preempt(session, order, line, wanted - got):
                await stock.load(session, {line.item_id}, pools=False)
                allowance = stock.allowance(line.item_id, order.channel)
                more = wanted - got if allowance is None else min(wanted - got, allowance)
                if more > 0:
                    got += stock.take(line, order.channel, more, expiring_after)
        line.backordered = got < wanted


def _follow(entry: OrderToReserve) -> None:
    """As ``refresh_order_state``, from the lines in hand."""
    order = entry.order
    if order.state not in (
        m.OrderState.NEW,
        m.OrderState.RESERVED,
        m.OrderState.PARTIALLY_RESERVED,
        m.OrderState.BACKORDERED,
    ):
        return
    covered = sum(line.reserved for line in entry.lines)
    needed = sum(line.quantity - line.short - line.picked for line in entry.lines)
    order_states.follow_reservations(order, covered, needed)


async def reserve_order(
    session: AsyncSession, order: m.SalesOrder, user_id: int | None
) -> list[LineOutcome]:
    customer = await session.get(m.Customer, order.customer_id)
    assert customer is not None
    lines = list(
        await session.scalars(
            select(m.SalesOrderLine)
            .where(m.SalesOrderLine.order_id == order.id)
            .order_by(m.SalesOrderLine.item_id, m.SalesOrderLine.id)
        )
    )
    before = {line.id: line.reserved for line in lines}
    wanted = {line.id: line.quantity - line.reserved - line.picked - line.short for line in lines}
    item_ids = sorted({line.item_id for line in lines})
    items = {
        item.id: item
        for item in await session.scalars(select(m.Item).where(m.Item.id.in_(item_ids)))
    }
    await reserve_orders(session, [OrderToReserve(order, customer, lines)], items, user_id)
    return [
        LineOutcome(line.id, max(0, wanted[line.id]), line.reserved - before[line.id])
        if wanted[line.id] > 0
        else LineOutcome(line.id, 0, 0)
        for line in lines
    ]


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
