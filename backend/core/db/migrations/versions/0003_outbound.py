"""outbound: sales orders, channel stock pools, waves, tours, pick lines

Revision ID: 0003
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("outbound",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_stock_pools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("fixed_quantity", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(percent IS NULL) <> (fixed_quantity IS NULL)",
            name=op.f("ck_channel_stock_pools_percent_or_fixed"),
        ),
        sa.CheckConstraint(
            "fixed_quantity IS NULL OR fixed_quantity >= 0",
            name=op.f("ck_channel_stock_pools_fixed"),
        ),
        sa.CheckConstraint(
            "percent IS NULL OR (percent > 0 AND percent <= 100)",
            name=op.f("ck_channel_stock_pools_percent"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_channel_stock_pools_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_channel_stock_pools_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_stock_pools")),
        sa.UniqueConstraint(
            "warehouse_id",
            "channel",
            "item_id",
            name=op.f("uq_channel_stock_pools_warehouse_id_channel_item_id"),
        ),
    )
    op.create_table(
        "outbound_settings",
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("reserve_at", sa.String(length=8), nullable=False),
        sa.Column("short_pick_rule", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_outbound_settings_warehouse_id_warehouses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("warehouse_id", name=op.f("pk_outbound_settings")),
    )
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("method", sa.String(length=40), nullable=False),
        sa.Column("metres", sa.Double(), nullable=False),
        sa.Column("cart_limits", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("metres >= 0", name=op.f("ck_waves_metres")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_waves_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"], ["warehouses.id"], name=op.f("fk_waves_warehouse_id_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waves")),
        sa.UniqueConstraint("code", name=op.f("uq_waves_code")),
    )
    with op.batch_alter_table("waves", schema=None) as batch_op:
        batch_op.create_index("ix_waves_wh_state", ["warehouse_id", "state"], unique=False)

    op.create_table(
        "sales_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warehouse_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("cutoff_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ship_to", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("cancelled_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("priority BETWEEN 1 AND 9", name=op.f("ck_sales_orders_priority")),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carriers.id"], name=op.f("fk_sales_orders_carrier_id_carriers")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_sales_orders_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_sales_orders_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["warehouse_id"],
            ["warehouses.id"],
            name=op.f("fk_sales_orders_warehouse_id_warehouses"),
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_sales_orders_wave_id_waves")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_sales_orders_number")),
    )
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sales_orders_pool", ["warehouse_id", "state", "priority", "cutoff_at"], unique=False
        )
        batch_op.create_index("ix_sales_orders_wave", ["wave_id"], unique=False)

    op.create_table(
        "sales_order_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("short", sa.Integer(), nullable=False),
        sa.Column("backordered", sa.Boolean(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_sales_order_lines_quantity_positive")),
        sa.CheckConstraint(
            "reserved + picked + short <= quantity",
            name=op.f("ck_sales_order_lines_within_quantity"),
        ),
        sa.CheckConstraint(
            "reserved >= 0 AND picked >= 0 AND short >= 0",
            name=op.f("ck_sales_order_lines_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_sales_order_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["sales_orders.id"],
            name=op.f("fk_sales_order_lines_order_id_sales_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales_order_lines")),
        sa.UniqueConstraint(
            "order_id", "line_no", name=op.f("uq_sales_order_lines_order_id_line_no")
        ),
    )
    with op.batch_alter_table("sales_order_lines", schema=None) as batch_op:
        batch_op.create_index("ix_sales_order_lines_item", ["item_id"], unique=False)

    op.create_table(
        "wave_tours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wave_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("metres", sa.Double(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_wave_tours_task_id_tasks")
        ),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name=op.f("fk_wave_tours_wave_id_waves"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wave_tours")),
        sa.UniqueConstraint("wave_id", "seq", name=op.f("uq_wave_tours_wave_id_seq")),
    )
    op.create_table(
        "pick_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=True),
        sa.Column("bin_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("arrive_metres", sa.Double(), nullable=True),
        sa.Column("bin_confirmed", sa.Boolean(), nullable=False),
        sa.Column("item_confirmed", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "picked >= 0 AND picked <= quantity", name=op.f("ck_pick_lines_picked_within")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_pick_lines_quantity_positive")),
        sa.ForeignKeyConstraint(["bin_id"], ["bins.id"], name=op.f("fk_pick_lines_bin_id_bins")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_pick_lines_item_id_items")
        ),
        sa.ForeignKeyConstraint(["lot_id"], ["lots.id"], name=op.f("fk_pick_lines_lot_id_lots")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_pick_lines_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["sales_order_lines.id"],
            name=op.f("fk_pick_lines_order_line_id_sales_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["reservation_id"],
            ["reservations.id"],
            name=op.f("fk_pick_lines_reservation_id_reservations"),
        ),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["wave_tours.id"],
            name=op.f("fk_pick_lines_tour_id_wave_tours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lines")),
    )
    with op.batch_alter_table("pick_lines", schema=None) as batch_op:
        batch_op.create_index("ix_pick_lines_order_line", ["order_line_id"], unique=False)
        batch_op.create_index("ix_pick_lines_tour_seq", ["tour_id", "seq"], unique=False)

    op.create_table(
        "tour_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tour_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("tote_code", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"], ["sales_orders.id"], name=op.f("fk_tour_orders_order_id_sales_orders")
        ),
        sa.ForeignKeyConstraint(
            ["tour_id"],
            ["wave_tours.id"],
            name=op.f("fk_tour_orders_tour_id_wave_tours"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_orders")),
        sa.UniqueConstraint("tour_id", "order_id", name=op.f("uq_tour_orders_tour_id_order_id")),
        sa.UniqueConstraint("tour_id", "slot", name=op.f("uq_tour_orders_tour_id_slot")),
        sa.UniqueConstraint("tour_id", "tote_code", name=op.f("uq_tour_orders_tour_id_tote_code")),
    )


def downgrade() -> None:
    op.drop_table("tour_orders")
    with op.batch_alter_table("pick_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_pick_lines_tour_seq")
        batch_op.drop_index("ix_pick_lines_order_line")

    op.drop_table("pick_lines")
    op.drop_table("wave_tours")
    with op.batch_alter_table("sales_order_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_order_lines_item")

    op.drop_table("sales_order_lines")
    with op.batch_alter_table("sales_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_orders_wave")
        batch_op.drop_index("ix_sales_orders_pool")

    op.drop_table("sales_orders")
    with op.batch_alter_table("waves", schema=None) as batch_op:
        batch_op.drop_index("ix_waves_wh_state")

    op.drop_table("waves")
    op.drop_table("outbound_settings")
    op.drop_table("channel_stock_pools")
