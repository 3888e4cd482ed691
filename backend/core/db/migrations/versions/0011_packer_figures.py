"""analytics: packer figures per hour and month, like the pickers'

PACK moves (a closed carton's contents leaving the bench) per packer. Moves the
ledger mark has already passed are folded in here, so the figures cover the
history from the first refresh on.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 06:26:03.065198
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analytics_packer_hours",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("hour", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_analytics_packer_hours_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_analytics_packer_hours_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "warehouse_id", "hour", "user_id", name=op.f("pk_analytics_packer_hours")
        ),
    )
    op.create_table(
        "analytics_packer_months",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("active_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_analytics_packer_months_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_analytics_packer_months_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "warehouse_id", "month", "user_id", name=op.f("pk_analytics_packer_months")
        ),
    )
    _backfill()


_SQL = {
    "postgresql": {
        "hour": "date_trunc('hour', m.at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
        "month": "(date_trunc('month', hour AT TIME ZONE 'UTC'))::date",
    },
    "sqlite": {
        "hour": "strftime('%Y-%m-%d %H:00:00.000000', m.at)",
        "month": "date(hour, 'start of month')",
    },
}


def _backfill() -> None:
    sql = _SQL.get(op.get_bind().dialect.name, _SQL["sqlite"])
    op.execute(
        f"""
        INSERT INTO analytics_packer_hours (warehouse_id, hour, user_id, lines, units)
        SELECT fb.warehouse_id, {sql["hour"]}, m.user_id, count(*), sum(m.quantity)
        FROM stock_moves m
        JOIN bins fb ON fb.id = m.from_bin_id
        WHERE m.reason = 'PACK' AND m.user_id IS NOT NULL
          AND m.id <= (SELECT coalesce(max(last_move_id), 0) FROM analytics_watermarks)
        GROUP BY 1, 2, 3
        """
    )
    op.execute(
        f"""
        INSERT INTO analytics_packer_months
            (warehouse_id, month, user_id, lines, units, active_hours)
        SELECT warehouse_id, {sql["month"]}, user_id, sum(lines), sum(units), count(*)
        FROM analytics_packer_hours
        GROUP BY 1, 2, 3
        """
    )


def downgrade() -> None:
    op.drop_table("analytics_packer_months")
    op.drop_table("analytics_packer_hours")
