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


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in ("1", "true", "yes", "on")


# What an SMS gateway is sent unless WMS_SMS_BODY says otherwise: `{to}` and `{text}` are
# filled in (JSON-escaped for a JSON body, URL-encoded for a form body).
DEFAULT_SMS_BODY = '{"to": "{to}", "text": "{text}"}'


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    broadcast_url: str = "memory://"
    secret_key: str = field(default_factory=_secret_key)
    token_ttl_seconds: int = 12 * 3600
    # How long a worker may answer from its cached principal (backend/core/auth/principal_cache.py).
    principal_ttl_seconds: float = 2.0
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
    # Background workers. A Settings built in code (tests) starts neither unless asked;
    # from the environment the alert evaluator runs every 60 s and the print worker runs.
    alert_interval_seconds: float = 0.0
    print_worker: bool = False
    # Alert delivery: e-mail (empty host: off), SMS through an HTTP gateway (empty URL:
    # off); each notice is tried `notify_attempts` times, waits doubling from the backoff.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "wms@localhost"
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = False
    sms_gateway_url: str = ""
    sms_gateway_auth: str = field(default="", repr=False)  # one header, "Name: value"
    sms_gateway_body: str = DEFAULT_SMS_BODY
    sms_gateway_content_type: str = "application/json"
    notify_attempts: int = 4
    notify_backoff_seconds: float = 1.0
    notify_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        template_dir = env.get("WMS_TEMPLATE_DIR")
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            broadcast_url=env.get("BROADCAST_URL") or "memory://",
            secret_key=_secret_key(),
            token_ttl_seconds=_int("WMS_TOKEN_TTL_SECONDS", 12 * 3600),
            principal_ttl_seconds=float(env.get("WMS_PRINCIPAL_TTL_SECONDS", "2")),
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
            alert_interval_seconds=max(_float("WMS_ALERT_INTERVAL_SECONDS", 60.0), 0.0),
            print_worker=_flag("WMS_PRINT_WORKER", True),
            smtp_host=env.get("WMS_SMTP_HOST", ""),
            smtp_port=_int("WMS_SMTP_PORT", 25),
            smtp_from=env.get("WMS_SMTP_FROM", "wms@localhost"),
            smtp_user=env.get("WMS_SMTP_USER", ""),
            smtp_password=env.get("WMS_SMTP_PASSWORD", ""),
            smtp_starttls=_flag("WMS_SMTP_STARTTLS", False),
            sms_gateway_url=env.get("WMS_SMS_URL", ""),
            sms_gateway_auth=env.get("WMS_SMS_AUTH", ""),
            sms_gateway_body=env.get("WMS_SMS_BODY") or DEFAULT_SMS_BODY,
            sms_gateway_content_type=env.get("WMS_SMS_CONTENT_TYPE") or "application/json",
            notify_attempts=max(_int("WMS_NOTIFY_ATTEMPTS", 4), 1),
            notify_backoff_seconds=_float("WMS_NOTIFY_BACKOFF_SECONDS", 1.0),
            notify_timeout_seconds=_float("WMS_NOTIFY_TIMEOUT_SECONDS", 10.0),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
