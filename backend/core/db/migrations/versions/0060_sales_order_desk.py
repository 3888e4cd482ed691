"""sales orders: promised date, source, credit decision, shop webhooks; the webhook
outbox also carries order state changes

Revision ID: 0060
Revises: 0050
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0060"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promised_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sa.String(8), nullable=False, server_default="DESK")
        )
        batch_op.add_column(
            sa.Column("webhook_urls", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("credit_decision", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("credit_decided_by", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "credit_decided_at",
                backend.core.db.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sales_orders_credit_decided_by_users"),
            "users",
            ["credit_decided_by"],
            ["id"],
        )
    with op.batch_alter_table("shipment_webhooks", schema=None) as batch_op:
        batch_op.alter_column("shipment_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("order_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_shipment_webhooks_order_id_sales_orders"),
            "sales_orders",
            ["order_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_shipment_webhooks_order", ["order_id"], unique=False)
        batch_op.create_check_constraint(
            "one_subject", "(shipment_id IS NULL) <> (order_id IS NULL)"
        )


def downgrade() -> None:
    op.execute("DELETE FROM shipment_webhooks WHERE order_id IS NOT NULL")
    with op.batch_alter_table("shipment_webhooks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_shipment_webhooks_one_subject"), type_="check")
        batch_op.drop_index("ix_shipment_webhooks_order")
        batch_op.drop_constraint(
            batch_op.f("fk_shipment_webhooks_order_id_sales_orders"), type_="foreignkey"
        )
        batch_op.drop_column("order_id")
        batch_op.alter_column("shipment_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_sales_orders_credit_decided_by_users"), type_="foreignkey"
        )
        batch_op.drop_column("credit_decided_at")
        batch_op.drop_column("credit_decided_by")
        batch_op.drop_column("credit_decision")
        batch_op.drop_column("webhook_urls")
        batch_op.drop_column("source")
        batch_op.drop_column("promised_date")
