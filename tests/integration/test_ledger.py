"""The quants always equal the sum of the ledger, and the database refuses the impossible."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches
from tests.integration.helpers import item_with_stock, pick_face_bin


async def test_moves_keep_quants_equal_to_the_ledger(session):
    item = await item_with_stock(session, "LED-1", 30)
    source = await pick_face_bin(session)
    target = await session.scalar(
        select(m.Bin).where(m.Bin.id != source.id).order_by(m.Bin.id.desc())
    )
    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=12,
            reason=m.MoveReason.MOVE,
            source=Place(source.id),
            destination=Place(target.id),
        ),
    )
    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=5,
            reason=m.MoveReason.STATUS_CHANGE,
            source=Place(target.id),
            destination=Place(target.id, m.StockStatus.DAMAGED),
        ),
    )
    await apply_move(
        session,
        MoveRequest(item_id=item.id, quantity=3, reason=m.MoveReason.SHIP, source=Place(source.id)),
    )
    await session.commit()
    quants = {
        (q.bin_id, q.status): q.on_hand
        for q in await session.scalars(select(m.Quant).where(m.Quant.item_id == item.id))
    }
    assert quants == {
        (source.id, "AVAILABLE"): 15,
        (target.id, "AVAILABLE"): 7,
        (target.id, "DAMAGED"): 5,
    }
    assert await ledger_mismatches(session) == []


async def test_taking_more_than_is_free_is_refused_and_changes_nothing(session):
    item = await item_with_stock(session, "LED-2", 4)
    item_id = item.id
    source = await pick_face_bin(session)
    with pytest.raises(DomainError) as refused:
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id, quantity=5, reason=m.MoveReason.SHIP, source=Place(source.id)
            ),
        )
    assert refused.value.code is ErrorCode.INSUFFICIENT_STOCK
    await session.rollback()
    quant = await session.scalar(select(m.Quant).where(m.Quant.item_id == item_id))
    assert quant.on_hand == 4
    assert await ledger_mismatches(session) == []


@pytest.mark.parametrize(
    "values",
    [{"on_hand": -1}, {"reserved": 5}, {"reserved": -1}],
    ids=["negative on hand", "reserved above on hand", "negative reserved"],
)
async def test_database_checks_are_the_backstop(session, values):
    item = await item_with_stock(session, f"LED-CK-{len(str(values))}{next(iter(values))}", 4)
    with pytest.raises(IntegrityError):
        await session.execute(update(m.Quant).where(m.Quant.item_id == item.id).values(**values))
        await session.flush()
    await session.rollback()
