"""Prometheus metrics in the text exposition format."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.core.edge import DISCONNECTED_KEY

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "wms_http_requests_total", "HTTP requests", ["path", "method", "status"], registry=REGISTRY
)
LATENCY = Histogram(
    "wms_http_request_seconds",
    "HTTP request latency",
    ["path"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    registry=REGISTRY,
)
EVENTS = Counter("wms_events_published_total", "Events published after commit", registry=REGISTRY)

_TRACKED = {"/graphql", "/healthz", "/metrics"}


def render() -> bytes:
    return generate_latest(REGISTRY)


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
            nonlocal status
            nonlocal responded
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
