"""An SMS gateway reached over HTTP: most providers take a POST with the number and
the text, and an API key in one header. The site configures the URL, that header
(`WMS_SMS_AUTH`, "Name: value") and the body template (`WMS_SMS_BODY`, `{to}` and
`{text}` filled in), so no provider is built in and none needs code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from backend.notify.webhook_http import post_json


@dataclass(frozen=True)
class SmsGateway:
    url: str
    auth: str = field(default="", repr=False)
    body_template: str = '{"to": "{to}", "text": "{text}"}'
    content_type: str = "application/json"

    def headers(self) -> dict[str, str]:
        name, sep, value = self.auth.partition(":")
        if not sep or not name.strip():
            return {}
        return {name.strip(): value.strip()}

    def body(self, to: str, text: str) -> bytes:
        """The template with the number and text escaped for the body's type, so a
        quote or an ampersand in a message cannot break (or inject into) the body."""
        if "json" in self.content_type:
            fill = lambda v: json.dumps(v)[1:-1]  # noqa: E731 - the inside of a JSON string
        else:
            fill = quote_plus
        return self.body_template.replace("{to}", fill(to)).replace("{text}", fill(text)).encode()


def valid_number(raw: str) -> bool:
    """E.164: a plus and 8–15 digits, the form every gateway accepts."""
    return raw.startswith("+") and raw[1:].isdigit() and 8 <= len(raw) - 1 <= 15


async def send_sms_once(gateway: SmsGateway, to: str, text: str, timeout_s: float) -> int:
    """One POST to the gateway; the HTTP status (a timeout raises TimeoutError)."""
    return await post_json(
        gateway.url,
        gateway.body(to, text),
        gateway.headers(),
        timeout_s,
        user_agent="wms-alerts/1",
        content_type=gateway.content_type,
    )
