"""customer returns (RMA), scrapped serials

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = backend.core.db.base.UTCDateTime()


def upgrade() -> None:
    op.create_table(
        "customer_returns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(400), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("credit_reference", sa.String(40), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("credited_at", UTC, nullable=True),
        sa.CheckConstraint(
            "state IN ('AUTHORISED','RECEIVING','RECEIVED','CREDITED','CANCELLED')",
            name=op.f("ck_customer_returns_state"),
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_customer_returns_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_customer_returns_shipment_id_shipments"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_customer_returns_order_id_sales_orders"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_customer_returns_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_customer_returns_receipt_id_receipts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_customer_returns_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_returns")),
        sa.UniqueConstraint("number", name=op.f("uq_customer_returns_number")),
    )
    op.create_index("ix_customer_returns_wh_state", "customer_returns", ["warehouse_id", "state"])
    op.create_index("ix_customer_returns_shipment", "customer_returns", ["shipment_id"])
    op.create_index("ix_customer_returns_order", "customer_returns", ["order_id"])
    op.create_table(
        "customer_return_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("serials", sa.JSON(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_customer_return_lines_quantity_positive")),
        sa.CheckConstraint(
            "received >= 0 AND received <= quantity",
            name=op.f("ck_customer_return_lines_received_range"),
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["customer_returns.id"],
            name=op.f("fk_customer_return_lines_return_id_customer_returns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_customer_return_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lots.id"], name=op.f("fk_customer_return_lines_lot_id_lots")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_return_lines")),
        sa.UniqueConstraint(
            "return_id", "line_no", name=op.f("uq_customer_return_lines_return_id_line_no")
        ),
    )
    op.create_table(
        "return_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("receipt_line_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("serial", sa.String(40), nullable=True),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_at", UTC, nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("disposition", sa.String(20), nullable=True),
        sa.Column("to_bin_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(400), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.CheckConstraint(
            "disposition IS NULL OR disposition IN "
            "('RESTOCK','QUARANTINE','SCRAP','RETURN_TO_VENDOR')",
            name=op.f("ck_return_units_disposition"),
        ),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["customer_returns.id"],
            name=op.f("fk_return_units_return_id_customer_returns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["customer_return_lines.id"],
            name=op.f("fk_return_units_line_id_customer_return_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["receipt_line_id"],
            ["receipt_lines.id"],
            name=op.f("fk_return_units_receipt_line_id_receipt_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_return_units_item_id_items")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_return_units_lot_id_lots")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_return_units_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["to_bin_id"], ["bins.id"], name=op.f("fk_return_units_to_bin_id_bins")
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["users.id"], name=op.f("fk_return_units_received_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_return_units_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_units")),
    )
    op.create_index("ix_return_units_return", "return_units", ["return_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE customer_return_seq START WITH 1 MINVALUE 1 NO CYCLE")
    with op.batch_alter_table("serial_numbers") as batch:
        batch.drop_constraint(op.f("ck_serial_numbers_state"), type_="check")
        batch.create_check_constraint(
            op.f("ck_serial_numbers_state"),
            "state IN ('IN_STOCK','SHIPPED','RETURNED_TO_VENDOR','SCRAPPED')",
        )


def downgrade() -> None:
    op.execute("UPDATE serial_numbers SET state = 'SHIPPED' WHERE state = 'SCRAPPED'")
    with op.batch_alter_table("serial_numbers") as batch:
        batch.drop_constraint(op.f("ck_serial_numbers_state"), type_="check")
        batch.create_check_constraint(
            op.f("ck_serial_numbers_state"), "state IN ('IN_STOCK','SHIPPED','RETURNED_TO_VENDOR')"
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS customer_return_seq")
    op.drop_index("ix_return_units_return", table_name="return_units")
    op.drop_table("return_units")
    op.drop_table("customer_return_lines")
    op.drop_index("ix_customer_returns_order", table_name="customer_returns")
    op.drop_index("ix_customer_returns_shipment", table_name="customer_returns")
    op.drop_index("ix_customer_returns_wh_state", table_name="customer_returns")
    op.drop_table("customer_returns")
