"""Settings from the environment: the one place a WMS_* variable is read. The
defaults need no other service.

Every module gets its values from ``Settings`` (through the app's state or as a
parameter); the groups a domain owns (stock control, shipping, alert delivery)
are that domain's dataclasses, filled in here. A ``Settings`` built in code (as
tests do) starts no background worker: no print worker, no alert cycle, no fold.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.control.config import ControlSettings
from backend.notify.delivery import DEFAULT_SMS_BODY, DeliveryConfig
from backend.outbound.shipping.settings import ShippingSettings
from backend.routing.batching import DEFAULT_TOUR_SETUP_METRES

Env = Mapping[str, str]

DATA_DIR = Path(os.environ.get("WMS_DATA_DIR", "var"))


def _default_database_url() -> str:
    return f"sqlite+aiosqlite:///{DATA_DIR / 'wms.sqlite3'}"


def _secret_key(env: Env | None = None) -> str:
    # A fixed key on disk keeps tokens valid across restarts of a single-box install;
    # production sets WMS_SECRET_KEY explicitly.
    explicit = (os.environ if env is None else env).get("WMS_SECRET_KEY")
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


def _int(env: Env, name: str, default: int) -> int:
    raw = env.get(name)
    return int(raw) if raw else default


def _alert_interval(env: Env) -> float:
    """Seconds between alert evaluations: 60 unless set; 0 (or nonsense) turns it off."""
    raw = env.get("WMS_ALERT_INTERVAL_SECONDS", "")
    try:
        return max(float(raw), 0.0) if raw else 60.0
    except ValueError:
        return 0.0


def _float(env: Env, name: str, default: float) -> float:
    raw = env.get(name)
    return float(raw) if raw else default


def _non_negative(value: float, name: str) -> float:
    if value < 0:
        raise ValueError(f"{name} must be zero or more, not {value}.")
    return value


def _flag(env: Env, name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in ("1", "true", "yes", "on")


def render_processes_of(raw: str) -> int:
    """How many render processes an app starts (default 1, at most 16)."""
    raw = raw.strip()
    if not raw:
        return 1
    if not raw.isdigit() or int(raw) > 16:
        raise ValueError(f"WMS_RENDER_PROCESSES must be 0-16, not {raw!r}")
    return int(raw)


def control_from_env(env: Env) -> ControlSettings:
    return ControlSettings(
        recount_units=_int(env, "WMS_COUNT_RECOUNT_UNITS", 5),
        recount_percent=_int(env, "WMS_COUNT_RECOUNT_PERCENT", 10),
        adjust_approval_cents=_int(env, "WMS_ADJUST_APPROVAL_CENTS", 10_000),
        interval_a_days=_int(env, "WMS_COUNT_INTERVAL_A_DAYS", 30),
        interval_b_days=_int(env, "WMS_COUNT_INTERVAL_B_DAYS", 90),
        interval_c_days=_int(env, "WMS_COUNT_INTERVAL_C_DAYS", 365),
        max_tasks_per_generation=_int(env, "WMS_COUNT_MAX_TASKS", 500),
    )


def shipping_from_env(env: Env) -> ShippingSettings:
    return ShippingSettings(
        gs1_company_prefix=env.get("WMS_GS1_COMPANY_PREFIX", "0614141"),
        sscc_extension=int(env.get("WMS_SSCC_EXTENSION", "1")),
        weight_tolerance_pct=float(env.get("WMS_PACK_WEIGHT_TOLERANCE_PCT", "5")),
        weight_tolerance_min_g=int(env.get("WMS_PACK_WEIGHT_TOLERANCE_MIN_G", "50")),
        own_fleet_prefix=env.get("WMS_OWN_FLEET_PREFIX", "WF"),
        own_fleet_country=env.get("WMS_OWN_FLEET_COUNTRY", "NL"),
        webhook_urls=tuple(
            u.strip() for u in env.get("WMS_SHIPMENT_WEBHOOK_URLS", "").split(",") if u.strip()
        ),
        webhook_secret=env.get("WMS_SHIPMENT_WEBHOOK_SECRET", ""),
        webhook_attempts=int(env.get("WMS_SHIPMENT_WEBHOOK_ATTEMPTS", "5")),
        webhook_backoff_s=float(env.get("WMS_SHIPMENT_WEBHOOK_BACKOFF_S", "2")),
        order_webhook_urls=tuple(
            u.strip() for u in env.get("WMS_ORDER_WEBHOOK_URLS", "").split(",") if u.strip()
        ),
        order_webhook_secret=env.get("WMS_ORDER_WEBHOOK_SECRET", ""),
    )


def delivery_from_env(env: Env) -> DeliveryConfig:
    return DeliveryConfig(
        smtp_host=env.get("WMS_SMTP_HOST", ""),
        smtp_port=_int(env, "WMS_SMTP_PORT", 25),
        smtp_from=env.get("WMS_SMTP_FROM", "wms@localhost"),
        smtp_user=env.get("WMS_SMTP_USER", ""),
        smtp_password=env.get("WMS_SMTP_PASSWORD", ""),
        smtp_starttls=_flag(env, "WMS_SMTP_STARTTLS", False),
        attempts=max(_int(env, "WMS_NOTIFY_ATTEMPTS", 4), 1),
        backoff_s=_float(env, "WMS_NOTIFY_BACKOFF_SECONDS", 1.0),
        timeout_s=_float(env, "WMS_NOTIFY_TIMEOUT_SECONDS", 10.0),
        sms_url=env.get("WMS_SMS_URL", ""),
        sms_auth=env.get("WMS_SMS_AUTH", ""),
        sms_body=env.get("WMS_SMS_BODY") or DEFAULT_SMS_BODY,
        sms_content_type=env.get("WMS_SMS_CONTENT_TYPE") or "application/json",
    )


def _choice(env: Env, name: str, allowed: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or default).strip().lower()
    if raw not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}")
    return raw


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
    # Processes rendering documents; 0 renders in a worker thread of the server.
    render_processes: int = 1
    control: ControlSettings = field(default_factory=ControlSettings)
    shipping: ShippingSettings = field(default_factory=ShippingSettings)
    # Alert delivery: e-mail (empty host: off), SMS through an HTTP gateway (empty URL:
    # off); each notice is tried `attempts` times, waits doubling from the backoff.
    delivery: DeliveryConfig = field(default_factory=DeliveryConfig)
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
    # What one more cart tour costs in wave planning, in metres walked: the set-up at
    # the depot (fetch a cart, label totes, hand back). Higher makes fewer, longer tours.
    tour_setup_metres: float = DEFAULT_TOUR_SETUP_METRES
    # Processes planning waves (backend/wave/planner.py); 0, the default of a Settings
    # built in code, plans in a worker thread of the server. From the environment: 1.
    plan_processes: int = 0

    @classmethod
    def from_env(cls, env: Env | None = None) -> Settings:
        env = os.environ if env is None else env
        template_dir = env.get("WMS_TEMPLATE_DIR")
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            broadcast_url=env.get("BROADCAST_URL") or "memory://",
            secret_key=_secret_key(env),
            token_ttl_seconds=_int(env, "WMS_TOKEN_TTL_SECONDS", 12 * 3600),
            principal_ttl_seconds=_float(env, "WMS_PRINCIPAL_TTL_SECONDS", 2.0),
            signin_max_failures=_int(env, "WMS_SIGNIN_MAX_FAILURES", 5),
            signin_lockout_seconds=_int(env, "WMS_SIGNIN_LOCKOUT_SECONDS", 15 * 60),
            idempotency_ttl_hours=_int(env, "WMS_IDEMPOTENCY_TTL_HOURS", 72),
            max_query_depth=_int(env, "WMS_MAX_QUERY_DEPTH", 12),
            max_query_cost=_int(env, "WMS_MAX_QUERY_COST", 50_000),
            max_page_size=_int(env, "WMS_MAX_PAGE_SIZE", 500),
            pwa_dist=Path(env.get("WMS_PWA_DIST", "pwa/dist")),
            template_dir=Path(template_dir) if template_dir else None,
            sql_echo=env.get("WMS_SQL_ECHO") == "1",
            analytics_fold_seconds=float(_int(env, "WMS_ANALYTICS_FOLD_SECONDS", 10)),
            alert_interval_seconds=_alert_interval(env),
            render_processes=render_processes_of(env.get("WMS_RENDER_PROCESSES", "")),
            print_worker=_flag(env, "WMS_PRINT_WORKER", True),
            control=control_from_env(env),
            shipping=shipping_from_env(env),
            delivery=delivery_from_env(env),
            max_aliases=_int(env, "WMS_MAX_ALIASES", 50),
            max_root_fields=_int(env, "WMS_MAX_ROOT_FIELDS", 30),
            max_body_bytes=_int(env, "WMS_MAX_BODY_BYTES", 1_048_576),
            ws_init_timeout_seconds=_float(env, "WMS_WS_INIT_TIMEOUT_SECONDS", 5.0),
            introspection=_choice(env, "WMS_INTROSPECTION", ("all", "admins", "off"), "all"),
            metrics_token=env.get("WMS_METRICS_TOKEN") or None,
            totp_required=_flag(env, "WMS_TOTP_REQUIRED", False),
            session_recheck_seconds=_float(env, "WMS_SESSION_RECHECK_SECONDS", 30.0),
            data_key=env.get("WMS_DATA_KEY") or None,
            tls_cert=Path(env["WMS_TLS_CERT"]) if env.get("WMS_TLS_CERT") else None,
            tls_key=Path(env["WMS_TLS_KEY"]) if env.get("WMS_TLS_KEY") else None,
            plan_processes=int(
                _non_negative(_int(env, "WMS_PLAN_PROCESSES", 1), "WMS_PLAN_PROCESSES")
            ),
            tour_setup_metres=_non_negative(
                _float(env, "WMS_TOUR_SETUP_METRES", DEFAULT_TOUR_SETUP_METRES),
                "WMS_TOUR_SETUP_METRES",
            ),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
