"""Sales orders: intake with reservation (FEFO/FIFO, shelf life, pools, priority),
never oversold under concurrency, cancellation, and bad input."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches

CREATE = """mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) {
  __typename
  ... on SalesOrderSuccess { order { id number state channel priority
      lines { lineNo itemSku quantity reserved backordered } } }
  ... on UserError { code message field } } }"""

CANCEL = """mutation($id: ID!) { cancelSalesOrder(input: {orderId: $id}) {
  __typename
  ... on CancelSalesOrderSuccess { releasedUnits unitsInTotes closedTaskIds order { state } }
  ... on UserError { code message field } } }"""


def gtin14(n: int) -> str:
    body = f"0871999{n:06d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@dataclass(frozen=True)
class ItemRef:
    id: int
    sku: str
    gtin: str


@dataclass(frozen=True)
class Stock:
    bin: m.Bin
    quantity: int
    lot: str | None = None
    expiry: date | None = None


async def bins(session: AsyncSession, kind: str = m.ZoneKind.PICK_FACE) -> list[m.Bin]:
    rows = await session.scalars(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == kind)
        .order_by(m.Bin.aisle, m.Bin.bay, m.Bin.level, m.Bin.id)
    )
    found = list(rows)
    for row in found:
        session.expunge(row)  # plain values that survive the commits below
    return found


async def make_item(
    session: AsyncSession, sku: str, stock: list[Stock], *, gtin_no: int, expiry: bool = False
) -> ItemRef:
    """A fresh item with a GTIN and stock entered through the ledger."""
    item = m.Item(
        sku=sku,
        name=f"Item {sku}",
        tracking=m.Tracking.LOT if expiry else m.Tracking.NONE,
        expiry_tracked=expiry,
        length_mm=100,
        width_mm=100,
        height_mm=100,
        weight_g=500,
    )
    session.add(item)
    await session.flush()
    session.add(m.ItemBarcode(item_id=item.id, gtin=gtin14(gtin_no)))
    for place in stock:
        lot_id = None
        if place.lot is not None:
            lot = await session.scalar(
                select(m.Lot).where(m.Lot.item_id == item.id, m.Lot.lot_number == place.lot)
            )
            if lot is None:
                lot = m.Lot(item_id=item.id, lot_number=place.lot, expiry=place.expiry)
                session.add(lot)
                await session.flush()
            lot_id = lot.id
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=place.quantity,
                reason=m.MoveReason.OPENING,
                lot_id=lot_id,
                destination=Place(place.bin.id),
                reference="test",
            ),
        )
    ref = ItemRef(item.id, sku, gtin14(gtin_no))
    await session.commit()
    return ref


async def make_customer(session: AsyncSession, code: str, shelf_days: int = 0) -> str:
    session.add(m.Customer(code=code, name=f"Customer {code}", min_shelf_life_days=shelf_days))
    await session.commit()
    return code


def order_input(
    number: str,
    lines: list[tuple[str, int]],
    customer: str,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "number": number,
        "customerCode": customer,
        "lines": [{"itemSku": sku, "quantity": qty} for sku, qty in lines],
        **extra,
    }


async def create_order(gql: Any, token: str, **kw: Any) -> dict[str, Any]:
    body = await gql(CREATE, {"input": order_input(**kw)}, token=token)
    assert "errors" not in body, body
    return body["data"]["createSalesOrder"]  # type: ignore[no-any-return]


async def reserved_on(session: AsyncSession, item_id: int) -> dict[int, int]:
    """Reserved units per bin of an item, read fresh."""
    session.expire_all()
    rows = await session.execute(
        select(m.Quant.bin_id, func.sum(m.Quant.reserved))
        .where(m.Quant.item_id == item_id)
        .group_by(m.Quant.bin_id)
    )
    found = {b: int(r) for b, r in rows if r}
    await session.rollback()  # SQLite's single connection goes back to the pool
    return found


async def test_an_order_reserves_fefo_and_respects_shelf_life(gql, session):
    faces = await bins(session)
    today = date.today()
    item = await make_item(
        session,
        "FEFO-1",
        [
            Stock(faces[0], 5, "LATE", today + timedelta(days=200)),
            Stock(faces[1], 5, "SOON", today + timedelta(days=10)),
            Stock(faces[2], 5, "MID", today + timedelta(days=60)),
        ],
        gtin_no=1,
        expiry=True,
    )
    plain = await make_customer(session, "C-PLAIN")
    picky = await make_customer(session, "C-PICKY", shelf_days=30)
    token = await gql.token("planner")
    first = await create_order(gql, token, number="SO-F1", lines=[("FEFO-1", 7)], customer=plain)
    assert first["order"]["state"] == "RESERVED"
    # Earliest expiry first: all 5 of SOON, then 2 of MID; LATE untouched.
    assert await reserved_on(session, item.id) == {faces[1].id: 5, faces[2].id: 2}
    second = await create_order(gql, token, number="SO-F2", lines=[("FEFO-1", 6)], customer=picky)
    # MID (3 left) then LATE; SOON would have been skipped anyway for a 30-day customer.
    assert second["order"]["state"] == "RESERVED"
    assert await reserved_on(session, item.id) == {
        faces[1].id: 5,
        faces[2].id: 5,
        faces[0].id: 3,
    }


async def test_fifo_for_items_without_expiry(gql, session):
    faces = await bins(session)
    item = await make_item(session, "FIFO-1", [Stock(faces[3], 4), Stock(faces[4], 4)], gtin_no=2)
    customer = await make_customer(session, "C-FIFO")
    token = await gql.token("planner")
    await create_order(gql, token, number="SO-FIFO", lines=[("FIFO-1", 5)], customer=customer)
    assert await reserved_on(session, item.id) == {faces[3].id: 4, faces[4].id: 1}


async def test_short_stock_gives_partial_reservation_and_backorder(gql, session):
    faces = await bins(session)
    await make_item(session, "SHORT-1", [Stock(faces[0], 3)], gtin_no=3)
    await make_item(session, "NONE-1", [], gtin_no=4)
    customer = await make_customer(session, "C-SHORT")
    token = await gql.token("planner")
    partial = await create_order(
        gql, token, number="SO-P", lines=[("SHORT-1", 5), ("NONE-1", 1)], customer=customer
    )
    assert partial["order"]["state"] == "PARTIALLY_RESERVED"
    assert [(x["reserved"], x["backordered"]) for x in partial["order"]["lines"]] == [
        (3, True),
        (0, True),
    ]
    nothing = await create_order(
        gql, token, number="SO-N", lines=[("NONE-1", 2)], customer=customer
    )
    assert nothing["order"]["state"] == "BACKORDERED"


async def test_concurrent_intake_never_oversells(gql, session):
    faces = await bins(session)
    item = await make_item(session, "SCARCE-1", [Stock(faces[0], 6), Stock(faces[5], 4)], gtin_no=5)
    customer = await make_customer(session, "C-RUSH")
    token = await gql.token("planner")
    results = await asyncio.gather(
        *[
            gql(
                CREATE,
                {"input": order_input(f"SO-RUSH-{n}", [("SCARCE-1", 1)], customer)},
                token=token,
            )
            for n in range(30)
        ]
    )
    states = [r["data"]["createSalesOrder"]["order"]["state"] for r in results]
    assert states.count("RESERVED") == 10
    assert states.count("BACKORDERED") == 20
    session.expire_all()
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    promised = await session.scalar(
        select(func.sum(m.SalesOrderLine.reserved)).where(m.SalesOrderLine.item_id == item.id)
    )
    active = await session.scalar(
        select(func.sum(m.Reservation.quantity)).where(
            m.Reservation.item_id == item.id, m.Reservation.state == m.ReservationState.ACTIVE
        )
    )
    assert reserved == promised == active == 10
    assert await ledger_mismatches(session) == []


POOL = """mutation($input: SetChannelStockPoolInput!) { setChannelStockPool(input: $input) {
  __typename ... on ChannelStockPoolSuccess { pool { channel itemSku percent fixedQuantity } }
  ... on UserError { code field } } }"""


async def test_channel_pools_ring_fence_stock(gql, session):
    faces = await bins(session)
    await make_item(session, "POOL-1", [Stock(faces[0], 10)], gtin_no=6)
    await make_item(session, "POOL-2", [Stock(faces[1], 10)], gtin_no=7)
    customer = await make_customer(session, "C-POOL")
    token = await gql.token("planner")
    fixed = await gql(
        POOL, {"input": {"channel": "web", "itemSku": "POOL-1", "fixedQuantity": 4}}, token=token
    )
    assert fixed["data"]["setChannelStockPool"]["pool"] == {
        "channel": "WEB",
        "itemSku": "POOL-1",
        "percent": None,
        "fixedQuantity": 4,
    }
    shop = await create_order(
        gql, token, number="SO-SHOP", lines=[("POOL-1", 10)], customer=customer, channel="SHOP"
    )
    assert shop["order"]["lines"][0]["reserved"] == 6  # 4 are fenced for WEB
    web = await create_order(
        gql, token, number="SO-WEB", lines=[("POOL-1", 6)], customer=customer, channel="WEB"
    )
    assert web["order"]["lines"][0]["reserved"] == 4  # WEB may hold at most its pool
    await gql(POOL, {"input": {"channel": "WEB", "itemSku": "POOL-2", "percent": 30}}, token=token)
    web2 = await create_order(
        gql, token, number="SO-WEB2", lines=[("POOL-2", 5)], customer=customer, channel="WEB"
    )
    assert web2["order"]["lines"][0]["reserved"] == 3
    bad = [
        {"channel": "WEB", "itemSku": "POOL-1", "percent": 10, "fixedQuantity": 1},
        {"channel": "WEB", "itemSku": "POOL-1", "percent": 101},
        {"channel": "W E B", "itemSku": "POOL-1", "percent": 10},
        {"channel": "WEB", "itemSku": "NOPE", "percent": 10},
    ]
    for value in bad:
        body = await gql(POOL, {"input": value}, token=token)
        assert body["data"]["setChannelStockPool"]["__typename"] != "ChannelStockPoolSuccess"


async def test_an_urgent_order_takes_scarce_stock_from_a_less_urgent_one(gql, session):
    faces = await bins(session)
    await make_item(session, "PRIO-1", [Stock(faces[0], 5)], gtin_no=8)
    customer = await make_customer(session, "C-PRIO")
    token = await gql.token("planner")
    slow = await create_order(
        gql, token, number="SO-SLOW", lines=[("PRIO-1", 5)], customer=customer, priority=9
    )
    assert slow["order"]["state"] == "RESERVED"
    urgent = await create_order(
        gql, token, number="SO-URGENT", lines=[("PRIO-1", 3)], customer=customer, priority=1
    )
    assert urgent["order"]["state"] == "RESERVED"
    body = await gql(
        '{ salesOrder(number: "SO-SLOW") { state lines { reserved backordered } } }',
        token=token,
    )
    assert body["data"]["salesOrder"] == {
        "state": "PARTIALLY_RESERVED",
        "lines": [{"reserved": 2, "backordered": True}],
    }


async def test_cancel_releases_reservations(gql, session):
    faces = await bins(session)
    item = await make_item(session, "CXL-1", [Stock(faces[0], 5)], gtin_no=9)
    customer = await make_customer(session, "C-CXL")
    token = await gql.token("planner")
    made = await create_order(gql, token, number="SO-CXL", lines=[("CXL-1", 4)], customer=customer)
    order_id = made["order"]["id"]
    body = await gql(CANCEL, {"id": order_id}, token=token)
    assert body["data"]["cancelSalesOrder"] == {
        "__typename": "CancelSalesOrderSuccess",
        "releasedUnits": 4,
        "unitsInTotes": 0,
        "closedTaskIds": [],
        "order": {"state": "CANCELLED"},
    }
    assert await reserved_on(session, item.id) == {}
    again = await gql(CANCEL, {"id": order_id}, token=token)
    assert again["data"]["cancelSalesOrder"]["code"] == "INVALID_STATE"
    missing = await gql(CANCEL, {"id": "999999"}, token=token)
    assert missing["data"]["cancelSalesOrder"]["code"] == "ORDER_NOT_FOUND"
    malformed = await gql(CANCEL, {"id": "abc"}, token=token)
    assert malformed["data"]["cancelSalesOrder"]["code"] == "INVALID_INPUT"


async def test_bad_orders_are_refused_and_change_nothing(gql, session):
    faces = await bins(session)
    await make_item(session, "BAD-1", [Stock(faces[0], 5)], gtin_no=10)
    customer = await make_customer(session, "C-BAD")
    token = await gql.token("planner")
    await create_order(gql, token, number="SO-DUP", lines=[("BAD-1", 1)], customer=customer)
    cases = [
        (order_input("SO-B1", [("NOPE", 1)], customer), "ITEM_NOT_FOUND"),
        (order_input("SO-B2", [("BAD-1", 0)], customer), "INVALID_QUANTITY"),
        (order_input("SO-B3", [("BAD-1", -4)], customer), "INVALID_QUANTITY"),
        (order_input("SO-B4", [("BAD-1", 10**9)], customer), "QUANTITY_TOO_LARGE"),
        (order_input("SO-B5", [], customer), "INVALID_INPUT"),
        (order_input("SO-B6", [("BAD-1", 1)], "NOBODY"), "NOT_FOUND"),
        (order_input("SO-B7", [("BAD-1", 1)], customer, priority=0), "INVALID_INPUT"),
        (order_input("SO-B8", [("BAD-1", 1)], customer, carrierCode="NOPE"), "NOT_FOUND"),
        (order_input("SO-DUP", [("BAD-1", 1)], customer), "DUPLICATE"),
        (order_input("  ", [("BAD-1", 1)], customer), "INVALID_INPUT"),
        (order_input("SO-B9", [("BAD-1", 1)], customer, channel="!!"), "INVALID_INPUT"),
    ]
    for value, code in cases:
        body = await gql(CREATE, {"input": value}, token=token)
        assert body["data"]["createSalesOrder"]["code"] == code, (value, body)
    count = await session.scalar(select(func.count()).select_from(m.SalesOrder))
    await session.rollback()
    assert count == 1
    bulk = await gql(
        """mutation($input: CreateSalesOrdersInput!) { createSalesOrders(input: $input) {
        __typename ... on UserError { code message } } }""",
        {
            "input": {
                "orders": [
                    order_input("SO-OK", [("BAD-1", 1)], customer),
                    order_input("SO-NOT", [("NOPE", 1)], customer),
                ]
            }
        },
        token=token,
    )
    assert bulk["data"]["createSalesOrders"]["code"] == "ITEM_NOT_FOUND"
    assert "Order 2" in bulk["data"]["createSalesOrders"]["message"]
    session.expire_all()
    assert await session.scalar(select(func.count()).select_from(m.SalesOrder)) == 1
    await session.rollback()
    picker = await gql.token("picker")
    denied = await gql(
        CREATE, {"input": order_input("SO-PK", [("BAD-1", 1)], customer)}, token=picker
    )
    assert denied["data"]["createSalesOrder"]["code"] == "PERMISSION_DENIED"


async def test_bulk_intake_and_the_order_pool_filters(gql, session):
    faces = await bins(session)
    await make_item(session, "BULK-1", [Stock(faces[0], 50)], gtin_no=11)
    customer = await make_customer(session, "C-BULK")
    token = await gql.token("planner")
    orders = [
        order_input(
            f"SO-BULK-{n}",
            [("BULK-1", 2)],
            customer,
            carrierCode="OWN" if n % 2 else "POST",
            priority=1 + n % 3,
            channel="WEB" if n < 3 else "SHOP",
            cutoffAt=f"2030-01-0{1 + n}T12:00:00+00:00",
        )
        for n in range(6)
    ]
    body = await gql(
        """mutation($input: CreateSalesOrdersInput!) { createSalesOrders(input: $input) {
        __typename ... on SalesOrdersSuccess { orders { number state carrierCode } } } }""",
        {"input": {"orders": orders}},
        token=token,
    )
    created = body["data"]["createSalesOrders"]["orders"]
    assert [o["state"] for o in created] == ["RESERVED"] * 6

    async def pool(args: str) -> list[str]:
        result = await gql(
            f"{{ orderPool(first: 50{args}) {{ edges {{ node {{ number }} }} }} }}", token=token
        )
        assert "errors" not in result, result
        return [e["node"]["number"] for e in result["data"]["orderPool"]["edges"]]

    assert len(await pool("")) == 6
    assert await pool(', carrier: "OWN"') == ["SO-BULK-1", "SO-BULK-3", "SO-BULK-5"]
    assert await pool(", priority: 1") == ["SO-BULK-0", "SO-BULK-3"]
    assert await pool(', channel: "web"') == ["SO-BULK-0", "SO-BULK-1", "SO-BULK-2"]
    assert await pool(', cutoffBefore: "2030-01-03T00:00:00+00:00"') == ["SO-BULK-0", "SO-BULK-1"]
    assert len(await pool(', zone: "PF"')) == 6
    assert await pool(', zone: "RSV"') == []
