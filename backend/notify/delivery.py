"""E-mail (SMTP, aiosmtplib) and signed webhooks, retried with backoff; every
attempt is written to notification_attempts in a short transaction of its own.

The webhook body is the notice's JSON; the header `X-WMS-Signature` carries
`sha256=<hex HMAC-SHA256 of the body with the rule's secret>`, so a receiver
recomputes it over the raw body before trusting it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import aiosmtplib
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import utcnow
from backend.db.models import NotificationAttempt
from backend.notify.message import AlertNotice

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-WMS-Signature"


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

    @classmethod
    def from_env(cls) -> DeliveryConfig:
        env = os.environ
        return cls(
            smtp_host=env.get("WMS_SMTP_HOST", ""),
            smtp_port=int(env.get("WMS_SMTP_PORT") or 25),
            smtp_from=env.get("WMS_SMTP_FROM", "wms@localhost"),
            smtp_user=env.get("WMS_SMTP_USER", ""),
            smtp_password=env.get("WMS_SMTP_PASSWORD", ""),
            smtp_starttls=env.get("WMS_SMTP_STARTTLS") == "1",
        )


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, body), header)


async def post_json(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
    """A minimal HTTP/1.1 POST; returns the status code. No client library needed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("webhook URL must be http(s)://host/…")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    context = ssl.create_default_context() if parts.scheme == "https" else None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: close",
        "User-Agent: wms-alerts/1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]

    async def exchange() -> int:
        reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=context)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            await writer.drain()
            status_line = await reader.readline()
            fields = status_line.decode("latin-1").split()
            if len(fields) < 2 or not fields[1].isdigit():
                raise ConnectionError(f"bad status line {status_line[:60]!r}")
            return int(fields[1])
        finally:
            writer.close()

    return await asyncio.wait_for(exchange(), timeout_s)


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
            status = await post_json(notice.webhook_url, body, headers, config.timeout_s)
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


async def deliver(
    notices: list[AlertNotice],
    config: DeliveryConfig,
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Every notice to its e-mail recipients and webhook, concurrently."""
    jobs = []
    for notice in notices:
        if notice.email_to and config.smtp_host:
            jobs.append(send_email(notice, config, sessions))
        if notice.webhook_url:
            jobs.append(send_webhook(notice, config, sessions))
    if jobs:
        await asyncio.gather(*jobs)
