"""Alerts on by default: the evaluator runs in a server started from the environment,
an e-mail reaches a loopback SMTP server and an SMS a loopback HTTP gateway; a gateway
that times out is tried again with backoff; snoozing stops the notices."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from backend.alerts.scheduler import run_alert_cycle
from backend.app import create_app
from backend.config import Settings
from backend.core.db import models as m
from backend.notify.delivery import DeliveryConfig
from tests.integration.conftest import BROADCAST_URL, GQL, key
from tests.integration.helpers import item_with_stock
from tests.integration.test_alerts import T0, alerts_of, create_rule

SNOOZE = """mutation($input: SnoozeAlertInput!) { snoozeAlert(input: $input) {
  __typename ... on AlertSuccess { alertId state snoozedUntil }
  ... on UserError { code message field } } }"""


class Gateway:
    """A local HTTP listener standing in for the SMS provider's endpoint: it records
    each request and answers after `delays[n]` seconds (a stalled provider)."""

    def __init__(self, delays: tuple[float, ...] = ()) -> None:
        self.hits: list[tuple[dict[str, str], bytes]] = []
        self.delays = delays
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")[1:]
        headers = {k.lower(): v.strip() for k, _, v in (x.partition(":") for x in lines if x)}
        body = await reader.readexactly(int(headers["content-length"]))
        n = len(self.hits)
        self.hits.append((headers, body))
        if n < len(self.delays):
            try:
                await asyncio.sleep(self.delays[n])
            except asyncio.CancelledError:  # the test ended while this one stalled
                writer.close()
                return
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        try:
            await writer.drain()
        except ConnectionError:
            pass
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/sms/send"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


class Mailbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], str]] = []
        self.server: asyncio.Server | None = None

    async def handle_DATA(self, server, smtp_session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"

    async def __aenter__(self) -> int:
        from aiosmtpd.smtp import SMTP

        self.server = await asyncio.get_running_loop().create_server(
            lambda: SMTP(self, hostname="wms.test"), "127.0.0.1", 0
        )
        return int(self.server.sockets[0].getsockname()[1])

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def test_the_evaluator_runs_by_default_and_mails_and_texts(
    gql, session, database_url, template, monkeypatch
):
    """No WMS_ALERT_INTERVAL_SECONDS: a server built from the environment evaluates at
    start-up and every 60 s; the notices go out by e-mail and SMS."""
    await item_with_stock(session, "ALRT-DEFAULT", 1)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Default",
            itemSku="ALRT-DEFAULT",
            severity="CRITICAL",
            emailTo=["night@example.com"],
            smsTo=["+31612345678"],
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
        )
    )["rule"]
    gateway, mailbox = Gateway(), Mailbox()
    async with gateway as sms_url, mailbox as smtp_port:
        for name in ("WMS_ALERT_INTERVAL_SECONDS", "WMS_PRINT_WORKER", "WMS_SMS_BODY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("BROADCAST_URL", BROADCAST_URL)
        monkeypatch.setenv("WMS_SECRET_KEY", "default-run-" + key())
        monkeypatch.setenv("WMS_PWA_DIST", "/nonexistent")
        monkeypatch.setenv("WMS_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("WMS_SMTP_PORT", str(smtp_port))
        monkeypatch.setenv("WMS_SMS_URL", sms_url)
        monkeypatch.setenv("WMS_SMS_AUTH", "X-Api-Key: k-123")
        settings = Settings.from_env()
        assert settings.alert_interval_seconds == 60 and settings.print_worker
        server = create_app(settings)
        async with server.router.lifespan_context(server):
            for _ in range(150):
                if gateway.hits and mailbox.received:
                    break
                await asyncio.sleep(0.1)
            # The server answers requests meanwhile: delivery never sits in a request.
            transport = httpx.ASGITransport(app=server)
            async with httpx.AsyncClient(transport=transport, base_url="http://wms.test") as http:
                desk = GQL(http, template.credentials)
                listed = await desk(
                    "{ alerts { edges { node { ruleId deliveries { channel ok target } } } } }",
                    token=await desk.token("supervisor"),
                )
    assert [r for r, _ in mailbox.received] == [["night@example.com"]]
    assert "Subject: [CRITICAL] Default: ALRT-DEFAULT" in mailbox.received[0][1]
    headers, body = gateway.hits[0]
    assert headers["x-api-key"] == "k-123" and headers["content-type"] == "application/json"
    sms = json.loads(body)
    assert sms["to"] == "+31612345678" and sms["text"].startswith(
        "[CRITICAL] Default: ALRT-DEFAULT"
    )
    (alert,) = await alerts_of(session, rule["id"])
    node = next(
        e["node"] for e in listed["data"]["alerts"]["edges"] if e["node"]["ruleId"] == rule["id"]
    )
    assert sorted((d["channel"], d["ok"], d["target"]) for d in node["deliveries"]) == [
        ("EMAIL", True, "night@example.com"),
        ("SMS", True, "+31612345678"),
    ]
    assert alert.notify_count == 1


async def test_a_stalled_sms_gateway_is_retried_with_backoff_and_logged(gql, session, app):
    await item_with_stock(session, "ALRT-SMS", 1)
    token = await gql.token("supervisor")
    await create_rule(
        gql,
        token,
        name="Texted",
        itemSku="ALRT-SMS",
        smsTo=["+4915112345678"],
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
    )
    gateway = Gateway(delays=(2.0,))  # the first request hangs past the timeout
    async with gateway as url:
        config = DeliveryConfig(
            attempts=3,
            backoff_s=0.05,
            timeout_s=0.3,
            sms_url=url,
            sms_body="to={to}&msg={text}",
            sms_content_type="application/x-www-form-urlencoded",
        )
        outcome = await run_alert_cycle(app.state.wms, T0, config)
    assert len(gateway.hits) == 2
    headers, body = gateway.hits[1]
    assert headers["content-type"] == "application/x-www-form-urlencoded"
    assert body.decode().startswith("to=%2B4915112345678&msg=%5BWARNING%5D+Texted")
    attempts = list(
        await session.scalars(
            select(m.NotificationAttempt)
            .where(m.NotificationAttempt.alert_id == outcome.raised[0])
            .order_by(m.NotificationAttempt.attempt)
        )
    )
    assert [(a.channel, a.attempt, a.ok) for a in attempts] == [("SMS", 1, False), ("SMS", 2, True)]
    assert attempts[0].error.startswith("TimeoutError")


async def test_a_bad_phone_number_creates_no_rule(gql, session):
    token = await gql.token("supervisor")
    refused = await create_rule(
        gql,
        token,
        name="Bad number",
        smsTo=["0612345678"],
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
    )
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "smsTo")
    listed = await gql("{ alertRules { edges { node { name } } } }", token=token)
    assert listed["data"]["alertRules"]["edges"] == []


async def test_a_snoozed_alert_is_not_repeated_until_it_wakes(gql, session, app):
    await item_with_stock(session, "ALRT-SNOOZE", 1)
    token = await gql.token("supervisor")
    rule = (
        await create_rule(
            gql,
            token,
            name="Snoozy",
            itemSku="ALRT-SNOOZE",
            repeatMinutes=10,
            conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
        )
    )["rule"]
    quiet = DeliveryConfig(attempts=1, backoff_s=0)
    first = await run_alert_cycle(app.state.wms, None, quiet)  # now: the snooze runs from now
    alert_id = str(first.raised[0])
    for bad, field in ((-1, "minutes"), (20_000, "minutes")):
        refused = (
            await gql(
                SNOOZE,
                {"input": {"alertId": alert_id, "minutes": bad, "idempotencyKey": key()}},
                token=token,
            )
        )["data"]["snoozeAlert"]
        assert (refused["code"], refused["field"]) == ("INVALID_INPUT", field)
    other = (
        await gql(
            SNOOZE,
            {"input": {"alertId": alert_id, "minutes": 60, "idempotencyKey": key()}},
            token=await gql.token("picker"),
        )
    )["data"]["snoozeAlert"]
    assert other["code"] == "PERMISSION_DENIED"
    snoozed = (
        await gql(
            SNOOZE,
            {"input": {"alertId": alert_id, "minutes": 60, "idempotencyKey": key()}},
            token=token,
        )
    )["data"]["snoozeAlert"]
    assert snoozed["__typename"] == "AlertSuccess" and snoozed["snoozedUntil"]
    (alert,) = await alerts_of(session, rule["id"])
    # Without the snooze both cycles below would repeat the notice (10 minutes apart).
    until = alert.snoozed_until
    assert until is not None
    during = await run_alert_cycle(app.state.wms, until - timedelta(minutes=1), quiet)
    assert during.repeated == []
    after = await run_alert_cycle(app.state.wms, until + timedelta(minutes=1), quiet)
    assert after.repeated == [int(alert_id)]


@pytest.mark.parametrize("minutes", [30])
async def test_a_resolved_alert_cannot_be_snoozed(gql, session, app, minutes):
    item = await item_with_stock(session, "ALRT-GONE", 1)
    token = await gql.token("supervisor")
    await create_rule(
        gql,
        token,
        name="Gone",
        itemSku="ALRT-GONE",
        conditions=[{"kind": "BELOW_MINIMUM", "threshold": 3}],
    )
    quiet = DeliveryConfig(attempts=1, backoff_s=0)
    raised = await run_alert_cycle(app.state.wms, T0, quiet)
    from tests.integration.test_alerts import add_stock

    await add_stock(session, item.id, 10)
    await run_alert_cycle(app.state.wms, T0 + timedelta(minutes=5), quiet)
    refused = (
        await gql(
            SNOOZE,
            {
                "input": {
                    "alertId": str(raised.raised[0]),
                    "minutes": minutes,
                    "idempotencyKey": key(),
                }
            },
            token=token,
        )
    )["data"]["snoozeAlert"]
    assert refused["code"] == "INVALID_STATE"
