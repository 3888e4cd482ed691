"""Prometheus metrics in the text exposition format."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

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


def render() -> bytes:
    return generate_latest(REGISTRY)
