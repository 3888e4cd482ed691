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


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = (os.environ.get(name) or default).strip().lower()
    if raw not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}")
    return raw


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
    # Request limits (issue 12): aliases and top-level fields per GraphQL document,
    # bytes in a request body, seconds a WebSocket may wait before connection_init.
    max_aliases: int = 50
    max_root_fields: int = 30
    max_body_bytes: int = 1_048_576
    ws_init_timeout_seconds: float = 5.0
    # Who may introspect the schema: "all" (development), "admins" (production), "off".
    introspection: str = "all"
    # Bearer token for /metrics; unset, only clients on this host may read it.
    metrics_token: str | None = None

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
            max_aliases=_int("WMS_MAX_ALIASES", 50),
            max_root_fields=_int("WMS_MAX_ROOT_FIELDS", 30),
            max_body_bytes=_int("WMS_MAX_BODY_BYTES", 1_048_576),
            ws_init_timeout_seconds=float(_int("WMS_WS_INIT_TIMEOUT_SECONDS", 5)),
            introspection=_choice("WMS_INTROSPECTION", ("all", "admins", "off"), "all"),
            metrics_token=env.get("WMS_METRICS_TOKEN") or None,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
