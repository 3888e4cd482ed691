"""E-mail (SMTP, aiosmtplib), SMS (an HTTP gateway, `backend.notify.sms`) and signed
webhooks, retried with backoff; every attempt is written to notification_attempts in a
short transaction of its own. Delivery runs after the alert cycle committed, in the
background: no request ever waits for it.

The webhook body is the notice's JSON; the header `X-WMS-Signature` carries
`sha256=<hex HMAC-SHA256 of the body with the rule's secret>`, so a receiver
recomputes it over the raw body before trusting it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from email.message import EmailMessage

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.core.db.base import utcnow
from backend.core.db.models import NotificationAttempt
from backend.notify.message import AlertNotice
from backend.notify.sms import SmsGateway, send_sms_once
from backend.notify.webhook_http import SIGNATURE_HEADER, post_json, sign

log = logging.getLogger(__name__)


# What an SMS gateway is sent unless WMS_SMS_BODY says otherwise: `{to}` and `{text}` are
# filled in (JSON-escaped for a JSON body, URL-encoded for a form body).
DEFAULT_SMS_BODY = '{"to": "{to}", "text": "{text}"}'


@dataclass(frozen=True)
class DeliveryConfig:
    smtp_host: str = ""  # empty: e-mail off
    smtp_port: int = 25
    smtp_from: str = "wms@localhost"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    attempts: int = 4
    backoff_s: float = 1.0  # doubles after each failed attempt
    timeout_s: float = 10.0
    sms_url: str = ""  # empty: SMS off
    sms_auth: str = field(default="", repr=False)
    sms_body: str = DEFAULT_SMS_BODY
    sms_content_type: str = "application/json"

    @property
    def sms_gateway(self) -> SmsGateway | None:
        if not self.sms_url:
            return None
        return SmsGateway(self.sms_url, self.sms_auth, self.sms_body, self.sms_content_type)


async def _log(
    sessions: async_sessionmaker[AsyncSession],
    notice: AlertNotice,
    channel: str,
    target: str,
    attempt: int,
    ok: bool,
    status: int | None,
    error: str,
) -> None:
    async with sessions() as session, session.begin():
        session.add(
            NotificationAttempt(
                alert_id=notice.alert_id,
                channel=channel,
                target=target[:400],
                attempt=attempt,
                ok=ok,
                status_code=status,
                error=error[:400],
                at=utcnow(),
            )
        )


async def send_webhook(
    notice: AlertNotice, config: DeliveryConfig, sessions: async_sessionmaker[AsyncSession]
) -> bool:
    body = notice.body()
    headers = {
        SIGNATURE_HEADER: sign(notice.webhook_secret, body),
        "X-WMS-Alert": str(notice.alert_id),
    }
    delay = config.backoff_s
    for attempt in range(1, config.attempts + 1):
        status: int | None = None
        error = ""
        try:
            status = await post_json(
                notice.webhook_url, body, headers, config.timeout_s, user_agent="wms-alerts/1"
            )
            ok = 200 <= status < 300
            if not ok:
                error = f"HTTP {status}"
        except (OSError, TimeoutError, ValueError) as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"
        await _log(sessions, notice, "WEBHOOK", notice.webhook_url, attempt, ok, status, error)
        if ok:
            return True
        if attempt < config.attempts:
            await asyncio.sleep(delay)
            delay *= 2
    log.warning("webhook for alert %s failed after %s attempts", notice.alert_id, config.attempts)
    return False


def email_of(notice: AlertNotice, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(notice.email_to)
    message["Subject"] = notice.title
    message.set_content(
        f"{notice.message}\n\nSeverity: {notice.severity}\nAlert #{notice.alert_id}\n"
    )
    return message


async def send_email(
    notice: AlertNotice, config: DeliveryConfig, sessions: async_sessionmaker[AsyncSession]
) -> bool:
    target = ", ".join(notice.email_to)
    delay = config.backoff_s
    for attempt in range(1, config.attempts + 1):
        try:
            await aiosmtplib.send(
                email_of(notice, config.smtp_from),
                hostname=config.smtp_host,
                port=config.smtp_port,
                username=config.smtp_user or None,
                password=config.smtp_password or None,
                start_tls=config.smtp_starttls,
                timeout=config.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await _log(sessions, notice, "EMAIL", target, attempt, False, None, str(exc))
            if attempt < config.attempts:
                await asyncio.sleep(delay)
                delay *= 2
            continue
        await _log(sessions, notice, "EMAIL", target, attempt, True, None, "")
        return True
    return False


async def send_sms(
    notice: AlertNotice,
    number: str,
    config: DeliveryConfig,
    sessions: async_sessionmaker[AsyncSession],
) -> bool:
    """One text to one number through the gateway; a timeout or refusal is logged and
    tried again after the backoff, up to the configured attempts."""
    gateway = config.sms_gateway
    assert gateway is not None  # deliver() only calls with a gateway
    delay = config.backoff_s
    for attempt in range(1, config.attempts + 1):
        status: int | None = None
        try:
            status = await send_sms_once(gateway, number, sms_text(notice), config.timeout_s)
            ok, error = 200 <= status < 300, "" if 200 <= status < 300 else f"HTTP {status}"
        except (OSError, TimeoutError, ValueError) as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"
        await _log(sessions, notice, "SMS", number, attempt, ok, status, error)
        if ok:
            return True
        if attempt < config.attempts:
            await asyncio.sleep(delay)
            delay *= 2
    log.warning(
        "SMS for alert %s to %s failed after %s attempts", notice.alert_id, number, config.attempts
    )
    return False


def sms_text(notice: AlertNotice) -> str:
    return f"{notice.title}: {notice.message}"[:320]


async def deliver(
    notices: list[AlertNotice],
    config: DeliveryConfig,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Every notice to its e-mail recipients, SMS numbers and webhook, concurrently."""
    jobs = []
    for notice in notices:
        if notice.email_to and config.smtp_host:
            jobs.append(send_email(notice, config, sessions))
        if notice.sms_to and config.sms_url:
            jobs.extend(send_sms(notice, number, config, sessions) for number in notice.sms_to)
        if notice.webhook_url:
            jobs.append(send_webhook(notice, config, sessions))
    if jobs:
        await asyncio.gather(*jobs)
