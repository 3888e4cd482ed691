"""stock control: count plans, counts, adjustments, bin blocks, transfers

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22 02:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("control",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "count_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("abc_class", sa.String(length=1), nullable=True),
        sa.Column("zone_id", sa.Integer(), nullable=True),
        sa.Column("interval_days", sa.Integer(), nullable=True),
        sa.Column("bin_ids", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_generated_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "abc_class IS NULL OR abc_class IN ('A','B','C')", name=op.f("ck_count_plans_abc")
        ),
        sa.CheckConstraint(
            "kind <> 'ABC' OR abc_class IS NOT NULL", name=op.f("ck_count_plans_abc_needs_class")
        ),
        sa.CheckConstraint(
            "kind <> 'ZONE' OR zone_id IS NOT NULL", name=op.f("ck_count_plans_zone_needs_zone")
        ),
        sa.CheckConstraint(
            "kind IN ('ABC','ZONE','FLAGGED','ADHOC')", name=op.f("ck_count_plans_kind")
        ),
        sa.CheckConstraint(
            "interval_days IS NULL OR interval_days > 0", name=op.f("ck_count_plans_interval")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_count_plans_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_count_plans_warehouse_id_warehouses")
        ),
        sa.ForeignKeyConstraint(
            ["zone_id"], ["zones.id"], name=op.f("fk_count_plans_zone_id_zones")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_plans")),
    )
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("to_warehouse_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("shipped_by", sa.Integer(), nullable=True),
        sa.Column("shipped_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("received_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('IN_TRANSIT','RECEIVED')", name=op.f("ck_transfers_state")),
        sa.CheckConstraint(
            "from_warehouse_id <> to_warehouse_id", name=op.f("ck_transfers_two_warehouses")
        ),
        sa.ForeignKeyConstraint(
            ["from_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transfers_from_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["users.id"], name=op.f("fk_transfers_received_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["shipped_by"], ["users.id"], name=op.f("fk_transfers_shipped_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["to_warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_transfers_to_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.create_index("ix_transfers_state", ["to_warehouse_id", "state"], unique=False)

    op.create_table(
        "bin_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("blocked_by", sa.Integer(), nullable=True),
        sa.Column("blocked_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.Integer(), nullable=True),
        sa.Column("released_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_bin_blocks_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["blocked_by"], ["users.id"], name=op.f("fk_bin_blocks_blocked_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["released_by"], ["users.id"], name=op.f("fk_bin_blocks_released_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bin_blocks")),
    )
    with op.batch_alter_table("bin_blocks", schema=None) as batch_op:
        batch_op.create_index(
            "uq_bin_blocks_active",
            ["bin_id"],
            unique=True,
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        )

    op.create_table(
        "counts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("recount_of_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("counted_by", sa.Integer(), nullable=True),
        sa.Column("submitted_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('OPEN','PENDING_APPROVAL','RECOUNTED','CLOSED','CANCELLED')",
            name=op.f("ck_counts_state"),
        ),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_counts_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["counted_by"], ["users.id"], name=op.f("fk_counts_counted_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_counts_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["count_plans.id"], name=op.f("fk_counts_plan_id_count_plans")
        ),
        sa.ForeignKeyConstraint(
            ["recount_of_id"], ["counts.id"], name=op.f("fk_counts_recount_of_id_counts")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_counts_task_id_tasks")),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_counts_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_counts")),
        sa.UniqueConstraint("task_id", name=op.f("uq_counts_task_id")),
    )
    with op.batch_alter_table("counts", schema=None) as batch_op:
        batch_op.create_index("ix_counts_state", ["warehouse_id", "state"], unique=False)
        batch_op.create_index(
            "uq_counts_holding_bin",
            ["bin_id"],
            unique=True,
            sqlite_where=sa.text("state IN ('OPEN','PENDING_APPROVAL')"),
            postgresql_where=sa.text("state IN ('OPEN','PENDING_APPROVAL')"),
        )

    op.create_table(
        "adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=400), nullable=False),
        sa.Column("value_cents", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("move_id", sa.Integer(), nullable=True),
        sa.Column("count_id", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('DAMAGE','SCRAP','FOUND','LOST','EXPIRY_WRITE_OFF')",
            name=op.f("ck_adjustments_reason"),
        ),
        sa.CheckConstraint(
            "state <> 'APPROVED' OR move_id IS NOT NULL",
            name=op.f("ck_adjustments_applied_has_move"),
        ),
        sa.CheckConstraint(
            "state IN ('PENDING','APPROVED','REJECTED')", name=op.f("ck_adjustments_state")
        ),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> requested_by",
            name=op.f("ck_adjustments_four_eyes"),
        ),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_adjustments_quantity_not_zero")),
        sa.CheckConstraint("value_cents >= 0", name=op.f("ck_adjustments_value_not_negative")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_adjustments_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["count_id"], ["counts.id"], name=op.f("fk_adjustments_count_id_counts")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_adjustments_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_adjustments_item_id_items")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_adjustments_lot_id_lots")),
        sa.ForeignKeyConstraint(
            ["move_id"], ["stock_moves.id"], name=op.f("fk_adjustments_move_id_stock_moves")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_adjustments_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_adjustments_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adjustments")),
    )
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.create_index("ix_adjustments_state", ["warehouse_id", "state"], unique=False)

    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("from_bin_id", sa.Integer(), nullable=False),
        sa.Column("out_move_id", sa.Integer(), nullable=False),
        sa.Column("to_bin_id", sa.Integer(), nullable=True),
        sa.Column("in_move_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_transfer_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["from_bin_id"], ["bins.id"], name=op.f("fk_transfer_lines_from_bin_id_bins")
        ),
        sa.ForeignKeyConstraint(
            ["in_move_id"],
            ["stock_moves.id"],
            name=op.f("fk_transfer_lines_in_move_id_stock_moves"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_transfer_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_transfer_lines_lot_id_lots")
        ),
        sa.ForeignKeyConstraint(
            ["out_move_id"],
            ["stock_moves.id"],
            name=op.f("fk_transfer_lines_out_move_id_stock_moves"),
        ),
        sa.ForeignKeyConstraint(
            ["to_bin_id"], ["bins.id"], name=op.f("fk_transfer_lines_to_bin_id_bins")
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["transfers.id"],
            name=op.f("fk_transfer_lines_transfer_id_transfers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_lines")),
    )
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.create_index("ix_transfer_lines_transfer", ["transfer_id"], unique=False)

    op.create_table(
        "count_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.Column("book", sa.Integer(), nullable=False),
        sa.Column("variance", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("adjustment_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("book >= 0", name=op.f("ck_count_lines_book_not_negative")),
        sa.CheckConstraint("counted >= 0", name=op.f("ck_count_lines_counted_not_negative")),
        sa.CheckConstraint("variance = counted - book", name=op.f("ck_count_lines_variance")),
        sa.ForeignKeyConstraint(
            ["adjustment_id"],
            ["adjustments.id"],
            name=op.f("fk_count_lines_adjustment_id_adjustments"),
        ),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["counts.id"],
            name=op.f("fk_count_lines_count_id_counts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_count_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_count_lines_lot_id_lots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_lines")),
    )
    with op.batch_alter_table("count_lines", schema=None) as batch_op:
        batch_op.create_index("ix_count_lines_count", ["count_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("count_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_count_lines_count")

    op.drop_table("count_lines")
    with op.batch_alter_table("transfer_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_lines_transfer")

    op.drop_table("transfer_lines")
    with op.batch_alter_table("adjustments", schema=None) as batch_op:
        batch_op.drop_index("ix_adjustments_state")

    op.drop_table("adjustments")
    with op.batch_alter_table("counts", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_counts_holding_bin",
            sqlite_where=sa.text("state IN ('OPEN','PENDING_APPROVAL')"),
            postgresql_where=sa.text("state IN ('OPEN','PENDING_APPROVAL')"),
        )
        batch_op.drop_index("ix_counts_state")

    op.drop_table("counts")
    with op.batch_alter_table("bin_blocks", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_bin_blocks_active",
            sqlite_where=sa.text("released_at IS NULL"),
            postgresql_where=sa.text("released_at IS NULL"),
        )

    op.drop_table("bin_blocks")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfers_state")

    op.drop_table("transfers")
    op.drop_table("count_plans")
