"""What every HTTP request and socket passes first: a request id, a body-size limit,
and a quiet end for clients that hang up.

- The request id (the caller's ``X-Request-Id`` when it is a sane token, else a new
  one) is echoed in the response header and is the correlation id an internal error
  reports (backend/schema/boundary.py), so a user's screenshot finds the log line.
- A body over the limit is refused with 413 before anything parses it, whether the
  client declared its length or streams it.
- A client that disconnects mid-request is logged in one line, not a traceback, and
  counted as 499 (client closed request), not 500.
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("backend.http")

REQUEST_ID_KEY = "wms.request_id"

DISCONNECTED_KEY = "wms.disconnected"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class _TooLarge(Exception):
    pass


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = _request_id(scope)
        scope[REQUEST_ID_KEY] = rid
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        declared = _content_length(scope)
        if declared is not None and declared > self.max_body_bytes:
            await _too_large(send, rid, self.max_body_bytes)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _TooLarge
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except _TooLarge:
            if not started:
                await _too_large(send, rid, self.max_body_bytes)
        except ClientDisconnect:
            scope[DISCONNECTED_KEY] = True
            log.info(
                "client went away during %s %s (request %s)", scope["method"], scope["path"], rid
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SANE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex[:16]


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value.decode("latin-1").strip())
            except ValueError:
                return None
    return None


async def _too_large(send: Send, rid: str, limit: int) -> None:
    body = json.dumps(
        {"code": "PAYLOAD_TOO_LARGE", "message": f"Request bodies are limited to {limit} bytes."}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-request-id", rid.encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
