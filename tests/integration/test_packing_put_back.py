"""Short-shipped units go back to storage: a put-back (PUTAWAY) task from the packing
bin, worked on the handheld's putaway screen, stock moved through the ledger."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.outbound.allocation import line_reference, reserve_on_quant
from tests.integration.conftest import key
from tests.integration.helpers import pick_face_bin
from tests.integration.test_inbound_support import PUTAWAY, SUGGEST
from tests.integration.test_packing import SHORT, Article, _bin, close, picked_order, scan, start


async def put_back_jobs(session: Any, order_number: str) -> list[tuple[m.Task, m.PutawayJob]]:
    rows = await session.execute(
        select(m.Task, m.PutawayJob)
        .join(m.PutawayJob, m.PutawayJob.task_id == m.Task.id)
        .where(m.Task.reference == order_number, m.Task.kind == m.TaskKind.PUTAWAY)
        .order_by(m.Task.id)
    )
    return [(task, job) for task, job in rows]


async def on_hand(session: Any, bin_id: int, item_id: int) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(
            m.Quant.bin_id == bin_id, m.Quant.item_id == item_id
        )
    )
    return int(total)


async def put_away(gql: Any, token: str, task_id: int) -> dict[str, Any]:
    """What the picker's putaway screen does: ask where, scan the first suggestion."""
    plan = (await gql(SUGGEST, {"task": str(task_id)}, token=token))["data"]["putawaySuggestion"]
    assert plan["__typename"] == "PutawayPlan" and plan["suggestions"], plan
    target = plan["suggestions"][0]["binCode"]
    body = await gql(
        PUTAWAY,
        {"input": {"taskId": str(task_id), "binCode": target, "idempotencyKey": key()}},
        token=token,
    )
    put = body["data"]["scanPutaway"]
    assert put["__typename"] == "ScanPutawaySuccess", put
    return {**put, "plan": plan}


async def test_short_shipped_units_are_put_back_from_the_packing_bin(gql, session):
    order = await picked_order(session, Article("A", 3), Article("B", 2))
    packer = await gql.token("packer")
    session_id = (await start(gql, packer, order.tote))["session"]["id"]
    assert (await scan(gql, packer, session_id, order.gtins["A"], 2))["__typename"] == (
        "PackScanSuccess"
    )
    supervisor = await gql.token("supervisor")
    blank = await gql(SHORT, {"session": session_id, "reason": " ", "key": key()}, token=supervisor)
    assert blank["data"]["shortShip"]["code"] == "INVALID_INPUT"
    assert await put_back_jobs(session, order.number) == []  # a refusal creates nothing
    await session.rollback()

    shorted = await gql(
        SHORT, {"session": session_id, "reason": "B crushed", "key": key()}, token=supervisor
    )
    assert shorted["data"]["shortShip"]["session"]["complete"], shorted
    pack_bin = await _bin(session, m.ZoneKind.PACKING)
    pack_id, pack_code = pack_bin.id, pack_bin.code
    jobs = await put_back_jobs(session, order.number)
    assert [(job.item_id, job.from_bin_id, job.quantity, job.put_away) for _, job in jobs] == [
        (order.item_ids["A"], pack_bin.id, 1, 0),
        (order.item_ids["B"], pack_bin.id, 2, 0),
    ]
    assert {(t.state, t.role, t.bin_id) for t, _ in jobs} == {("OPEN", "picker", pack_bin.id)}
    tasks = [(task.id, job.quantity) for task, job in jobs]
    lines = {
        line.item_id: (line.picked, line.short)
        for line in await session.scalars(
            select(m.SalesOrderLine).where(m.SalesOrderLine.order_id == order.order_id)
        )
    }
    assert lines == {order.item_ids["A"]: (2, 1), order.item_ids["B"]: (0, 2)}
    # Nothing moved yet: the units are still in the packing bin, where they are.
    assert await on_hand(session, pack_bin.id, order.item_ids["B"]) == 2
    await session.rollback()

    closed = await close(gql, packer, session_id)
    assert closed["orderPacked"], closed
    picker = await gql.token("picker")
    for task_id, quantity in tasks:
        put = await put_away(gql, picker, task_id)
        assert put["quantity"] == quantity and put["taskDone"], put
        assert put["plan"]["fromBinCode"] == pack_code
    session.expire_all()
    assert await on_hand(session, pack_id, order.item_ids["A"]) == 0
    assert await on_hand(session, pack_id, order.item_ids["B"]) == 0
    moved = await session.scalar(
        select(func.sum(m.StockMove.quantity)).where(
            m.StockMove.reason == m.MoveReason.PUTAWAY,
            m.StockMove.from_bin_id == pack_id,
            m.StockMove.item_id.in_(order.item_ids.values()),
        )
    )
    assert moved == 3
    assert await ledger_mismatches(session) == []


async def test_a_short_ship_of_everything_cancels_the_order_and_releases_its_reservations(
    gql, session
):
    order = await picked_order(session, Article("A", 2))
    # The line also holds 3 more units on a shelf (reserved after a backorder).
    line = await session.scalar(
        select(m.SalesOrderLine).where(m.SalesOrderLine.order_id == order.order_id)
    )
    assert line is not None
    face = await pick_face_bin(session)
    quant = await session.scalar(
        select(m.Quant).where(m.Quant.item_id == order.item_ids["A"], m.Quant.bin_id == face.id)
    )
    assert quant is not None
    line.quantity += 3
    await reserve_on_quant(session, quant.id, 3, line_reference(line.id), None)
    line.reserved = 3
    line_id, quant_id, item_id = line.id, quant.id, quant.item_id
    await session.commit()

    packer = await gql.token("packer")
    session_id = (await start(gql, packer, order.tote))["session"]["id"]
    supervisor = await gql.token("supervisor")
    shorted = await gql(
        SHORT, {"session": session_id, "reason": "tote lost", "key": key()}, token=supervisor
    )
    assert shorted["data"]["shortShip"]["session"]["state"] == "CANCELLED", shorted
    session.expire_all()
    row = await session.get(m.SalesOrder, order.order_id)
    assert row is not None and row.state == "CANCELLED" and row.cancelled_at is not None
    assert (await session.get(m.Quant, quant_id)).reserved == 0  # type: ignore[union-attr]
    active = await session.scalar(
        select(func.count())
        .select_from(m.Reservation)
        .where(
            m.Reservation.reference == line_reference(line_id),
            m.Reservation.state == m.ReservationState.ACTIVE,
        )
    )
    assert active == 0
    after = await session.get(m.SalesOrderLine, line_id)
    assert after is not None and (after.reserved, after.picked, after.short) == (0, 0, 2)
    (task_job,) = await put_back_jobs(session, order.number)
    task_id = task_job[0].id
    assert task_job[1].quantity == 2
    await session.rollback()
    # The order cannot be packed again: its units are on their way back.
    again = await start(gql, packer, order.tote)
    assert (again["__typename"], again["code"]) == ("NotFoundError", "ORDER_NOT_FOUND")
    put = await put_away(gql, await gql.token("picker"), task_id)
    assert put["taskDone"]
    session.expire_all()
    assert await on_hand(session, (await _bin(session, m.ZoneKind.PACKING)).id, item_id) == 0
    assert await ledger_mismatches(session) == []
