"""Cycle counts: plans, blind sheets, variance, recount, approval, and no book for the floor."""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)
from sqlalchemy import func, select

from backend.config import Settings
from backend.core.db import models as m
from backend.schema.schema import build_schema
from tests.integration.conftest import key
from tests.integration.test_control import (
    MOVE,
    assert_ledger_holds,
    call,
    done,
    fresh_bin,
    new_item,
    put,
    quantity_on,
    read,
    warehouse,
)

PLAN = """mutation($name: String!, $kind: CountPlanKind!, $bins: [String!], $abc: String,
                     $zone: String, $key: String!) {
  createCountPlan(input: {name: $name, kind: $kind, binCodes: $bins, abcClass: $abc,
                          zoneCode: $zone, idempotencyKey: $key}) {
    __typename ... on CountPlanSuccess { plan { id kind binCount } }
    ... on UserError { code message field } } }"""

GENERATE = """mutation($plan: ID!, $key: String!) {
  generateCountTasks(input: {planId: $plan, idempotencyKey: $key}) {
    __typename
    ... on GenerateCountTasksSuccess { created { countId taskId binCode } skipped { binCode code } }
    ... on UserError { code message field } } }"""

REQUEST = """mutation($bin: String!, $key: String!) {
  requestBinCount(input: {binCode: $bin, idempotencyKey: $key}) {
    __typename ... on RequestBinCountSuccess { count { countId taskId binCode } }
    ... on UserError { code message field } } }"""

SHEET = """query($task: ID!) { countTaskSheet(taskId: $task) {
  __typename
  ... on CountSheet { taskId countId binCode binLabel zoneCode
                      lines { itemSku itemName lotNumber expiry tracking } }
  ... on UserError { code message field } } }"""

SUBMIT = """mutation($task: ID!, $lines: [CountedLineInput!]!, $key: String!) {
  submitCount(input: {taskId: $task, lines: $lines, idempotencyKey: $key}) {
    __typename ... on SubmitCountSuccess { countId taskId linesCounted }
    ... on UserError { code message field } } }"""

REVIEWS = """query($state: String) { countReviews(first: 50, state: $state) { edges { node {
  countId taskId binCode state origin countedBy recountOfId
  lines { itemSku lotNumber book counted variance valueCents state } } } } }"""

DECIDE = """mutation($count: ID!, $key: String!) {
  %s(input: {countId: $count, idempotencyKey: $key}) {
    __typename ... on CountDecisionSuccess { countId state adjustmentIds }
    ... on UserError { code message field } } }"""

CONFIRM = """mutation($bin: String!, $item: String!, $qty: Int!, $key: String!) {
  confirmRemaining(input: {binCode: $bin, itemCode: $item, quantity: $qty, idempotencyKey: $key}) {
    __typename ... on ConfirmRemainingSuccess { binCode itemSku recorded }
    ... on UserError { code message field } } }"""


async def count_task(gql: Any, bin_code: str) -> str:
    requested = await call(gql, "supervisor", REQUEST, bin=bin_code, key=key())
    assert requested["__typename"] == "RequestBinCountSuccess", requested
    return requested["count"]["taskId"]  # type: ignore[no-any-return]


async def reviews(gql: Any, state: str = "PENDING_APPROVAL") -> list[dict[str, Any]]:
    page = await call(gql, "supervisor", REVIEWS, state=state)
    return [edge["node"] for edge in page["edges"]]


