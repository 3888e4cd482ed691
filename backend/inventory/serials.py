"""The life of a serialised unit after receipt: in stock, then shipped or returned.

Receiving creates the row (`register_received`, after `check_receivable`); the flows where a unit leaves
the warehouse call `mark_left` in their own transaction, so the serial register
changes together with the ledger. A customer return of a shipped serial makes
it IN_STOCK again (receiving does that too).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError, ErrorCode


async def check_receivable(session: AsyncSession, item_id: int, serial: str) -> None:
    """A serial already in stock cannot arrive again (a scan read twice, a cloned label)."""
    known = await _row(session, item_id, serial)
    if known is not None and known.state == m.SerialState.IN_STOCK:
        raise DomainError(
            ErrorCode.SERIAL_IN_STOCK, f"Serial {serial} is already in stock.", "code"
        )


async def register_received(
    session: AsyncSession, item_id: int, serial: str, receipt_line_id: int
) -> m.SerialNumber:
    """The unit is in stock on this receipt line: a new serial, or one that left once
    and comes back (a customer return)."""
    known = await _row(session, item_id, serial)
    if known is None:
        known = m.SerialNumber(item_id=item_id, serial=serial, receipt_line_id=receipt_line_id)
        session.add(known)
        return known
    known.state = m.SerialState.IN_STOCK
    known.receipt_line_id = receipt_line_id
    known.received_at = utcnow()
    known.left_at = None
    known.left_reference = None
    return known


async def _row(session: AsyncSession, item_id: int, serial: str) -> m.SerialNumber | None:
    return await session.scalar(
        select(m.SerialNumber).where(
            m.SerialNumber.item_id == item_id, m.SerialNumber.serial == serial
        )
    )


async def mark_left(
    session: AsyncSession,
    item_id: int,
    serials: Iterable[str],
    state: m.SerialState,
    reference: str,
) -> int:
    """Units leave: their serials are no longer in stock. Returns how many changed."""
    wanted = sorted(set(serials))
    if not wanted:
        return 0
    result = await session.execute(
        update(m.SerialNumber)
        .where(
            m.SerialNumber.item_id == item_id,
            m.SerialNumber.serial.in_(wanted),
            m.SerialNumber.state == m.SerialState.IN_STOCK,
        )
        .values(state=state, left_at=utcnow(), left_reference=reference[:80])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_receipt_line_left(
    session: AsyncSession, receipt_line_id: int, state: m.SerialState, reference: str
) -> int:
    """Every unit of one receipt line leaves (a failed QC line returned to its vendor)."""
    result = await session.execute(
        update(m.SerialNumber)
        .where(
            m.SerialNumber.receipt_line_id == receipt_line_id,
            m.SerialNumber.state == m.SerialState.IN_STOCK,
        )
        .values(state=state, left_at=utcnow(), left_reference=reference[:80])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class SerialTrace:
    serial: str
    item: m.Item
    state: str
    received_at: datetime
    receipt_id: int | None
    warehouse_id: int | None
    lot_number: str | None
    left_at: datetime | None
    left_reference: str | None


async def trace(session: AsyncSession, item: m.Item, serial: str) -> SerialTrace | None:
    row = await session.scalar(
        select(m.SerialNumber).where(
            m.SerialNumber.item_id == item.id, m.SerialNumber.serial == serial.strip()
        )
    )
    if row is None:
        return None
    receipt_id = warehouse_id = None
    lot_number = None
    if row.receipt_line_id is not None:
        found = (
            await session.execute(
                select(m.ReceiptLine.receipt_id, m.Receipt.warehouse_id, m.Lot.lot_number)
                .join(m.Receipt, m.Receipt.id == m.ReceiptLine.receipt_id)
                .outerjoin(m.Lot, m.Lot.id == m.ReceiptLine.lot_id)
                .where(m.ReceiptLine.id == row.receipt_line_id)
            )
        ).first()
        if found is not None:
            receipt_id, warehouse_id, lot_number = found
    return SerialTrace(
        serial=row.serial,
        item=item,
        state=row.state,
        received_at=row.received_at,
        receipt_id=receipt_id,
        warehouse_id=warehouse_id,
        lot_number=lot_number,
        left_at=row.left_at,
        left_reference=row.left_reference,
    )
