"""Signed, expiring bearer tokens (HTTP header and WebSocket connection_init)."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    token_version: int
    device_id: str
    session_id: str


class TokenError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TokenSigner:
    def __init__(self, secret_key: str, ttl_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="wms-token")
        self.ttl_seconds = ttl_seconds

    def issue(self, claims: TokenClaims) -> str:
        return self._serializer.dumps(
            [claims.user_id, claims.token_version, claims.device_id, claims.session_id]
        )

    def verify(self, token: str) -> TokenClaims:
        try:
            # Tokens from before server-side sessions had three parts and no session:
            # they unpack wrongly here and are refused, so those devices sign in again.
            user_id, version, device, session_id = self._serializer.loads(
                token, max_age=self.ttl_seconds
            )
        except SignatureExpired as exc:
            raise TokenError("expired") from exc
        except (BadSignature, ValueError, TypeError) as exc:
            raise TokenError("invalid") from exc
        return TokenClaims(int(user_id), int(version), str(device), str(session_id))


def bearer(header_value: str | None) -> str | None:
    if not header_value:
        return None
    scheme, _, token = header_value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None