async def test_count_variance_recount_approval_adjusts_the_book(gql, session):
    bin_row, other = await fresh_bin(session, "CT-A"), await fresh_bin(session, "CT-B")
    item = await new_item(session, "CT-1", cost=250)
    found = await new_item(session, "CT-2", cost=10)
    await put(session, bin_row, item, 50)

    plan = await call(
        gql, "supervisor", PLAN, name="Aisle check", kind="ADHOC", bins=[bin_row.code], key=key()
    )
    assert plan["plan"]["binCount"] == 1
    generated = await call(gql, "supervisor", GENERATE, plan=plan["plan"]["id"], key=key())
    (created,) = generated["created"]
    task_id = created["taskId"]

    # The bin is held: no second count, no moves in or out.
    again = await call(gql, "supervisor", GENERATE, plan=plan["plan"]["id"], key=key())
    assert again["created"] == [] and again["skipped"] == [
        {"binCode": bin_row.code, "code": "COUNT_IN_PROGRESS"}
    ]
    held = await call(gql, "supervisor", REQUEST, bin=bin_row.code, key=key())
    assert held["code"] == "COUNT_IN_PROGRESS"
    moved = await call(
        gql,
        "picker",
        MOVE,
        **{"from": bin_row.code, "to": other.code},
        item="CT-1",
        qty=1,
        key=key(),
    )
    assert moved["code"] == "COUNT_IN_PROGRESS"

    sheet = await call(gql, "picker", SHEET, task=task_id)
    assert sheet["binCode"] == bin_row.code
    assert [line["itemSku"] for line in sheet["lines"]] == ["CT-1"]
    assert "50" not in str(sheet)

    # 40 counted against 50: 10 units and 20 % is past the thresholds, so a recount.
    # The counter also finds 3 of an item the book does not know on this bin.
    lines = [
        {"itemCode": "CT-1", "quantity": 30},
        {"itemCode": "CT-1", "quantity": 10},
        {"itemCode": "CT-2", "quantity": 3},
    ]
    first_key = key()
    submitted = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=first_key)
    assert submitted == {
        "__typename": "SubmitCountSuccess",
        "countId": created["countId"],
        "taskId": task_id,
        "linesCounted": 3,
    }
    replay = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=first_key)
    assert replay == submitted
    twice = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=key())
    assert twice["code"] == "INVALID_STATE"
    assert await reviews(gql) == []
    (recounted,) = await reviews(gql, "RECOUNTED")
    assert {(x["itemSku"], x["variance"], x["state"]) for x in recounted["lines"]} == {
        ("CT-1", -10, "SUPERSEDED"),
        ("CT-2", 3, "SUPERSEDED"),
    }

    recount_task = await read(
        session,
        select(m.Count.task_id).where(m.Count.recount_of_id == int(created["countId"])),
    )
    assert recount_task is not None
    recount = await call(gql, "picker", SUBMIT, task=str(recount_task), lines=lines, key=key())
    assert recount["__typename"] == "SubmitCountSuccess"
    (pending,) = await reviews(gql)
    assert pending["recountOfId"] == created["countId"]
    assert {(x["itemSku"], x["book"], x["counted"], x["variance"]) for x in pending["lines"]} == {
        ("CT-1", 50, 40, -10),
        ("CT-2", 0, 3, 3),
    }
    assert await quantity_on(session, bin_row, item) == 50  # nothing changes before approval

    approved = await call(
        gql, "supervisor", DECIDE % "approveCountVariance", count=pending["countId"], key=key()
    )
    assert approved["state"] == "CLOSED" and len(approved["adjustmentIds"]) == 2
    assert await quantity_on(session, bin_row, item) == 40
    assert await quantity_on(session, bin_row, found) == 3
    reasons = await session.scalars(
        select(m.Adjustment.reason).where(m.Adjustment.count_id == int(pending["countId"]))
    )
    assert sorted(reasons) == ["FOUND", "LOST"]
    await done(session)
    await assert_ledger_holds(session)
    # The bin is free again.
    assert (await call(gql, "supervisor", REQUEST, bin=bin_row.code, key=key()))[
        "__typename"
    ] == "RequestBinCountSuccess"


async def test_a_small_variance_goes_straight_to_the_supervisor(gql, session):
    bin_row = await fresh_bin(session, "CT-C")
    item = await new_item(session, "CT-3")
    await put(session, bin_row, item, 100)
    task_id = await count_task(gql, bin_row.code)
    await call(
        gql, "picker", SUBMIT, task=task_id, lines=[{"itemCode": "CT-3", "quantity": 98}], key=key()
    )
    (pending,) = await reviews(gql)
    assert pending["origin"] == "ADHOC" and pending["lines"][0]["variance"] == -2
    rejected = await call(
        gql, "supervisor", DECIDE % "rejectCountVariance", count=pending["countId"], key=key()
    )
    assert rejected["state"] == "CLOSED"
    assert await quantity_on(session, bin_row, item) == 100


