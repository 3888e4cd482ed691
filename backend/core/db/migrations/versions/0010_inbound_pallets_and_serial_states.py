"""inbound pallets and serial states

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 05:37:46.211432
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inbound_pallets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sscc", sa.String(length=18), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("po_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.Integer(), nullable=True),
        sa.Column("received_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('EXPECTED','RECEIVED')", name=op.f("ck_inbound_pallets_state")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_inbound_pallets_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["po_id"], ["purchase_orders.id"], name=op.f("fk_inbound_pallets_po_id_purchase_orders")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_id"], ["receipts.id"], name=op.f("fk_inbound_pallets_receipt_id_receipts")
        ),
        sa.ForeignKeyConstraint(
            ["received_by"], ["users.id"], name=op.f("fk_inbound_pallets_received_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_inbound_pallets_warehouse_id_warehouses"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_pallets")),
        sa.UniqueConstraint("sscc", name=op.f("uq_inbound_pallets_sscc")),
    )
    with op.batch_alter_table("inbound_pallets", schema=None) as batch_op:
        batch_op.create_index("ix_inbound_pallets_po", ["po_id"], unique=False)

    op.create_table(
        "inbound_pallet_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pallet_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("lot_number", sa.String(length=40), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("serials", sa.JSON(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_inbound_pallet_lines_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_inbound_pallet_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["pallet_id"],
            ["inbound_pallets.id"],
            name=op.f("fk_inbound_pallet_lines_pallet_id_inbound_pallets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_pallet_lines")),
        sa.UniqueConstraint(
            "pallet_id", "line_no", name=op.f("uq_inbound_pallet_lines_pallet_id_line_no")
        ),
    )
    # "GONE" said only that a unit left; nothing wrote it, but map it to be safe.
    op.execute("UPDATE serial_numbers SET state = 'SHIPPED' WHERE state = 'GONE'")
    with op.batch_alter_table("serial_numbers", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("left_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("left_reference", sa.String(length=80), nullable=True))
        batch_op.alter_column(
            "state",
            existing_type=sa.VARCHAR(length=12),
            type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch_op.drop_constraint(op.f("ck_serial_numbers_state"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_serial_numbers_state"), "state IN ('IN_STOCK','SHIPPED','RETURNED_TO_VENDOR')"
        )


def downgrade() -> None:
    op.execute("UPDATE serial_numbers SET state = 'GONE' WHERE state != 'IN_STOCK'")
    with op.batch_alter_table("serial_numbers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_serial_numbers_state"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_serial_numbers_state"), "state IN ('IN_STOCK','GONE')"
        )
        batch_op.alter_column(
            "state",
            existing_type=sa.String(length=20),
            type_=sa.VARCHAR(length=12),
            existing_nullable=False,
        )
        batch_op.drop_column("left_reference")
        batch_op.drop_column("left_at")

    op.drop_table("inbound_pallet_lines")
    with op.batch_alter_table("inbound_pallets", schema=None) as batch_op:
        batch_op.drop_index("ix_inbound_pallets_po")

    op.drop_table("inbound_pallets")
