"""counting by schedule, variance causes, rework and scrap dispositions

Revision ID: 0061
Revises: 0050
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0061"
down_revision: str | None = "0060"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.db.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "count_schedules",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("a_days", sa.Integer(), nullable=False),
        sa.Column("b_days", sa.Integer(), nullable=False),
        sa.Column("c_days", sa.Integer(), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint(
            "a_days > 0 AND b_days > 0 AND c_days > 0 AND due_days > 0",
            name=op.f("ck_count_schedules_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_count_schedules_warehouse_id_warehouses")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_count_schedules_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("warehouse_id", name=op.f("pk_count_schedules")),
    )
    op.create_table(
        "stock_dispositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("value_cents", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("move_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_dispositions_quantity_positive")),
        sa.CheckConstraint("kind IN ('REWORK','SCRAP')", name=op.f("ck_stock_dispositions_kind")),
        sa.CheckConstraint(
            "state IN ('PENDING','APPROVED','REJECTED')", name=op.f("ck_stock_dispositions_state")
        ),
        sa.CheckConstraint(
            "decided_by IS NULL OR decided_by <> requested_by",
            name=op.f("ck_stock_dispositions_four_eyes"),
        ),
        sa.CheckConstraint(
            "state <> 'APPROVED' OR move_id IS NOT NULL",
            name=op.f("ck_stock_dispositions_applied_has_move"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_stock_dispositions_warehouse_id_warehouses")
        ),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_stock_dispositions_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_stock_dispositions_item_id_items")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_stock_dispositions_lot_id_lots")),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_stock_dispositions_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_stock_dispositions_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["move_id"], ["stock_moves.id"], name=op.f("fk_stock_dispositions_move_id_stock_moves")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_dispositions")),
    )
    op.create_index("ix_stock_dispositions_state", "stock_dispositions", ["warehouse_id", "state"])
    with op.batch_alter_table("counts") as batch:
        batch.add_column(sa.Column("due_at", UTC, nullable=True))
        batch.add_column(sa.Column("cause", sa.String(20), nullable=True))
    with op.batch_alter_table("adjustments") as batch:
        batch.add_column(sa.Column("cause", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("adjustments") as batch:
        batch.drop_column("cause")
    with op.batch_alter_table("counts") as batch:
        batch.drop_column("cause")
        batch.drop_column("due_at")
    op.drop_index("ix_stock_dispositions_state", table_name="stock_dispositions")
    op.drop_table("stock_dispositions")
    op.drop_table("count_schedules")
