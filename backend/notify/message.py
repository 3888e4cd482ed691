"""What is sent about an alert, in plain data: built inside the transaction,
delivered after it committed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AlertNotice:
    alert_id: int
    warehouse_id: int
    change: str  # RAISED | REPEATED
    severity: str
    title: str
    message: str
    payload: dict[str, Any]
    email_to: tuple[str, ...] = ()
    sms_to: tuple[str, ...] = ()
    webhook_url: str = ""
    webhook_secret: str = field(default="", repr=False)

    def body(self) -> bytes:
        """The webhook body: compact, key-sorted JSON (what the signature covers)."""
        return json.dumps(self.payload, sort_keys=True, separators=(",", ":"), default=str).encode()
