"""Reservations: FEFO for expiry-tracked items, FIFO otherwise, never oversold.

Candidate quants are locked in primary-key order (FOR UPDATE on PostgreSQL,
BEGIN IMMEDIATE on SQLite) before anything is allocated, so concurrent
reservations queue up instead of deadlocking or double-promising.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import (
    Bin,
    Item,
    Lot,
    Quant,
    Reservation,
    ReservationState,
    StockStatus,
    Zone,
    ZoneKind,
)
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import check_quantity

RESERVABLE_ZONES = (ZoneKind.PICK_FACE, ZoneKind.RESERVE)


@dataclass(frozen=True)
class Allocation:
    reservation_id: int
    quant_id: int
    bin_id: int
    lot_id: int | None
    quantity: int


@dataclass(frozen=True)
class ReservationOutcome:
    requested: int
    allocations: tuple[Allocation, ...]

    @property
    def reserved(self) -> int:
        return sum(a.quantity for a in self.allocations)

    @property
    def short(self) -> int:
        return self.requested - self.reserved


@dataclass(frozen=True)
class _Candidate:
    quant: Quant
    expiry: date | None


def _pick_order(item: Item, candidates: list[_Candidate]) -> list[_Candidate]:
    if item.expiry_tracked:
        # FEFO: earliest expiry first; stock without a date goes last.
        return sorted(
            candidates,
            key=lambda c: (c.expiry is None, c.expiry or date.max, c.quant.received_at, c.quant.id),
        )
    return sorted(candidates, key=lambda c: (c.quant.received_at, c.quant.id))


async def reserve(
    session: AsyncSession,
    *,
    item_id: int,
    warehouse_id: int,
    quantity: int,
    reference: str,
    user_id: int | None = None,
    allow_partial: bool = False,
    expiring_after: date | None = None,
) -> ReservationOutcome:
    check_quantity(quantity)
    item = await session.get(Item, item_id)
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No such item.", "item")
    rows = (
        await session.execute(
            select(Quant, Lot.expiry)
            .join(Bin, Bin.id == Quant.bin_id)
            .join(Zone, Zone.id == Bin.zone_id)
            .outerjoin(Lot, Lot.id == Quant.lot_id)
            .where(
                Quant.item_id == item_id,
                Quant.status == StockStatus.AVAILABLE,
                Quant.on_hand > Quant.reserved,
                Bin.warehouse_id == warehouse_id,
                Bin.blocked.is_(False),
                Zone.kind.in_(RESERVABLE_ZONES),
            )
            .order_by(Quant.id)
            .with_for_update(of=Quant)
            .execution_options(populate_existing=True)
        )
    ).all()
    candidates = [_Candidate(quant, expiry) for quant, expiry in rows]
    if expiring_after is not None:
        candidates = [c for c in candidates if c.expiry is None or c.expiry > expiring_after]
    allocations: list[Allocation] = []
    remaining = quantity
    for candidate in _pick_order(item, candidates):
        if remaining == 0:
            break
        quant = candidate.quant
        take = min(remaining, quant.on_hand - quant.reserved)
        if take <= 0:
            continue
        await session.execute(
            update(Quant)
            .where(Quant.id == quant.id, Quant.on_hand - Quant.reserved >= take)
            .values(reserved=Quant.reserved + take)
            .execution_options(synchronize_session=False)
        )
        reservation = Reservation(
            quant_id=quant.id, item_id=item_id, quantity=take, reference=reference, user_id=user_id
        )
        session.add(reservation)
        await session.flush()
        allocations.append(Allocation(reservation.id, quant.id, quant.bin_id, quant.lot_id, take))
        remaining -= take
    if remaining and not allow_partial:
        raise DomainError(
            ErrorCode.INSUFFICIENT_STOCK,
            f"Only {quantity - remaining} of {quantity} available to reserve.",
            "quantity",
        )
    return ReservationOutcome(quantity, tuple(allocations))


async def release(session: AsyncSession, reservation_id: int) -> Reservation:
    reservation = await session.get(Reservation, reservation_id, with_for_update=True)
    if reservation is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such reservation.", "reservation")
    if reservation.state != ReservationState.ACTIVE:
        raise DomainError(ErrorCode.INVALID_STATE, "This reservation is no longer active.")
    await session.execute(
        update(Quant)
        .where(Quant.id == reservation.quant_id)
        .values(reserved=Quant.reserved - reservation.quantity)
        .execution_options(synchronize_session=False)
    )
    reservation.state = ReservationState.RELEASED
    await session.flush()
    return reservation
