"""Alert rules: validation, raise once, repeat on the interval, quiet hours, clear,
acknowledge; delivery in the app, by e-mail (loopback SMTP) and signed webhook."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.alerts.scheduler import run_alert_cycle
from backend.alerts.signals import SignalKind, record_signal, record_signal_now
from backend.app import create_app
from backend.config import Settings
from backend.core.db import models as m
from backend.core.events import warehouse_channel
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.notify.delivery import DeliveryConfig
from backend.notify.webhook_http import SIGNATURE_HEADER, verify
from tests.integration.conftest import key
from tests.integration.helpers import item_with_stock, pick_face_bin

CREATE = """mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) {
  __typename
  ... on AlertRuleSuccess { rule { id name combine severity conditions { kind threshold days } } }
  ... on UserError { code message field } } }"""

ACK = """mutation($id: ID!, $key: String!) { acknowledgeAlert(input: {alertId: $id, idempotencyKey: $key}) {
  __typename ... on AlertSuccess { alertId state acknowledgedBy acknowledgedAt }
  ... on UserError { code message field } } }"""

# 12:00 UTC is 13:00 in Amsterdam (the demo warehouse's timezone) in January.
T0 = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
NO_MAIL = DeliveryConfig(smtp_host="", attempts=1, backoff_s=0)


async def stocked(session, sku: str, quantity: int) -> m.Item:
    """A fresh item with stock on a pick face (SQLite has one connection: reads end
    their transaction before the app needs it)."""
    return await item_with_stock(session, sku, quantity)


async def face_id(session) -> int:
    bin_id = (await pick_face_bin(session)).id
    await session.commit()
    return bin_id


async def warehouse_of_face(session) -> int:
    wid = (await pick_face_bin(session)).warehouse_id
    await session.commit()
    return wid


async def create_rule(gql, token, **fields):
    body = await gql(CREATE, {"input": fields}, token=token)
    return body["data"]["createAlertRule"]


async def add_stock(session, item_id: int, quantity: int, reason=m.MoveReason.OPENING) -> None:
    bin_id = (await pick_face_bin(session)).id
    await apply_move(
        session,
        MoveRequest(item_id=item_id, quantity=quantity, reason=reason, destination=Place(bin_id)),
    )
    await session.commit()


async def alerts_of(session, rule_id) -> list[m.Alert]:
    rows = list(
        await session.scalars(
            select(m.Alert)
            .where(m.Alert.rule_id == int(rule_id))
            .order_by(m.Alert.id)
            .execution_options(populate_existing=True)
        )
    )
    await session.commit()
    return rows


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"conditions": []}, "ALERT_RULE_INVALID", "conditions"),
        (
            {
                "combine": "ANY",
                "conditions": [
                    {"kind": "BELOW_MINIMUM", "threshold": 50},
                    {"kind": "ABOVE_MAXIMUM", "threshold": 10},
                ],
            },
            "ALERT_RULE_INVALID",
            "conditions.threshold",
        ),
        (
            {"conditions": [{"kind": "NO_MOVEMENT", "days": 0}]},
            "ALERT_RULE_INVALID",
            "conditions.days",
        ),
        (
            {"conditions": [{"kind": "EXPIRY_WITHIN", "days": -5}]},
            "ALERT_RULE_INVALID",
            "conditions.days",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "repeatMinutes": 0},
            "ALERT_RULE_INVALID",
            "repeatMinutes",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "quietStartMinute": 60},
            "ALERT_RULE_INVALID",
            "quietStartMinute",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "itemSku": "NO-SUCH"},
            "ITEM_NOT_FOUND",
            "itemSku",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "webhookUrl": "ftp://x"},
            "INVALID_INPUT",
            "webhookUrl",
        ),
        (
            {
                "conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}],
                "webhookUrl": "http://127.0.0.1:9/h",
                "webhookSecret": "short",
            },
            "INVALID_INPUT",
            "webhookSecret",
        ),
        (
            {
                "conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}],
                "emailTo": ["not-an-address"],
            },
            "INVALID_INPUT",
            "emailTo",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "warehouseId": "999"},
            "OUT_OF_SCOPE",
            "warehouseId",
        ),
        (
            {"conditions": [{"kind": "BELOW_MINIMUM", "threshold": 5}], "abcClass": "Z"},
            "INVALID_INPUT",
            "abcClass",
        ),
    ],
)
async def test_bad_rules_are_typed_errors_and_create_nothing(gql, session, fields, code, field):
    token = await gql.token("supervisor")
    result = await create_rule(gql, token, name="bad", **fields)
    assert (result["__typename"], result["code"], result["field"]) != (
        "AlertRuleSuccess",
        None,
        None,
    )
    assert (result["code"], result["field"]) == (code, field)
    assert await session.scalar(select(m.AlertRule.id)) is None


async def test_a_rule_fires_once_repeats_on_its_interval_clears_and_fires_again(gql, session, app):
    item = await stocked(session, "ALRT-1", 5)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Low ALRT-1",
            itemSku="ALRT-1",
            severity="CRITICAL",
            repeatMinutes=60,
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 10}],
        )
    )["rule"]
    assert rule["conditions"] == [{"kind": "BELOW_MINIMUM", "threshold": 10, "days": None}]
    state = app.state.wms

    first = await run_alert_cycle(state, T0, NO_MAIL)
    assert len(first.raised) == 1 and len(first.notices) == 1
    assert "ALRT-1" in first.notices[0].title and "below minimum 10" in first.notices[0].message
    again = await run_alert_cycle(state, T0 + timedelta(minutes=30), NO_MAIL)
    assert (again.raised, again.repeated, again.notices) == ([], [], [])
    repeat = await run_alert_cycle(state, T0 + timedelta(minutes=61), NO_MAIL)
    assert repeat.repeated == first.raised and len(repeat.notices) == 1
    [alert] = await alerts_of(session, rule["id"])
    assert (alert.state, alert.notify_count, alert.severity) == ("OPEN", 2, "CRITICAL")

    await add_stock(session, item.id, 10)  # 15 ≥ 10: the condition clears
    cleared = await run_alert_cycle(state, T0 + timedelta(minutes=70), NO_MAIL)
    assert cleared.resolved == [alert.id]
    [alert] = await alerts_of(session, rule["id"])
    assert alert.state == "RESOLVED" and alert.resolved_at is not None

    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=12,
            reason=m.MoveReason.ADJUST_OUT,
            source=Place(await face_id(session)),
        ),
    )
    await session.commit()
    back = await run_alert_cycle(state, T0 + timedelta(minutes=80), NO_MAIL)
    assert len(back.raised) == 1 and back.raised != [alert.id]
    assert [a.state for a in await alerts_of(session, rule["id"])] == ["RESOLVED", "OPEN"]


async def test_quiet_hours_hold_notices_until_they_end(gql, session, app):
    await item_with_stock(session, "ALRT-Q", 1)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Quiet",
            itemSku="ALRT-Q",
            repeatMinutes=30,
            quietStartMinute=22 * 60,  # 22:00–06:00 Amsterdam time
            quietEndMinute=6 * 60,
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 5}],
        )
    )["rule"]
    state = app.state.wms
    night = datetime(2027, 1, 15, 22, 30, tzinfo=UTC)  # 23:30 local
    held = await run_alert_cycle(state, night, NO_MAIL)
    assert len(held.raised) == 1 and held.notices == [] and held.deferred == held.raised
    still = await run_alert_cycle(state, night + timedelta(hours=4), NO_MAIL)  # 03:30 local
    assert still.notices == [] and still.raised == []
    morning = await run_alert_cycle(state, datetime(2027, 1, 16, 5, 5, tzinfo=UTC), NO_MAIL)
    assert len(morning.notices) == 1 and morning.notices[0].change == "RAISED"
    [alert] = await alerts_of(session, rule["id"])
    assert alert.notify_count == 1


async def test_acknowledged_alerts_stop_repeating_but_still_resolve(gql, session, app):
    item = await stocked(session, "ALRT-ACK", 2)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Ack",
            itemSku="ALRT-ACK",
            repeatMinutes=10,
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 5}],
        )
    )["rule"]
    state = app.state.wms
    raised = await run_alert_cycle(state, T0, NO_MAIL)
    alert_id = str(raised.raised[0])
    ack_key = key()
    body = await gql(ACK, {"id": alert_id, "key": ack_key}, token=token)
    acknowledged = body["data"]["acknowledgeAlert"]
    assert acknowledged["state"] == "ACKNOWLEDGED" and acknowledged["acknowledgedBy"]
    replayed = await gql(ACK, {"id": alert_id, "key": ack_key}, token=token)
    assert replayed["data"]["acknowledgeAlert"] == acknowledged
    quiet = await run_alert_cycle(state, T0 + timedelta(hours=3), NO_MAIL)
    assert quiet.notices == [] and quiet.repeated == []
    again = await gql(ACK, {"id": alert_id, "key": key()}, token=token)
    assert again["data"]["acknowledgeAlert"]["code"] == "INVALID_STATE"
    missing = await gql(ACK, {"id": "987654", "key": key()}, token=token)
    assert missing["data"]["acknowledgeAlert"]["code"] == "ALERT_NOT_FOUND"
    malformed = await gql(ACK, {"id": "x", "key": key()}, token=token)
    assert malformed["data"]["acknowledgeAlert"]["code"] == "INVALID_INPUT"
    viewer = await gql(ACK, {"id": alert_id, "key": key()}, token=await gql.token("viewer"))
    assert viewer["data"]["acknowledgeAlert"]["code"] == "PERMISSION_DENIED"
    await add_stock(session, item.id, 10)
    done = await run_alert_cycle(state, T0 + timedelta(hours=4), NO_MAIL)
    assert done.resolved == [int(alert_id)]
    listed = await gql(
        """query($w: ID) { alerts(warehouseId: $w, includeResolved: true) { edges { node {
        id state ruleId } } } }""",
        {"w": rule["id"] and "1"},
        token=token,
    )
    states = {e["node"]["id"]: e["node"]["state"] for e in listed["data"]["alerts"]["edges"]}
    assert states[alert_id] == "RESOLVED"


async def test_alert_events_reach_the_warehouse_channel_after_commit(gql, session, app):
    await item_with_stock(session, "ALRT-EV", 1)
    token = await gql.token("supervisor")
    await create_rule(
        gql,
        token,
        name="Ev",
        itemSku="ALRT-EV",
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
    )
    state = app.state.wms
    wid = await warehouse_of_face(session)
    async with state.bus.listen(warehouse_channel(wid)) as messages:
        await asyncio.sleep(0.2)  # the subscription is in place on every backend
        await run_alert_cycle(state, T0, NO_MAIL)
        event = await asyncio.wait_for(anext(messages), 10)
    assert event["type"] == "alert" and event["change"] == "RAISED"
    assert event["alert"]["sku"] == "ALRT-EV" and event["alert"]["state"] == "OPEN"


async def test_other_conditions_combined_with_any(gql, session, app):
    wid = await warehouse_of_face(session)
    fresh = await stocked(session, "ALRT-EXP", 10)
    lot = m.Lot(item_id=fresh.id, lot_number="L-SOON", expiry=date(2027, 1, 20))
    session.add(lot)
    await session.flush()
    await apply_move(
        session,
        MoveRequest(
            item_id=fresh.id,
            quantity=4,
            reason=m.MoveReason.RECEIPT,
            lot_id=lot.id,
            destination=Place(await face_id(session)),
        ),
    )
    short = await stocked(session, "ALRT-NEG", 10)
    record_signal(
        session, SignalKind.INSUFFICIENT_STOCK, warehouse_id=wid, item_id=short.id, quantity=3
    )
    await session.commit()
    await record_signal_now(
        app.state.wms.sessions, "INSUFFICIENT_STOCK", warehouse_id=wid, item_id=short.id, quantity=1
    )
    counted = await stocked(session, "ALRT-CNT", 10)
    await apply_move(
        session,
        MoveRequest(
            item_id=counted.id,
            quantity=3,
            reason=m.MoveReason.ADJUST_OUT,
            source=Place(await face_id(session)),
            reference="ADJ-1 COUNT-1",
        ),
    )
    await session.commit()
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Anything odd",
            combine="ANY",
            conditions=[
                {"kind": "EXPIRY_WITHIN", "days": 10},
                {"kind": "NEGATIVE_AVAILABILITY", "days": 1, "threshold": 2},
                {"kind": "COUNT_VARIANCE", "days": 1, "threshold": 3},
            ],
        )
    )["rule"]
    now = datetime.now(UTC)
    # T is after the moves above: expiry is judged against the lot date 2027-01-20.
    outcome = await run_alert_cycle(app.state.wms, now, NO_MAIL)
    by_item = {a.item_id: a.message for a in await alerts_of(session, rule["id"])}
    assert len(outcome.raised) == len(by_item)
    assert set(by_item) >= {short.id, counted.id}
    assert "2 takes refused" in by_item[short.id]
    assert "3 units off in counts" in by_item[counted.id]
    later = now + timedelta(days=400)  # the lot expires within 10 days of then, signals are old
    outcome = await run_alert_cycle(app.state.wms, later, NO_MAIL)
    by_item = {a.item_id: a.state for a in await alerts_of(session, rule["id"])}
    assert by_item[short.id] == "RESOLVED" and by_item[counted.id] == "RESOLVED"
    assert by_item[fresh.id] == "OPEN"
    no_move = (
        await create_rule(
            gql,
            token,
            name="Idle",
            itemSku="ALRT-CNT",
            conditions=[{"kind": "NO_MOVEMENT", "days": 30}],
        )
    )["rule"]
    await run_alert_cycle(app.state.wms, now + timedelta(days=1), NO_MAIL)
    assert await alerts_of(session, no_move["id"]) == []
    await run_alert_cycle(app.state.wms, now + timedelta(days=31), NO_MAIL)
    assert [a.item_id for a in await alerts_of(session, no_move["id"])] == [counted.id]


async def test_email_reaches_a_loopback_smtp_server(gql, session, app):
    from aiosmtpd.smtp import SMTP

    received: list[tuple[list[str], str]] = []

    class Sink:
        async def handle_DATA(self, server, smtp_session, envelope):
            received.append((list(envelope.rcpt_tos), envelope.content.decode()))
            return "250 OK"

    # The SMTP server runs on this event loop, on a free loopback port.
    server = await asyncio.get_running_loop().create_server(
        lambda: SMTP(Sink(), hostname="wms.test"), "127.0.0.1", 0
    )
    try:
        port = server.sockets[0].getsockname()[1]
        await item_with_stock(session, "ALRT-MAIL", 1)
        token = await gql.token("supervisor")
        await create_rule(
            gql,
            token,
            name="Mail",
            itemSku="ALRT-MAIL",
            emailTo=["stock@example.com", "lead@example.com"],
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
        )
        config = DeliveryConfig(smtp_host="127.0.0.1", smtp_port=port, attempts=2, backoff_s=0.01)
        outcome = await run_alert_cycle(app.state.wms, T0, config)
    finally:
        server.close()
        await server.wait_closed()
    assert len(received) == 1
    recipients, content = received[0]
    assert sorted(recipients) == ["lead@example.com", "stock@example.com"]
    assert "Subject: [WARNING] Mail: ALRT-MAIL" in content and "below minimum 3" in content
    attempts = list(
        await session.scalars(
            select(m.NotificationAttempt).where(m.NotificationAttempt.alert_id == outcome.raised[0])
        )
    )
    assert [(a.channel, a.ok) for a in attempts] == [("EMAIL", True)]


async def test_webhooks_are_signed_retried_and_every_attempt_logged(gql, session, app):
    hits: list[tuple[dict[str, str], bytes]] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")[1:]
        headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines if x)}
        body = await reader.readexactly(int(headers["content-length"]))
        hits.append((headers, body))
        status = b"503 Service Unavailable" if len(hits) == 1 else b"204 No Content"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    secret = "s3cret-s3cret-s3cret"
    try:
        await item_with_stock(session, "ALRT-HOOK", 1)
        token = await gql.token("supervisor")
        await create_rule(
            gql,
            token,
            name="Hook",
            itemSku="ALRT-HOOK",
            webhookUrl=f"http://127.0.0.1:{port}/alerts",
            webhookSecret=secret,
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
        )
        config = DeliveryConfig(attempts=3, backoff_s=0.01)
        outcome = await run_alert_cycle(app.state.wms, T0, config)
    finally:
        server.close()
        await server.wait_closed()
    assert len(hits) == 2 and hits[0][1] == hits[1][1]
    headers, body = hits[1]
    assert verify(secret, body, headers[SIGNATURE_HEADER.lower()])
    assert not verify("another-secret-entirely", body, headers[SIGNATURE_HEADER.lower()])
    payload = json.loads(body)
    assert payload["alert"]["sku"] == "ALRT-HOOK" and payload["change"] == "RAISED"
    attempts = list(
        await session.scalars(
            select(m.NotificationAttempt)
            .where(m.NotificationAttempt.alert_id == outcome.raised[0])
            .order_by(m.NotificationAttempt.attempt)
        )
    )
    assert [(a.channel, a.attempt, a.ok, a.status_code) for a in attempts] == [
        ("WEBHOOK", 1, False, 503),
        ("WEBHOOK", 2, True, 204),
    ]
    await session.commit()
    listed = await gql(
        """{ alerts { edges { node { sku: subject deliveries { channel attempt ok statusCode } } } } }""",
        token=token,
    )
    deliveries = listed["data"]["alerts"]["edges"][0]["node"]["deliveries"]
    assert [d["ok"] for d in deliveries] == [False, True]


async def test_an_unreachable_webhook_gives_up_after_its_attempts(gql, session, app):
    await item_with_stock(session, "ALRT-DOWN", 1)
    token = await gql.token("supervisor")
    await create_rule(
        gql,
        token,
        name="Down",
        itemSku="ALRT-DOWN",
        webhookUrl="http://127.0.0.1:9/nothing-listens",
        webhookSecret="0123456789abcdef",
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
    )
    outcome = await run_alert_cycle(app.state.wms, T0, DeliveryConfig(attempts=3, backoff_s=0.01))
    attempts = list(
        await session.scalars(
            select(m.NotificationAttempt).where(m.NotificationAttempt.alert_id == outcome.raised[0])
        )
    )
    assert [a.ok for a in attempts] == [False, False, False] and all(a.error for a in attempts)


async def test_rules_are_listed_without_their_secret(gql, session):
    token = await gql.token("supervisor")
    await create_rule(
        gql,
        token,
        name="Listed",
        abcClass="A",
        webhookUrl="https://example.com/h",
        webhookSecret="0123456789abcdef",
        conditions=[{"kind": "BELOW_SAFETY_STOCK"}],
    )
    body = await gql("{ alertRules { edges { node { name abcClass webhookUrl } } } }", token=token)
    assert body["data"]["alertRules"]["edges"][0]["node"] == {
        "name": "Listed",
        "abcClass": "A",
        "webhookUrl": "https://example.com/h",
    }
    assert "webhookSecret" not in json.dumps(body)
    refused = await gql(
        "{ alertRules { edges { node { name } } } }", token=await gql.token("picker")
    )
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"


async def test_the_scheduler_runs_in_the_app_only_when_configured(
    gql, session, settings, monkeypatch
):
    await stocked(session, "ALRT-SCHED", 1)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Sched",
            itemSku="ALRT-SCHED",
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
        )
    )["rule"]
    scheduled = create_app(replace(settings, alert_interval_seconds=0.2))
    async with scheduled.router.lifespan_context(scheduled):
        for _ in range(100):
            if await alerts_of(session, rule["id"]):
                break
            await asyncio.sleep(0.1)
    assert len(await alerts_of(session, rule["id"])) == 1
    env = {"WMS_SECRET_KEY": "x"}
    assert Settings.from_env({**env, "WMS_ALERT_INTERVAL_SECONDS": "0"}).alert_interval_seconds == 0
    assert Settings.from_env({**env, "WMS_ALERT_INTERVAL_SECONDS": "x"}).alert_interval_seconds == 0
    assert (
        Settings.from_env({**env, "WMS_ALERT_INTERVAL_SECONDS": "2.5"}).alert_interval_seconds
        == 2.5
    )
    assert Settings.from_env(env).alert_interval_seconds == 60  # on by default
    assert settings.alert_interval_seconds == 0  # built in code: off unless asked
