"""putaway rule sets

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-22 02:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("putaway",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "putaway_rule_sets",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("travel_band_m", sa.Double(), nullable=False),
        sa.Column("golden_travel_m", sa.Double(), nullable=True),
        sa.Column("allow_mixed_lots", sa.Boolean(), nullable=False),
        sa.Column("updated_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "golden_travel_m >= 0",
            name=op.f("ck_putaway_rule_sets_golden_travel_not_negative"),
        ),
        sa.CheckConstraint(
            "travel_band_m > 0", name=op.f("ck_putaway_rule_sets_travel_band_positive")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_putaway_rule_sets_updated_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_putaway_rule_sets_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("warehouse_id", name=op.f("pk_putaway_rule_sets")),
    )


def downgrade() -> None:
    op.drop_table("putaway_rule_sets")
