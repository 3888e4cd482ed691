"""An order cancelled mid-pick: what was picked already goes back to storage through
a put-back (PUTAWAY) task; its reservations are released in the same transaction."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.outbound.allocation import line_reference
from tests.integration.test_packing import _bin
from tests.integration.test_packing_put_back import on_hand, put_away, put_back_jobs
from tests.integration.test_wave import (
    CONFIRM,
    PROGRESS,
    SCAN_BIN,
    SCAN_ITEM,
    released_task,
    step,
    tote,
)

CANCEL = """mutation($id: ID!) { cancelSalesOrder(input: {orderId: $id}) {
  __typename
  ... on CancelSalesOrderSuccess { releasedUnits unitsInTotes putBackTaskIds order { state } }
  ... on UserError { code message field } } }"""


async def test_an_order_cancelled_mid_pick_puts_its_picked_units_back(gql, session):
    ctx = await released_task(gql, session)
    picker, task = ctx["picker"], ctx["task"]
    gtins = {ref.sku: ref.gtin for ref in ctx["items"]}
    progress = await step(gql, PROGRESS, picker, id=task)
    stop = progress["next"]
    await step(gql, SCAN_BIN, picker, t=task, l=stop["lineId"], c=stop["binCode"])
    await step(gql, SCAN_ITEM, picker, t=task, l=stop["lineId"], c=gtins[stop["itemSku"]])
    quantity = stop["quantity"] if stop["askQuantity"] else None
    progress = await step(gql, CONFIRM, picker, t=task, l=stop["lineId"], tote=tote(1), q=quantity)
    assert progress["__typename"] == "PickProgress", progress
    picked = stop["quantity"]
    order = await session.scalar(
        select(m.SalesOrder).where(m.SalesOrder.number == stop["orderNumber"])
    )
    assert order is not None and order.state == "PICKING"
    order_id, number = order.id, order.number
    item_id = next(ref.id for ref in ctx["items"] if ref.sku == stop["itemSku"])
    pack_bin = await _bin(session, m.ZoneKind.PACKING)
    pack_id, pack_code = pack_bin.id, pack_bin.code
    await session.rollback()

    body = await gql(CANCEL, {"id": str(order_id)}, token=ctx["token"])
    cancelled = body["data"]["cancelSalesOrder"]
    assert cancelled["__typename"] == "CancelSalesOrderSuccess", cancelled
    assert cancelled["unitsInTotes"] == picked and cancelled["releasedUnits"] > 0
    assert cancelled["order"]["state"] == "CANCELLED"

    ((task_row, job),) = await put_back_jobs(session, number)
    assert (job.item_id, job.from_bin_id, job.quantity, job.put_away) == (
        item_id,
        pack_id,
        picked,
        0,
    )
    assert (task_row.kind, task_row.state, task_row.bin_id) == ("PUTAWAY", "OPEN", pack_id)
    put_back_task = task_row.id
    assert cancelled["putBackTaskIds"] == [str(put_back_task)]
    assert task_row.created_by is not None  # the planner who cancelled
    line_ids = await session.scalars(
        select(m.SalesOrderLine.id).where(m.SalesOrderLine.order_id == order_id)
    )
    active = await session.scalar(
        select(func.count())
        .select_from(m.Reservation)
        .where(
            m.Reservation.reference.in_([line_reference(i) for i in line_ids]),
            m.Reservation.state == m.ReservationState.ACTIVE,
        )
    )
    assert active == 0
    assert await on_hand(session, pack_id, item_id) == picked  # still where the pick put it
    await session.rollback()

    put = await put_away(gql, picker, put_back_task)
    assert put["taskDone"] and put["quantity"] == picked
    assert put["plan"]["fromBinCode"] == pack_code
    session.expire_all()
    assert await on_hand(session, pack_id, item_id) == 0
    assert await ledger_mismatches(session) == []
    await session.rollback()
    # A replayed cancel changes nothing more: no second put-back.
    again = await gql(CANCEL, {"id": str(order_id)}, token=ctx["token"])
    assert again["data"]["cancelSalesOrder"]["code"] == "INVALID_STATE"
    assert len(await put_back_jobs(session, number)) == 1
