from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move


async def pick_face_bin(session: AsyncSession) -> m.Bin:
    row = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == m.ZoneKind.PICK_FACE)
        .order_by(m.Bin.id)
    )
    assert row is not None
    return row


async def item_with_stock(session: AsyncSession, sku: str, quantity: int) -> m.Item:
    """A fresh item with exactly `quantity` on one pick-face bin, entered through the ledger."""
    bin_row = await pick_face_bin(session)
    item = m.Item(sku=sku, name=f"Test item {sku}")
    session.add(item)
    await session.flush()
    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=quantity,
            reason=m.MoveReason.OPENING,
            destination=Place(bin_row.id),
            reference="test",
        ),
    )
    await session.commit()
    return item