async def test_a_matching_count_closes_without_approval(gql, session):
    bin_row = await fresh_bin(session, "CT-D")
    item = await new_item(session, "CT-4")
    await put(session, bin_row, item, 7)
    task_id = await count_task(gql, bin_row.code)
    await call(
        gql, "picker", SUBMIT, task=task_id, lines=[{"itemCode": "CT-4", "quantity": 7}], key=key()
    )
    (closed,) = [r for r in await reviews(gql, "CLOSED") if r["taskId"] == task_id]
    assert closed["lines"][0]["state"] == "MATCH"


async def test_recount_thresholds_are_configurable(gql, session, app):
    env = {"WMS_COUNT_RECOUNT_UNITS": "0", "WMS_COUNT_RECOUNT_PERCENT": "0", "WMS_SECRET_KEY": "x"}
    state = app.state.wms
    state.settings = dataclasses.replace(state.settings, control=Settings.from_env(env).control)
    bin_row = await fresh_bin(session, "CT-E")
    item = await new_item(session, "CT-5")
    await put(session, bin_row, item, 100)
    task_id = await count_task(gql, bin_row.code)
    await call(
        gql, "picker", SUBMIT, task=task_id, lines=[{"itemCode": "CT-5", "quantity": 99}], key=key()
    )
    assert await reviews(gql) == []
    assert len(await reviews(gql, "RECOUNTED")) == 1


async def test_the_counter_cannot_approve_their_own_count(gql, session):
    bin_row = await fresh_bin(session, "CT-F")
    item = await new_item(session, "CT-6")
    await put(session, bin_row, item, 10)
    task_id = await count_task(gql, bin_row.code)
    await call(
        gql,
        "supervisor",
        SUBMIT,
        task=task_id,
        lines=[{"itemCode": "CT-6", "quantity": 9}],
        key=key(),
    )
    (pending,) = await reviews(gql)
    own = await call(
        gql, "supervisor", DECIDE % "approveCountVariance", count=pending["countId"], key=key()
    )
    assert own["code"] == "SELF_APPROVAL"
    own = await call(
        gql, "supervisor", DECIDE % "rejectCountVariance", count=pending["countId"], key=key()
    )
    assert own["code"] == "SELF_APPROVAL"
    assert await quantity_on(session, bin_row, item) == 10
    by_admin = await call(
        gql, "admin", DECIDE % "approveCountVariance", count=pending["countId"], key=key()
    )
    assert by_admin["state"] == "CLOSED"
    assert await quantity_on(session, bin_row, item) == 9
    await assert_ledger_holds(session)


async def test_bad_count_submissions_are_refused(gql, session):
    bin_row = await fresh_bin(session, "CT-G")
    item = await new_item(session, "CT-7", lot_tracked=True)
    await put(session, bin_row, item, 5, lot="LX")
    task_id = await count_task(gql, bin_row.code)
    for lines, code in [
        ([{"itemCode": "CT-7", "lotNumber": "LX", "quantity": -1}], "INVALID_QUANTITY"),
        ([{"itemCode": "CT-7", "lotNumber": "LX", "quantity": 10**9}], "QUANTITY_TOO_LARGE"),
        ([{"itemCode": "CT-7", "quantity": 5}], "LOT_REQUIRED"),
        ([{"itemCode": "NOT-AN-ITEM", "quantity": 5}], None),
    ]:
        result = await call(gql, "picker", SUBMIT, task=task_id, lines=lines, key=key())
        assert result["__typename"] != "SubmitCountSuccess", lines
        if code:
            assert result["code"] == code, (lines, result)
    assert (await call(gql, "picker", SUBMIT, task="999999", lines=[], key=key()))[
        "code"
    ] == "TASK_NOT_FOUND"
    assert (await call(gql, "picker", SUBMIT, task="abc", lines=[], key=key()))[
        "code"
    ] == "INVALID_INPUT"
    pick_task = await call(
        gql,
        "supervisor",
        """mutation($k: String!) { createTask(input: {kind: PICK, title: "p", idempotencyKey: $k})
        { ... on TaskSuccess { task { id } } } }""",
        k=key(),
    )
    not_count = await call(gql, "picker", SUBMIT, task=pick_task["task"]["id"], lines=[], key=key())
    assert not_count["code"] == "TASK_NOT_FOUND"
    # Nothing was recorded: the count is still open and holds its bin.
    assert await reviews(gql, "") == []
    # The empty bin: a count of nothing at all is a real answer.
    empty = await fresh_bin(session, "CT-H")
    empty_task = await count_task(gql, empty.code)
    ok = await call(gql, "picker", SUBMIT, task=empty_task, lines=[], key=key())
    assert ok["linesCounted"] == 0


