"""Counting by schedule, plan progress, variance causes, recounts, rework and scrap."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from backend.core.db import models as m
from backend.core.db.base import utcnow
from tests.integration.conftest import key
from tests.integration.test_control import (
    Ref,
    assert_ledger_holds,
    call,
    done,
    fresh_bin,
    new_item,
    put,
    quantity_on,
    read,
)
from tests.integration.test_control_counts import (
    GENERATE,
    PLAN,
    SUBMIT,
    count_task,
    reviews,
)

SCHEDULE = """query { countSchedule { warehouseId aDays bDays cDays dueDays configured } }"""

SET_SCHEDULE = """mutation($a: Int!, $b: Int!, $c: Int!, $due: Int!, $key: String!) {
  setCountSchedule(input: {aDays: $a, bDays: $b, cDays: $c, dueDays: $due, idempotencyKey: $key}) {
    __typename ... on CountScheduleSuccess { schedule { aDays bDays cDays dueDays configured } }
    ... on UserError { code message field } } }"""

DUE = """mutation($key: String!) { generateDueCounts(input: {idempotencyKey: $key}) {
  __typename ... on GenerateDueCountsSuccess { created { countId taskId binCode dueAt } alreadyOpen }
  ... on UserError { code message field } } }"""

PROGRESS = """query($plan: ID!) { countPlanProgress(planId: $plan) {
  planId binsTotal binsCounted variancesOpen overdue } }"""

CAUSES = "query { varianceCauses }"
CAUSED = """query($state: String) { countReviews(first: 50, state: $state) {
  edges { node { countId cause } } } }"""

DECIDE = """mutation($count: ID!, $cause: VarianceCause, $key: String!) {
  %s(input: {countId: $count, cause: $cause, idempotencyKey: $key}) {
    __typename ... on CountDecisionSuccess { countId state adjustmentIds }
    ... on UserError { code message field } } }"""

RECOUNT = """mutation($count: ID!, $key: String!) {
  recountVariance(input: {countId: $count, idempotencyKey: $key}) {
    __typename ... on RecountSuccess { countId state recount { countId taskId binCode } }
    ... on UserError { code message field } } }"""

INBOX = """query($kinds: [ExceptionKind!]) { exceptionInbox(kinds: $kinds) {
  counts { kind count } items { kind id binCode actions } } }"""

DISPOSE = """mutation($kind: DispositionKind!, $bin: String!, $item: String!, $qty: Int!,
                     $reason: String!, $key: String!) {
  createDisposition(input: {kind: $kind, binCode: $bin, itemCode: $item, quantity: $qty,
                            reason: $reason, idempotencyKey: $key}) {
    __typename ... on DispositionSuccess { disposition { id kind state quantity reason moveId
                                                         requestedBy decidedBy } }
    ... on UserError { code message field } } }"""

DECIDE_DISPOSITION = """mutation($id: ID!, $key: String!) {
  %s(input: {dispositionId: $id, idempotencyKey: $key}) {
    __typename ... on DispositionSuccess { disposition { id state moveId decidedBy } }
    ... on UserError { code message field } } }"""

DISPOSITIONS = """query($state: String) { dispositions(state: $state) {
  edges { node { id kind binCode itemSku quantity reason state } } } }"""


async def _classed(session: Any, sku: str, abc: str, cost: int = 100) -> Ref:
    item = await new_item(session, sku, cost=cost)
    await session.execute(update(m.Item).where(m.Item.id == item.id).values(abc_class=abc))
    await session.commit()
    return item


async def test_a_schedule_starts_at_the_defaults_and_refuses_nonsense(gql):
    assert await call(gql, "supervisor", SCHEDULE) == {
        "warehouseId": "1",
        "aDays": 30,
        "bDays": 90,
        "cDays": 365,
        "dueDays": 7,
        "configured": False,
    }
    upside_down = await call(gql, "supervisor", SET_SCHEDULE, a=100, b=50, c=365, due=7, key=key())
    assert upside_down["code"] == "INVALID_INPUT"
    zero = await call(gql, "supervisor", SET_SCHEDULE, a=0, b=50, c=365, due=7, key=key())
    assert (zero["code"], zero["field"]) == ("INVALID_INPUT", "aDays")
    assert (await call(gql, "supervisor", SCHEDULE))["configured"] is False
    refused = await call(gql, "picker", SET_SCHEDULE, a=7, b=30, c=90, due=3, key=key())
    assert refused["__typename"] == "PermissionDenied"
    saved = await call(gql, "supervisor", SET_SCHEDULE, a=7, b=30, c=90, due=3, key=key())
    assert saved["schedule"] == {
        "aDays": 7,
        "bDays": 30,
        "cDays": 90,
        "dueDays": 3,
        "configured": True,
    }
    assert (await call(gql, "supervisor", SCHEDULE))["aDays"] == 7


async def test_due_counts_follow_the_class_periods_and_never_count_a_bin_twice(gql, session):
    never, recent, stale = (
        await fresh_bin(session, "DU-A"),
        await fresh_bin(session, "DU-B"),
        await fresh_bin(session, "DU-C"),
    )
    a_item, c_item, a_again = (
        await _classed(session, "DU-1", "A"),
        await _classed(session, "DU-2", "C"),
        await _classed(session, "DU-3", "A"),
    )
    await put(session, never, a_item, 10)
    await put(session, recent, c_item, 10)
    await put(session, stale, a_again, 10)
    # The C bin and the second A bin were counted, just now (a match: closed).
    for bin_row, sku in ((recent, "DU-2"), (stale, "DU-3")):
        task = await count_task(gql, bin_row.code)
        lines = [{"itemCode": sku, "quantity": 10}]
        assert (await call(gql, "picker", SUBMIT, task=task, lines=lines, key=key()))[
            "__typename"
        ] == "SubmitCountSuccess"
    # ... the A bin 40 days ago, past its class's 30 days.
    await session.execute(
        update(m.Count)
        .where(m.Count.bin_id == stale.id)
        .values(submitted_at=utcnow() - timedelta(days=40))
    )
    await session.commit()

    first = await call(gql, "supervisor", DUE, key=key())
    mine = {
        c["binCode"]: c
        for c in first["created"]
        if c["binCode"] in {b.code for b in (never, recent, stale)}
    }
    assert set(mine) == {never.code, stale.code}
    assert all(c["dueAt"] for c in mine.values())
    created = len(first["created"])

    second = await call(gql, "supervisor", DUE, key=key())
    assert second["created"] == [] and second["alreadyOpen"] >= created
    holding = await read(
        session,
        select(func.count()).where(
            m.Count.bin_id.in_([never.id, stale.id]), m.Count.state == "OPEN"
        ),
    )
    assert holding == 2

    # Past its due date, a count open reminds the desk.
    overdue_id = int(mine[never.code]["countId"])
    await session.execute(
        update(m.Count).where(m.Count.id == overdue_id).values(due_at=utcnow() - timedelta(days=2))
    )
    await session.commit()
    body = await gql(INBOX, {"kinds": ["COUNT_OVERDUE"]}, token=await gql.token("supervisor"))
    inbox = body["data"]["exceptionInbox"]
    assert inbox["counts"] == [{"kind": "COUNT_OVERDUE", "count": 1}]
    assert [(i["id"], i["binCode"]) for i in inbox["items"]] == [(str(overdue_id), "DU-A")]


async def test_plan_progress_counts_bins_and_open_variances(gql, session):
    left, right = await fresh_bin(session, "PG-A"), await fresh_bin(session, "PG-B")
    item = await new_item(session, "PG-1")
    await put(session, left, item, 100)
    await put(session, right, item, 100)
    plan = await call(
        gql,
        "supervisor",
        PLAN,
        name="Progress",
        kind="ADHOC",
        bins=[left.code, right.code],
        key=key(),
    )
    plan_id = plan["plan"]["id"]
    generated = await call(gql, "supervisor", GENERATE, plan=plan_id, key=key())
    tasks = {c["binCode"]: c["taskId"] for c in generated["created"]}
    assert await call(gql, "supervisor", PROGRESS, plan=plan_id) == {
        "planId": plan_id,
        "binsTotal": 2,
        "binsCounted": 0,
        "variancesOpen": 0,
        "overdue": 0,
    }
    for bin_row, quantity in ((left, 100), (right, 98)):
        lines = [{"itemCode": "PG-1", "quantity": quantity}]
        await call(gql, "picker", SUBMIT, task=tasks[bin_row.code], lines=lines, key=key())
    progress = await call(gql, "supervisor", PROGRESS, plan=plan_id)
    assert (progress["binsCounted"], progress["variancesOpen"]) == (2, 1)


async def test_a_costly_variance_needs_a_cause_and_can_be_counted_again(gql, session):
    bin_row = await fresh_bin(session, "CA-A")
    item = await new_item(session, "CA-1", cost=10_000)  # 100.00 a unit
    await put(session, bin_row, item, 100)
    assert "DAMAGE" in await call(gql, "supervisor", CAUSES)

    task = await count_task(gql, bin_row.code)
    lines = [{"itemCode": "CA-1", "quantity": 98}]  # -2: below the recount thresholds
    await call(gql, "picker", SUBMIT, task=task, lines=lines, key=key())
    (pending,) = await reviews(gql)
    approve = DECIDE % "approveCountVariance"
    bare = await call(gql, "supervisor", approve, count=pending["countId"], key=key())
    assert (bare["code"], bare["field"]) == ("CAUSE_REQUIRED", "cause")
    assert await quantity_on(session, bin_row, item) == 100

    # Counted again instead: the variance closes as RECOUNTED, a new task opens.
    floor = await call(gql, "picker", RECOUNT, count=pending["countId"], key=key())
    assert floor["__typename"] == "PermissionDenied"
    again = await call(gql, "supervisor", RECOUNT, count=pending["countId"], key=key())
    assert again["state"] == "RECOUNTED" and again["recount"]["binCode"] == bin_row.code
    twice = await call(gql, "supervisor", RECOUNT, count=pending["countId"], key=key())
    assert twice["code"] == "INVALID_STATE"
    (closed,) = [r for r in await reviews(gql, "RECOUNTED") if r["countId"] == pending["countId"]]
    assert [line["state"] for line in closed["lines"]] == ["SUPERSEDED"]

    lines = [{"itemCode": "CA-1", "quantity": 97}]
    await call(gql, "picker", SUBMIT, task=again["recount"]["taskId"], lines=lines, key=key())
    (recounted,) = await reviews(gql)
    assert recounted["recountOfId"] == pending["countId"]
    decided = await call(
        gql, "supervisor", approve, count=recounted["countId"], cause="DAMAGE", key=key()
    )
    assert decided["state"] == "CLOSED" and len(decided["adjustmentIds"]) == 1
    assert await quantity_on(session, bin_row, item) == 97
    late = await call(
        gql, "supervisor", approve, count=recounted["countId"], cause="DAMAGE", key=key()
    )
    assert late["code"] == "INVALID_STATE"

    adjustment = await session.scalar(
        select(m.Adjustment).where(m.Adjustment.count_id == int(recounted["countId"]))
    )
    move = await session.get(m.StockMove, adjustment.move_id)
    assert adjustment.cause == "DAMAGE" and move.reference.endswith("DAMAGE")
    await done(session)
    page = await call(gql, "supervisor", CAUSED, state="CLOSED")
    shown = [e["node"] for e in page["edges"] if e["node"]["countId"] == recounted["countId"]]
    assert shown == [{"countId": recounted["countId"], "cause": "DAMAGE"}]
    await assert_ledger_holds(session)


async def test_the_counter_may_not_decide_their_own_count(gql, session):
    bin_row = await fresh_bin(session, "CA-B")
    item = await new_item(session, "CA-2", cost=1)
    await put(session, bin_row, item, 100)
    task = await count_task(gql, bin_row.code)
    lines = [{"itemCode": "CA-2", "quantity": 99}]
    await call(gql, "supervisor", SUBMIT, task=task, lines=lines, key=key())
    (pending,) = await reviews(gql)
    for mutation in ("approveCountVariance", "rejectCountVariance"):
        own = await call(
            gql,
            "supervisor",
            DECIDE % mutation,
            count=pending["countId"],
            cause="MISCOUNT",
            key=key(),
        )
        assert own["code"] == "SELF_APPROVAL"
    own = await call(gql, "supervisor", RECOUNT, count=pending["countId"], key=key())
    assert own["code"] == "SELF_APPROVAL"
    # A cheap variance needs no cause.
    cheap = await call(
        gql, "admin", DECIDE % "approveCountVariance", count=pending["countId"], key=key()
    )
    assert cheap["state"] == "CLOSED"


async def _moves(session: Any, item: Ref, reason: str) -> list[tuple[Any, ...]]:
    """(to bin, quantity, reference, from status, to status) of the item's moves."""
    rows = await session.execute(
        select(
            m.StockMove.to_bin_id,
            m.StockMove.quantity,
            m.StockMove.reference,
            m.StockMove.from_status,
            m.StockMove.to_status,
        ).where(m.StockMove.item_id == item.id, m.StockMove.reason == reason)
    )
    moves = [tuple(row) for row in rows]
    await done(session)
    return moves


