"""A short shift: a few handhelds at once (pickers picking their tasks, a packer
packing what was picked, a receiver scanning goods in), flat out for a few
seconds against the app. It must end without a single error and with the
ledger matching the stock on hand."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration import hot_flow

UNITS = 2
SECONDS = 4.0


async def test_a_short_shift_ends_with_no_errors_and_the_ledger_intact(app, gql):
    state = app.state.wms
    floor = await hot_flow.prepare(state.sessions, orders=16, units=UNITS, per_task=4)
    async with state.sessions() as extra, extra.begin():
        warehouse_id = await extra.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
        await create_user(
            extra,
            username="picker2",
            display_name="Picker Two",
            password="picker-two-pass",
            roles=["picker"],
            warehouse_ids=[warehouse_id],
        )
    second = hot_flow.result(
        await gql(
            """mutation { signIn(input: {username: "picker2", password: "picker-two-pass",
            deviceId: "hh-2"}) { __typename ... on SignInSuccess { token } } }"""
        )
    )["token"]
    pickers = [await gql.token("picker"), second]
    packer = await gql.token("packer")
    receiver = await gql.token("receiver")
    tasks = list(floor.pick_tasks)
    picked: asyncio.Queue[str] = asyncio.Queue()
    deadline = time.monotonic() + SECONDS
    done = {"picked": 0, "packed": 0, "received": 0}

    async def pick(token: str) -> None:
        while tasks and time.monotonic() < deadline:
            for tote in await hot_flow.pick_task(gql, token, floor, tasks.pop(0)):
                done["picked"] += 1
                picked.put_nowait(tote)

    async def pack() -> None:
        # Packs until every picker stopped and every picked tote is packed.
        while True:
            try:
                tote = await asyncio.wait_for(picked.get(), 0.2)
            except TimeoutError:
                if all(w.done() for w in pickers_running):
                    return
                continue
            await hot_flow.pack_tote(gql, packer, floor, tote, UNITS)
            done["packed"] += 1

    async def receive() -> None:
        receipt = await hot_flow.start_receipt(gql, receiver, floor)
        while time.monotonic() < deadline:
            await hot_flow.receive_one(gql, receiver, floor, receipt)
            done["received"] += 1

    pickers_running = [asyncio.create_task(pick(token)) for token in pickers]
    await asyncio.gather(*pickers_running, pack(), receive())
    assert done["picked"] >= 4 and done["packed"] == done["picked"] and done["received"] > 0, done
    async with state.sessions() as check:
        assert await ledger_mismatches(check) == []
