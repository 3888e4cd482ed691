"""Request counts and latency per path, into the registry of backend/core/metrics.py."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.metrics import LATENCY, REQUESTS
from backend.http.edge import DISCONNECTED_KEY

_TRACKED = {"/graphql", "/healthz", "/metrics"}


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"] if scope["path"] in _TRACKED else "other"
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status = message["status"]
                responded = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if not responded and scope.get(DISCONNECTED_KEY):
                status = 499  # the client closed the request: not a server error
            LATENCY.labels(path).observe(time.perf_counter() - started)
            REQUESTS.labels(path, scope["method"], str(status)).inc()