async def test_scrap_and_rework_with_a_reason_and_a_second_person_when_costly(gql, session):
    bin_row = await fresh_bin(session, "DS-A")
    cheap, dear = (
        await new_item(session, "DS-1", cost=100),
        await new_item(session, "DS-2", cost=5_000),
    )
    await put(session, bin_row, cheap, 20)
    await put(session, bin_row, dear, 10)

    no_reason = await call(
        gql,
        "supervisor",
        DISPOSE,
        kind="SCRAP",
        bin=bin_row.code,
        item="DS-1",
        qty=5,
        reason=" ",
        key=key(),
    )
    assert (no_reason["code"], no_reason["field"]) == ("INVALID_INPUT", "reason")
    too_many = await call(
        gql,
        "supervisor",
        DISPOSE,
        kind="SCRAP",
        bin=bin_row.code,
        item="DS-1",
        qty=21,
        reason="x",
        key=key(),
    )
    assert too_many["code"] == "INSUFFICIENT_STOCK"
    assert await read(session, select(func.count()).select_from(m.StockDisposition)) == 0
    floor = await call(
        gql,
        "picker",
        DISPOSE,
        kind="SCRAP",
        bin=bin_row.code,
        item="DS-1",
        qty=1,
        reason="x",
        key=key(),
    )
    assert floor["__typename"] == "PermissionDenied"

    # 5.00 of scrap is under the approval threshold: booked at once, off the ledger.
    scrapped = await call(
        gql,
        "supervisor",
        DISPOSE,
        kind="SCRAP",
        bin=bin_row.code,
        item="DS-1",
        qty=5,
        reason="crushed by a forklift",
        key=key(),
    )
    assert scrapped["disposition"]["state"] == "APPROVED" and scrapped["disposition"]["moveId"]
    assert await quantity_on(session, bin_row, cheap) == 15
    ((to_bin, quantity, reference, _, _),) = await _moves(session, cheap, "SCRAP")
    assert to_bin is None and quantity == 5 and "crushed" in reference

    # 150.00 to rework waits for someone other than the requester.
    rework = await call(
        gql,
        "supervisor",
        DISPOSE,
        kind="REWORK",
        bin=bin_row.code,
        item="DS-2",
        qty=3,
        reason="relabel",
        key=key(),
    )
    pending = rework["disposition"]
    assert pending["state"] == "PENDING" and pending["moveId"] is None
    assert await quantity_on(session, bin_row, dear, "REWORK") == 0
    listed = await call(gql, "admin", DISPOSITIONS, state="PENDING")
    assert [e["node"]["id"] for e in listed["edges"]] == [pending["id"]]
    own = await call(
        gql, "supervisor", DECIDE_DISPOSITION % "approveDisposition", id=pending["id"], key=key()
    )
    assert own["code"] == "SELF_APPROVAL"
    approved = await call(
        gql, "admin", DECIDE_DISPOSITION % "approveDisposition", id=pending["id"], key=key()
    )
    assert approved["disposition"]["state"] == "APPROVED" and approved["disposition"]["moveId"]
    twice = await call(
        gql, "admin", DECIDE_DISPOSITION % "rejectDisposition", id=pending["id"], key=key()
    )
    assert twice["code"] == "INVALID_STATE"
    assert await quantity_on(session, bin_row, dear, "REWORK") == 3
    assert await quantity_on(session, bin_row, dear, "AVAILABLE") == 7
    ((_, quantity, _, before, after),) = await _moves(session, dear, "STATUS_CHANGE")
    assert (quantity, before, after) == (3, "AVAILABLE", "REWORK")

    # Rejected: the stock stays as it was.
    second = await call(
        gql,
        "supervisor",
        DISPOSE,
        kind="SCRAP",
        bin=bin_row.code,
        item="DS-2",
        qty=4,
        reason="water damage",
        key=key(),
    )
    rejected = await call(
        gql,
        "admin",
        DECIDE_DISPOSITION % "rejectDisposition",
        id=second["disposition"]["id"],
        key=key(),
    )
    assert rejected["disposition"]["state"] == "REJECTED"
    assert await quantity_on(session, bin_row, dear) == 10
    await assert_ledger_holds(session)
