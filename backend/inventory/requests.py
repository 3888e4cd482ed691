"""Reservations asked for by hand (the reserveStock / releaseReservation mutations):
the request checked, then handed to backend/inventory/reservations.py."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.inventory import reservations


async def reserve_by_sku(
    session: AsyncSession,
    principal: Principal,
    *,
    warehouse_id: int,
    item_sku: str,
    quantity: int,
    reference: str,
    allow_partial: bool,
) -> reservations.ReservationOutcome:
    """Promise stock of an item (by SKU) to a named demand in one warehouse."""
    reference = reference.strip()
    if not reference or len(reference) > 80:
        raise DomainError(ErrorCode.INVALID_INPUT, "A reference of 1–80 characters.", "reference")
    item_id = await session.scalar(select(m.Item.id).where(m.Item.sku == item_sku))
    if item_id is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    return await reservations.reserve(
        session,
        item_id=item_id,
        warehouse_id=warehouse_id,
        quantity=quantity,
        reference=reference,
        user_id=principal.user_id,
        allow_partial=allow_partial,
    )


async def release_in_scope(
    session: AsyncSession, principal: Principal, reservation_id: int
) -> m.Reservation:
    """Give a reservation back, if it holds stock of one of the caller's warehouses."""
    warehouse_id = await session.scalar(
        select(m.Bin.warehouse_id)
        .join(m.Quant, m.Quant.bin_id == m.Bin.id)
        .join(m.Reservation, m.Reservation.quant_id == m.Quant.id)
        .where(m.Reservation.id == reservation_id)
    )
    if warehouse_id is not None and not principal.in_scope(warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.")
    return await reservations.release(session, reservation_id)