async def test_plans_by_abc_class_zone_and_flagged_bins(gql, session):
    flagged = await fresh_bin(session, "CT-I")
    await session.execute(
        m.Bin.__table__.update().where(m.Bin.id == flagged.id).values(needs_count=True)
    )
    await session.commit()
    plan = await call(gql, "supervisor", PLAN, name="Short picks", kind="FLAGGED", key=key())
    created = (await call(gql, "supervisor", GENERATE, plan=plan["plan"]["id"], key=key()))[
        "created"
    ]
    assert [c["binCode"] for c in created] == [flagged.code]

    abc = await call(gql, "supervisor", PLAN, name="A monthly", kind="ABC", abc="A", key=key())
    a_bins = (await call(gql, "supervisor", GENERATE, plan=abc["plan"]["id"], key=key()))["created"]
    holding_a = await session.scalars(
        select(m.Bin.code)
        .join(m.Quant, m.Quant.bin_id == m.Bin.id)
        .join(m.Item, m.Item.id == m.Quant.item_id)
        .where(m.Item.abc_class == "A", m.Quant.on_hand > 0)
        .distinct()
    )
    expected = set(holding_a)
    await done(session)
    assert expected and {c["binCode"] for c in a_bins} == expected
    # Counted (or being counted) bins are not due again within the interval.
    again = await call(gql, "supervisor", GENERATE, plan=abc["plan"]["id"], key=key())
    assert again["created"] == [] and len(again["skipped"]) == len(expected)

    zone = await call(gql, "supervisor", PLAN, name="Dock", kind="ZONE", zone="DOCK", key=key())
    dock = (await call(gql, "supervisor", GENERATE, plan=zone["plan"]["id"], key=key()))["created"]
    assert len(dock) == 4
    for variables, code in [
        ({"kind": "ABC"}, "INVALID_INPUT"),
        ({"kind": "ZONE", "zone": "NOPE"}, "NOT_FOUND"),
        ({"kind": "ADHOC"}, "INVALID_INPUT"),
        ({"kind": "ADHOC", "bins": ["BIN-NOPE"]}, None),
    ]:
        result = await call(gql, "supervisor", PLAN, name="bad", key=key(), **variables)
        assert result["__typename"] != "CountPlanSuccess", variables
        if code:
            assert result["code"] == code
    denied = await call(gql, "picker", PLAN, name="x", kind="FLAGGED", key=key())
    assert denied["code"] == "PERMISSION_DENIED"


async def test_confirm_remaining_opens_a_count_on_mismatch_and_says_nothing(gql, session):
    bin_row = await fresh_bin(session, "CT-J")
    item = await new_item(session, "CT-8")
    await put(session, bin_row, item, 4)
    match = await call(gql, "picker", CONFIRM, bin=bin_row.code, item="CT-8", qty=4, key=key())
    mismatch = await call(gql, "picker", CONFIRM, bin=bin_row.code, item="CT-8", qty=2, key=key())
    assert (
        match
        == mismatch
        == {
            "__typename": "ConfirmRemainingSuccess",
            "binCode": bin_row.code,
            "itemSku": "CT-8",
            "recorded": True,
        }
    )
    counts = await read(
        session,
        select(func.count())
        .select_from(m.Count)
        .where(m.Count.bin_id == bin_row.id, m.Count.origin == "PICKER"),
    )
    assert counts == 1
    negative = await call(gql, "picker", CONFIRM, bin=bin_row.code, item="CT-8", qty=-1, key=key())
    assert negative["code"] == "INVALID_QUANTITY"


# ---------------------------------------------------------------- blind: no book for the floor

BOOK = 7919  # a quantity no id, count or default in the demo data equals


def _selection(type_: Any, depth: int) -> str:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
        return ""
    if depth == 0:
        return "{ __typename }"
    if isinstance(type_, GraphQLUnionType):
        parts = [f"... on {t.name} {_selection(t, depth - 1)}" for t in type_.types]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
    fields = []
    for name, field in type_.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        fields.append(name + " " + _selection(field.type, depth - 1))
    return "{ __typename " + " ".join(fields) + " }"


