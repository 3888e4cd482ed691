"""Waves: preview, create, release in one transaction, claiming, and guided picking
of a released wave through the GraphQL API down to the ledger."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from backend.scan import CodeKind, make_code
from backend.tasks import engine
from tests.integration.conftest import key
from tests.integration.test_outbound import (
    Stock,
    bins,
    create_order,
    make_customer,
    make_item,
)

PLAN_FIELDS = """method metres tourCount lines units
  tours { seq metres lines units orderIds stops { seq binCode itemSku quantity x y arriveMetres } }"""

PREVIEW = f"""query($input: WavePlanInput!) {{ previewWave(input: $input) {{ __typename
  ... on WavePlan {{ {PLAN_FIELDS} }} ... on UserError {{ code message field }} }} }}"""
CREATE_WAVE = f"""mutation($input: WavePlanInput!) {{ createWave(input: $input) {{ __typename
  ... on CreateWaveSuccess {{ wave {{ id code state }} plan {{ {PLAN_FIELDS} }} }}
  ... on UserError {{ code message field }} }} }}"""
RELEASE = """mutation($id: ID!, $k: String!) { releaseWave(input: {waveId: $id, idempotencyKey: $k}) {
  __typename
  ... on ReleaseWaveSuccess { wave { state } pickTaskIds replenishTaskIds orders lines units }
  ... on UserError { code message field } } }"""
CLAIM = """mutation($id: ID!, $k: String!) { claimTask(input: {taskId: $id, idempotencyKey: $k}) {
  __typename ... on UserError { code } } }"""
CLAIM_NEXT = """mutation($k: String!) { claimNextTask(input: {idempotencyKey: $k}) {
  __typename ... on ClaimNextSuccess { task { id kind } } ... on UserError { code } } }"""
PROGRESS_FIELDS = """__typename
  ... on PickProgress { taskState step instruction linesTotal linesDone linesLeft unitsLeft
      metresLeft next { lineId binCode binLabel itemSku lotNumber quantity askQuantity
      orderNumber toteSlot toteCode } }
  ... on UserError { code message field }"""
PROGRESS = f"query($id: ID!) {{ pickTaskProgress(taskId: $id) {{ {PROGRESS_FIELDS} }} }}"
SCAN_BIN = f"""mutation($t: ID!, $l: ID!, $c: String!, $k: String!) {{ pickScanBin(input:
  {{taskId: $t, lineId: $l, code: $c, idempotencyKey: $k}}) {{ {PROGRESS_FIELDS} }} }}"""
SCAN_ITEM = f"""mutation($t: ID!, $l: ID!, $c: String!, $k: String!) {{ pickScanItem(input:
  {{taskId: $t, lineId: $l, code: $c, idempotencyKey: $k}}) {{ {PROGRESS_FIELDS} }} }}"""
CONFIRM = f"""mutation($t: ID!, $l: ID!, $tote: String!, $q: Int, $k: String!) {{ pickConfirm(input:
  {{taskId: $t, lineId: $l, toteCode: $tote, quantity: $q, idempotencyKey: $k}}) {{ {PROGRESS_FIELDS} }} }}"""
SHORT = f"""mutation($t: ID!, $l: ID!, $q: Int!, $k: String!) {{ pickShort(input:
  {{taskId: $t, lineId: $l, reportedQuantity: $q, idempotencyKey: $k}}) {{ {PROGRESS_FIELDS} }} }}"""
SKIP = f"""mutation($t: ID!, $l: ID!, $k: String!) {{ pickSkip(input:
  {{taskId: $t, lineId: $l, idempotencyKey: $k}}) {{ {PROGRESS_FIELDS} }} }}"""


def tote(n: int) -> str:
    return make_code(CodeKind.TOTE, f"T{n:03d}")


async def setup_orders(gql: Any, session: Any, n_orders: int = 3) -> dict[str, Any]:
    """Two items on pick faces in different aisles, and n orders of both."""
    faces = await bins(session)
    by_aisle: dict[int, list[m.Bin]] = {}
    for b in faces:
        by_aisle.setdefault(b.aisle or 0, []).append(b)
    aisles = sorted(by_aisle)
    a = await make_item(session, "W-A", [Stock(by_aisle[aisles[0]][3], 80)], gtin_no=101)
    b = await make_item(session, "W-B", [Stock(by_aisle[aisles[1]][5], 80)], gtin_no=102)
    customer = await make_customer(session, "C-WAVE")
    token = await gql.token("planner")
    order_ids = []
    for n in range(n_orders):
        made = await create_order(
            gql,
            token,
            number=f"SO-W{n}",
            lines=[("W-A", 1 + n), ("W-B", 2)],
            customer=customer,
        )
        assert made["order"]["state"] == "RESERVED"
        order_ids.append(made["order"]["id"])
    return {"token": token, "orders": order_ids, "items": (a, b), "faces": faces}


def plan_input(order_ids: list[str], totes: int = 6, method: str = "OPTIMISED") -> dict[str, Any]:
    return {"orderIds": order_ids, "cartLimits": {"totes": totes}, "method": method}


async def create_wave(gql: Any, token: str, order_ids: list[str], **kw: Any) -> dict[str, Any]:
    body = await gql(CREATE_WAVE, {"input": plan_input(order_ids, **kw)}, token=token)
    assert "errors" not in body, body
    result = body["data"]["createWave"]
    assert result["__typename"] == "CreateWaveSuccess", result
    return result  # type: ignore[no-any-return]


async def release(gql: Any, token: str, wave_id: str) -> dict[str, Any]:
    body = await gql(RELEASE, {"id": wave_id, "k": key()}, token=token)
    assert "errors" not in body, body
    return body["data"]["releaseWave"]  # type: ignore[no-any-return]


async def test_preview_create_and_release_a_wave(gql, session):
    setup = await setup_orders(gql, session)
    token = setup["token"]
    preview = await gql(PREVIEW, {"input": plan_input(setup["orders"], totes=2)}, token=token)
    plan = preview["data"]["previewWave"]
    assert plan["__typename"] == "WavePlan"
    assert plan["tourCount"] == 2 and plan["lines"] == 6 and plan["units"] == 6 + 6
    for tour in plan["tours"]:
        metres = [s["arriveMetres"] for s in tour["stops"]]
        assert metres == sorted(metres) and tour["metres"] >= metres[-1] > 0
        assert all(s["binCode"].startswith("BIN-") for s in tour["stops"])
    # A preview keeps nothing.
    assert await session.scalar(select(func.count()).select_from(m.Wave)) == 0
    await session.rollback()
    created = await create_wave(gql, token, setup["orders"], totes=2)
    assert created["plan"]["tours"] == plan["tours"]
    assert created["wave"]["state"] == "PLANNED"
    # An order in a wave cannot join another one.
    again = await gql(CREATE_WAVE, {"input": plan_input(setup["orders"][:1])}, token=token)
    assert again["data"]["createWave"]["code"] == "INVALID_STATE"
    wave_id = created["wave"]["id"]
    released_key = key()
    first = await gql(RELEASE, {"id": wave_id, "k": released_key}, token=token)
    outcome = first["data"]["releaseWave"]
    assert outcome["wave"]["state"] == "RELEASED"
    assert len(outcome["pickTaskIds"]) == 2
    assert (outcome["orders"], outcome["lines"], outcome["units"]) == (3, 6, 12)
    replay = await gql(RELEASE, {"id": wave_id, "k": released_key}, token=token)
    assert replay == first
    twice = await release(gql, token, wave_id)
    assert twice["code"] == "WAVE_ALREADY_RELEASED"
    tasks = list(await session.scalars(select(m.Task).where(m.Task.kind == m.TaskKind.PICK)))
    assert len(tasks) == 2 and {t.state for t in tasks} == {"OPEN"}
    orders = list(await session.scalars(select(m.SalesOrder.state)))
    assert set(orders) == {"RELEASED"}
    await session.rollback()
    # The planner's tablet: waves with live progress per cart.
    body = await gql(
        "{ waves(first: 10) { edges { node { code state linesTotal linesPicked"
        " tours { seq taskState linesTotal linesPicked unitsTotal } } } } }",
        token=token,
    )
    node = body["data"]["waves"]["edges"][0]["node"]
    assert node["state"] == "RELEASED" and node["linesTotal"] == 6 and node["linesPicked"] == 0
    assert [t["taskState"] for t in node["tours"]] == ["OPEN", "OPEN"]


async def test_bad_wave_requests(gql, session):
    setup = await setup_orders(gql, session, n_orders=1)
    token = setup["token"]
    cases = [
        (plan_input([]), "INVALID_INPUT"),
        (plan_input(["999999"]), "ORDER_NOT_FOUND"),
        (plan_input(["x"]), "INVALID_INPUT"),
        (plan_input(setup["orders"] * 2), "INVALID_INPUT"),
        (plan_input(setup["orders"], totes=0), "INVALID_INPUT"),
        (
            {"orderIds": setup["orders"], "cartLimits": {"totes": 2, "units": 1}},
            "QUANTITY_TOO_LARGE",
        ),
    ]
    for value, code in cases:
        body = await gql(PREVIEW, {"input": value}, token=token)
        assert body["data"]["previewWave"]["code"] == code, (value, body)
    missing = await release(gql, token, "999999")
    assert missing["code"] == "WAVE_NOT_FOUND"
    picker = await gql.token("picker")
    denied = await gql(RELEASE, {"id": "1", "k": key()}, token=picker)
    assert denied["data"]["releaseWave"]["code"] == "PERMISSION_DENIED"


async def test_a_failure_mid_release_leaves_nothing_behind(gql, session, monkeypatch):
    setup = await setup_orders(gql, session)
    token = setup["token"]
    created = await create_wave(gql, token, setup["orders"], totes=1)
    calls = 0
    real = engine.create_task

    async def flaky(uow, new, created_by):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("the database went away")
        return await real(uow, new, created_by)

    monkeypatch.setattr(engine, "create_task", flaky)
    body = await gql(RELEASE, {"id": created["wave"]["id"], "k": key()}, token=token)
    assert body.get("errors") and calls == 2
    assert await session.scalar(select(func.count()).select_from(m.Task)) == await session.scalar(
        select(func.count()).select_from(m.Task).where(m.Task.kind != m.TaskKind.PICK)
    )
    assert (
        await session.scalar(
            select(func.count()).select_from(m.Task).where(m.Task.kind == m.TaskKind.PICK)
        )
        == 0
    )
    wave = await session.scalar(select(m.Wave.state))
    states = set(await session.scalars(select(m.SalesOrder.state)))
    tours = set(await session.scalars(select(m.WaveTour.task_id)))
    await session.rollback()
    assert wave == "PLANNED" and states == {"RESERVED"} and tours == {None}
    monkeypatch.setattr(engine, "create_task", real)
    outcome = await release(gql, token, created["wave"]["id"])
    assert len(outcome["pickTaskIds"]) == 3


async def test_a_pick_face_that_would_run_short_gets_a_replenish_task(gql, session):
    faces = await bins(session)
    reserve = await bins(session, m.ZoneKind.RESERVE)
    await make_item(session, "REPL-1", [Stock(faces[0], 10), Stock(reserve[0], 50)], gtin_no=103)
    customer = await make_customer(session, "C-REPL")
    token = await gql.token("planner")
    made = await create_order(
        gql, token, number="SO-REPL", lines=[("REPL-1", 8)], customer=customer
    )
    created = await create_wave(gql, token, [made["order"]["id"]])
    outcome = await release(gql, token, created["wave"]["id"])
    assert len(outcome["replenishTaskIds"]) == 1
    task_id = outcome["replenishTaskIds"][0]
    task = await session.get(m.Task, int(task_id))
    assert task is not None and task.kind == "REPLENISH" and task.bin_id == reserve[0].id
    await session.rollback()
    # The same task shape as the min/max check makes: the handheld can read and do it.
    picker = await gql.token("picker")
    details = await gql(
        """query($id: ID!) { replenishTask(taskId: $id) { itemSku toBinCode quantity
        sources { binCode quantity } } }""",
        {"id": task_id},
        token=picker,
    )
    todo = details["data"]["replenishTask"]
    assert todo["itemSku"] == "REPL-1" and todo["toBinCode"] == faces[0].code
    assert todo["sources"][0]["binCode"] == reserve[0].code and todo["quantity"] >= 6
    done = await gql(
        """mutation($id: ID!, $bin: String!, $key: String!) { completeReplenishment(input:
        {taskId: $id, toBinCode: $bin, itemCode: "REPL-1", idempotencyKey: $key}) {
        __typename ... on CompleteReplenishmentSuccess { quantity } } }""",
        {"id": task_id, "bin": faces[0].code, "key": key()},
        token=picker,
    )
    assert done["data"]["completeReplenishment"]["quantity"] == todo["quantity"]
    assert await ledger_mismatches(session) == []
    await session.rollback()


async def test_twenty_concurrent_claimers_never_share_a_pick_task(gql, session, template):
    setup = await setup_orders(gql, session, n_orders=10)
    token = setup["token"]
    created = await create_wave(gql, token, setup["orders"], totes=1)
    outcome = await release(gql, token, created["wave"]["id"])
    assert len(outcome["pickTaskIds"]) == 10
    # Other open tasks (the demo's counts) go elsewhere so every claim is a pick.
    await session.execute(
        m.Task.__table__.update().where(m.Task.kind != "PICK").values(state="DONE")
    )
    wid = await session.scalar(select(m.Warehouse.id))
    for n in range(20):
        await create_user(
            session,
            username=f"picker-x{n}",
            display_name=f"Picker {n}",
            password="pw-for-tests",
            roles=["picker"],
            warehouse_ids=[wid],
        )
    await session.commit()

    async def sign_in(n: int) -> str:
        body = await gql(
            """mutation($u: String!) { signIn(input: {username: $u, password: "pw-for-tests",
            deviceId: "d"}) { ... on SignInSuccess { token } } }""",
            {"u": f"picker-x{n}"},
        )
        return str(body["data"]["signIn"]["token"])

    tokens = [await sign_in(n) for n in range(20)]
    results = await asyncio.gather(*[gql(CLAIM_NEXT, {"k": key()}, token=t) for t in tokens])
    claimed = [r["data"]["claimNextTask"]["task"] for r in results]
    got = [c["id"] for c in claimed if c is not None]
    assert len(got) == 10 and len(set(got)) == 10
    assert sorted(got) == sorted(outcome["pickTaskIds"])
    holders = list(
        await session.execute(
            select(m.Task.id, m.Task.assignee_id).where(m.Task.kind == m.TaskKind.PICK)
        )
    )
    await session.rollback()
    assert len({assignee for _, assignee in holders}) == 10


async def released_task(gql: Any, session: Any, n_orders: int = 3) -> dict[str, Any]:
    setup = await setup_orders(gql, session, n_orders=n_orders)
    created = await create_wave(gql, setup["token"], setup["orders"], totes=6)
    outcome = await release(gql, setup["token"], created["wave"]["id"])
    (task_id,) = outcome["pickTaskIds"]
    picker = await gql.token("picker")
    claim = await gql(CLAIM, {"id": task_id, "k": key()}, token=picker)
    assert claim["data"]["claimTask"]["__typename"] == "TaskSuccess"
    return {**setup, "task": task_id, "picker": picker, "wave": created["wave"]["id"]}


async def step(gql: Any, query: str, token: str, **variables: Any) -> dict[str, Any]:
    body = await gql(query, {"k": key(), **variables}, token=token)
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result  # type: ignore[no-any-return]


async def pick_current(
    gql: Any, ctx: dict[str, Any], progress: dict[str, Any], totes: dict[str, str]
) -> dict[str, Any]:
    """Scan bin, scan item, confirm: what a picker does at one stop."""
    stop = progress["next"]
    gtins = {ref.sku: ref.gtin for ref in ctx["items"]}
    t, p = ctx["task"], ctx["picker"]
    progress = await step(gql, SCAN_BIN, p, t=t, l=stop["lineId"], c=stop["binCode"])
    assert progress["step"] == "SCAN_ITEM", progress
    progress = await step(gql, SCAN_ITEM, p, t=t, l=stop["lineId"], c=gtins[stop["itemSku"]])
    assert progress["step"] == "CONFIRM", progress
    the_tote = totes.setdefault(stop["orderNumber"], tote(len(totes) + 1))
    quantity = stop["quantity"] if stop["askQuantity"] else None
    return await step(gql, CONFIRM, p, t=t, l=stop["lineId"], tote=the_tote, q=quantity)


async def test_a_full_pick_of_a_released_wave(gql, session):
    ctx = await released_task(gql, session)
    progress = await step(gql, PROGRESS, ctx["picker"], id=ctx["task"])
    assert progress["step"] == "SCAN_BIN" and progress["linesTotal"] == 6
    assert progress["unitsLeft"] == 12 and progress["metresLeft"] > 0
    totes: dict[str, str] = {}
    while progress["step"] != "DONE":
        progress = await pick_current(gql, ctx, progress, totes)
    assert progress["linesDone"] == 6 and progress["unitsLeft"] == 0
    assert progress["taskState"] == "DONE" and progress["metresLeft"] == 0
    session.expire_all()
    packing = await session.scalar(
        select(m.Bin.id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == m.ZoneKind.PACKING)
        .order_by(m.Bin.id)
    )
    a, b = ctx["items"]
    for ref, total in ((a, 1 + 2 + 3), (b, 6)):
        quants = {
            q.bin_id: (q.on_hand, q.reserved)
            for q in await session.scalars(select(m.Quant).where(m.Quant.item_id == ref.id))
        }
        assert quants[packing] == (total, 0)
        assert sorted(v for k, v in quants.items() if k != packing) == [(80 - total, 0)]
    active = await session.scalar(
        select(func.count())
        .select_from(m.Reservation)
        .where(m.Reservation.state == m.ReservationState.ACTIVE)
    )
    consumed = await session.scalar(
        select(func.sum(m.Reservation.quantity)).where(
            m.Reservation.state == m.ReservationState.CONSUMED
        )
    )
    assert active == 0 and consumed == 12
    assert set(await session.scalars(select(m.SalesOrder.state))) == {"PICKED"}
    assert await session.scalar(select(m.Wave.state)) == "DONE"
    moves = await session.scalar(
        select(func.count()).select_from(m.StockMove).where(m.StockMove.reason == "PICK")
    )
    assert moves == 6
    assert await ledger_mismatches(session) == []
    await session.rollback()
    waves = await gql(
        "{ waves(first: 5) { edges { node { state linesTotal linesPicked } } } }",
        token=ctx["token"],
    )
    assert waves["data"]["waves"]["edges"][0]["node"] == {
        "state": "DONE",
        "linesTotal": 6,
        "linesPicked": 6,
    }


ROUTE = """query($id: ID!) { pickTaskProgress(taskId: $id, route: true) { __typename
  ... on PickProgress { step next { lineId } stops { lineId binCode itemSku gtin gtins quantity
      toteSlot arriveMetres } } ... on UserError { code } } }"""


async def test_the_route_lists_every_open_stop_for_offline_work(gql, session):
    ctx = await released_task(gql, session)
    t, p = ctx["task"], ctx["picker"]
    route = await step(gql, ROUTE, p, id=t)
    stops = route["stops"]
    assert len(stops) == 6 and stops[0]["lineId"] == route["next"]["lineId"]
    gtins = {ref.sku: ref.gtin for ref in ctx["items"]}
    for stop in stops:
        assert gtins[stop["itemSku"]] in stop["gtins"] and stop["gtin"] in stop["gtins"]
        assert stop["arriveMetres"] is not None
    metres = [s["arriveMetres"] for s in stops]
    assert metres == sorted(metres), "walking order"
    # Without the argument (and in scan answers) the list stays empty: scans stay cheap.
    plain = await step(gql, PROGRESS.replace("linesTotal", "linesTotal stops { lineId }"), p, id=t)
    assert plain["stops"] == []
    totes: dict[str, str] = {}
    progress = await pick_current(gql, ctx, await step(gql, PROGRESS, p, id=t), totes)
    after = await step(gql, ROUTE, p, id=t)
    assert [s["lineId"] for s in after["stops"]] == [s["lineId"] for s in stops[1:]]
    assert after["next"]["lineId"] == progress["next"]["lineId"]


async def test_wrong_scans_and_bad_steps_change_nothing(gql, session):
    ctx = await released_task(gql, session, n_orders=2)
    t, p = ctx["task"], ctx["picker"]
    progress = await step(gql, PROGRESS, p, id=t)
    stop = progress["next"]
    line = stop["lineId"]
    other_bin = next(b for b in ctx["faces"] if b.code != stop["binCode"]).code
    gtins = {ref.sku: ref.gtin for ref in ctx["items"]}
    wrong_gtin = next(g for s, g in gtins.items() if s != stop["itemSku"])

    async def code_of(query: str, **variables: Any) -> str:
        return str((await step(gql, query, p, t=t, **variables))["code"])

    assert await code_of(SCAN_ITEM, l=line, c=gtins[stop["itemSku"]]) == "PICK_STEP_OUT_OF_ORDER"
    assert await code_of(SCAN_BIN, l=line, c=other_bin) == "WRONG_BIN"
    assert await code_of(SCAN_BIN, l=line, c=tote(9)) == "SCAN_WRONG_KIND"
    assert await code_of(SCAN_BIN, l=line, c="BIN-NOPE-1-Z") == "SCAN_BAD_CHECK_DIGIT"
    assert await code_of(SCAN_BIN, l=line, c="") == "SCAN_EMPTY"
    assert await code_of(SCAN_BIN, l="999999", c=stop["binCode"]) == "NOT_FOUND"
    assert await code_of(CONFIRM, l=line, tote=tote(1), q=1) == "PICK_STEP_OUT_OF_ORDER"
    await step(gql, SCAN_BIN, p, t=t, l=line, c=stop["binCode"])
    assert await code_of(SCAN_ITEM, l=line, c=wrong_gtin) == "WRONG_ITEM"
    assert await code_of(SCAN_ITEM, l=line, c=stop["binCode"]) == "SCAN_WRONG_KIND"
    await step(gql, SCAN_ITEM, p, t=t, l=line, c=gtins[stop["itemSku"]])
    wanted = stop["quantity"]
    assert await code_of(CONFIRM, l=line, tote=tote(1), q=wanted + 1) == "OVER_PICK"
    assert await code_of(CONFIRM, l=line, tote=tote(1), q=0) == "INVALID_QUANTITY"
    assert await code_of(CONFIRM, l=line, tote=tote(1), q=-3) == "INVALID_QUANTITY"
    assert await code_of(CONFIRM, l=line, tote=stop["binCode"], q=wanted) == "SCAN_WRONG_KIND"
    # Another picker cannot work this task.
    boss = await gql.token("supervisor")
    held = await step(gql, SCAN_BIN, boss, t=t, l=line, c=stop["binCode"])
    assert held["code"] == "TASK_HELD_BY_OTHER"
    assert (
        await session.scalar(
            select(func.count()).select_from(m.StockMove).where(m.StockMove.reason == "PICK")
        )
        == 0
    )
    await session.rollback()
    # A confirmation replayed with its key answers the same and moves stock once.
    variables = {"t": t, "l": line, "tote": tote(1), "q": wanted if wanted > 1 else None}
    confirm_key = key()
    first = await gql(CONFIRM, {**variables, "k": confirm_key}, token=p)
    again = await gql(CONFIRM, {**variables, "k": confirm_key}, token=p)
    assert first == again and first["data"]["pickConfirm"]["__typename"] == "PickProgress"
    late = await gql(CONFIRM, {**variables, "k": key()}, token=p)
    assert late["data"]["pickConfirm"]["code"] == "PICK_LINE_CLOSED"
    assert (
        await session.scalar(
            select(func.count()).select_from(m.StockMove).where(m.StockMove.reason == "PICK")
        )
        == 1
    )
    await session.rollback()
    # The next line of the same order must go into the same tote.
    progress = first["data"]["pickConfirm"]
    nxt = progress["next"]
    await step(gql, SCAN_BIN, p, t=t, l=nxt["lineId"], c=nxt["binCode"])
    await step(gql, SCAN_ITEM, p, t=t, l=nxt["lineId"], c=gtins[nxt["itemSku"]])
    if nxt["orderNumber"] == stop["orderNumber"]:
        assert nxt["toteCode"] == tote(1)
        wrong = await step(gql, CONFIRM, p, t=t, l=nxt["lineId"], tote=tote(2), q=nxt["quantity"])
    else:
        wrong = await step(gql, CONFIRM, p, t=t, l=nxt["lineId"], tote=tote(1), q=nxt["quantity"])
    assert wrong["code"] == "WRONG_TOTE"


async def test_a_cancelled_order_drops_out_of_the_pick(gql, session):
    ctx = await released_task(gql, session, n_orders=2)
    t, p = ctx["task"], ctx["picker"]
    progress = await step(gql, PROGRESS, p, id=t)
    first_line = progress["next"]["lineId"]
    doomed = progress["next"]["orderNumber"]
    order_id = ctx["orders"][int(doomed[-1])]
    cancel = await gql(
        "mutation($id: ID!) { cancelSalesOrder(input: {orderId: $id}) { __typename } }",
        {"id": order_id},
        token=ctx["token"],
    )
    assert cancel["data"]["cancelSalesOrder"]["__typename"] == "CancelSalesOrderSuccess"
    refused = await step(gql, SCAN_BIN, p, t=t, l=first_line, c=progress["next"]["binCode"])
    assert refused["code"] == "ORDER_CANCELLED"
    progress = await step(gql, PROGRESS, p, id=t)
    assert progress["linesTotal"] == 2 and progress["next"]["orderNumber"] != doomed
    totes: dict[str, str] = {}
    while progress["step"] != "DONE":
        progress = await pick_current(gql, ctx, progress, totes)
    assert progress["taskState"] == "DONE"
    session.expire_all()
    assert await ledger_mismatches(session) == []
    assert (
        await session.scalar(
            select(func.count())
            .select_from(m.Reservation)
            .where(m.Reservation.state == m.ReservationState.ACTIVE)
        )
        == 0
    )
    await session.rollback()


async def test_short_pick_flags_the_bin_and_finds_stock_elsewhere(gql, session):
    faces = await bins(session)
    await make_item(session, "SH-1", [Stock(faces[0], 3), Stock(faces[-1], 10)], gtin_no=104)
    customer = await make_customer(session, "C-SH")
    token = await gql.token("planner")
    made = await create_order(gql, token, number="SO-SH", lines=[("SH-1", 3)], customer=customer)
    created = await create_wave(gql, token, [made["order"]["id"]])
    (task_id,) = (await release(gql, token, created["wave"]["id"]))["pickTaskIds"]
    picker = await gql.token("picker")
    await gql(CLAIM, {"id": task_id, "k": key()}, token=picker)
    progress = await step(gql, PROGRESS, picker, id=task_id)
    stop = progress["next"]
    assert stop["binCode"] == faces[0].code and stop["quantity"] == 3
    bad = await step(gql, SHORT, picker, t=task_id, l=stop["lineId"], q=3)
    assert bad["code"] == "INVALID_QUANTITY"
    progress = await step(gql, SHORT, picker, t=task_id, l=stop["lineId"], q=1)
    # One unit is still taken here, the other two come from the other bin.
    assert progress["next"]["lineId"] == stop["lineId"] and progress["next"]["quantity"] == 1
    assert progress["linesTotal"] == 2 and progress["unitsLeft"] == 3
    needs_count = await session.scalar(select(m.Bin.needs_count).where(m.Bin.id == faces[0].id))
    await session.rollback()
    assert needs_count is True
    # Skip the rest here; the other bin comes first now.
    progress = await step(gql, SKIP, picker, t=task_id, l=stop["lineId"])
    assert progress["next"]["binCode"] == faces[-1].code and progress["next"]["quantity"] == 2
    ctx = {"task": task_id, "picker": picker, "items": [await item_ref(session, "SH-1")]}
    totes: dict[str, str] = {}
    while progress["step"] != "DONE":
        progress = await pick_current(gql, ctx, progress, totes)
    session.expire_all()
    assert await session.scalar(select(m.SalesOrder.state)) == "PICKED"
    assert await ledger_mismatches(session) == []
    await session.rollback()


async def item_ref(session: Any, sku: str) -> Any:
    from tests.integration.test_outbound import ItemRef

    item = await session.scalar(select(m.Item).where(m.Item.sku == sku))
    gtin = await session.scalar(select(m.ItemBarcode.gtin).where(m.ItemBarcode.item_id == item.id))
    ref = ItemRef(item.id, sku, gtin)
    await session.rollback()
    return ref


@pytest.mark.parametrize("later", [True, False])
async def test_another_lot_only_when_fefo_still_holds(gql, session, later):
    faces = await bins(session)
    today = date.today()
    item = await make_item(
        session,
        "LOT-1",
        [
            Stock(faces[0], 5, "L-EARLY", today + timedelta(days=40)),
            Stock(faces[0], 5, "L-LATE", today + timedelta(days=90)),
            Stock(faces[0], 5, "L-SAME", today + timedelta(days=40)),
        ],
        gtin_no=105,
        expiry=True,
    )
    customer = await make_customer(session, "C-LOT")
    token = await gql.token("planner")
    made = await create_order(gql, token, number="SO-LOT", lines=[("LOT-1", 2)], customer=customer)
    created = await create_wave(gql, token, [made["order"]["id"]])
    (task_id,) = (await release(gql, token, created["wave"]["id"]))["pickTaskIds"]
    picker = await gql.token("picker")
    await gql(CLAIM, {"id": task_id, "k": key()}, token=picker)
    stop = (await step(gql, PROGRESS, picker, id=task_id))["next"]
    assert stop["lotNumber"] == "L-EARLY"
    await step(gql, SCAN_BIN, picker, t=task_id, l=stop["lineId"], c=stop["binCode"])
    plain = await step(gql, SCAN_ITEM, picker, t=task_id, l=stop["lineId"], c=item.gtin)
    assert plain["code"] == "LOT_REQUIRED"
    lot = "L-LATE" if later else "L-SAME"
    scanned = await step(
        gql, SCAN_ITEM, picker, t=task_id, l=stop["lineId"], c=f"(01){item.gtin}(10){lot}"
    )
    if later:
        assert scanned["code"] == "WRONG_LOT"
        assert "L-EARLY" in scanned["message"]
        return
    assert scanned["step"] == "CONFIRM" and scanned["next"]["lotNumber"] == "L-SAME"
    reserved = dict(
        (
            await session.execute(
                select(m.Lot.lot_number, m.Quant.reserved)
                .join(m.Lot, m.Lot.id == m.Quant.lot_id)
                .where(m.Quant.item_id == item.id)
            )
        ).all()
    )
    await session.rollback()
    assert reserved == {"L-EARLY": 0, "L-LATE": 0, "L-SAME": 2}
    done = await step(gql, CONFIRM, picker, t=task_id, l=stop["lineId"], tote=tote(1), q=2)
    assert done["step"] == "DONE"
    session.expire_all()
    assert await ledger_mismatches(session) == []
    await session.rollback()


SETTINGS = """mutation($r: ReserveAt!, $s: ShortPickRule!) { setOutboundSettings(input:
  {reserveAt: $r, shortPickRule: $s}) { __typename ... on OutboundSettings { reserveAt
  shortPickRule } ... on UserError { code } } }"""


async def test_reserving_when_planning_and_short_shipping(gql, session):
    faces = await bins(session)
    item = await make_item(session, "LATE-1", [Stock(faces[0], 4)], gtin_no=106)
    customer = await make_customer(session, "C-LATE")
    token = await gql.token("planner")
    body = await gql(SETTINGS, {"r": "WAVE", "s": "SHORT_SHIP"}, token=token)
    assert body["data"]["setOutboundSettings"] == {
        "__typename": "OutboundSettings",
        "reserveAt": "WAVE",
        "shortPickRule": "SHORT_SHIP",
    }
    made = await create_order(
        gql, token, number="SO-LATE", lines=[("LATE-1", 3)], customer=customer
    )
    assert made["order"]["state"] == "NEW"
    assert made["order"]["lines"][0]["reserved"] == 0
    pool = await gql("{ orderPool(first: 10) { edges { node { number } } } }", token=token)
    assert pool["data"]["orderPool"]["edges"] == []
    pool = await gql(
        "{ orderPool(first: 10, includeUnreserved: true) { edges { node { number } } } }",
        token=token,
    )
    assert [e["node"]["number"] for e in pool["data"]["orderPool"]["edges"]] == ["SO-LATE"]
    preview = await gql(PREVIEW, {"input": plan_input([made["order"]["id"]])}, token=token)
    assert preview["data"]["previewWave"]["units"] == 3
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    await session.rollback()
    assert reserved == 0  # a preview reserves nothing
    created = await create_wave(gql, token, [made["order"]["id"]])
    (task_id,) = (await release(gql, token, created["wave"]["id"]))["pickTaskIds"]
    picker = await gql.token("picker")
    waiting = await step(gql, PROGRESS, picker, id=task_id)
    assert waiting["step"] == "CLAIM"
    early = await step(
        gql, SCAN_BIN, picker, t=task_id, l=waiting["next"]["lineId"], c=faces[0].code
    )
    assert early["code"] == "INVALID_STATE"
    await gql(CLAIM, {"id": task_id, "k": key()}, token=picker)
    stop = (await step(gql, PROGRESS, picker, id=task_id))["next"]
    done = await step(gql, SHORT, picker, t=task_id, l=stop["lineId"], q=0)
    assert done["step"] == "DONE" and done["taskState"] == "DONE"
    line = (
        await session.execute(
            select(m.SalesOrderLine.short, m.SalesOrderLine.picked, m.SalesOrderLine.reserved)
        )
    ).one()
    bin_flag = await session.scalar(select(m.Bin.needs_count).where(m.Bin.id == faces[0].id))
    reserved = await session.scalar(
        select(func.sum(m.Quant.reserved)).where(m.Quant.item_id == item.id)
    )
    await session.rollback()
    assert tuple(line) == (3, 0, 0)
    assert bin_flag is True and reserved == 0


async def test_planning_holds_no_lock_and_a_change_meanwhile_is_caught(gql, session, monkeypatch):
    """createWave plans outside its transaction, so other requests run to the end while
    the planner computes; an order changed meanwhile means nothing is stored."""
    setup = await setup_orders(gql, session)
    token = setup["token"]
    first, second, third = setup["orders"]
    line_id = await session.scalar(
        select(m.SalesOrderLine.id)
        .where(m.SalesOrderLine.order_id == int(first))
        .order_by(m.SalesOrderLine.line_no)
    )
    await session.rollback()
    real_to_thread = asyncio.to_thread
    meanwhile: list[tuple[str, dict[str, Any]]] = []
    answers: list[str] = []

    async def plan_while_another_request_runs(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        planned = await real_to_thread(func, *args, **kwargs)
        if meanwhile:
            query, variables = meanwhile.pop()
            body = await gql(query, variables, token=token)
            answers.append(next(iter(body["data"].values()))["__typename"])
        return planned

    monkeypatch.setattr(asyncio, "to_thread", plan_while_another_request_runs)

    # Another planner cancels an order: it can no longer go into a wave.
    meanwhile.append(
        (
            "mutation($id: ID!) { cancelSalesOrder(input: {orderId: $id}) { __typename } }",
            {"id": second},
        )
    )
    body = await gql(CREATE_WAVE, {"input": plan_input(setup["orders"])}, token=token)
    assert answers == ["CancelSalesOrderSuccess"]
    assert body["data"]["createWave"]["code"] == "INVALID_STATE"

    # Someone reserves one more unit for an order's line: the plan no longer matches.
    meanwhile.append(
        (
            """mutation($ref: String!, $key: String!) { reserveStock(input: {itemSku: "W-A",
            quantity: 1, reference: $ref, idempotencyKey: $key}) { __typename } }""",
            {"ref": f"SOL-{line_id}", "key": key()},
        )
    )
    body = await gql(CREATE_WAVE, {"input": plan_input([first, third])}, token=token)
    assert answers[-1] == "ReserveStockSuccess"
    assert body["data"]["createWave"]["code"] == "STALE_VERSION"
    assert await session.scalar(select(func.count()).select_from(m.Wave)) == 0
    await session.rollback()

    # Planned again with nothing in between, the wave is kept.
    created = await create_wave(gql, token, [first, third])
    assert created["wave"]["state"] == "PLANNED"


async def _outbound_state(session: Any) -> dict[str, Any]:
    """Everything a wave plan may change before it is kept, read fresh."""
    session.expire_all()
    state = {
        "quants": sorted(
            tuple(r) for r in await session.execute(select(m.Quant.id, m.Quant.reserved))
        ),
        "orders": sorted(
            tuple(r)
            for r in await session.execute(
                select(m.SalesOrder.id, m.SalesOrder.state, m.SalesOrder.wave_id)
            )
        ),
        "lines": sorted(
            tuple(r)
            for r in await session.execute(
                select(m.SalesOrderLine.id, m.SalesOrderLine.reserved, m.SalesOrderLine.backordered)
            )
        ),
        "reservations": sorted(
            tuple(r)
            for r in await session.execute(
                select(m.Reservation.id, m.Reservation.state, m.Reservation.quantity)
            )
        ),
        "waves": await session.scalar(select(func.count()).select_from(m.Wave)),
    }
    await session.rollback()
    return state


async def test_a_refused_wave_reserving_when_planning_changes_nothing(gql, session):
    """Where stock is reserved when a wave is planned, a createWave refused because one
    order cannot be served leaves reservations, quants and order states as they were."""
    faces = await bins(session)
    await make_item(session, "RW-A", [Stock(faces[0], 60), Stock(faces[4], 60)], gtin_no=111)
    await make_item(session, "RW-B", [Stock(faces[8], 90)], gtin_no=112)
    await make_item(session, "RW-NONE", [], gtin_no=113)
    customer = await make_customer(session, "C-RW")
    token = await gql.token("planner")
    body = await gql(SETTINGS, {"r": "WAVE", "s": "BACKORDER"}, token=token)
    assert body["data"]["setOutboundSettings"]["reserveAt"] == "WAVE"
    servable = []
    for n in range(5):
        made = await create_order(
            gql,
            token,
            number=f"SO-RW{n}",
            lines=[("RW-A", 10 + n), ("RW-B", 15)],
            customer=customer,
        )
        assert made["order"]["state"] == "NEW"
        servable.append(made["order"]["id"])
    hopeless = await create_order(
        gql, token, number="SO-RW-NONE", lines=[("RW-NONE", 3)], customer=customer
    )
    order_ids = [*servable, hopeless["order"]["id"]]
    before = await _outbound_state(session)
    assert all(reserved == 0 for _, reserved in before["quants"])

    refused = await gql(CREATE_WAVE, {"input": plan_input(order_ids)}, token=token)
    result = refused["data"]["createWave"]
    assert result["code"] == "INVALID_STATE" and "SO-RW-NONE" in result["message"]
    assert await _outbound_state(session) == before
    # A preview is refused the same way and keeps nothing either.
    preview = await gql(PREVIEW, {"input": plan_input(order_ids)}, token=token)
    assert preview["data"]["previewWave"]["code"] == "INVALID_STATE"
    assert await _outbound_state(session) == before

    # Without the order that cannot be served, the wave is kept, reserved as planned.
    created = await create_wave(gql, token, servable)
    assert created["plan"]["units"] == sum(10 + n + 15 for n in range(5))
    after = await _outbound_state(session)
    assert sum(r for _, r in after["quants"]) == created["plan"]["units"]
    states = {oid: state for oid, state, _ in after["orders"]}
    assert {states[int(o)] for o in servable} == {"RESERVED"}
    assert states[int(hopeless["order"]["id"])] == "NEW"
    # The stored pick lines point at reservations that exist and are active.
    dangling = await session.scalar(
        select(func.count())
        .select_from(m.PickLine)
        .outerjoin(m.Reservation, m.Reservation.id == m.PickLine.reservation_id)
        .where((m.Reservation.id.is_(None)) | (m.Reservation.state != m.ReservationState.ACTIVE))
    )
    await session.rollback()
    assert dangling == 0
    session.expire_all()
    assert await ledger_mismatches(session) == []
    await session.rollback()


async def test_outbound_reads_show_nothing_of_another_warehouse(gql, session):
    """A planner of W2 naming W1 (or asking by id) gets nothing of W1: no fallback
    to their own warehouses, no rows of the other one."""
    setup = await setup_orders(gql, session, n_orders=2)
    token = setup["token"]
    created = await create_wave(gql, token, setup["orders"])
    body = await gql(
        """mutation { setChannelStockPool(input: {channel: "SHOP", itemSku: "W-A",
        percent: 20}) { __typename } }""",
        token=token,
    )
    assert body["data"]["setChannelStockPool"]["__typename"] == "ChannelStockPoolSuccess"
    w1 = await session.scalar(select(m.Warehouse.id).order_by(m.Warehouse.id))
    w2 = m.Warehouse(code="W2", name="Second DC")
    session.add(w2)
    await session.flush()
    await create_user(
        session,
        username="planner-w2",
        display_name="Planner W2",
        password="pw-for-tests",
        roles=["planner"],
        warehouse_ids=[w2.id],
    )
    w2_id = w2.id
    await session.commit()
    body = await gql(
        """mutation { signIn(input: {username: "planner-w2", password: "pw-for-tests",
        deviceId: "d"}) { ... on SignInSuccess { token } } }"""
    )
    other = body["data"]["signIn"]["token"]
    order_id, wave_id = setup["orders"][0], created["wave"]["id"]
    # The W1 planner sees them; the W2 planner, naming W1 or not, sees none of them.
    mine = await gql(
        "query($w: ID) { waves(first: 10, warehouseId: $w) { edges { node { id } } } }",
        {"w": str(w1)},
        token=token,
    )
    assert [e["node"]["id"] for e in mine["data"]["waves"]["edges"]] == [wave_id]
    for wid in (str(w1), None):
        reads = await gql(
            """query($w: ID, $o: ID!, $wave: ID!) {
              orderPool(first: 10, warehouseId: $w, includeUnreserved: true) {
                edges { node { id } } }
              waves(first: 10, warehouseId: $w) { edges { node { id } } }
              channelStockPools(warehouseId: $w) { channel }
              salesOrder(id: $o) { id }
              wave(id: $wave) { id } }""",
            {"w": wid, "o": order_id, "wave": wave_id},
            token=other,
        )
        assert "errors" not in reads, reads
        data = reads["data"]
        assert data["orderPool"]["edges"] == [] and data["waves"]["edges"] == []
        assert data["channelStockPools"] == []
        assert data["salesOrder"] is None and data["wave"] is None
    settings = await gql(
        "query($w: ID) { outboundSettings(warehouseId: $w) { warehouseId } }",
        {"w": str(w1)},
        token=other,
    )
    assert settings["data"]["outboundSettings"] is None
    own = await gql(
        "query($w: ID) { outboundSettings(warehouseId: $w) { warehouseId } }",
        {"w": str(w2_id)},
        token=other,
    )
    assert own["data"]["outboundSettings"] == {"warehouseId": str(w2_id)}


async def test_a_plan_made_in_the_planning_process_equals_the_thread_plan(gql, session, app):
    """WMS_PLAN_PROCESSES: the plan is computed in a spawned process, not the server's,
    and comes back the same as one computed in a worker thread."""
    import os

    from backend.wave.planner import PlanPool

    setup = await setup_orders(gql, session)
    token = setup["token"]
    in_thread = await gql(PREVIEW, {"input": plan_input(setup["orders"], totes=2)}, token=token)
    state = app.state.wms
    thread_planner, state.planner = state.planner, PlanPool(1)
    try:
        in_process = await gql(
            PREVIEW, {"input": plan_input(setup["orders"], totes=2)}, token=token
        )
        pids = state.planner.worker_pids()
    finally:
        await state.planner.close()
        state.planner = thread_planner
    assert in_process["data"]["previewWave"]["__typename"] == "WavePlan"
    assert in_process == in_thread
    assert pids and os.getpid() not in pids
