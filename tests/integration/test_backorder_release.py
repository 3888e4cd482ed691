"""Backorders are released when stock arrives: the putaway that makes an item available
reserves it for the orders waiting on it, most urgent first, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from backend.core.db import models as m
from backend.demo import gtin13
from tests.integration.conftest import key
from tests.integration.test_inbound_support import (
    PUTAWAY,
    SUGGEST,
    approved_po,
    close,
    scan,
    start,
)
from tests.integration.test_outbound import create_order


async def test_putaway_reserves_for_waiting_orders_most_urgent_first(gql, session):
    item = m.Item(sku="BACK-1", name="Back-ordered kettle")
    session.add(item)
    await session.flush()
    gtin = "0" + gtin13("871234", 4242)
    session.add(m.ItemBarcode(item_id=item.id, gtin=gtin))
    customer = await session.scalar(select(m.Customer.code).order_by(m.Customer.id))
    await session.commit()
    planner = await gql.token("planner")
    later = await create_order(
        gql, planner, number="SO-BACK-LATE", lines=[("BACK-1", 3)], customer=customer, priority=8
    )
    urgent = await create_order(
        gql,
        planner,
        number="SO-BACK-URGENT",
        lines=[("BACK-1", 4)],
        customer=customer,
        priority=1,
    )
    assert later["order"]["state"] == urgent["order"]["state"] == "BACKORDERED"

    po = await approved_po(gql, [{"itemSku": "BACK-1", "quantity": 5, "unitPriceCents": 100}])
    receiver = await gql.token("receiver")
    receipt = (await start(gql, receiver, poCode=po["code"]))["receipt"]
    assert (await scan(gql, receiver, receipt["id"], gtin, quantity=5))["__typename"] == (
        "ScanReceiveSuccess"
    )
    task_id = (await close(gql, receiver, receipt["id"]))["putawayTaskIds"][0]
    # Received on the dock is not yet available: nothing is released before the putaway.
    states = dict((await session.execute(select(m.SalesOrder.number, m.SalesOrder.state))).all())
    assert states["SO-BACK-URGENT"] == "BACKORDERED"
    await session.rollback()

    plan = (await gql(SUGGEST, {"task": task_id}, token=receiver))["data"]["putawaySuggestion"]
    target = plan["suggestions"][0]["binCode"]
    put = await gql(
        PUTAWAY,
        {"input": {"taskId": task_id, "binCode": target, "idempotencyKey": key()}},
        token=receiver,
    )
    assert put["data"]["scanPutaway"]["__typename"] == "ScanPutawaySuccess", put
    rows = (
        await session.execute(
            select(m.SalesOrder.number, m.SalesOrder.state, m.SalesOrderLine.reserved)
            .join(m.SalesOrderLine, m.SalesOrderLine.order_id == m.SalesOrder.id)
            .where(m.SalesOrder.number.in_(["SO-BACK-LATE", "SO-BACK-URGENT"]))
        )
    ).all()
    assert {number: (state, reserved) for number, state, reserved in rows} == {
        "SO-BACK-URGENT": ("RESERVED", 4),
        "SO-BACK-LATE": ("PARTIALLY_RESERVED", 1),
    }
