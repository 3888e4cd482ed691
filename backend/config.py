"""Settings from the environment. The defaults need no other service."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(os.environ.get("WMS_DATA_DIR", "var"))


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{DATA_DIR / 'wms.sqlite3'}"


def _secret_key() -> str:
    # A fixed key on disk keeps tokens valid across restarts of a single-box install;
    # production sets WMS_SECRET_KEY explicitly.
    explicit = os.environ.get("WMS_SECRET_KEY")
    if explicit:
        return explicit
    path = DATA_DIR / "secret.key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    broadcast_url: str = "memory://"
    secret_key: str = field(default_factory=_secret_key)
    token_ttl_seconds: int = 12 * 3600
    signin_max_failures: int = 5
    signin_lockout_seconds: int = 15 * 60
    idempotency_ttl_hours: int = 72
    max_query_depth: int = 12
    max_query_cost: int = 50_000
    max_page_size: int = 500
    pwa_dist: Path = Path("pwa/dist")
    template_dir: Path | None = None
    sql_echo: bool = False
    # Seconds between folds of new ledger moves into the analytics aggregates; 0 (the
    # default of a Settings built in code, as tests do) folds only when asked.
    analytics_fold_seconds: float = 0.0
    # Admins and supervisors must have a TOTP second factor to sign in at desks.
    totp_required: bool = False
    # Seconds between an open subscription's own checks that its session is still
    # valid (revocations normally arrive at once over the bus; this is the backstop).
    session_recheck_seconds: float = 30.0
    # Fernet key(s) encrypting personal fields at rest; None stores them in plain.
    data_key: str | None = None
    # A certificate and key (PEM files) make `wms serve` speak HTTPS itself.
    tls_cert: Path | None = None
    tls_key: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        template_dir = env.get("WMS_TEMPLATE_DIR")
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            broadcast_url=env.get("BROADCAST_URL") or "memory://",
            secret_key=_secret_key(),
            token_ttl_seconds=_int("WMS_TOKEN_TTL_SECONDS", 12 * 3600),
            signin_max_failures=_int("WMS_SIGNIN_MAX_FAILURES", 5),
            signin_lockout_seconds=_int("WMS_SIGNIN_LOCKOUT_SECONDS", 15 * 60),
            idempotency_ttl_hours=_int("WMS_IDEMPOTENCY_TTL_HOURS", 72),
            max_query_depth=_int("WMS_MAX_QUERY_DEPTH", 12),
            max_query_cost=_int("WMS_MAX_QUERY_COST", 50_000),
            max_page_size=_int("WMS_MAX_PAGE_SIZE", 500),
            pwa_dist=Path(env.get("WMS_PWA_DIST", "pwa/dist")),
            template_dir=Path(template_dir) if template_dir else None,
            sql_echo=env.get("WMS_SQL_ECHO") == "1",
            analytics_fold_seconds=float(_int("WMS_ANALYTICS_FOLD_SECONDS", 10)),
            totp_required=env.get("WMS_TOTP_REQUIRED") == "1",
            session_recheck_seconds=float(_int("WMS_SESSION_RECHECK_SECONDS", 30)),
            data_key=env.get("WMS_DATA_KEY") or None,
            tls_cert=Path(env["WMS_TLS_CERT"]) if env.get("WMS_TLS_CERT") else None,
            tls_key=Path(env["WMS_TLS_KEY"]) if env.get("WMS_TLS_KEY") else None,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
