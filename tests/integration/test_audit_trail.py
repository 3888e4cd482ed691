"""The audit trail viewer: filters by entity, user, action and time; CSV export;
scoped to the caller's warehouses."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.core.db import models as m
from tests.integration.test_alerts import create_rule

ENTRIES = """query($f: String, $e: String, $u: String, $a: String, $s: DateTime, $t: DateTime) {
  auditEntries(first: 100, entity: $e, username: $u, action: $a, since: $s, until: $t, after: $f) {
    edges { node { id at userId userName deviceId action entity entityId warehouseId detail } } } }"""

CSV = """query($e: String, $u: String, $s: DateTime, $t: DateTime) {
  auditCsv(entity: $e, username: $u, since: $s, until: $t) }"""


async def _trail(gql) -> tuple[str, list[str]]:
    token = await gql.token("supervisor")
    ids = []
    for name in ("First", "Second"):
        made = await create_rule(
            gql, token, name=name, conditions=[{"kind": "BELOW_MINIMUM", "threshold": 2}]
        )
        ids.append(made["rule"]["id"])
    return token, ids


async def test_entries_filter_by_entity_user_action_and_time(gql, session):
    token, rule_ids = await _trail(gql)
    supervisor = gql.credentials["supervisor"].username
    body = await gql(ENTRIES, {"e": "alert_rule", "u": supervisor}, token=token)
    nodes = [e["node"] for e in body["data"]["auditEntries"]["edges"]]
    assert [n["entityId"] for n in nodes] == rule_ids
    assert {n["action"] for n in nodes} == {"createAlertRule"}
    assert all(n["deviceId"] == "test-device" and n["warehouseId"] for n in nodes)
    assert {n["userName"] for n in nodes} == {"Supervisor One"}
    assert json.loads(nodes[0]["detail"])["input"]["name"] == "First"
    # Another user's name, another action, a window before it all: nothing.
    for variables in (
        {"e": "alert_rule", "u": gql.credentials["picker"].username},
        {"e": "alert_rule", "a": "acknowledgeAlert"},
        {"e": "alert_rule", "t": (datetime.now(UTC) - timedelta(days=1)).isoformat()},
    ):
        none = await gql(ENTRIES, variables, token=token)
        assert none["data"]["auditEntries"]["edges"] == [], variables
    at = datetime.fromisoformat(nodes[1]["at"])
    since_second = await gql(ENTRIES, {"e": "alert_rule", "s": at.isoformat()}, token=token)
    assert [e["node"]["entityId"] for e in since_second["data"]["auditEntries"]["edges"]] == [
        rule_ids[1]
    ]
    backwards = await gql(
        ENTRIES,
        {
            "s": datetime.now(UTC).isoformat(),
            "t": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
        },
        token=token,
    )
    assert backwards["errors"] and backwards["data"] is None


async def test_the_trail_exports_as_csv(gql, session):
    token, rule_ids = await _trail(gql)
    body = await gql(CSV, {"e": "alert_rule"}, token=token)
    rows = list(csv.DictReader(io.StringIO(body["data"]["auditCsv"])))
    assert [r["entity_id"] for r in rows] == rule_ids
    assert rows[0]["username"] == gql.credentials["supervisor"].username
    assert rows[0]["user_name"] == "Supervisor One"
    assert rows[0]["action"] == "createAlertRule" and rows[0]["device_id"] == "test-device"
    assert json.loads(rows[1]["detail"])["input"]["name"] == "Second"
    picker = await gql(CSV, {"e": "alert_rule"}, token=await gql.token("picker"))
    assert picker["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_another_warehouses_trail_stays_hidden(gql, session):
    token, _ = await _trail(gql)
    w2 = m.Warehouse(code="W9", name="Elsewhere", timezone="UTC")
    session.add(w2)
    await session.flush()
    session.add(
        m.AuditEntry(action="shipOrder", entity="shipment", entity_id="77", warehouse_id=w2.id)
    )
    await session.commit()
    body = await gql(ENTRIES, {"e": "shipment"}, token=token)
    assert body["data"]["auditEntries"]["edges"] == []
    exported = await gql(CSV, {"e": "shipment"}, token=token)
    assert exported["data"]["auditCsv"].splitlines()[1:] == []
    assert await session.scalar(select(m.AuditEntry.id).where(m.AuditEntry.entity_id == "77"))
