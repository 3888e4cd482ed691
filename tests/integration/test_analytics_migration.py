"""Migration 0009 fills the monthly rollups from the daily rows already folded, so
an upgraded database answers year-long reports the same as before it."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from sqlalchemy import select

from backend.core.db import models as m
from backend.core.db.engine import create_engine, session_factory
from backend.core.db.migrate import downgrade, upgrade


async def test_upgrading_to_0009_rolls_the_existing_days_up_into_months(database_url):
    await asyncio.to_thread(downgrade, database_url, "0008")
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            wid = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
            items = list(await session.scalars(select(m.Item.id).order_by(m.Item.id).limit(2)))
            user = await session.scalar(select(m.User.id).order_by(m.User.id))
            days = [
                (items[0], date(2026, 1, 31), 5, 2),
                (items[0], date(2026, 2, 1), 7, 1),
                (items[0], date(2026, 2, 28), 3, 3),
                (items[1], date(2026, 2, 10), 0, 0),
            ]
            for item_id, day, demand, lines in days:
                session.add(
                    m.ItemDayFlow(
                        warehouse_id=wid,
                        day=day,
                        item_id=item_id,
                        receipt_qty=10,
                        demand_qty=demand,
                        demand_lines=lines,
                        ship_qty=0,
                        adjust_in_qty=1,
                        adjust_out_qty=0,
                        net_qty=10 - demand,
                    )
                )
            for hour, units in (
                (datetime(2026, 1, 31, 23, tzinfo=UTC), 4),
                (datetime(2026, 2, 1, 0, tzinfo=UTC), 6),
                (datetime(2026, 2, 1, 7, tzinfo=UTC), 1),
            ):
                session.add(
                    m.PickerHour(warehouse_id=wid, hour=hour, user_id=user, lines=1, units=units)
                )
        await engine.dispose()
        await asyncio.to_thread(upgrade, database_url)
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        async with sessions() as session:
            months = {
                (r.item_id, r.month): (
                    r.receipt_qty,
                    r.demand_qty,
                    r.demand_lines,
                    r.demand_sq,
                    r.adjust_in_qty,
                    r.net_qty,
                )
                for r in await session.scalars(select(m.ItemMonthFlow))
            }
            pickers = {
                r.month: (r.lines, r.units, r.active_hours)
                for r in await session.scalars(select(m.PickerMonth))
            }
    finally:
        await engine.dispose()
    assert months == {
        (items[0], date(2026, 1, 1)): (10, 5, 2, 25, 1, 5),
        (items[0], date(2026, 2, 1)): (20, 10, 4, 49 + 9, 2, 10),
        (items[1], date(2026, 2, 1)): (10, 0, 0, 0, 1, 10),
    }
    assert pickers == {date(2026, 1, 1): (1, 4, 1), date(2026, 2, 1): (2, 7, 2)}
