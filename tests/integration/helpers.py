from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.analytics.aggregates import refresh
from backend.core.db import models as m
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


# Picked 10, 12, 8, 10, 10 on the last five complete days (see tests/unit/test_forecast.py).
DEMAND_HISTORY = (10, 12, 8, 10, 10)


async def item_with_demand(
    session: AsyncSession, sku: str, *, unit_cost_cents: int = 0, case: int | None = None
) -> m.Item:
    """A fresh item: 90 opened on a pick face 30 days ago, then DEMAND_HISTORY picked
    over the last five days (40 left), folded into the analytics so purchase
    suggestions see it. With `case`, it also comes in cases of that many."""
    face = await pick_face_bin(session)
    item = m.Item(sku=sku, name=f"Bought {sku}", unit_cost_cents=unit_cost_cents)
    session.add(item)
    await session.flush()
    if case is not None:
        session.add(m.ItemPackaging(item_id=item.id, name="case", quantity=case))
    now = datetime.now(UTC)
    opening = await apply_move(
        session,
        MoveRequest(
            item_id=item.id, quantity=90, reason=m.MoveReason.OPENING, destination=Place(face.id)
        ),
    )
    opening.at = now - timedelta(days=30)
    for days_ago, quantity in zip((5, 4, 3, 2, 1), DEMAND_HISTORY, strict=True):
        move = await apply_move(
            session,
            MoveRequest(
                item_id=item.id, quantity=quantity, reason=m.MoveReason.PICK, source=Place(face.id)
            ),
        )
        move.at = datetime.combine(
            now.date() - timedelta(days=days_ago), datetime.min.time(), UTC
        ) + timedelta(hours=10)
    await refresh(session, now + timedelta(minutes=1))  # settle the seed's own moves too
    await session.commit()
    return item
