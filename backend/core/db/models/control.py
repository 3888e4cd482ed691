"""Stock control: cycle counts, adjustments, bin blocks and transfers between warehouses."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class CountPlanKind(StrEnum):
    ABC = "ABC"  # bins holding items of one ABC class, at that class's interval
    ZONE = "ZONE"  # every bin of a zone
    FLAGGED = "FLAGGED"  # bins flagged after a short pick (bins.needs_count)
    ADHOC = "ADHOC"  # a list of bins chosen by hand


class CountState(StrEnum):
    OPEN = "OPEN"  # task waiting or being counted; holds the bin
    PENDING_APPROVAL = "PENDING_APPROVAL"  # variances wait for a supervisor; holds the bin
    RECOUNTED = "RECOUNTED"  # variance past the threshold: a recount replaced it
    CLOSED = "CLOSED"  # no variance, or variances decided
    CANCELLED = "CANCELLED"


# States in which a count holds its bin: no second count, no moves in or out.
HOLDING_COUNT_STATES = (CountState.OPEN, CountState.PENDING_APPROVAL)


class CountLineState(StrEnum):
    MATCH = "MATCH"
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUPERSEDED = "SUPERSEDED"  # a recount decides instead


class AdjustmentReason(StrEnum):
    DAMAGE = "DAMAGE"
    SCRAP = "SCRAP"
    FOUND = "FOUND"
    LOST = "LOST"
    EXPIRY_WRITE_OFF = "EXPIRY_WRITE_OFF"


class VarianceCause(StrEnum):
    """Why a count found the book wrong: recorded when a variance is decided."""

    MISCOUNT = "MISCOUNT"
    DAMAGE = "DAMAGE"
    THEFT = "THEFT"
    PICK_ERROR = "PICK_ERROR"
    RECEIVING_ERROR = "RECEIVING_ERROR"
    PUTAWAY_ERROR = "PUTAWAY_ERROR"
    UNKNOWN = "UNKNOWN"


class DispositionKind(StrEnum):
    REWORK = "REWORK"  # the units stay on the bin in status REWORK
    SCRAP = "SCRAP"  # the units leave the ledger (a SCRAP move out)


class AdjustmentState(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"  # applied to the ledger
    REJECTED = "REJECTED"


class TransferState(StrEnum):
    IN_TRANSIT = "IN_TRANSIT"
    RECEIVED = "RECEIVED"


class CountPlan(Base):
    __tablename__ = "count_plans"
    __table_args__ = (
        CheckConstraint("kind IN ('ABC','ZONE','FLAGGED','ADHOC')", name="kind"),
        CheckConstraint("abc_class IS NULL OR abc_class IN ('A','B','C')", name="abc"),
        CheckConstraint("kind <> 'ABC' OR abc_class IS NOT NULL", name="abc_needs_class"),
        CheckConstraint("kind <> 'ZONE' OR zone_id IS NOT NULL", name="zone_needs_zone"),
        CheckConstraint("interval_days IS NULL OR interval_days > 0", name="interval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))
    abc_class: Mapped[str | None] = mapped_column(String(1))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    # Bins counted less than this many days ago are left out; NULL: the class default.
    interval_days: Mapped[int | None] = mapped_column()
    bin_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"bins": [...]} for ADHOC
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_generated_at: Mapped[datetime | None] = mapped_column()


class CountSchedule(Base):
    """Days between counts of a bin, by the ABC class of what it holds, per warehouse;
    a warehouse without a row counts at the defaults of `ControlSettings`."""

    __tablename__ = "count_schedules"
    __table_args__ = (
        CheckConstraint(
            "a_days > 0 AND b_days > 0 AND c_days > 0 AND due_days > 0", name="positive"
        ),
    )

    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), primary_key=True)
    a_days: Mapped[int] = mapped_column()
    b_days: Mapped[int] = mapped_column()
    c_days: Mapped[int] = mapped_column()
    # A count generated as due is to be done within this many days, else it is overdue.
    due_days: Mapped[int] = mapped_column()
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Count(Base):
    """One blind count of one bin, worked through one COUNT task."""

    __tablename__ = "counts"
    __table_args__ = (
        # The database backstop for COUNT_IN_PROGRESS: one holding count per bin.
        Index(
            "uq_counts_holding_bin",
            "bin_id",
            unique=True,
            sqlite_where=text("state IN ('OPEN','PENDING_APPROVAL')"),
            postgresql_where=text("state IN ('OPEN','PENDING_APPROVAL')"),
        ),
        Index("ix_counts_state", "warehouse_id", "state"),
        CheckConstraint(
            "state IN ('OPEN','PENDING_APPROVAL','RECOUNTED','CLOSED','CANCELLED')", name="state"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), unique=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("count_plans.id"))
    recount_of_id: Mapped[int | None] = mapped_column(ForeignKey("counts.id"))
    origin: Mapped[str] = mapped_column(String(16), default="PLAN")  # PLAN, ADHOC, PICKER, TASK
    state: Mapped[str] = mapped_column(String(16), default=CountState.OPEN)
    counted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column()  # past it while OPEN: overdue
    cause: Mapped[str | None] = mapped_column(String(20))  # VarianceCause, once decided


class CountLine(Base):
    """What was counted against what the book said at submission."""

    __tablename__ = "count_lines"
    __table_args__ = (
        CheckConstraint("counted >= 0", name="counted_not_negative"),
        CheckConstraint("book >= 0", name="book_not_negative"),
        CheckConstraint("variance = counted - book", name="variance"),
        Index("ix_count_lines_count", "count_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("counts.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    counted: Mapped[int] = mapped_column()
    book: Mapped[int] = mapped_column()
    variance: Mapped[int] = mapped_column()
    state: Mapped[str] = mapped_column(String(12))
    adjustment_id: Mapped[int | None] = mapped_column(ForeignKey("adjustments.id"))


class Adjustment(Base):
    """A signed correction of the book; applied (APPROVED) means one ledger entry."""

    __tablename__ = "adjustments"
    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint("value_cents >= 0", name="value_not_negative"),
        CheckConstraint("state IN ('PENDING','APPROVED','REJECTED')", name="state"),
        CheckConstraint(
            "reason IN ('DAMAGE','SCRAP','FOUND','LOST','EXPIRY_WRITE_OFF')", name="reason"
        ),
        # Nobody approves their own adjustment (an auto-approved one has no approver).
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="four_eyes"),
        CheckConstraint("state <> 'APPROVED' OR move_id IS NOT NULL", name="applied_has_move"),
        Index("ix_adjustments_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16))  # the stock status adjusted
    quantity: Mapped[int] = mapped_column()  # signed: + found, - written off
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(400), default="")
    value_cents: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12))
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_moves.id"))
    count_id: Mapped[int | None] = mapped_column(ForeignKey("counts.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cause: Mapped[str | None] = mapped_column(String(20))  # VarianceCause of a count's


class StockDisposition(Base):
    """Stock sent to rework or scrap with a reason. Worth more than the approval
    threshold it waits as PENDING for a second person; applied means one ledger entry
    (STATUS_CHANGE to REWORK, or SCRAP out)."""

    __tablename__ = "stock_dispositions"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("kind IN ('REWORK','SCRAP')", name="kind"),
        CheckConstraint("state IN ('PENDING','APPROVED','REJECTED')", name="state"),
        CheckConstraint("decided_by IS NULL OR decided_by <> requested_by", name="four_eyes"),
        CheckConstraint("state <> 'APPROVED' OR move_id IS NOT NULL", name="applied_has_move"),
        Index("ix_stock_dispositions_state", "warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(String(8))
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16))  # the stock status taken from
    quantity: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(200))
    value_cents: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(12))
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column()
    move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_moves.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BinBlock(Base):
    """A blocked bin and the stock its blocking moved to BLOCKED, so unblocking
    releases exactly that and not a lot frozen for another reason."""

    __tablename__ = "bin_blocks"
    __table_args__ = (
        Index(
            "uq_bin_blocks_active",
            "bin_id",
            unique=True,
            sqlite_where=text("released_at IS NULL"),
            postgresql_where=text("released_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    moved: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"lines": [[item, lot, qty]]}
    blocked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    blocked_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None] = mapped_column()


class Transfer(Base):
    """Stock shipped from one warehouse to another. While in transit it is off
    the ledger's bins: the shipping move has no destination, the receipt no source,
    and the lines below say where it is."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("from_warehouse_id <> to_warehouse_id", name="two_warehouses"),
        CheckConstraint("state IN ('IN_TRANSIT','RECEIVED')", name="state"),
        Index("ix_transfers_state", "to_warehouse_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    reference: Mapped[str] = mapped_column(String(80))
    state: Mapped[str] = mapped_column(String(12), default=TransferState.IN_TRANSIT)
    shipped_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    shipped_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    received_at: Mapped[datetime | None] = mapped_column()


class TransferLine(Base):
    __tablename__ = "transfer_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_transfer_lines_transfer", "transfer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    status: Mapped[str] = mapped_column(String(16))
    quantity: Mapped[int] = mapped_column()
    from_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    out_move_id: Mapped[int] = mapped_column(ForeignKey("stock_moves.id"))
    to_bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    in_move_id: Mapped[int | None] = mapped_column(ForeignKey("stock_moves.id"))
