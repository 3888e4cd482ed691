"""Pick faces refilled from reserve (FEFO, never twice), and purchase suggestions
from a hand-made demand history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches
from backend.replenishment import pickface
from tests.integration.conftest import key
from tests.integration.helpers import item_with_demand

SET = """mutation($input: SetReplenishmentSettingInput!) { setReplenishmentSetting(input: $input) {
  __typename ... on ReplenishmentSettingSuccess { setting { id minQty maxQty } }
  ... on UserError { code message field } } }"""
EVALUATE = """mutation { evaluateReplenishment(input: {}) {
  __typename ... on EvaluateReplenishmentSuccess { created { id kind title binCode reference } shortSettingIds }
  ... on UserError { code message field } } }"""
COMPLETE = """mutation($task: ID!, $key: String!) { completeReplenishment(input: {taskId: $task, idempotencyKey: $key}) {
  __typename ... on CompleteReplenishmentSuccess { taskId quantity }
  ... on UserError { code message field } } }"""


async def bins_of(session, kind: str) -> list[m.Bin]:
    rows = list(
        await session.scalars(
            select(m.Bin)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Zone.kind == kind)
            .order_by(m.Bin.id)
        )
    )
    return rows


async def on_bin(session, item_id: int, bin_id: int) -> int:
    value = await session.scalar(
        select(func.sum(m.Quant.on_hand)).where(
            m.Quant.item_id == item_id, m.Quant.bin_id == bin_id
        )
    )
    await session.commit()
    return int(value or 0)


async def setup_item(session) -> tuple[int, m.Bin, list[m.Bin]]:
    face = (await bins_of(session, m.ZoneKind.PICK_FACE))[-1]
    reserve = await bins_of(session, m.ZoneKind.RESERVE)
    item = m.Item(sku="REPL-1", name="Replenished", tracking="LOT", expiry_tracked=True)
    session.add(item)
    await session.flush()
    late = m.Lot(item_id=item.id, lot_number="LATE", expiry=date(2027, 6, 1))
    early = m.Lot(item_id=item.id, lot_number="EARLY", expiry=date(2027, 2, 1))
    session.add_all([late, early])
    await session.flush()
    for quantity, lot, where in ((3, early, face), (50, late, reserve[0]), (30, early, reserve[1])):
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                quantity=quantity,
                reason=m.MoveReason.OPENING,
                lot_id=lot.id,
                destination=Place(where.id),
            ),
        )
    await session.commit()
    return item.id, face, reserve


async def test_a_pick_face_below_its_minimum_is_refilled_from_reserve_in_fefo_order(gql, session):
    item_id, face, reserve = await setup_item(session)
    planner = await gql.token("planner")
    body = await gql(
        SET,
        {"input": {"itemSku": "REPL-1", "binCode": face.code, "minQty": 10, "maxQty": 60}},
        token=planner,
    )
    assert body["data"]["setReplenishmentSetting"]["setting"]["maxQty"] == 60
    created = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]["created"]
    assert len(created) == 1 and created[0]["kind"] == "REPLENISH"
    task = await session.get(m.Task, int(created[0]["id"]))
    assert task is not None
    # 57 units: the early lot (30, second reserve bin) first, then 27 of the late one.
    assert [(line["from_bin_id"], line["quantity"]) for line in task.payload["lines"]] == [
        (reserve[1].id, 30),
        (reserve[0].id, 27),
    ]
    await session.commit()
    again = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]
    assert again["created"] == [] and again["shortSettingIds"] == []

    picker = await gql.token("picker")
    done_key = key()
    done = await gql(COMPLETE, {"task": created[0]["id"], "key": done_key}, token=picker)
    assert done["data"]["completeReplenishment"] == {
        "__typename": "CompleteReplenishmentSuccess",
        "taskId": created[0]["id"],
        "quantity": 57,
    }
    replay = await gql(COMPLETE, {"task": created[0]["id"], "key": done_key}, token=picker)
    assert replay == done
    assert await on_bin(session, item_id, face.id) == 60
    assert await on_bin(session, item_id, reserve[1].id) == 0
    twice = await gql(COMPLETE, {"task": created[0]["id"], "key": key()}, token=picker)
    assert twice["data"]["completeReplenishment"]["code"] == "INVALID_STATE"
    assert await ledger_mismatches(session) == []
    await session.commit()
    assert (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]["created"] == []


async def test_a_taken_reserve_refuses_completion_and_changes_nothing(gql, session):
    item_id, face, reserve = await setup_item(session)
    planner = await gql.token("planner")
    await gql(
        SET,
        {"input": {"itemSku": "REPL-1", "binCode": face.code, "minQty": 5, "maxQty": 20}},
        token=planner,
    )
    created = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]["created"]
    early = await session.scalar(
        select(m.Lot.id).where(m.Lot.lot_number == "EARLY", m.Lot.item_id == item_id)
    )
    await apply_move(
        session,
        MoveRequest(
            item_id=item_id,
            quantity=30,
            reason=m.MoveReason.ADJUST_OUT,
            lot_id=early,
            source=Place(reserve[1].id),
        ),
    )
    await session.commit()
    body = await gql(
        COMPLETE, {"task": created[0]["id"], "key": key()}, token=await gql.token("picker")
    )
    assert body["data"]["completeReplenishment"]["code"] == "INSUFFICIENT_STOCK"
    assert await on_bin(session, item_id, face.id) == 3
    task = await session.get(m.Task, int(created[0]["id"]))
    assert task is not None and task.state == "OPEN"
    await session.commit()


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"minQty": 10, "maxQty": 5}, "INVALID_QUANTITY", "maxQty"),
        ({"minQty": -1}, "INVALID_QUANTITY", "minQty"),
        ({"maxQty": 50_000_000}, "QUANTITY_TOO_LARGE", "maxQty"),
        ({"itemSku": "NOPE"}, "ITEM_NOT_FOUND", "itemSku"),
        ({"binCode": "BIN-NOPE"}, "BIN_NOT_FOUND", "binCode"),
        ({"binCode": "reserve"}, "INVALID_INPUT", "binCode"),
    ],
)
async def test_bad_settings_are_typed_errors(gql, session, change, code, field):
    _, face, reserve = await setup_item(session)
    fields = {"itemSku": "REPL-1", "binCode": face.code, "minQty": 1, "maxQty": 10, **change}
    if fields["binCode"] == "reserve":
        fields["binCode"] = reserve[0].code
    body = await gql(SET, {"input": fields}, token=await gql.token("planner"))
    result = body["data"]["setReplenishmentSetting"]
    assert (result["code"], result["field"]) == (code, field)
    assert await session.scalar(select(func.count()).select_from(m.ReplenishmentSetting)) == 0


async def test_no_reserve_stock_is_reported_and_bad_task_ids_are_refused(gql, session):
    face = (await bins_of(session, m.ZoneKind.PICK_FACE))[0]
    item = m.Item(sku="REPL-DRY", name="No reserve")
    session.add(item)
    await session.commit()
    planner = await gql.token("planner")
    setting = await gql(
        SET,
        {"input": {"itemSku": "REPL-DRY", "binCode": face.code, "minQty": 2, "maxQty": 8}},
        token=planner,
    )
    result = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]
    assert result["created"] == []
    assert result["shortSettingIds"] == [
        setting["data"]["setReplenishmentSetting"]["setting"]["id"]
    ]
    picker = await gql.token("picker")
    count_task = await session.scalar(select(m.Task.id).where(m.Task.kind == "COUNT"))
    await session.commit()
    for task_id, code in (
        (str(count_task), "INVALID_STATE"),
        ("999999", "TASK_NOT_FOUND"),
        ("x", "INVALID_INPUT"),
    ):
        body = await gql(COMPLETE, {"task": task_id, "key": key()}, token=picker)
        assert body["data"]["completeReplenishment"]["code"] == code


async def test_purchase_suggestions_from_a_hand_made_demand_history(gql, session):
    await item_with_demand(session, "BUY-1")
    planner = await gql.token("supervisor")
    policy = await gql(
        """mutation { setReorderPolicy(input: {itemSku: "BUY-1", supplierCode: "SUP-ACME", leadTimeDays: 4,
        serviceLevel: 0.95, orderCycleDays: 14}) { __typename ... on UserError { code field } } }""",
        token=planner,
    )
    assert policy["data"]["setReorderPolicy"]["__typename"] == "ReorderPolicySuccess"
    body = await gql(
        """query { purchaseSuggestions(warehouseId: "1", windowDays: 5) { sku supplierCode position
        meanDailyDemand stdevDailyDemand leadTimeDays safetyStock reorderPoint quantity } }""",
        token=planner,
    )
    [suggestion] = [s for s in body["data"]["purchaseSuggestions"] if s["sku"] == "BUY-1"]
    assert suggestion["position"] == 40 and suggestion["supplierCode"] == "SUP-ACME"
    assert suggestion["meanDailyDemand"] == pytest.approx(10)
    assert suggestion["stdevDailyDemand"] == pytest.approx(2**0.5)
    assert suggestion["leadTimeDays"] == 4
    assert suggestion["safetyStock"] == pytest.approx(4.6523, abs=1e-3)
    assert suggestion["reorderPoint"] == pytest.approx(44.6523, abs=1e-3)
    assert suggestion["quantity"] == 145
    bad = await gql(
        """mutation { setReorderPolicy(input: {itemSku: "BUY-1", serviceLevel: 1.5}) {
        __typename ... on UserError { code field } } }""",
        token=planner,
    )
    assert bad["data"]["setReorderPolicy"] == {
        "__typename": "InputError",
        "code": "INVALID_INPUT",
        "field": "serviceLevel",
    }
    refused = await gql(
        'query { purchaseSuggestions(warehouseId: "1") { sku } }', token=await gql.token("picker")
    )
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


DETAILS = """query($id: ID!) { replenishTask(taskId: $id) { itemSku tracking toBinCode quantity
  sources { binCode lotNumber expiry quantity } } }"""
SCANNED = """mutation($task: ID!, $bin: String, $item: String, $qty: Int, $key: String!) {
  completeReplenishment(input: {taskId: $task, toBinCode: $bin, itemCode: $item, quantity: $qty,
  idempotencyKey: $key}) { __typename ... on CompleteReplenishmentSuccess { quantity }
  ... on UserError { code field } } }"""


async def test_the_handheld_reads_the_task_and_wrong_scans_are_refused(gql, session):
    item_id, face, reserve = await setup_item(session)
    planner = await gql.token("planner")
    await gql(
        SET,
        {"input": {"itemSku": "REPL-1", "binCode": face.code, "minQty": 10, "maxQty": 60}},
        token=planner,
    )
    created = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]["created"]
    task_id = created[0]["id"]
    picker = await gql.token("picker")
    details = (await gql(DETAILS, {"id": task_id}, token=picker))["data"]["replenishTask"]
    assert details == {
        "itemSku": "REPL-1",
        "tracking": "LOT",
        "toBinCode": face.code,
        "quantity": 57,
        "sources": [
            {
                "binCode": reserve[1].code,
                "lotNumber": "EARLY",
                "expiry": "2027-02-01",
                "quantity": 30,
            },
            {
                "binCode": reserve[0].code,
                "lotNumber": "LATE",
                "expiry": "2027-06-01",
                "quantity": 27,
            },
        ],
    }
    not_replenish = await session.scalar(
        select(m.Task.id).where(m.Task.kind != m.TaskKind.REPLENISH).order_by(m.Task.id)
    )
    await session.commit()
    assert not_replenish is not None  # the demo's receive tasks
    other = await gql(DETAILS, {"id": str(not_replenish)}, token=picker)
    assert other["data"]["replenishTask"] is None

    async def complete(**fields):  # type: ignore[no-untyped-def]
        variables = {"task": task_id, "bin": None, "item": None, "qty": None, "key": key()}
        body = await gql(SCANNED, {**variables, **fields}, token=picker)
        return body["data"]["completeReplenishment"]

    assert (await complete(bin=reserve[0].code))["code"] == "WRONG_BIN"
    assert (await complete(item="SKU-10000"))["code"] == "WRONG_ITEM"
    assert (await complete(qty=58))["code"] == "INVALID_QUANTITY"
    assert (await complete(qty=0))["code"] == "INVALID_QUANTITY"
    assert await on_bin(session, item_id, face.id) == 3
    # The reserve held less than planned: 40 brought, the early lot first.
    partial = await complete(bin=face.code, item="REPL-1", qty=40)
    assert partial == {"__typename": "CompleteReplenishmentSuccess", "quantity": 40}
    assert await on_bin(session, item_id, face.id) == 43
    assert await on_bin(session, item_id, reserve[1].id) == 0
    assert await on_bin(session, item_id, reserve[0].id) == 40
    assert await ledger_mismatches(session) == []


async def test_a_wave_release_task_does_not_stop_a_min_max_setting_of_the_same_number(gql, session):
    """A wave release's task names the quant it refills; the min/max check names its
    setting. Both number from 1, so they must not share a reference."""
    _, face, reserve = await setup_item(session)
    planner = await gql.token("planner")
    body = await gql(
        SET,
        {"input": {"itemSku": "REPL-1", "binCode": face.code, "minQty": 10, "maxQty": 60}},
        token=planner,
    )
    setting_id = int(body["data"]["setReplenishmentSetting"]["setting"]["id"])
    warehouse_id = face.warehouse_id
    # An open wave task refilling a quant whose id is the setting's id.
    session.add(
        m.Task(
            kind=m.TaskKind.REPLENISH,
            state=m.TaskState.OPEN,
            warehouse_id=warehouse_id,
            role="picker",
            title="Refill for a wave",
            reference=pickface.shortfall_reference_of(setting_id),
            bin_id=reserve[0].id,
            payload={"item_id": 0, "to_bin_id": face.id, "lines": []},
        )
    )
    await session.commit()
    created = (await gql(EVALUATE, token=planner))["data"]["evaluateReplenishment"]["created"]
    assert [c["reference"] for c in created] == [pickface.reference_of(setting_id)]
