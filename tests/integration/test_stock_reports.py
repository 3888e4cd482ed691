"""Stock age and stock level history on a hand-made ledger, figures worked out by hand;
and naive `DateTime` input read as UTC (supplierPerformance since a naive time)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from backend.analytics.stock_reports import stock_age
from backend.core.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move

AGE = """query($wh: ID, $item: ID, $edges: [Int!]) { stockAge(warehouseId: $wh, itemId: $item,
  edges: $edges) { __typename ... on StockAge { edges totals { fromDays toDays quantity valueCents }
  rows { sku warehouseCode onHand valueCents buckets { fromDays toDays quantity valueCents } } csv }
  ... on UserError { code field } } }"""

LEVELS = """query($item: ID!, $wh: ID!, $from: Date!, $to: Date!) { stockLevelHistory(itemId: $item,
  warehouseId: $wh, from: $from, to: $to) { __typename ... on StockLevelHistory { sku warehouseCode
  opening days { day received issued onHand } csv } ... on UserError { code field } } }"""


async def bin_of(session, kind: str) -> m.Bin:
    row = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == kind)
        .order_by(m.Bin.id)
    )
    assert row is not None
    return row


def ago(now: datetime, days: int, hour: int = 10) -> datetime:
    start = datetime.combine(now.date() - timedelta(days=days), datetime.min.time(), UTC)
    return start + timedelta(hours=hour)


@pytest.fixture
async def ledger(session):
    """Item AGE-A (2.00 each) in W1:

    400 days ago opening 10 on the reserve; 100 days ago receipt 20; 45 days ago receipt 30;
    10 days ago receipt 5; 9 days ago a pick of 25 (reserve → bench, inside W1: no change
    in W1's on hand); 8 days ago 25 shipped from the bench; 5 days ago 3 adjusted out.
    On hand now 10 + 20 + 30 + 5 − 25 − 3 = 37, aged newest first: 5 (10 days, 0–30),
    30 (45 days, 31–60), 2 of the 20 (100 days, 91–180); the opening 10 is gone.
    """
    now = datetime.now(UTC)
    reserve = await bin_of(session, m.ZoneKind.RESERVE)
    bench = await bin_of(session, m.ZoneKind.PACKING)
    item = m.Item(sku="AGE-A", name="Aged", category="AGE", unit_cost_cents=200)
    session.add(item)
    await session.flush()
    R = m.MoveReason
    plan = [
        (10, R.OPENING, None, reserve.id, ago(now, 400)),
        (20, R.RECEIPT, None, reserve.id, ago(now, 100)),
        (30, R.RECEIPT, None, reserve.id, ago(now, 45)),
        (5, R.RECEIPT, None, reserve.id, ago(now, 10, 23)),
        (25, R.PICK, reserve.id, bench.id, ago(now, 9)),
        (25, R.SHIP, bench.id, None, ago(now, 8, 0)),
        (3, R.ADJUST_OUT, reserve.id, None, ago(now, 5)),
    ]
    for qty, reason, source, dest, at in plan:
        move = await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=qty,
                reason=reason,
                source=Place(source) if source else None,
                destination=Place(dest) if dest else None,
            ),
        )
        move.at = at
    await session.commit()
    return {"item": item.id, "warehouse": reserve.warehouse_id, "now": now}


async def test_stock_age_buckets(gql, ledger):
    token = await gql.token("viewer")
    body = await gql(AGE, {"item": str(ledger["item"])}, token=token)
    report = body["data"]["stockAge"]
    assert report["__typename"] == "StockAge", report
    assert report["edges"] == [30, 60, 90, 180, 365]
    [row] = report["rows"]
    assert (row["sku"], row["warehouseCode"], row["onHand"], row["valueCents"]) == (
        "AGE-A",
        "W1",
        37,
        7400,
    )
    assert [(b["fromDays"], b["toDays"], b["quantity"]) for b in row["buckets"]] == [
        (0, 30, 5),
        (31, 60, 30),
        (61, 90, 0),
        (91, 180, 2),
        (181, 365, 0),
        (366, None, 0),
    ]
    assert [b["valueCents"] for b in report["totals"]] == [1000, 6000, 0, 400, 0, 0]
    lines = report["csv"].splitlines()
    assert lines[0].startswith("sku,name,warehouse,on_hand,value_cents,qty_0-30,qty_31-60")
    assert lines[1] == "AGE-A,Aged,W1,37,7400,5,30,0,2,0,0,1000,6000,0,400,0,0"

    # Edges of one's own: 7 and 50 days → 0–7: 0, 8–50: 35, >50: 2.
    own = await gql(AGE, {"item": str(ledger["item"]), "edges": [7, 50]}, token=token)
    [row] = own["data"]["stockAge"]["rows"]
    assert [b["quantity"] for b in row["buckets"]] == [0, 35, 2]


async def test_stock_age_refuses_bad_edges_and_other_warehouses(gql, ledger):
    token = await gql.token("viewer")
    bad = await gql(AGE, {"edges": [30, 30]}, token=token)
    assert bad["data"]["stockAge"] == {
        "__typename": "InputError",
        "code": "INVALID_INPUT",
        "field": "edges",
    }
    other = await gql(AGE, {"wh": "999"}, token=token)
    assert other["data"]["stockAge"]["rows"] == []


async def test_stock_level_history(gql, ledger):
    token = await gql.token("viewer")
    today = ledger["now"].date()
    first = today - timedelta(days=11)
    body = await gql(
        LEVELS,
        {
            "item": str(ledger["item"]),
            "wh": str(ledger["warehouse"]),
            "from": first.isoformat(),
            "to": (today - timedelta(days=4)).isoformat(),
        },
        token=token,
    )
    history = body["data"]["stockLevelHistory"]
    assert history["__typename"] == "StockLevelHistory", history
    # Before the range: 10 + 20 + 30 = 60. Day -10 (23:00 UTC) +5 → 65; the pick on day -9
    # stays inside W1; day -8 (00:00 UTC, the first instant of that day) −25 → 40;
    # day -5 −3 → 37.
    assert history["opening"] == 60
    got = [(d["day"], d["received"], d["issued"], d["onHand"]) for d in history["days"]]
    want = [
        (first.isoformat(), 0, 0, 60),
        ((today - timedelta(days=10)).isoformat(), 5, 0, 65),
        ((today - timedelta(days=9)).isoformat(), 0, 0, 65),
        ((today - timedelta(days=8)).isoformat(), 0, 25, 40),
        ((today - timedelta(days=7)).isoformat(), 0, 0, 40),
        ((today - timedelta(days=6)).isoformat(), 0, 0, 40),
        ((today - timedelta(days=5)).isoformat(), 0, 3, 37),
        ((today - timedelta(days=4)).isoformat(), 0, 0, 37),
    ]
    assert got == want
    csv_lines = history["csv"].splitlines()
    assert csv_lines[0] == "day,sku,warehouse,received,issued,on_hand"
    assert csv_lines[2] == f"{(today - timedelta(days=10)).isoformat()},AGE-A,W1,5,0,65"


async def test_stock_level_history_refusals(gql, ledger):
    token = await gql.token("viewer")
    args = {"item": str(ledger["item"]), "wh": str(ledger["warehouse"])}
    backwards = await gql(LEVELS, {**args, "from": "2026-02-01", "to": "2026-01-01"}, token=token)
    assert backwards["data"]["stockLevelHistory"]["code"] == "INVALID_INPUT"
    elsewhere = await gql(
        LEVELS, {**args, "wh": "999", "from": "2026-01-01", "to": "2026-01-02"}, token=token
    )
    assert elsewhere["data"]["stockLevelHistory"]["code"] == "NOT_FOUND"
    no_item = await gql(
        LEVELS, {**args, "item": "999999", "from": "2026-01-01", "to": "2026-01-02"}, token=token
    )
    assert no_item["data"]["stockLevelHistory"]["code"] == "ITEM_NOT_FOUND"


@pytest.mark.parametrize("since", ["2000-01-01T00:00:00", "2000-01-01T08:00:00+08:00"])
async def test_naive_datetime_filters_are_utc(gql, since):
    token = await gql.token("admin")
    body = await gql(
        "query($s: DateTime) { supplierPerformance(since: $s) { supplierCode } }",
        {"s": since},
        token=token,
    )
    assert "errors" not in body, body
    literal = await gql(
        f'{{ supplierPerformance(since: "{since}") {{ supplierCode }} }}', token=token
    )
    assert "errors" not in literal, literal


def test_parse_utc():
    from backend.schema.scalars import parse_utc

    assert parse_utc("2000-01-01T00:00:00") == datetime(2000, 1, 1, tzinfo=UTC)
    assert parse_utc("2000-01-01T08:00:00+08:00") == datetime(2000, 1, 1, tzinfo=UTC)
    assert parse_utc("2000-01-01T08:00:00+08:00").tzinfo is UTC
    assert date(2000, 1, 1) == parse_utc("2000-01-01T00:00:00").date()


TRACE = """query($i: String!, $l: String!) { lotTrace(itemCode: $i, lotNumber: $l) { __typename
  ... on LotTrace { received { poNumber reference supplierCode quantity closedAt }
    onHand { binCode onHand } shipped { orderNumber customerCode quantity cartonSscc packedAt
      shipmentId waybillNo trackingNumber shippedAt } } ... on UserError { code } } }"""


async def test_lot_trace_names_receipt_and_shipment(gql, session):
    from tests.integration.test_packing import Article, pack_completely, picked_order
    from tests.integration.test_shipping import SHIP, ship_vars

    order = await picked_order(session, Article("TR", 2, "LOT", lot="L-TRACE"))
    item_id = order.item_ids["TR"]
    item = await session.get(m.Item, item_id)
    lot = await session.scalar(select(m.Lot).where(m.Lot.item_id == item_id))
    supplier = await session.scalar(select(m.Supplier).order_by(m.Supplier.id))
    dock = await bin_of(session, m.ZoneKind.RECEIVING)
    po = m.PurchaseOrder(
        code="PO-TRACE", number="PO-TRACE", warehouse_id=dock.warehouse_id, supplier_id=supplier.id
    )
    session.add(po)
    await session.flush()
    closed = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    receipt = m.Receipt(
        kind="PURCHASE",
        state="CLOSED",
        warehouse_id=dock.warehouse_id,
        po_id=po.id,
        reference="DN-4711",
        dock_bin_id=dock.id,
        closed_at=closed,
    )
    session.add(receipt)
    await session.flush()
    session.add(
        m.ReceiptLine(
            receipt_id=receipt.id, item_id=item_id, lot_id=lot.id, status="AVAILABLE", quantity=2
        )
    )
    sku = item.sku
    await session.commit()
    await pack_completely(
        gql, await gql.token("packer"), order, (Article("TR", 2, "LOT", lot="L-TRACE"),)
    )
    shipped = await gql(SHIP, ship_vars([order.order_id]), token=await gql.token("shipper"))
    assert "shipment" in shipped["data"]["ship"], shipped
    shipment = shipped["data"]["ship"]["shipment"]

    body = await gql(TRACE, {"i": sku, "l": "L-TRACE"}, token=await gql.token("viewer"))
    trace = body["data"]["lotTrace"]
    assert trace["__typename"] == "LotTrace", trace
    [r] = trace["received"]
    assert (r["poNumber"], r["reference"], r["supplierCode"], r["quantity"]) == (
        "PO-TRACE",
        "DN-4711",
        supplier.code,
        2,
    )
    assert datetime.fromisoformat(r["closedAt"]) == closed
    [s] = trace["shipped"]
    assert (s["orderNumber"], s["quantity"], s["shipmentId"]) == (order.number, 2, shipment["id"])
    assert (s["waybillNo"], s["trackingNumber"]) == (
        shipment["waybillNo"],
        shipment["trackingNumber"],
    )
    assert s["cartonSscc"] and s["packedAt"] and s["shippedAt"]
    left = await session.scalar(
        select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(m.Quant.lot_id == lot.id)
    )
    assert sum(x["onHand"] for x in trace["onHand"]) == left


async def test_level_days_are_utc_whatever_the_session_time_zone(session, ledger):
    """On PostgreSQL a session in Shanghai (UTC+8) would put the 23:00 UTC receipt on
    the next day if days were cut in the session's zone; they are cut in UTC."""
    from backend.analytics.stock_reports import stock_levels

    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SET TIME ZONE 'Asia/Shanghai'"))
    today = ledger["now"].date()
    first = today - timedelta(days=10)
    levels = await stock_levels(
        session, [ledger["warehouse"]], ledger["item"], ledger["warehouse"], first, first
    )
    assert [(d.day, d.received, d.on_hand) for d in levels.days] == [(first, 5, 65)]
    await session.rollback()


def _reference_age(quants, moves, items, codes, now, edges, limit):
    """Stock age worked out row by row in Python, first in first out, as the report
    defines it: the figures the single SQL statement must reproduce."""
    have: dict[tuple[int, int], int] = defaultdict(int)
    for item, wh, qty in quants:
        if qty > 0:
            have[item, wh] += qty
    cutoffs = [now - timedelta(days=e + 1) for e in edges]
    came: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * len(edges))
    for item, wh, qty, at in moves:
        for i, c in enumerate(cutoffs):
            if at > c:
                came[item, wh][i] += qty
    rows, total_q, total_v = [], [0] * (len(edges) + 1), [0] * (len(edges) + 1)
    for (item, wh), qty in have.items():
        younger = [min(qty, n) for n in came[item, wh]]
        qty_b = [b - a for a, b in zip([0, *younger], [*younger, qty], strict=True)]
        sku, name, cost = items[item]
        val_b = [q * cost for q in qty_b]
        total_q = [t + q for t, q in zip(total_q, qty_b, strict=True)]
        total_v = [t + v for t, v in zip(total_v, val_b, strict=True)]
        rows.append((-qty * cost, sku, codes[wh], item, name, qty, qty_b, val_b))
    rows.sort(key=lambda r: r[:3])
    shown = [
        (item, sku, name, code, qty, -neg, qty_b, val_b)
        for neg, sku, code, item, name, qty, qty_b, val_b in rows[:limit]
    ]
    return total_q, total_v, shown


