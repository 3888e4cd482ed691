"""Packing, cartons, SSCCs, shipments, printers and print jobs.

Orders, waves and pick tasks belong to the outbound tables; they are referenced
here by plain integer ids (indexed, no foreign keys) and looked up at run time.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class CartonType(Base):
    """A box the packing bench stocks: inner dimensions, weight limit, its own weight."""

    __tablename__ = "carton_types"
    __table_args__ = (
        CheckConstraint(
            "length_mm > 0 AND width_mm > 0 AND height_mm > 0", name="dimensions_positive"
        ),
        CheckConstraint("max_weight_g > 0", name="max_weight_positive"),
        CheckConstraint("tare_weight_g >= 0", name="tare_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    length_mm: Mapped[int] = mapped_column()
    width_mm: Mapped[int] = mapped_column()
    height_mm: Mapped[int] = mapped_column()
    max_weight_g: Mapped[int] = mapped_column()
    tare_weight_g: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class SerialCounter(Base):
    """Number series on SQLite (PostgreSQL uses real SEQUENCEs): the row is bumped
    inside the writer's BEGIN IMMEDIATE transaction, so no two writers share a value."""

    __tablename__ = "serial_counters"
    __table_args__ = (CheckConstraint("last_value >= 0", name="last_value_not_negative"),)

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


class PackState(StrEnum):
    OPEN = "OPEN"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    CANCELLED = "CANCELLED"


