"""The device a sign-in comes from, as the handheld names it."""

from __future__ import annotations

from backend.core.errors import DomainError, ErrorCode


def device_name(device_id: str) -> str:
    """At most 80 characters, never empty: sessions and audit entries are kept per device."""
    device = device_id.strip()[:80]
    if not device:
        raise DomainError(ErrorCode.INVALID_INPUT, "A device id is required.", "deviceId")
    return device
