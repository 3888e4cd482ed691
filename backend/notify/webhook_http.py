"""Signed webhook requests shared by alert notices and shipment events.

Receivers check `X-WMS-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
with the shared secret before trusting a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import ssl
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-WMS-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, body), header)


async def post_json(
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout_s: float,
    user_agent: str = "wms/1",
    content_type: str = "application/json",
) -> int:
    """A minimal HTTP/1.1 POST returning the status code; no client library needed."""
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
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        f"User-Agent: {user_agent}",
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
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    return await asyncio.wait_for(exchange(), timeout_s)
