"""Control, alert and analytics reads keep to the caller's warehouses, refuse malformed
warehouse ids alike, and never write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.analytics.aggregates import LEDGER_MARK
from backend.analytics.freshness import fold_ledger
from backend.core.db import models as m
from backend.inventory.ledger import MoveRequest, Place, apply_move
from tests.integration.conftest import key

LIST_READS = {
    "alerts": "{ alerts(warehouseId: $w) { edges { node { id } } } }",
    "alertRules": "{ alertRules(warehouseId: $w) { edges { node { id } } } }",
    "replenishmentSettings": "{ replenishmentSettings(warehouseId: $w) { edges { node { id } } } }",
    "countPlans": "{ countPlans(warehouseId: $w) { edges { node { id } } } }",
    "adjustments": "{ adjustments(warehouseId: $w) { edges { node { id } } } }",
    "stockInTransit": "{ stockInTransit(warehouseId: $w) { edges { node { id } } } }",
    "purchaseSuggestions": "{ purchaseSuggestions(warehouseId: $w) { sku } }",
    "stockValue": "{ stockValue(warehouseId: $w) { key } }",
    "turnover": "{ turnover(warehouseId: $w) { key } }",
}


def _query(body: str) -> str:
    return "query($w: ID!) " + body


async def _other_warehouse(session: AsyncSession) -> int:
    """A warehouse nobody but admins works in, with an alert rule and an open alert."""
    wh = m.Warehouse(code="WX", name="Elsewhere")
    session.add(wh)
    await session.flush()
    admin = await session.scalar(select(m.User).where(m.User.username == "admin1"))
    assert admin is not None
    rule = m.AlertRule(
        warehouse_id=wh.id,
        name="elsewhere",
        combine="ALL",
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 1}],
        severity="WARNING",
        repeat_minutes=60,
        email_to="",
        webhook_url="",
        webhook_secret="",
        created_by=admin.id,
        created_at=datetime.now(UTC),
    )
    session.add(rule)
    await session.flush()
    session.add(
        m.Alert(
            rule_id=rule.id,
            warehouse_id=wh.id,
            subject="item:0",
            state=m.AlertState.OPEN,
            severity="WARNING",
            message="elsewhere",
            detail={},
            raised_at=datetime.now(UTC),
            notify_count=0,
        )
    )
    wid = wh.id
    await session.commit()
    return wid


@pytest.mark.parametrize("field", sorted(LIST_READS))
@pytest.mark.parametrize("raw", ["W1", "0", "-3"])
async def test_a_malformed_warehouse_id_is_invalid_input_on_every_read(gql, field, raw):
    body = await gql(_query(LIST_READS[field]), {"w": raw}, token=await gql.token("supervisor"))
    assert body["data"] is None or body["data"][field] is None  # nothing read
    (error,) = body["errors"]
    # alerts and the analytics reads said BAD_REQUEST (and took "0" as warehouse 0)
    assert error["extensions"]["code"] == "INVALID_INPUT", error
    assert error["extensions"]["field"] == "warehouseId"


async def test_another_warehouses_alerts_are_never_shown_nor_acknowledged(gql, session):
    wid = await _other_warehouse(session)
    token = await gql.token("supervisor")
    listed = await gql(
        "{ alertRules { edges { node { name } } } alerts { edges { node { message } } } }",
        token=token,
    )
    assert "elsewhere" not in {e["node"]["name"] for e in listed["data"]["alertRules"]["edges"]}
    assert "elsewhere" not in {e["node"]["message"] for e in listed["data"]["alerts"]["edges"]}
    for field in ("alerts", "alertRules"):
        named = await gql(_query(LIST_READS[field]), {"w": str(wid)}, token=token)
        assert named["data"][field]["edges"] == []
    alert_id = await session.scalar(select(m.Alert.id).where(m.Alert.warehouse_id == wid))
    await session.rollback()
    refused = await gql(
        """mutation($a: ID!, $k: String!) { acknowledgeAlert(input: {alertId: $a,
        idempotencyKey: $k}) { __typename ... on UserError { code field } } }""",
        {"a": str(alert_id), "k": key()},
        token=token,
    )
    assert refused["data"]["acknowledgeAlert"]["code"] == "ALERT_NOT_FOUND"
    assert refused["data"]["acknowledgeAlert"]["field"] == "alertId"
    state = await session.scalar(select(m.Alert.state).where(m.Alert.id == alert_id))
    assert state == m.AlertState.OPEN
    await session.rollback()  # on SQLite the test session holds the only connection
    # An admin works in every warehouse: the same lists show it.
    seen = await gql(
        _query(LIST_READS["alertRules"]), {"w": str(wid)}, token=await gql.token("admin")
    )
    assert len(seen["data"]["alertRules"]["edges"]) == 1


async def test_reclassify_refuses_warehouse_zero_as_malformed(gql):
    body = await gql(
        """mutation { reclassifyAbc(input: {warehouseId: "0"}) {
        __typename ... on UserError { code field } } }""",
        token=await gql.token("supervisor"),
    )
    # was OUT_OF_SCOPE: "0" was taken for a warehouse id
    assert body["data"]["reclassifyAbc"]["code"] == "INVALID_INPUT"
    assert body["data"]["reclassifyAbc"]["field"] == "warehouseId"


async def _mark(session: AsyncSession) -> int | None:
    mark = await session.scalar(
        select(m.AnalyticsWatermark.last_move_id).where(m.AnalyticsWatermark.name == LEDGER_MARK)
    )
    await session.rollback()
    return mark


async def test_reads_leave_the_aggregates_alone_and_the_fold_brings_them_up(gql, session, app):
    face = await session.scalar(
        select(m.Bin).join(m.Zone).where(m.Zone.kind == m.ZoneKind.PICK_FACE).limit(1)
    )
    item = await session.scalar(select(m.Item).order_by(m.Item.id).limit(1))
    assert face is not None and item is not None
    wid = face.warehouse_id
    move = await apply_move(
        session,
        MoveRequest(
            item_id=item.id, quantity=7, reason=m.MoveReason.OPENING, destination=Place(face.id)
        ),
    )
    move.at = datetime.now(UTC) - timedelta(minutes=5)  # settled
    await session.commit()
    newest = await session.scalar(select(func.max(m.StockMove.id)))
    before = await _mark(session)
    assert before is None or before < newest

    token = await gql.token("supervisor")
    for field in ("purchaseSuggestions", "stockValue", "turnover"):
        body = await gql(_query(LIST_READS[field]), {"w": str(wid)}, token=token)
        assert "errors" not in body, body
    trends = await gql(
        "query($w: ID) { movementTrends(warehouseId: $w, days: 2) { received } }",
        {"w": str(wid)},
        token=token,
    )
    assert "errors" not in trends
    assert await _mark(session) == before  # no read folded anything

    folded = await fold_ledger(app.state.wms.unit_of_work, datetime.now(UTC))
    assert folded.to_move_id == newest
    assert await _mark(session) == newest
    again = await fold_ledger(app.state.wms.unit_of_work, datetime.now(UTC))
    assert again.moves == 0
