"""Never oversold: concurrent reservations reserve exactly what is on hand."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.conftest import key
from tests.integration.helpers import item_with_stock

RESERVE = """mutation($sku: String!, $qty: Int!, $ref: String!, $key: String!) {
  reserveStock(input: {itemSku: $sku, quantity: $qty, reference: $ref, idempotencyKey: $key}) {
    __typename
    ... on ReserveStockSuccess { reserved lines { reservationId quantity } }
    ... on UserError { code message field }
  }
}"""


async def test_fifty_concurrent_reservations_of_one_against_twenty(gql, session):
    item = await item_with_stock(session, "CONC-1", 20)
    token = await gql.token("planner")
    results = await asyncio.gather(
        *[
            gql(RESERVE, {"sku": "CONC-1", "qty": 1, "ref": f"SO-{n}", "key": key()}, token=token)
            for n in range(50)
        ]
    )
    outcomes = [r["data"]["reserveStock"] for r in results]
    won = [o for o in outcomes if o["__typename"] == "ReserveStockSuccess"]
    lost = [o for o in outcomes if o["__typename"] != "ReserveStockSuccess"]
    assert len(won) == 20
    assert {o["code"] for o in lost} == {"INSUFFICIENT_STOCK"}
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    active = await session.scalar(
        select(func.sum(m.Reservation.quantity)).where(
            m.Reservation.item_id == item.id, m.Reservation.state == m.ReservationState.ACTIVE
        )
    )
    assert reserved == active == 20
    assert await ledger_mismatches(session) == []


async def test_a_replay_returns_the_first_answer_and_reserves_once(gql, session):
    item = await item_with_stock(session, "IDEM-1", 10)
    token = await gql.token("planner")
    variables = {"sku": "IDEM-1", "qty": 3, "ref": "SO-1", "key": key()}
    first, again = [await gql(RESERVE, variables, token=token) for _ in range(2)]
    assert first["data"]["reserveStock"]["__typename"] == "ReserveStockSuccess"
    assert first == again
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    assert reserved == 3


async def test_concurrent_replays_of_one_key_reserve_once(gql, session):
    item = await item_with_stock(session, "IDEM-2", 10)
    token = await gql.token("planner")
    variables = {"sku": "IDEM-2", "qty": 2, "ref": "SO-2", "key": key()}
    results = await asyncio.gather(*[gql(RESERVE, variables, token=token) for _ in range(8)])
    assert all(r == results[0] for r in results)
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    assert reserved == 2


async def test_the_same_key_for_another_request_is_refused(gql, session):
    await item_with_stock(session, "IDEM-3", 10)
    token = await gql.token("planner")
    shared = key()
    await gql(RESERVE, {"sku": "IDEM-3", "qty": 1, "ref": "A", "key": shared}, token=token)
    body = await gql(RESERVE, {"sku": "IDEM-3", "qty": 5, "ref": "A", "key": shared}, token=token)
    assert body["data"]["reserveStock"]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_bad_quantities_change_nothing(gql, session):
    item = await item_with_stock(session, "BAD-1", 10)
    token = await gql.token("planner")
    for qty, code in [
        (0, "INVALID_QUANTITY"),
        (-4, "INVALID_QUANTITY"),
        (10**9, "QUANTITY_TOO_LARGE"),
        (11, "INSUFFICIENT_STOCK"),
    ]:
        body = await gql(
            RESERVE, {"sku": "BAD-1", "qty": qty, "ref": "X", "key": key()}, token=token
        )
        assert body["data"]["reserveStock"]["code"] == code
    body = await gql(RESERVE, {"sku": "NOPE", "qty": 1, "ref": "X", "key": key()}, token=token)
    assert body["data"]["reserveStock"]["code"] == "ITEM_NOT_FOUND"
    body = await gql(RESERVE, {"sku": "BAD-1", "qty": 1, "ref": "X", "key": ""}, token=token)
    assert body["data"]["reserveStock"]["code"] == "IDEMPOTENCY_KEY_REQUIRED"
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    assert reserved == 0


async def test_fefo_reserves_the_earliest_expiry_first(gql, session):
    from datetime import date, timedelta

    from backend.inventory.ledger import MoveRequest, Place, apply_move
    from tests.integration.helpers import pick_face_bin

    bin_row = await pick_face_bin(session)
    item = m.Item(sku="FEFO-1", name="Yoghurt", tracking="LOT", expiry_tracked=True)
    session.add(item)
    await session.flush()
    late = m.Lot(item_id=item.id, lot_number="LATE", expiry=date.today() + timedelta(days=90))
    early = m.Lot(item_id=item.id, lot_number="EARLY", expiry=date.today() + timedelta(days=10))
    session.add_all([late, early])
    await session.flush()
    for lot in (late, early):
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=5,
                lot_id=lot.id,
                reason=m.MoveReason.OPENING,
                destination=Place(bin_row.id),
            ),
        )
    await session.commit()
    token = await gql.token("planner")
    body = await gql(RESERVE, {"sku": "FEFO-1", "qty": 7, "ref": "SO-F", "key": key()}, token=token)
    lines = body["data"]["reserveStock"]["lines"]
    quantities = {}
    for line in lines:
        reservation = await session.get(m.Reservation, int(line["reservationId"]))
        quant = await session.get(m.Quant, reservation.quant_id)
        quantities[quant.lot_id] = line["quantity"]
    assert quantities == {early.id: 5, late.id: 2}


RELEASE = """mutation($id: ID!, $key: String!) { releaseReservation(input: {reservationId: $id,
  idempotencyKey: $key}) { __typename ... on ReleaseReservationSuccess { quantity }
  ... on UserError { code } } }"""


async def test_a_released_reservation_frees_the_stock_once(gql, session):
    item = await item_with_stock(session, "REL-1", 5)
    token = await gql.token("planner")
    body = await gql(RESERVE, {"sku": "REL-1", "qty": 4, "ref": "SO-R", "key": key()}, token=token)
    reservation_id = body["data"]["reserveStock"]["lines"][0]["reservationId"]
    first = await gql(RELEASE, {"id": reservation_id, "key": key()}, token=token)
    assert first["data"]["releaseReservation"] == {
        "__typename": "ReleaseReservationSuccess",
        "quantity": 4,
    }
    again = await gql(RELEASE, {"id": reservation_id, "key": key()}, token=token)
    assert again["data"]["releaseReservation"]["code"] == "INVALID_STATE"
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    assert reserved == 0
