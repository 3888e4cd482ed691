"""Outbound: sales orders, channel stock pools, waves, tours, pick lines and totes."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.crypto import EncryptedJSON
from backend.core.db.base import Base, utcnow


class OrderState(StrEnum):
    NEW = "NEW"
    # Over the customer's credit limit: nothing reserved until someone decides.
    CREDIT_HOLD = "CREDIT_HOLD"
    RESERVED = "RESERVED"
    PARTIALLY_RESERVED = "PARTIALLY_RESERVED"
    BACKORDERED = "BACKORDERED"
    RELEASED = "RELEASED"
    PICKING = "PICKING"
    PICKED = "PICKED"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    CANCELLED = "CANCELLED"


# States in which an order still waits for a wave (the order pool).
POOL_STATES = (OrderState.RESERVED, OrderState.PARTIALLY_RESERVED)
# Cancellable until picked.
CANCELLABLE_STATES = (
    OrderState.NEW,
    OrderState.CREDIT_HOLD,
    OrderState.RESERVED,
    OrderState.PARTIALLY_RESERVED,
    OrderState.BACKORDERED,
    OrderState.RELEASED,
    OrderState.PICKING,
)


# Editable before release: lines, quantities, priority, promised date, address.
EDITABLE_STATES = (
    OrderState.NEW,
    OrderState.CREDIT_HOLD,
    OrderState.RESERVED,
    OrderState.PARTIALLY_RESERVED,
    OrderState.BACKORDERED,
)


class OrderSource(StrEnum):
    DESK = "DESK"  # typed in the office or sent through createSalesOrder
    SHOP = "SHOP"  # a web shop's submitShopOrder: its state changes go out by webhook
    IMPORT = "IMPORT"  # a CSV import


class CreditDecision(StrEnum):
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class ReserveAt(StrEnum):
    INTAKE = "INTAKE"  # when the order arrives
    WAVE = "WAVE"  # when a wave is planned for it


class ShortPickRule(StrEnum):
    SHORT_SHIP = "SHORT_SHIP"  # ship what was found, drop the rest
    BACKORDER = "BACKORDER"  # ship what was found, keep the rest as a backorder


class WaveState(StrEnum):
    PLANNED = "PLANNED"
    RELEASED = "RELEASED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class PickLineState(StrEnum):
    OPEN = "OPEN"
    PICKED = "PICKED"
    SHORT = "SHORT"
    CANCELLED = "CANCELLED"


class OutboundSettings(Base):
    """Per-warehouse outbound rules; a warehouse without a row uses the defaults."""

    __tablename__ = "outbound_settings"

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    reserve_at: Mapped[str] = mapped_column(String(8), default=ReserveAt.INTAKE)
    short_pick_rule: Mapped[str] = mapped_column(String(12), default=ShortPickRule.BACKORDER)


class ChannelStockPool(Base):
    """A sales channel's share of an item's stock: a percent or a fixed quantity.

    The share is ring-fenced: other channels cannot reserve it, and the channel
    cannot reserve more than it."""

    __tablename__ = "channel_stock_pools"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "channel", "item_id"),
        CheckConstraint("(percent IS NULL) <> (fixed_quantity IS NULL)", name="percent_or_fixed"),
        CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 100)", name="percent"),
        CheckConstraint("fixed_quantity IS NULL OR fixed_quantity >= 0", name="fixed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    percent: Mapped[int | None] = mapped_column()
    fixed_quantity: Mapped[int | None] = mapped_column()


class Wave(Base):
    __tablename__ = "waves"
    __table_args__ = (
        CheckConstraint("metres >= 0", name="metres"),
        Index("ix_waves_wh_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    code: Mapped[str] = mapped_column(String(40), unique=True)
    state: Mapped[str] = mapped_column(String(12), default=WaveState.PLANNED)
    method: Mapped[str] = mapped_column(String(40))
    metres: Mapped[float] = mapped_column(default=0.0)
    cart_limits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None] = mapped_column()


class SalesOrder(Base):
    __tablename__ = "sales_orders"
    __table_args__ = (
        CheckConstraint("priority BETWEEN 1 AND 9", name="priority"),
        Index("ix_sales_orders_pool", "warehouse_id", "state", "priority", "cutoff_at"),
        Index("ix_sales_orders_wave", "wave_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers.id"))
    service: Mapped[str] = mapped_column(String(32), default="")
    channel: Mapped[str] = mapped_column(String(32), default="DEFAULT")
    priority: Mapped[int] = mapped_column(default=5)  # 1 most urgent
    cutoff_at: Mapped[datetime | None] = mapped_column()
    promised_date: Mapped[date | None] = mapped_column()
    source: Mapped[str] = mapped_column(String(8), default=OrderSource.DESK)
    # Where a shop order's state changes are posted (the settings when it was taken).
    webhook_urls: Mapped[list[str]] = mapped_column(JSON, default=list)
    credit_decision: Mapped[str | None] = mapped_column(String(8))
    credit_decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    credit_decided_at: Mapped[datetime | None] = mapped_column()
    # Personal data (name, street, phone): encrypted at rest when WMS_DATA_KEY is set.
    ship_to: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    state: Mapped[str] = mapped_column(String(20), default=OrderState.NEW)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("waves.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column()


class SalesOrderLine(Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("reserved >= 0 AND picked >= 0 AND short >= 0", name="not_negative"),
        CheckConstraint("reserved + picked + short <= quantity", name="within_quantity"),
        Index("ix_sales_order_lines_item", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column()
    # Units promised by active reservations, units in totes, units given up on.
    reserved: Mapped[int] = mapped_column(default=0)
    picked: Mapped[int] = mapped_column(default=0)
    short: Mapped[int] = mapped_column(default=0)
    backordered: Mapped[bool] = mapped_column(default=False)


class WaveTour(Base):
    """One cart's walk: becomes one PICK task at release."""

    __tablename__ = "wave_tours"
    __table_args__ = (UniqueConstraint("wave_id", "seq"), Index("ix_wave_tours_task", "task_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("waves.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    metres: Mapped[float] = mapped_column(default=0.0)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))


class TourOrder(Base):
    """An order on a cart: it has its own tote slot (one tote per order)."""

    __tablename__ = "tour_orders"
    __table_args__ = (
        UniqueConstraint("tour_id", "order_id"),
        UniqueConstraint("tour_id", "slot"),
        UniqueConstraint("tour_id", "tote_code"),
        Index("ix_tour_orders_tote", "tote_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("wave_tours.id", ondelete="CASCADE"))
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    slot: Mapped[int] = mapped_column()
    # The tote scanned at the first confirmation for this order.
    tote_code: Mapped[str | None] = mapped_column(String(40))


class PickLine(Base):
    """One stop of a tour: an order line's reservation on one bin, in route order."""

    __tablename__ = "pick_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("picked >= 0 AND picked <= quantity", name="picked_within"),
        Index("ix_pick_lines_tour_seq", "tour_id", "seq"),
        Index("ix_pick_lines_order_line", "order_line_id"),
        Index("ix_pick_lines_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("wave_tours.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    order_line_id: Mapped[int] = mapped_column(ForeignKey("sales_order_lines.id"))
    reservation_id: Mapped[int | None] = mapped_column(ForeignKey("reservations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[int] = mapped_column()
    picked: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12), default=PickLineState.OPEN)
    arrive_metres: Mapped[float | None] = mapped_column()
    # Where the picker is in this stop: bin scanned, then item scanned.
    bin_confirmed: Mapped[bool] = mapped_column(default=False)
    item_confirmed: Mapped[bool] = mapped_column(default=False)
