"""The monthly rollups answer exactly what the daily aggregates answer.

Random ledger histories over fifteen months and two warehouses (moves placed on
month and day edges on purpose, folded in several refreshes so months are
rebuilt more than once) are checked against sums over the daily and hourly rows:
every monthly row, every window read as months plus edge days, and the reports
built on them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from backend.analytics import reports
from backend.analytics.aggregates import refresh
from backend.analytics.rollup import item_flows, worker_figures
from backend.core.db import models as m
from backend.replenishment.suggestions import demand_sums

FIELDS = (
    "receipt_qty",
    "demand_qty",
    "demand_lines",
    "ship_qty",
    "adjust_in_qty",
    "adjust_out_qty",
    "net_qty",
)
NOW = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)
HISTORY_START = date(2025, 1, 1)


async def _second_warehouse(session) -> dict[str, list[int]]:
    wh = m.Warehouse(code="W-ROLL", name="Rollup test")
    session.add(wh)
    await session.flush()
    reserve = m.Zone(warehouse_id=wh.id, code="RSV", name="Reserve", kind=m.ZoneKind.RESERVE)
    pack = m.Zone(warehouse_id=wh.id, code="PACK", name="Packing", kind=m.ZoneKind.PACKING)
    session.add_all([reserve, pack])
    await session.flush()
    bins = [
        m.Bin(
            warehouse_id=wh.id,
            zone_id=zone.id,
            label=f"R-{zone.code}-{n}",
            code=f"RB{n}{zone.code}",
        )
        for zone in (reserve, pack)
        for n in range(2)
    ]
    session.add_all(bins)
    await session.flush()
    return {"storage": [b.id for b in bins[:2]], "pack": [b.id for b in bins[2:]]}


async def _first_warehouse(session) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for name, kind in (("storage", m.ZoneKind.RESERVE), ("pack", m.ZoneKind.PACKING)):
        ids = await session.scalars(
            select(m.Bin.id)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Zone.kind == kind)
            .order_by(m.Bin.id)
            .limit(2)
        )
        out[name] = list(ids)
    return out


def _moment(rng: random.Random) -> datetime:
    """Mostly anywhere in the history, often on the edges of days and months."""
    day = HISTORY_START + timedelta(days=rng.randrange(0, (NOW.date() - HISTORY_START).days + 1))
    pick = rng.random()
    if pick < 0.15:
        day = day.replace(day=1)
    elif pick < 0.3:
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    at = datetime.combine(day, time.min, UTC)
    edge = rng.random()
    if edge < 0.2:
        return at
    if edge < 0.4:
        return at + timedelta(hours=23, minutes=59, seconds=59)
    return at + timedelta(seconds=rng.randrange(0, 86_400))


def _moves(rng, n, items, users, places) -> list[m.StockMove]:
    out = []
    for _ in range(n):
        wh = rng.choice(places)
        item = rng.choice(items)
        qty = rng.randint(1, 40)
        kind = rng.random()
        source: int | None
        dest: int | None
        user = None
        if kind < 0.2:
            reason, source, dest = m.MoveReason.RECEIPT, None, rng.choice(wh["storage"])
        elif kind < 0.55:
            reason, source, dest = (
                m.MoveReason.PICK,
                rng.choice(wh["storage"]),
                rng.choice(wh["pack"]),
            )
            user = rng.choice(users)
        elif kind < 0.7:
            reason, source, dest = m.MoveReason.SHIP, rng.choice(wh["pack"]), None
        elif kind < 0.75:
            reason, source, dest = m.MoveReason.SHIP, rng.choice(wh["storage"]), None
        elif kind < 0.82:
            reason, source, dest = m.MoveReason.ADJUST_IN, None, rng.choice(wh["storage"])
        elif kind < 0.9:
            reason, source, dest = m.MoveReason.ADJUST_OUT, rng.choice(wh["storage"]), None
        else:  # between the warehouses: counted where it leaves
            other = places[1] if wh is places[0] else places[0]
            reason, source, dest = (
                m.MoveReason.MOVE,
                rng.choice(wh["storage"]),
                rng.choice(other["storage"]),
            )
        out.append(
            m.StockMove(
                at=_moment(rng),
                item_id=item,
                quantity=qty,
                from_bin_id=source,
                to_bin_id=dest,
                reason=reason,
                user_id=user,
                reference="rollup",
            )
        )
    return out


def _month(day: date) -> date:
    return day.replace(day=1)


async def _daily(session) -> list[m.ItemDayFlow]:
    return list(await session.scalars(select(m.ItemDayFlow)))


async def _check_months_equal_days(session) -> None:
    expected: dict[tuple[int, date, int], list[int]] = defaultdict(lambda: [0] * 8)
    for row in await _daily(session):
        acc = expected[(row.warehouse_id, _month(row.day), row.item_id)]
        for n, name in enumerate(FIELDS):
            acc[n] += getattr(row, name)
        acc[7] += row.demand_qty * row.demand_qty
    got = {
        (r.warehouse_id, r.month, r.item_id): [*(getattr(r, f) for f in FIELDS), r.demand_sq]
        for r in await session.scalars(select(m.ItemMonthFlow))
    }
    assert got == dict(expected)
    hours: dict[tuple[int, date, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for h in await session.scalars(select(m.PickerHour)):
        acc = hours[(h.warehouse_id, _month(h.hour.astimezone(UTC).date()), h.user_id)]
        acc[0] += h.lines
        acc[1] += h.units
        acc[2] += 1
    got_hours = {
        (p.warehouse_id, p.month, p.user_id): [p.lines, p.units, p.active_hours]
        for p in await session.scalars(select(m.PickerMonth))
    }
    assert got_hours == dict(hours)


async def _check_windows(session, rng, warehouses: list[int]) -> None:
    daily = await _daily(session)
    for _ in range(25):
        wh_ids = rng.choice([warehouses[:1], warehouses[1:], warehouses])
        start = HISTORY_START + timedelta(days=rng.randrange(-20, 460))
        stop = start + timedelta(days=rng.randrange(1, 200)) if rng.random() < 0.6 else None
        expected: dict[int, list[int]] = defaultdict(lambda: [0] * 8)
        for row in daily:
            if row.warehouse_id in wh_ids and row.day >= start and (stop is None or row.day < stop):
                acc = expected[row.item_id]
                for n, name in enumerate(FIELDS):
                    acc[n] += getattr(row, name)
                acc[7] += row.demand_qty * row.demand_qty
        flows = item_flows(wh_ids, start, stop)
        rows = await session.execute(
            select(
                flows.c.item_id,
                *(func.sum(getattr(flows.c, f)) for f in FIELDS),
                func.sum(flows.c.demand_sq),
            ).group_by(flows.c.item_id)
        )
        got = {int(r[0]): [int(v) for v in r[1:]] for r in rows}
        assert got == dict(expected), (wh_ids, start, stop)

    hourly = list(await session.scalars(select(m.PickerHour)))
    for _ in range(10):
        wh_ids = rng.choice([warehouses[:1], warehouses[1:], warehouses])
        since = datetime.combine(
            HISTORY_START + timedelta(days=rng.randrange(0, 450)), time.min, UTC
        ) + timedelta(hours=rng.choice([0, 0, 7, 23]))
        want: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for h in hourly:
            if h.warehouse_id in wh_ids and h.hour >= since:
                acc = want[h.user_id]
                acc[0] += h.lines
                acc[1] += h.units
                acc[2] += 1
        picks = worker_figures(wh_ids, since)
        rows = await session.execute(
            select(
                picks.c.user_id,
                func.sum(picks.c.lines),
                func.sum(picks.c.units),
                func.sum(picks.c.active_hours),
            ).group_by(picks.c.user_id)
        )
        assert {int(u): [int(a), int(b), int(c)] for u, a, b, c in rows} == dict(want), since


async def _check_reports(session, warehouses: list[int]) -> None:
    daily = await _daily(session)
    for days in (45, 365, 430):
        start = reports.window_start(NOW, days)
        lines: dict[int, int] = defaultdict(int)
        units: dict[int, int] = defaultdict(int)
        for row in daily:
            if row.warehouse_id in warehouses and row.day >= start:
                lines[row.item_id] += row.demand_lines
                units[row.item_id] += row.demand_qty
        abc = await reports.abc_analysis(session, warehouses, NOW, days)
        assert {r.item_id: r.lines for r in abc if r.lines} == {i: n for i, n in lines.items() if n}
        assert {r.item_id: r.units for r in abc if r.units} == {i: n for i, n in units.items() if n}
        turnover = await reports.turnover(session, warehouses, NOW, days, limit=10_000)
        skus = dict((await session.execute(select(m.Item.sku, m.Item.id))).all())
        for row in turnover:
            assert row.demand == units.get(skus[row.key], 0)
        since = datetime.combine(start, time.min, UTC)
        per_user: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        for h in await session.scalars(select(m.PickerHour)):
            if h.warehouse_id in warehouses and h.hour >= since:
                per_user[h.user_id][0] += h.lines
                per_user[h.user_id][1] += h.units
                per_user[h.user_id][2] += 1
        productivity = await reports.worker_productivity(session, warehouses, NOW, days)
        assert {r.user_id: [r.lines, r.units, r.active_hours] for r in productivity} == dict(
            per_user
        )
    for window_days in (30, 90, 200):
        end = NOW.date() - timedelta(days=1)
        first = end - timedelta(days=window_days - 1)
        sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for row in daily:
            if row.warehouse_id == warehouses[0] and first <= row.day <= end and row.demand_qty:
                sums[row.item_id][0] += row.demand_qty
                sums[row.item_id][1] += row.demand_qty**2
        got = await demand_sums(session, warehouses[0], first, end)
        assert {i: list(v) for i, v in got.items()} == dict(sums)


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_months_plus_edge_days_equal_the_daily_figures(session, seed):
    rng = random.Random(seed)
    places = [await _first_warehouse(session), await _second_warehouse(session)]
    warehouses = [
        await session.scalar(select(m.Bin.warehouse_id).where(m.Bin.id == p["storage"][0]))
        for p in places
    ]
    items = list(await session.scalars(select(m.Item.id).order_by(m.Item.id).limit(6)))
    users = list(await session.scalars(select(m.User.id).order_by(m.User.id).limit(3)))
    for _ in range(4):  # several refreshes, each touching months folded before
        session.add_all(_moves(rng, 120, items, users, places))
        await session.flush()
        await refresh(session, datetime.now(UTC) + timedelta(minutes=1))
        await _check_months_equal_days(session)
    again = await refresh(session, datetime.now(UTC) + timedelta(minutes=1))
    assert again.moves == 0
    await _check_months_equal_days(session)
    await _check_windows(session, rng, [w for w in warehouses if w is not None])
    await _check_reports(session, [w for w in warehouses if w is not None])
    await session.rollback()
