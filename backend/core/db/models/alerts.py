"""Alerts, notification deliveries, replenishment and reorder settings, and the
analytics aggregates kept up to date from the ledger by a high-water mark."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class AlertSeverity(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"


class AlertState(StrEnum):
    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    RESOLVED = "RESOLVED"


class AlertRule(Base):
    """Conditions over an item's stock in one warehouse, for one item or a class of items."""

    __tablename__ = "alert_rules"
    __table_args__ = (
        CheckConstraint("combine IN ('ALL','ANY')", name="combine"),
        CheckConstraint("severity IN ('INFO','WARNING','CRITICAL')", name="severity"),
        CheckConstraint("repeat_minutes > 0", name="repeat_positive"),
        CheckConstraint(
            "quiet_start_minute IS NULL OR (quiet_start_minute BETWEEN 0 AND 1439)",
            name="quiet_start",
        ),
        CheckConstraint(
            "quiet_end_minute IS NULL OR (quiet_end_minute BETWEEN 0 AND 1439)", name="quiet_end"
        ),
        Index("ix_alert_rules_wh_active", "warehouse_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    # Which items: one item, or every item matching the class filters (none: all stocked items).
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    category: Mapped[str | None] = mapped_column(String(80))
    abc_class: Mapped[str | None] = mapped_column(String(1))
    storage_class: Mapped[str | None] = mapped_column(String(16))
    combine: Mapped[str] = mapped_column(String(3), default="ALL")
    # [{"kind": "BELOW_MINIMUM", "threshold": 10, "days": null}, ...]
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    severity: Mapped[str] = mapped_column(String(8), default=AlertSeverity.WARNING)
    repeat_minutes: Mapped[int] = mapped_column(default=240)
    # Minutes after local midnight in the warehouse's timezone; the window may wrap midnight.
    quiet_start_minute: Mapped[int | None] = mapped_column()
    quiet_end_minute: Mapped[int | None] = mapped_column()
    email_to: Mapped[str] = mapped_column(String(400), default="")
    webhook_url: Mapped[str] = mapped_column(String(400), default="")
    webhook_secret: Mapped[str] = mapped_column(String(200), default="")
    sms_to: Mapped[str] = mapped_column(String(400), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Alert(Base):
    """One raised condition of a rule for one subject; at most one unresolved per pair."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("state IN ('OPEN','ACKNOWLEDGED','RESOLVED')", name="state"),
        CheckConstraint("notify_count >= 0", name="notify_count"),
        Index(
            "uq_alerts_unresolved",
            "rule_id",
            "subject",
            unique=True,
            postgresql_where=text("state <> 'RESOLVED'"),
            sqlite_where=text("state <> 'RESOLVED'"),
        ),
        Index("ix_alerts_wh_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    subject: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(12), default=AlertState.OPEN)
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(String(400))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_notified_at: Mapped[datetime | None] = mapped_column()
    notify_count: Mapped[int] = mapped_column(default=0)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column()
    # A person put it off: no notices until then (it still resolves meanwhile).
    snoozed_until: Mapped[datetime | None] = mapped_column()
    snoozed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AlertSignal(Base):
    """Something that happened and is not in the ledger: a refused take
    (INSUFFICIENT_STOCK), a count variance reported by the counting flow."""

    __tablename__ = "alert_signals"
    __table_args__ = (Index("ix_alert_signals_kind_wh_at", "kind", "warehouse_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[int] = mapped_column(default=0)
    reference: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationAttempt(Base):
    """Every attempt to deliver an alert by e-mail or webhook, failed ones included."""

    __tablename__ = "notification_attempts"
    __table_args__ = (
        CheckConstraint("channel IN ('EMAIL','WEBHOOK','SMS')", name="channel"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        Index("ix_notification_attempts_alert", "alert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(400))
    attempt: Mapped[int] = mapped_column()
    ok: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(400), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplenishmentSetting(Base):
    """A pick face's minimum and maximum for one item: below the minimum it is
    refilled from reserve up to the maximum."""

    __tablename__ = "replenishment_settings"
    __table_args__ = (
        UniqueConstraint("item_id", "bin_id"),
        CheckConstraint("min_qty >= 0", name="min_not_negative"),
        CheckConstraint("max_qty > min_qty", name="max_above_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id", ondelete="CASCADE"))
    min_qty: Mapped[int] = mapped_column()
    max_qty: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)


class ReorderPolicy(Base):
    """Where an item is bought for a warehouse and how safe its stock should be."""

    __tablename__ = "reorder_policies"
    __table_args__ = (
        UniqueConstraint("item_id", "warehouse_id"),
        CheckConstraint("service_level > 0.5 AND service_level < 1", name="service_level_in_range"),
        CheckConstraint("lead_time_days IS NULL OR lead_time_days > 0", name="lead_time"),
        CheckConstraint("order_cycle_days > 0", name="order_cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    lead_time_days: Mapped[int | None] = mapped_column()  # overrides the supplier's
    service_level: Mapped[float] = mapped_column(default=0.95)
    order_cycle_days: Mapped[int] = mapped_column(default=14)


class ItemDayFlow(Base):
    """Units in and out per item, warehouse and UTC day, summed from the ledger."""

    __tablename__ = "analytics_item_days"
    __table_args__ = (Index("ix_analytics_item_days_item", "item_id", "day"),)

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    receipt_qty: Mapped[int] = mapped_column(default=0)
    demand_qty: Mapped[int] = mapped_column(default=0)
    demand_lines: Mapped[int] = mapped_column(default=0)
    ship_qty: Mapped[int] = mapped_column(default=0)
    adjust_in_qty: Mapped[int] = mapped_column(default=0)
    adjust_out_qty: Mapped[int] = mapped_column(default=0)
    # Units entering the warehouse minus units leaving it (moves inside it net to zero).
    net_qty: Mapped[int] = mapped_column(default=0)


class _WorkerHour:
    """Lines and units one worker moved in one UTC hour in one warehouse."""

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lines: Mapped[int] = mapped_column(default=0)
    units: Mapped[int] = mapped_column(default=0)


class _WorkerMonth:
    """The hourly rows summed per UTC calendar month; `active_hours` counts them."""

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    lines: Mapped[int] = mapped_column(BigInteger, default=0)
    units: Mapped[int] = mapped_column(BigInteger, default=0)
    active_hours: Mapped[int] = mapped_column(default=0)


class PickerHour(_WorkerHour, Base):
    """Pick lines and units per picker and UTC hour."""

    __tablename__ = "analytics_picker_hours"


class ItemMonthFlow(Base):
    """ItemDayFlow summed per UTC calendar month (`month` is its first day), plus
    Σ daily demand² so demand statistics over whole months need no daily rows.
    Rebuilt from the daily rows of every month a refresh touches."""

    __tablename__ = "analytics_item_months"
    __table_args__ = (Index("ix_analytics_item_months_item", "item_id", "month"),)

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    receipt_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    demand_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    demand_lines: Mapped[int] = mapped_column(BigInteger, default=0)
    demand_sq: Mapped[int] = mapped_column(BigInteger, default=0)
    ship_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    adjust_in_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    adjust_out_qty: Mapped[int] = mapped_column(BigInteger, default=0)
    net_qty: Mapped[int] = mapped_column(BigInteger, default=0)


class PickerMonth(_WorkerMonth, Base):
    """PickerHour summed per UTC calendar month."""

    __tablename__ = "analytics_picker_months"


class PackerHour(_WorkerHour, Base):
    """Packed lines (carton closings' moves) and units per packer and UTC hour."""

    __tablename__ = "analytics_packer_hours"


class PackerMonth(_WorkerMonth, Base):
    """PackerHour summed per UTC calendar month."""

    __tablename__ = "analytics_packer_months"


class AnalyticsWatermark(Base):
    """The last stock_moves.id folded into the aggregates."""

    __tablename__ = "analytics_watermarks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_move_id: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
