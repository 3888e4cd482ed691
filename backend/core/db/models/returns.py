"""Customer returns (RMA): what a customer may send back from a shipment, what arrived,
and what became of every unit."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class ReturnState(StrEnum):
    AUTHORISED = "AUTHORISED"  # the customer may send it; nothing arrived yet
    RECEIVING = "RECEIVING"  # some units arrived
    RECEIVED = "RECEIVED"  # every authorised unit arrived; dispositions may be open
    CREDITED = "CREDITED"  # every arrived unit decided, the credit reference sent
    CANCELLED = "CANCELLED"


class Disposition(StrEnum):
    RESTOCK = "RESTOCK"  # back on a bin, available
    QUARANTINE = "QUARANTINE"  # kept, not sellable, for a later decision
    SCRAP = "SCRAP"  # written off
    RETURN_TO_VENDOR = "RETURN_TO_VENDOR"  # sent on to the supplier


class CustomerReturn(Base):
    __tablename__ = "customer_returns"
    __table_args__ = (
        CheckConstraint(
            "state IN ('AUTHORISED','RECEIVING','RECEIVED','CREDITED','CANCELLED')", name="state"
        ),
        Index("ix_customer_returns_wh_state", "warehouse_id", "state"),
        Index("ix_customer_returns_shipment", "shipment_id"),
        Index("ix_customer_returns_order", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # "RMA-000007", on the label
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    state: Mapped[str] = mapped_column(String(12), default=ReturnState.AUTHORISED)
    reason: Mapped[str] = mapped_column(String(400), default="")
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"))
    credit_reference: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    credited_at: Mapped[datetime | None] = mapped_column()


class CustomerReturnLine(Base):
    """Units of one shipped item (and lot) the customer may send back; with serials,
    exactly those units."""

    __tablename__ = "customer_return_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0 AND received <= quantity", name="received_range"),
        UniqueConstraint("return_id", "line_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    quantity: Mapped[int] = mapped_column()
    received: Mapped[int] = mapped_column(default=0)
    serials: Mapped[list[str]] = mapped_column(JSON, default=list)


class ReturnUnit(Base):
    """One unit that arrived on a return, waiting for (or given) its disposition."""

    __tablename__ = "return_units"
    __table_args__ = (
        CheckConstraint(
            "disposition IS NULL OR disposition IN "
            "('RESTOCK','QUARANTINE','SCRAP','RETURN_TO_VENDOR')",
            name="disposition",
        ),
        Index("ix_return_units_return", "return_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("customer_returns.id", ondelete="CASCADE"))
    line_id: Mapped[int] = mapped_column(ForeignKey("customer_return_lines.id"))
    receipt_line_id: Mapped[int] = mapped_column(ForeignKey("receipt_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    serial: Mapped[str | None] = mapped_column(String(40))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))  # where it waits (the dock)
    status: Mapped[str] = mapped_column(String(16))  # its stock status there
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    disposition: Mapped[str | None] = mapped_column(String(20))
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    note: Mapped[str] = mapped_column(String(400), default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