class PackSession(Base):
    """Packing one order at a station: what must go in, what went in."""

    __tablename__ = "pack_sessions"
    __table_args__ = (
        Index("ix_pack_sessions_order", "order_id"),
        # At most one session per order is being packed at a time.
        Index(
            "uq_pack_sessions_open_order",
            "order_id",
            unique=True,
            sqlite_where=text("state = 'OPEN'"),
            postgresql_where=text("state = 'OPEN'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    order_id: Mapped[int] = mapped_column()  # outbound sales order, no FK by design
    order_ref: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(12), default=PackState.OPEN)
    station: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    short_shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    short_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    packed_at: Mapped[datetime | None] = mapped_column()


class PackLine(Base):
    """One expected line of the order: packed counts up to expected (or short)."""

    __tablename__ = "pack_lines"
    __table_args__ = (
        CheckConstraint("expected > 0", name="expected_positive"),
        CheckConstraint("packed >= 0 AND short >= 0", name="counts_not_negative"),
        CheckConstraint("packed + short <= expected", name="within_expected"),
        Index("ix_pack_lines_session", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column()
    order_line_id: Mapped[int | None] = mapped_column()  # outbound order line, no FK
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    source_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    source_status: Mapped[str] = mapped_column(String(16), default="AVAILABLE")
    expected: Mapped[int] = mapped_column()
    packed: Mapped[int] = mapped_column(default=0)
    short: Mapped[int] = mapped_column(default=0)
    # Serial numbers picked for this line, when the item is serial-tracked and known.
    serials: Mapped[list[str]] = mapped_column(JSON, default=list)


class CartonState(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    SHIPPED = "SHIPPED"


class Carton(Base):
    __tablename__ = "cartons"
    __table_args__ = (
        UniqueConstraint("sscc"),
        UniqueConstraint("session_id", "carton_no"),
        CheckConstraint("carton_no > 0", name="carton_no_positive"),
        CheckConstraint("weight_g IS NULL OR weight_g > 0", name="weight_positive"),
        CheckConstraint("state = 'OPEN' OR sscc IS NOT NULL", name="closed_has_sscc"),
        Index("ix_cartons_order", "order_id"),
        Index("ix_cartons_shipment", "shipment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    order_id: Mapped[int] = mapped_column()
    carton_no: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default=CartonState.OPEN)
    carton_type_id: Mapped[int | None] = mapped_column(ForeignKey("carton_types.id"))
    sscc: Mapped[str | None] = mapped_column(String(18))
    weight_g: Mapped[int | None] = mapped_column()
    expected_weight_g: Mapped[int | None] = mapped_column()
    # Where the closed carton waits for the carrier (a SHIPPING-zone bin).
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CartonContent(Base):
    __tablename__ = "carton_contents"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_carton_contents_carton", "carton_id"),
        Index("ix_carton_contents_line", "pack_line_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    carton_id: Mapped[int] = mapped_column(ForeignKey("cartons.id", ondelete="CASCADE"))
    pack_line_id: Mapped[int] = mapped_column(ForeignKey("pack_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    serial: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column()
    packed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    packed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Shipment(Base):
    """A consignment handed to a carrier: one or several orders' cartons."""

    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("carrier_id", "tracking_number"),
        Index("ix_shipments_warehouse_at", "warehouse_id", "shipped_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    service: Mapped[str] = mapped_column(String(40))
    tracking_number: Mapped[str] = mapped_column(String(40))
    waybill_no: Mapped[str] = mapped_column(String(40), unique=True)
    carton_count: Mapped[int] = mapped_column(default=0)
    total_weight_g: Mapped[int | None] = mapped_column()
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShipmentOrder(Base):
    """Which orders a shipment carries; an order ships once (the unique key is the backstop)."""

    __tablename__ = "shipment_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(unique=True)
    order_ref: Mapped[str] = mapped_column(String(80))


class StationPrinterKind(StrEnum):
    CUPS = "CUPS"
    RAW_TCP = "RAW_TCP"


class PrinterRow(Base):
    """A printer at a station: a CUPS queue name, or host:port of a raw socket."""

    __tablename__ = "printers"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "name"),
        CheckConstraint("kind IN ('CUPS','RAW_TCP')", name="kind"),
        Index("ix_printers_station", "warehouse_id", "station"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    name: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(200))
    raw: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class PrintJobState(StrEnum):
    QUEUED = "QUEUED"
    PRINTING = "PRINTING"
    RETRYING = "RETRYING"
    DONE = "DONE"
    FAILED = "FAILED"


class PrintJob(Base):
    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("copies BETWEEN 1 AND 50", name="copies_range"),
        Index("ix_print_jobs_due", "state", "next_attempt_at"),
        Index("ix_print_jobs_printer", "printer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    printer_id: Mapped[int] = mapped_column(ForeignKey("printers.id"))
    document_kind: Mapped[str] = mapped_column(String(24))
    target: Mapped[str] = mapped_column(String(40))  # "12" or "wave-3"
    lang: Mapped[str] = mapped_column(String(8), default="en")
    copies: Mapped[int] = mapped_column(default=1)
    state: Mapped[str] = mapped_column(String(12), default=PrintJobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A PRINTING job whose worker died is taken again after its lease ran out.
    lease_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(500))
    bytes_sent: Mapped[int | None] = mapped_column()
    history: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class WebhookState(StrEnum):
    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class ShipmentWebhook(Base):
    """A shipment event for one webhook URL, written in the ship transaction (an
    outbox) and delivered after the commit, retried with backoff."""

    __tablename__ = "shipment_webhooks"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_shipment_webhooks_due", "state", "next_attempt_at"),
        Index("ix_shipment_webhooks_shipment", "shipment_id"),
        Index("ix_shipment_webhooks_order", "order_id"),
        CheckConstraint("(shipment_id IS NULL) <> (order_id IS NULL)", name="one_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A shipment event, or a shop order's state change (signed with the order secret).
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("sales_orders.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(400))
    payload: Mapped[dict[str, Any]] = mapped_column()
    state: Mapped[str] = mapped_column(String(12), default=WebhookState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column()


class ShipmentWebhookAttempt(Base):
    """Every delivery attempt, failed ones included."""

    __tablename__ = "shipment_webhook_attempts"
    __table_args__ = (
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        Index("ix_shipment_webhook_attempts_webhook", "webhook_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("shipment_webhooks.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column()
    ok: Mapped[bool] = mapped_column(default=False)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(String(400), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
