"""analytics: monthly rollups next to the daily ones, ledger index for adjustments

Revision ID: 0009
Revises: 0008

Year-long reports read whole months from analytics_item_months and
analytics_picker_months and only the partial edge days from the daily tables.
The monthly rows are filled here from the daily rows already folded, so the
two agree from the first refresh on. ix_moves_reason_at lets the count-variance
reads find the adjustments of a window without scanning the ledger.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MONTH = {
    "postgresql": {
        "day": "date_trunc('month', day)::date",
        "hour": "(date_trunc('month', hour AT TIME ZONE 'UTC'))::date",
    },
    "sqlite": {"day": "date(day, 'start of month')", "hour": "date(hour, 'start of month')"},
}


def upgrade() -> None:
    op.create_table(
        "analytics_item_months",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("receipt_qty", sa.BigInteger(), nullable=False),
        sa.Column("demand_qty", sa.BigInteger(), nullable=False),
        sa.Column("demand_lines", sa.BigInteger(), nullable=False),
        sa.Column("demand_sq", sa.BigInteger(), nullable=False),
        sa.Column("ship_qty", sa.BigInteger(), nullable=False),
        sa.Column("adjust_in_qty", sa.BigInteger(), nullable=False),
        sa.Column("adjust_out_qty", sa.BigInteger(), nullable=False),
        sa.Column("net_qty", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name=op.f("fk_analytics_item_months_item_id_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_analytics_item_months_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "warehouse_id", "month", "item_id", name=op.f("pk_analytics_item_months")
        ),
    )
    op.create_index("ix_analytics_item_months_item", "analytics_item_months", ["item_id", "month"])
    op.create_table(
        "analytics_picker_months",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("active_hours", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_analytics_picker_months_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_analytics_picker_months_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "warehouse_id", "month", "user_id", name=op.f("pk_analytics_picker_months")
        ),
    )
    op.create_index("ix_moves_reason_at", "stock_moves", ["reason", "at"])

    month = _MONTH.get(op.get_bind().dialect.name, _MONTH["sqlite"])
    op.execute(
        f"""INSERT INTO analytics_item_months (warehouse_id, month, item_id, receipt_qty,
        demand_qty, demand_lines, demand_sq, ship_qty, adjust_in_qty, adjust_out_qty, net_qty)
        SELECT warehouse_id, {month["day"]}, item_id, sum(receipt_qty), sum(demand_qty),
            sum(demand_lines), sum(CAST(demand_qty AS BIGINT) * demand_qty), sum(ship_qty),
            sum(adjust_in_qty), sum(adjust_out_qty), sum(net_qty)
        FROM analytics_item_days GROUP BY 1, 2, 3"""
    )
    op.execute(
        f"""INSERT INTO analytics_picker_months (warehouse_id, month, user_id, lines, units,
        active_hours)
        SELECT warehouse_id, {month["hour"]}, user_id, sum(lines), sum(units), count(*)
        FROM analytics_picker_hours GROUP BY 1, 2, 3"""
    )


def downgrade() -> None:
    op.drop_index("ix_moves_reason_at", table_name="stock_moves")
    op.drop_table("analytics_picker_months")
    op.drop_index("ix_analytics_item_months_item", table_name="analytics_item_months")
    op.drop_table("analytics_item_months")
