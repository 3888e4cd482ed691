"""Inbound: purchase orders and their approval, receipts, QC, putaway jobs, returns to vendor."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class PoState(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    PARTIALLY_RECEIVED = "PARTIALLY_RECEIVED"
    RECEIVED = "RECEIVED"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"


class ReceiptKind(StrEnum):
    PURCHASE = "PURCHASE"
    RETURN = "RETURN"  # a customer sends goods back
    TRANSFER = "TRANSFER"  # goods from another warehouse of ours


class ReceiptState(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class QcResult(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    CONCESSION = "CONCESSION"  # accepted although not to specification


class ExpiredLotPolicy(StrEnum):
    REFUSE = "REFUSE"
    QUARANTINE = "QUARANTINE"


class RtvState(StrEnum):
    OPEN = "OPEN"
    SHIPPED = "SHIPPED"


class InboundSettings(Base):
    """Receiving tolerances; the row with no warehouse is the global default."""

    __tablename__ = "inbound_settings"
    __table_args__ = (
        CheckConstraint(
            "tolerance_percent >= 0 AND tolerance_percent <= 100", name="tolerance_range"
        ),
        CheckConstraint("expired_lot_policy IN ('REFUSE','QUARANTINE')", name="expired_policy"),
        Index("uq_inbound_settings_wh", "warehouse_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    tolerance_percent: Mapped[int] = mapped_column(default=0)
    expired_lot_policy: Mapped[str] = mapped_column(String(12), default=ExpiredLotPolicy.REFUSE)


class InboundItemSettings(Base):
    __tablename__ = "inbound_item_settings"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    inspect_on_receipt: Mapped[bool] = mapped_column(default=False)


class InboundSupplierSettings(Base):
    __tablename__ = "inbound_supplier_settings"

    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True
    )
    inspect_on_receipt: Mapped[bool] = mapped_column(default=False)


class PurchaseOrder(Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (
        CheckConstraint(
            "state IN ('DRAFT','SUBMITTED','APPROVED','PARTIALLY_RECEIVED','RECEIVED',"
            "'CLOSED','CANCELLED')",
            name="state",
        ),
        CheckConstraint("total_cents >= 0", name="total_not_negative"),
        Index("ix_purchase_orders_wh_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The printed barcode, e.g. "PO-W1-000007-K"; `number` is its body "W1-000007".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=PoState.DRAFT)
    total_cents: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(String(400), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column()
    # Levels of approval this order needs, fixed when it is submitted (e.g. [1, 2]).
    required_levels: Mapped[list[int]] = mapped_column(JSON, default=list)
    receive_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))


class PurchaseOrderLine(Base):
    __tablename__ = "purchase_order_lines"
    __table_args__ = (
        CheckConstraint("ordered_units > 0", name="ordered_positive"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("received >= 0", name="received_not_negative"),
        CheckConstraint("unit_price_cents >= 0", name="price_not_negative"),
        UniqueConstraint("po_id", "line_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    packaging_id: Mapped[int | None] = mapped_column(ForeignKey("item_packagings.id"))
    ordered_units: Mapped[int] = mapped_column()  # in the ordered packaging
    quantity: Mapped[int] = mapped_column()  # the same in base units
    unit_price_cents: Mapped[int] = mapped_column()  # per ordered packaging unit
    due_date: Mapped[date | None] = mapped_column()
    received: Mapped[int] = mapped_column(default=0)  # base units


class ApprovalRule(Base):
    """A purchase order needs an approval at `level` from `approver_role` when it
    reaches `min_amount_cents` or holds an item of the given ABC or storage class."""

    __tablename__ = "po_approval_rules"
    __table_args__ = (
        CheckConstraint("level >= 1 AND level <= 9", name="level_range"),
        CheckConstraint("min_amount_cents IS NULL OR min_amount_cents >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    level: Mapped[int] = mapped_column()
    approver_role: Mapped[str] = mapped_column(String(32))
    min_amount_cents: Mapped[int | None] = mapped_column()
    abc_class: Mapped[str | None] = mapped_column(String(1))
    storage_class: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApprovalDecision(Base):
    __tablename__ = "po_approval_decisions"
    __table_args__ = (
        CheckConstraint("decision IN ('APPROVED','REJECTED','AUTO')", name="decision"),
        Index("ix_po_approval_decisions_po", "po_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    po_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column()
    decision: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str | None] = mapped_column(String(32))
    comment: Mapped[str] = mapped_column(String(400), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Receipt(Base):
    __tablename__ = "receipts"
    __table_args__ = (
        CheckConstraint("kind IN ('PURCHASE','RETURN','TRANSFER')", name="kind"),
        CheckConstraint("state IN ('OPEN','CLOSED')", name="state"),
        CheckConstraint("kind != 'PURCHASE' OR po_id IS NOT NULL", name="purchase_has_po"),
        CheckConstraint("kind != 'RETURN' OR customer_id IS NOT NULL", name="return_has_customer"),
        CheckConstraint(
            "kind != 'TRANSFER' OR source_warehouse_id IS NOT NULL", name="transfer_has_source"
        ),
        Index("ix_receipts_wh_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(12), default=ReceiptState.OPEN)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    po_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    source_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    reference: Mapped[str] = mapped_column(String(80), default="")
    dock_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    # Set by a supervisor: items that are not on the order may be received.
    allow_unplanned: Mapped[bool] = mapped_column(default=False)
    allowed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()
    qc_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"))


class ReceiptLine(Base):
    """What arrived of one item, lot and status on a receipt (scans add up here)."""

    __tablename__ = "receipt_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("status IN ('AVAILABLE','QUARANTINE','DAMAGED')", name="status"),
        CheckConstraint(
            "qc_result IS NULL OR qc_result IN ('PASS','FAIL','CONCESSION')", name="qc_result"
        ),
        Index("ix_receipt_lines_receipt", "receipt_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"))
    po_line_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_order_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column()
    not_on_order: Mapped[bool] = mapped_column(default=False)
    expired_on_arrival: Mapped[bool] = mapped_column(default=False)
    qc_result: Mapped[str | None] = mapped_column(String(12))
    qc_note: Mapped[str] = mapped_column(String(400), default="")
    qc_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    qc_at: Mapped[datetime | None] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SerialState(StrEnum):
    IN_STOCK = "IN_STOCK"
    SHIPPED = "SHIPPED"  # left in a customer shipment
    RETURNED_TO_VENDOR = "RETURNED_TO_VENDOR"  # left on a return-to-vendor document
    SCRAPPED = "SCRAPPED"  # written off (a customer return not fit to sell)


class SerialNumber(Base):
    """A serialised unit; one serial of an item is never in stock twice.

    The row outlives the unit's stay: it says where the unit came from (the
    receipt line) and, once gone, how it left (`left_reference`: the shipment's
    tracking number or the return-to-vendor code), so a serial can be traced
    after the fact and a customer return of it recognised.
    """

    __tablename__ = "serial_numbers"
    __table_args__ = (
        UniqueConstraint("item_id", "serial"),
        CheckConstraint(
            "state IN ('IN_STOCK','SHIPPED','RETURNED_TO_VENDOR','SCRAPPED')", name="state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    serial: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=SerialState.IN_STOCK)
    receipt_line_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_lines.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column()
    left_reference: Mapped[str | None] = mapped_column(String(80))


class PalletState(StrEnum):
    EXPECTED = "EXPECTED"
    RECEIVED = "RECEIVED"


class InboundPallet(Base):
    """A pallet a supplier announced (advance shipping notice) by its SSCC.

    Scanning the SSCC at the dock receives everything announced on it at once,
    through the same checks as one scan per unit.
    """

    __tablename__ = "inbound_pallets"
    __table_args__ = (
        CheckConstraint("state IN ('EXPECTED','RECEIVED')", name="state"),
        Index("ix_inbound_pallets_po", "po_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sscc: Mapped[str] = mapped_column(String(18), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    # None for an unannounced pallet received on a return or transfer.
    po_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id"))
    reference: Mapped[str] = mapped_column(String(80), default="")  # the supplier's ASN number
    state: Mapped[str] = mapped_column(String(12), default=PalletState.EXPECTED)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("receipts.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column()


class InboundPalletLine(Base):
    __tablename__ = "inbound_pallet_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("pallet_id", "line_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pallet_id: Mapped[int] = mapped_column(ForeignKey("inbound_pallets.id", ondelete="CASCADE"))
    line_no: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column()  # base units
    lot_number: Mapped[str | None] = mapped_column(String(40))
    expiry: Mapped[date | None] = mapped_column()
    # One entry per unit for serialised items (then quantity == len(serials)).
    serials: Mapped[list[str]] = mapped_column(JSON, default=list)


class PutawayJob(Base):
    """The stock one PUTAWAY task carries from the dock to storage."""

    __tablename__ = "putaway_jobs"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("put_away >= 0 AND put_away <= quantity", name="put_away_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), unique=True)
    receipt_line_id: Mapped[int | None] = mapped_column(ForeignKey("receipt_lines.id"))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16))
    from_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[int] = mapped_column()
    put_away: Mapped[int] = mapped_column(default=0)


class PutawayConfirmation(Base):
    __tablename__ = "putaway_confirmations"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("putaway_jobs.id"), index=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    suggested_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[int] = mapped_column()
    override_reason: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ReturnToVendor(Base):
    __tablename__ = "return_to_vendor"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("state IN ('OPEN','SHIPPED')", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id"))
    receipt_line_id: Mapped[int] = mapped_column(ForeignKey("receipt_lines.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    quantity: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(400), default="")
    state: Mapped[str] = mapped_column(String(12), default=RtvState.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    shipped_at: Mapped[datetime | None] = mapped_column()