@pytest.mark.parametrize("seed", [1, 2])
async def test_stock_age_equals_row_by_row_fifo(session, seed):
    """Two warehouses, items whose values tie (so SKU and warehouse code decide the
    order, by code point: 'B' before 'a', '-' before '0'), inbound moves on and around
    the window edges, internal and outbound moves that must not count."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    wh2 = m.Warehouse(code="A-W2", name="Age two")
    session.add(wh2)
    await session.flush()
    zone = m.Zone(warehouse_id=wh2.id, code="RSV", name="Reserve", kind=m.ZoneKind.RESERVE)
    session.add(zone)
    await session.flush()
    bins2 = [
        m.Bin(warehouse_id=wh2.id, zone_id=zone.id, label=f"AG{n}", code=f"AG{n}") for n in range(2)
    ]
    session.add_all(bins2)
    reserve = await bin_of(session, m.ZoneKind.RESERVE)
    bench = await bin_of(session, m.ZoneKind.PACKING)
    items = [
        m.Item(sku=sku, name=f"Age {sku}", category="AGE", unit_cost_cents=cost)
        for sku, cost in (
            ("age-a", 100),
            ("AGE-B", 100),
            ("AGE-0", 50),
            ("AGE--", 200),
            ("Age-z", 0),
        )
    ]
    session.add_all(items)
    await session.flush()
    places = {reserve.warehouse_id: [reserve.id, bench.id], wh2.id: [b.id for b in bins2]}
    for item in items:
        for bins in places.values():
            if rng.random() < 0.85:
                session.add(
                    m.Quant(
                        item_id=item.id, bin_id=bins[0], on_hand=rng.choice([0, 5, 40, 40, 120])
                    )
                )
    edges = (7, 30, 90, 365)
    for _ in range(150):
        wh = rng.choice(list(places))
        day = rng.choice([*edges, rng.randrange(0, 500)])
        at = now - timedelta(days=day + 1) + timedelta(seconds=rng.choice([-1, 0, 1, 3600, -3600]))
        kind = rng.random()
        src, dst = (
            (None, places[wh][0])
            if kind < 0.6
            else ((places[wh][0], places[wh][1]) if kind < 0.8 else (places[wh][0], None))
        )
        session.add(
            m.StockMove(
                at=at,
                item_id=rng.choice(items).id,
                quantity=rng.randint(1, 30),
                from_bin_id=src,
                to_bin_id=dst,
                reason=m.MoveReason.RECEIPT if src is None else m.MoveReason.MOVE,
                reference="age",
            )
        )
    await session.flush()
    scope = list(places)
    bins_wh = dict((await session.execute(select(m.Bin.id, m.Bin.warehouse_id))).all())
    codes = dict((await session.execute(select(m.Warehouse.id, m.Warehouse.code))).all())
    quants = [
        (q.item_id, bins_wh[q.bin_id], q.on_hand)
        for q in await session.scalars(select(m.Quant))
        if bins_wh[q.bin_id] in scope
    ]
    moves = [
        (
            x.item_id,
            bins_wh[x.to_bin_id],
            x.quantity,
            x.at.replace(tzinfo=UTC) if x.at.tzinfo is None else x.at,
        )
        for x in await session.scalars(select(m.StockMove).where(m.StockMove.from_bin_id.is_(None)))
        if bins_wh[x.to_bin_id] in scope
    ]
    catalog = {
        i.id: (i.sku, i.name, i.unit_cost_cents or 0) for i in await session.scalars(select(m.Item))
    }
    for limit in (3, 500):
        report = await stock_age(session, scope, now, edges, limit=limit)
        total_q, total_v, shown = _reference_age(quants, moves, catalog, codes, now, edges, limit)
        assert [b.quantity for b in report.totals] == total_q
        assert [b.value_cents for b in report.totals] == total_v
        assert [
            (
                r.item_id,
                r.sku,
                r.name,
                r.warehouse_code,
                r.on_hand,
                r.value_cents,
                [b.quantity for b in r.buckets],
                [b.value_cents for b in r.buckets],
            )
            for r in report.rows
        ] == shown
    await session.rollback()
