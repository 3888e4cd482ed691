"""Analytics figures on a small hand-made history, worked out by hand."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.analytics import reports
from backend.analytics.aggregates import refresh
from backend.analytics.rollup import Worker
from backend.core.db import models as m
from backend.core.db.migrate import downgrade, upgrade_async
from backend.inventory.ledger import MoveRequest, Place, apply_move


async def bin_of(session, kind: str) -> m.Bin:
    row = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == kind)
        .order_by(m.Bin.id)
    )
    assert row is not None
    return row


def day(now: datetime, days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(
        now.date() - timedelta(days=days_ago), datetime.min.time(), UTC
    ) + timedelta(hours=hour, minutes=minute)


@pytest.fixture
async def history(session):
    """X (category HIST-A, 1.00 each) and Y (HIST-B, 0.50 each) in warehouse W1:

    X: 3 days ago receipt 100 → reserve; 2 days ago two picks by picker1 (30 + 10) to a
       packing bench at 10:05 and 10:40; yesterday shipped 40 from the bench, and a count
       took 5 off the reserve (ADJ-1 COUNT-1).
    Y: 10 days ago opening 20 on the pick face; yesterday picker1 picked 2 at 14:00.
    Two COUNT tasks finished yesterday, one of which found the variance above.
    """
    now = datetime.now(UTC)
    reserve = await bin_of(session, m.ZoneKind.RESERVE)
    face = await bin_of(session, m.ZoneKind.PICK_FACE)
    bench = await bin_of(session, m.ZoneKind.PACKING)
    dock = await bin_of(session, m.ZoneKind.SHIPPING)
    picker = await session.scalar(select(m.User.id).where(m.User.username == "picker1"))
    packer = await session.scalar(select(m.User.id).where(m.User.username == "packer1"))
    x = m.Item(sku="HIST-X", name="X", category="HIST-A", unit_cost_cents=100)
    y = m.Item(sku="HIST-Y", name="Y", category="HIST-B", unit_cost_cents=50)
    session.add_all([x, y])
    await session.flush()
    R = m.MoveReason
    plan = [
        (x.id, 100, R.RECEIPT, None, reserve.id, day(now, 3), None, None),
        (x.id, 30, R.PICK, reserve.id, bench.id, day(now, 2, 10, 5), picker, None),
        (x.id, 10, R.PICK, reserve.id, bench.id, day(now, 2, 10, 40), picker, None),
        (x.id, 30, R.PACK, bench.id, dock.id, day(now, 2, 15), packer, None),
        (x.id, 10, R.PACK, bench.id, dock.id, day(now, 2, 15, 20), packer, None),
        (x.id, 40, R.SHIP, dock.id, None, day(now, 1), None, None),
        (x.id, 5, R.ADJUST_OUT, reserve.id, None, day(now, 1, 11), None, "ADJ-1 COUNT-1"),
        (y.id, 20, R.OPENING, None, face.id, day(now, 10), None, None),
        (y.id, 2, R.PICK, face.id, bench.id, day(now, 1, 14), picker, None),
    ]
    for item_id, qty, reason, source, dest, at, user, ref in plan:
        move = await apply_move(
            session,
            MoveRequest(
                item_id=item_id,
                quantity=qty,
                reason=reason,
                source=Place(source) if source else None,
                destination=Place(dest) if dest else None,
                user_id=user,
                reference=ref,
            ),
        )
        move.at = at
    for n in range(2):
        session.add(
            m.Task(
                warehouse_id=reserve.warehouse_id,
                kind="COUNT",
                role="picker",
                title=f"Count {n}",
                state="DONE",
                created_at=day(now, 2),
                finished_at=day(now, 1, 9 + n),
            )
        )
    # picker1 finished one cart of a wave, routed over 123.4 m, yesterday.
    wave = m.Wave(warehouse_id=reserve.warehouse_id, code="WAVE-HIST", method="test", state="DONE")
    cart = m.Task(
        warehouse_id=reserve.warehouse_id,
        kind="PICK",
        role="picker",
        title="Cart 1",
        state="DONE",
        assignee_id=picker,
        created_at=day(now, 2),
        finished_at=day(now, 1, 15),
    )
    session.add_all([wave, cart])
    await session.flush()
    session.add(m.WaveTour(wave_id=wave.id, seq=1, metres=123.4, task_id=cart.id))
    await session.flush()
    # Settle everything (the template's own moves may be seconds old).
    await refresh(session, now + timedelta(minutes=1))
    await session.commit()
    return {"x": x.id, "y": y.id, "picker": picker, "warehouse": reserve.warehouse_id, "now": now}


async def test_stock_value_and_structure(gql, history):
    token = await gql.token("viewer")
    body = await gql(
        "{ stockValue(groupBy: CATEGORY) { key quantity valueCents items } }", token=token
    )
    rows = {r["key"]: r for r in body["data"]["stockValue"]}
    # X: 100 received, 40 shipped, 5 adjusted away → 55 × 1.00; Y: 20 × 0.50.
    assert rows["HIST-A"] == {"key": "HIST-A", "quantity": 55, "valueCents": 5500, "items": 1}
    assert rows["HIST-B"] == {"key": "HIST-B", "quantity": 20, "valueCents": 1000, "items": 1}
    by_wh = await gql("{ stockValue(groupBy: WAREHOUSE) { key quantity } }", token=token)
    assert [r["key"] for r in by_wh["data"]["stockValue"]] == ["W1"]
    by_status = await gql("{ stockValue(groupBy: STATUS) { key } }", token=token)
    assert {r["key"] for r in by_status["data"]["stockValue"]} == {"AVAILABLE"}


async def test_turnover_and_days_of_supply(gql, history):
    token = await gql.token("viewer")
    body = await gql(
        """{ turnover(days: 30, limit: 500) { key demand onHand averageOnHand turns annualTurns daysOfSupply } }""",
        token=token,
    )
    rows = {r["key"]: r for r in body["data"]["turnover"]}
    # X: demand 40 (the picks; the bench's shipment is the same units), now 55, net flow in
    # the window +100 − 40 − 5 = 55 → 0 at the start, average 27.5, turns 40 / 27.5,
    # days of supply 55 / (40 / 30) = 41.25.
    x = rows["HIST-X"]
    assert (x["demand"], x["onHand"], x["averageOnHand"]) == (40, 55, 27.5)
    assert x["turns"] == pytest.approx(40 / 27.5)
    assert x["annualTurns"] == pytest.approx(40 / 27.5 * 365 / 30)
    assert x["daysOfSupply"] == pytest.approx(41.25)
    # Y: demand 2; on hand 20 (18 face + 2 bench); the opening 10 days ago is the window's
    # net flow (+20), so 0 at the start, average 10, turns 0.2, 20 / (2 / 30) = 300 days.
    y = rows["HIST-Y"]
    assert (y["demand"], y["averageOnHand"], y["turns"]) == (2, 10.0, pytest.approx(0.2))
    assert y["daysOfSupply"] == pytest.approx(300.0)
    cats = await gql("{ turnover(days: 30, groupBy: CATEGORY) { key demand } }", token=token)
    assert {r["key"]: r["demand"] for r in cats["data"]["turnover"]}["HIST-A"] == 40


async def test_trends_by_day_and_week(gql, history):
    token = await gql.token("viewer")
    body = await gql(
        "{ movementTrends(days: 5) { period received shipped demand demandLines } }", token=token
    )
    rows = body["data"]["movementTrends"]
    now = history["now"]
    assert [r["period"] for r in rows] == [
        (now.date() - timedelta(days=n)).isoformat() for n in range(4, -1, -1)
    ]
    by_day = {r["period"]: r for r in rows}
    d = lambda n: (now.date() - timedelta(days=n)).isoformat()  # noqa: E731
    assert by_day[d(3)]["received"] == 100
    assert (by_day[d(2)]["demand"], by_day[d(2)]["demandLines"]) == (40, 2)
    assert (by_day[d(1)]["shipped"], by_day[d(1)]["demand"]) == (40, 2)
    weeks = await gql(
        "{ movementTrends(days: 14, bucket: WEEK) { period received demand } }", token=token
    )
    totals = weeks["data"]["movementTrends"]
    assert sum(r["received"] for r in totals) == 100 and sum(r["demand"] for r in totals) == 42
    assert all(datetime.fromisoformat(r["period"]).weekday() == 0 for r in totals)


async def test_abc_from_picks_and_reclassification(gql, session, history):
    token = await gql.token("viewer")
    body = await gql(
        "{ abcAnalysis(days: 30, measure: UNITS, limit: 3) { sku units share proposedClass currentClass } }",
        token=token,
    )
    rows = body["data"]["abcAnalysis"]
    # Units 40 and 2 of 42: X holds 95.2 % (A), Y starts at 95.2 % (C).
    assert [(r["sku"], r["units"], r["proposedClass"]) for r in rows[:2]] == [
        ("HIST-X", 40, "A"),
        ("HIST-Y", 2, "C"),
    ]
    assert rows[0]["share"] == pytest.approx(40 / 42)
    lines = await gql(
        "{ abcAnalysis(days: 30, limit: 2) { sku lines proposedClass } }", token=token
    )
    assert [(r["sku"], r["lines"]) for r in lines["data"]["abcAnalysis"]] == [
        ("HIST-X", 2),
        ("HIST-Y", 1),
    ]
    admin = await gql.token("supervisor")
    done = await gql(
        """mutation { reclassifyAbc(input: {days: 30, measure: UNITS}) {
        __typename ... on ReclassifyAbcSuccess { changed aItems bItems cItems } } }""",
        token=admin,
    )
    result = done["data"]["reclassifyAbc"]
    assert (result["aItems"], result["bItems"]) == (1, 0) and result["changed"] >= 1
    classes = dict(
        (
            await session.execute(
                select(m.Item.sku, m.Item.abc_class).where(m.Item.sku.like("HIST-%"))
            )
        ).all()
    )
    assert classes == {"HIST-X": "A", "HIST-Y": "C"}
    await session.commit()
    refused = await gql(
        "mutation { reclassifyAbc(input: {days: 0}) { __typename ... on UserError { code } } }",
        token=admin,
    )
    assert refused["data"]["reclassifyAbc"]["code"] == "INVALID_INPUT"


async def test_accuracy_and_picker_productivity(gql, history):
    token = await gql.token("viewer")
    body = await gql(
        "{ inventoryAccuracy(days: 7) { counts countsWithVariance accuracy unitsAdjusted } }",
        token=token,
    )
    assert body["data"]["inventoryAccuracy"] == {
        "counts": 2,
        "countsWithVariance": 1,
        "accuracy": 0.5,
        "unitsAdjusted": 5,
    }
    prod = await gql(
        """{ pickerProductivity(days: 7) { username lines units activeHours linesPerHour
        unitsPerHour metresWalked } packerProductivity(days: 7) { username lines units
        activeHours metresWalked } }""",
        token=token,
    )
    # Three lines, 42 units, in two distinct hours (10:00 two days ago, 14:00 yesterday),
    # and the one cart finished.
    assert prod["data"]["pickerProductivity"] == [
        {
            "username": "picker1",
            "lines": 3,
            "units": 42,
            "activeHours": 2,
            "linesPerHour": 1.5,
            "unitsPerHour": 21.0,
            "metresWalked": 123.4,
        }
    ]
    # Two carton lines, 40 units, both in the 15:00 hour two days ago.
    assert prod["data"]["packerProductivity"] == [
        {"username": "packer1", "lines": 2, "units": 40, "activeHours": 1, "metresWalked": 0.0}
    ]


async def test_csv_export_and_bad_windows(gql, history):
    token = await gql.token("viewer")
    body = await gql("{ analyticsCsv(kind: TRENDS, days: 3) }", token=token)
    lines = body["data"]["analyticsCsv"].splitlines()
    assert lines[0] == "period,received,shipped,demand,demand_lines"
    assert len(lines) == 4
    value = await gql("{ analyticsCsv(kind: STOCK_VALUE) }", token=token)
    assert "HIST-A,55,5500,1" in value["data"]["analyticsCsv"].splitlines()
    bad = await gql("{ turnover(days: 0) { key } }", token=token)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    refused = await gql("{ turnover { key } }", token=await gql.token("picker"))
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    other = await gql('{ turnover(warehouseId: "999") { key } }', token=token)
    assert other["data"]["turnover"] == []


async def test_refresh_is_incremental_and_never_folds_a_move_twice(session, history):
    now = history["now"]
    twice = await refresh(session, now + timedelta(minutes=2))
    assert twice.moves == 0
    face = await bin_of(session, m.ZoneKind.PICK_FACE)
    move = await apply_move(
        session,
        MoveRequest(
            item_id=history["y"], quantity=3, reason=m.MoveReason.PICK, source=Place(face.id)
        ),
    )
    # Too fresh to be folded in yet (it might still be committing elsewhere).
    assert (await refresh(session, move.at)).moves == 0
    assert (await refresh(session, move.at + timedelta(seconds=10))).moves == 1
    total = sum(
        r.demand
        for r in await reports.movement_trends(
            session, [history["warehouse"]], now + timedelta(days=1), 5
        )
    )
    assert total == 40 + 2 + 3
    await session.commit()


async def test_the_packer_migration_folds_what_the_mark_had_passed(session, history, settings):
    """Migration 0011 creates the packer tables after the ledger mark has passed the PACK
    moves, so it folds them itself: down to 0010 and up again gives the same figures."""
    wid, now = history["warehouse"], history["now"]
    before = await reports.worker_productivity(session, [wid], now, 7, Worker.PACKER)
    await session.commit()
    assert [(r.username, r.lines, r.units) for r in before] == [("packer1", 2, 40)]
    await asyncio.to_thread(downgrade, settings.database_url, "0010")
    await upgrade_async(settings.database_url)
    after = await reports.worker_productivity(session, [wid], now, 7, Worker.PACKER)
    await session.commit()
    assert after == before
