from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class StockStatus(StrEnum):
    AVAILABLE = "AVAILABLE"
    QUARANTINE = "QUARANTINE"
    DAMAGED = "DAMAGED"
    BLOCKED = "BLOCKED"
    REWORK = "REWORK"  # sent to be reworked (a disposition); not sellable until released


class MoveReason(StrEnum):
    RECEIPT = "RECEIPT"
    PUTAWAY = "PUTAWAY"
    MOVE = "MOVE"
    PICK = "PICK"
    PACK = "PACK"
    SHIP = "SHIP"
    ADJUST_IN = "ADJUST_IN"
    ADJUST_OUT = "ADJUST_OUT"
    STATUS_CHANGE = "STATUS_CHANGE"
    REPLENISH = "REPLENISH"
    OPENING = "OPENING"
    SCRAP = "SCRAP"  # written off on purpose (a damaged return), not a count correction


class Lot(Base):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("item_id", "lot_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_number: Mapped[str] = mapped_column(String(40))
    expiry: Mapped[date | None] = mapped_column()
    production_date: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Quant(Base):
    """Stock of one item (and lot, and status) on one bin: the ledger's running sum."""

    __tablename__ = "quants"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("reserved >= 0", name="reserved_not_negative"),
        CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
        # NULL lots are distinct in a plain unique index; coalesce makes "no lot" one key.
        Index(
            "uq_quants_key",
            "item_id",
            "bin_id",
            text("coalesce(lot_id, 0)"),
            "status",
            unique=True,
        ),
        Index("ix_quants_item_status", "item_id", "status"),
        Index("ix_quants_bin", "bin_id"),
        Index("ix_quants_lot", "lot_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16), default=StockStatus.AVAILABLE)
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StockMove(Base):
    """The append-only ledger. A move takes qty from one place/status to another;
    a receipt has no source bin, a shipment or write-off no destination."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("from_bin_id IS NOT NULL OR to_bin_id IS NOT NULL", name="has_a_side"),
        Index("ix_moves_item_at", "item_id", "at"),
        # Adjustments of a window (count variance, inventory accuracy) without a ledger scan.
        Index("ix_moves_reason_at", "reason", "at"),
        Index("ix_moves_from_bin", "from_bin_id"),
        Index("ix_moves_to_bin", "to_bin_id"),
        Index("ix_moves_lot", "lot_id"),
        # Stock age and level history read only moves across a warehouse's edge (one side
        # empty); covering on PostgreSQL so a year of them is read from the index alone.
        Index(
            "ix_moves_inbound_at",
            "at",
            "item_id",
            "to_bin_id",
            "quantity",
            postgresql_where=text("from_bin_id IS NULL"),
            sqlite_where=text("from_bin_id IS NULL"),
        ),
        Index(
            "ix_moves_edge_item_at",
            "item_id",
            "at",
            postgresql_include=["quantity", "from_bin_id", "to_bin_id"],
            postgresql_where=text("from_bin_id IS NULL OR to_bin_id IS NULL"),
            sqlite_where=text("from_bin_id IS NULL OR to_bin_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column()
    from_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    to_status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(24))
    reference: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))


class ReservationState(StrEnum):
    ACTIVE = "ACTIVE"
    RELEASED = "RELEASED"
    CONSUMED = "CONSUMED"


class Reservation(Base):
    """Stock promised to a demand. A quant's `reserved` is the sum of its active ones."""

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_reservations_quant_state", "quant_id", "state"),
        Index("ix_reservations_reference", "reference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quant_id: Mapped[int] = mapped_column(ForeignKey("quants.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column()
    reference: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(12), default=ReservationState.ACTIVE)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
