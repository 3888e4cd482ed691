"""The flows feed the alert rules: counts that find a variance, and takes refused for
lack of stock (refused moves and adjustments, short picks), raise alerts on the rules
that weigh them, through the real mutations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.alerts.scheduler import run_alert_cycle
from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.test_alerts import NO_MAIL, alerts_of, create_rule
from tests.integration.test_control import (
    ADJUST,
    MOVE,
    call,
    done,
    fresh_bin,
    new_item,
    put,
    quantity_on,
    read,
)
from tests.integration.test_control_counts import DECIDE, SUBMIT, count_task, reviews
from tests.integration.test_outbound import Stock, bins, create_order, make_customer, make_item
from tests.integration.test_wave import CLAIM, PROGRESS, SHORT, create_wave, release, step

FREEZE = """mutation($item: String!, $bin: String!, $qty: Int!, $key: String!) {
  changeStockStatus(input: {itemCode: $item, binCode: $bin, quantity: $qty,
      fromStatus: "AVAILABLE", toStatus: "BLOCKED", reason: "damaged", idempotencyKey: $key}) {
    __typename ... on UserError { code message field } } }"""


async def messages(session, rule_id: str) -> dict[int, str]:
    return {a.item_id: a.message for a in await alerts_of(session, rule_id) if a.state == "OPEN"}


async def signals(session, kind: str, item_id: int) -> list[tuple[int, str | None]]:
    rows = await session.execute(
        select(m.AlertSignal.quantity, m.AlertSignal.reference)
        .where(m.AlertSignal.kind == kind, m.AlertSignal.item_id == item_id)
        .order_by(m.AlertSignal.id)
    )
    out = [(int(q), ref) for q, ref in rows]
    await done(session)
    return out


async def test_a_submitted_count_variance_raises_the_count_variance_rule_once(gql, session, app):
    bin_row = await fresh_bin(session, "SG-C")
    item = await new_item(session, "SG-CNT")
    await put(session, bin_row, item, 100)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Miscounts",
            itemSku="SG-CNT",
            conditions=[{"kind": "COUNT_VARIANCE", "days": 1, "threshold": 3}],
        )
    )["rule"]

    task_id = await count_task(gql, bin_row.code)
    lines = [{"itemCode": "SG-CNT", "quantity": 97}]
    submitted = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=key())
    assert submitted["__typename"] == "SubmitCountSuccess"
    assert await signals(session, "COUNT_VARIANCE", item.id) == [
        (-3, f"COUNT-{submitted['countId']}")
    ]
    await run_alert_cycle(app.state.wms, datetime.now(UTC) + timedelta(seconds=10), NO_MAIL)
    assert (await messages(session, rule["id"])) == {
        item.id: "SG-CNT: 3 units off in counts within 1 days"
    }

    # Approving posts the adjustment (ADJ-… COUNT-…) to the ledger: the same 3 units,
    # not 3 more. A rule at 4 stays quiet.
    (pending,) = await reviews(gql)
    approved = await call(
        gql, "supervisor", DECIDE % "approveCountVariance", count=pending["countId"], key=key()
    )
    assert approved["state"] == "CLOSED"
    assert await quantity_on(session, bin_row, item) == 97
    stricter = (
        await create_rule(
            gql,
            token,
            name="Bigger miscounts",
            itemSku="SG-CNT",
            conditions=[{"kind": "COUNT_VARIANCE", "days": 1, "threshold": 4}],
        )
    )["rule"]
    await run_alert_cycle(app.state.wms, datetime.now(UTC) + timedelta(seconds=20), NO_MAIL)
    assert await alerts_of(session, stricter["id"]) == []
    assert (await messages(session, rule["id"])) == {
        item.id: "SG-CNT: 3 units off in counts within 1 days"
    }


async def test_a_matching_count_reports_nothing(gql, session, app):
    bin_row = await fresh_bin(session, "SG-M")
    item = await new_item(session, "SG-MATCH")
    await put(session, bin_row, item, 20)
    task_id = await count_task(gql, bin_row.code)
    lines = [{"itemCode": "SG-MATCH", "quantity": 20}]
    submitted = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=key())
    assert submitted["__typename"] == "SubmitCountSuccess"
    assert await signals(session, "COUNT_VARIANCE", item.id) == []


async def test_refused_takes_raise_the_negative_availability_rule(gql, session, app):
    bin_row, other = await fresh_bin(session, "SG-A"), await fresh_bin(session, "SG-B")
    item = await new_item(session, "SG-NEG", cost=10)
    await put(session, bin_row, item, 5)
    moves_before = await read(session, select(func.count()).select_from(m.StockMove))
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Stock that is not there",
            itemSku="SG-NEG",
            conditions=[{"kind": "NEGATIVE_AVAILABILITY", "days": 1, "threshold": 3}],
        )
    )["rule"]

    adjusted = await call(
        gql,
        "supervisor",
        ADJUST,
        bin=bin_row.code,
        item="SG-NEG",
        qty=-6,
        reason="DAMAGE",
        key=key(),
    )
    assert adjusted["code"] == "INSUFFICIENT_STOCK"
    moved = await call(
        gql,
        "supervisor",
        MOVE,
        **{"from": bin_row.code, "to": other.code},
        item="SG-NEG",
        qty=9,
        key=key(),
    )
    assert moved["code"] == "INSUFFICIENT_STOCK"
    await run_alert_cycle(app.state.wms, datetime.now(UTC) + timedelta(seconds=10), NO_MAIL)
    assert await alerts_of(session, rule["id"]) == []  # two refusals, the rule wants three

    frozen = await call(
        gql, "supervisor", FREEZE, item="SG-NEG", bin=bin_row.code, qty=8, key=key()
    )
    assert frozen["code"] == "INSUFFICIENT_STOCK"
    # The refused mutations changed nothing; only their signals were kept.
    assert await quantity_on(session, bin_row, item) == 5
    assert await read(session, select(func.count()).select_from(m.StockMove)) == moves_before
    assert [q for q, _ in await signals(session, "INSUFFICIENT_STOCK", item.id)] == [6, 9, 8]
    await run_alert_cycle(app.state.wms, datetime.now(UTC) + timedelta(seconds=20), NO_MAIL)
    assert (await messages(session, rule["id"])) == {
        item.id: "SG-NEG: 3 takes refused for lack of stock within 1 days"
    }


async def test_a_short_pick_raises_the_negative_availability_rule(gql, session, app):
    faces = await bins(session)
    item = await make_item(
        session, "SG-SH", [Stock(faces[0], 3), Stock(faces[-1], 10)], gtin_no=187
    )
    item_id = item.id
    customer = await make_customer(session, "C-SG")
    planner = await gql.token("planner")
    made = await create_order(gql, planner, number="SO-SG", lines=[("SG-SH", 3)], customer=customer)
    created = await create_wave(gql, planner, [made["order"]["id"]])
    (task_id,) = (await release(gql, planner, created["wave"]["id"]))["pickTaskIds"]
    supervisor = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            supervisor,
            name="Short picks",
            itemSku="SG-SH",
            conditions=[{"kind": "NEGATIVE_AVAILABILITY", "days": 1, "threshold": 1}],
        )
    )["rule"]
    picker = await gql.token("picker")
    await gql(CLAIM, {"id": task_id, "k": key()}, token=picker)
    stop = (await step(gql, PROGRESS, picker, id=task_id))["next"]
    progress = await step(gql, SHORT, picker, t=task_id, l=stop["lineId"], q=1)
    assert progress["__typename"] == "PickProgress"
    assert await signals(session, "INSUFFICIENT_STOCK", item_id) == [
        (2, f"SHORT PICK-LINE-{stop['lineId']}")
    ]
    await run_alert_cycle(app.state.wms, datetime.now(UTC) + timedelta(seconds=10), NO_MAIL)
    assert (await messages(session, rule["id"])) == {
        item_id: "SG-SH: 1 takes refused for lack of stock within 1 days"
    }