def _holds(value: Any, number: int) -> bool:
    if isinstance(value, dict):
        return any(_holds(v, number) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, number) for v in value)
    return value == number or value == str(number)


async def test_floor_roles_cannot_read_the_book_through_any_query(gql, session):
    bin_row = await fresh_bin(session, "CT-K")
    item = await new_item(session, "CT-9")
    await put(session, bin_row, item, BOOK)
    task_id = await count_task(gql, bin_row.code)
    hints = {
        "taskId": task_id,
        "binCode": bin_row.code,
        "code": bin_row.code,
        "itemSku": "CT-9",
        "itemCode": "CT-9",
        "sku": "CT-9",
        "first": 50,
    }
    schema = build_schema()._schema
    assert schema.query_type is not None
    checked = 0
    for role in ("picker", "receiver"):
        token = await gql.token(role)
        for name, field in schema.query_type.fields.items():
            args = {a: hints[a] for a in field.args if a in hints}
            missing = [
                a
                for a, spec in field.args.items()
                if isinstance(spec.type, GraphQLNonNull) and a not in args
            ]
            if missing:
                args.update({a: "1" for a in missing})
            declared = ", ".join(f"${a}: {field.args[a].type}" for a in args)
            passed = ", ".join(f"{a}: ${a}" for a in args)
            query = (
                f"query{f'({declared})' if declared else ''} "
                f"{{ {name}{f'({passed})' if passed else ''} {_selection(field.type, 4)} }}"
            )
            body = await gql(query, args, token=token)
            assert not _holds(body, BOOK), (role, name, body)
            checked += 1
        # The stock queries are not theirs to run at all.
        for query in (
            "{ stock(first: 5) { edges { node { onHand } } } }",
            "{ stockMoves(first: 5) { edges { node { quantity } } } }",
        ):
            body = await gql(query, token=token)
            assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert checked >= 2 * 10
    # The count sheet shows the item, never its quantity; a supervisor sees the book.
    sheet = await call(gql, "picker", SHEET, task=task_id)
    assert sheet["lines"][0]["itemSku"] == "CT-9" and not _holds(sheet, BOOK)
    stock = await call(
        gql, "supervisor", '{ stock(itemSku: "CT-9") { edges { node { onHand } } } }'
    )
    assert stock["edges"][0]["node"]["onHand"] == BOOK


PLAN_IN = """mutation($wid: ID!, $key: String!) {
  createCountPlan(input: {name: "Elsewhere", kind: FLAGGED, warehouseId: $wid, idempotencyKey: $key}) {
    __typename ... on CountPlanSuccess { plan { id } } ... on UserError { code message field } } }"""


async def test_malformed_ids_are_typed_errors_in_reads_and_plans(gql, session):
    home = (await warehouse(session)).id
    await done(session)
    token = await gql.token("supervisor")
    for query in (
        '{ countSheets(warehouseId: "abc") { edges { node { countId } } } }',
        '{ countPlans(warehouseId: "0") { edges { node { id } } } }',
        '{ countReviews(warehouseId: "1e3") { edges { node { countId } } } }',
        '{ adjustments(warehouseId: "-4") { edges { node { id } } } }',
        '{ stockInTransit(warehouseId: "x") { edges { node { id } } } }',
    ):
        body = await gql(query, token=token)
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "INVALID_INPUT", "field": "warehouseId"}, query
    sheets = await gql(
        '{ countSheets(planId: "plan-1") { edges { node { countId } } } }', token=token
    )
    assert sheets["errors"][0]["extensions"] == {"code": "INVALID_INPUT", "field": "planId"}
    # Well-formed ids read as before: a warehouse the caller does not work in shows nothing.
    body = await gql('{ countPlans(warehouseId: "999999") { edges { node { id } } } }', token=token)
    assert body["data"]["countPlans"]["edges"] == []

    malformed = await call(gql, "supervisor", PLAN_IN, wid="W1", key=key())
    assert (malformed["code"], malformed["field"]) == ("INVALID_INPUT", "warehouseId")
    foreign = await call(gql, "supervisor", PLAN_IN, wid="999999", key=key())
    assert (foreign["code"], foreign["field"]) == ("OUT_OF_SCOPE", "warehouseId")
    made = await call(gql, "supervisor", PLAN_IN, wid=str(home), key=key())
    assert made["__typename"] == "CountPlanSuccess"
