"""shipping: carton types, pack sessions, cartons with SSCCs, shipments, printers, print jobs

Revision ID: 0007
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0007"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("shipping",)
depends_on: str | Sequence[str] | None = None

# SSCC serial references and own-fleet tracking numbers: real sequences on
# PostgreSQL (no lock, no row to fight over), a counter row on SQLite.
SEQUENCES = ("sscc_serial_seq", "own_fleet_tracking_seq", "waybill_seq")


def upgrade() -> None:
    op.create_table('carton_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('length_mm', sa.Integer(), nullable=False),
    sa.Column('width_mm', sa.Integer(), nullable=False),
    sa.Column('height_mm', sa.Integer(), nullable=False),
    sa.Column('max_weight_g', sa.Integer(), nullable=False),
    sa.Column('tare_weight_g', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('length_mm > 0 AND width_mm > 0 AND height_mm > 0', name=op.f('ck_carton_types_dimensions_positive')),
    sa.CheckConstraint('max_weight_g > 0', name=op.f('ck_carton_types_max_weight_positive')),
    sa.CheckConstraint('tare_weight_g >= 0', name=op.f('ck_carton_types_tare_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carton_types')),
    sa.UniqueConstraint('code', name=op.f('uq_carton_types_code'))
    )
    op.create_table('serial_counters',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.CheckConstraint('last_value >= 0', name=op.f('ck_serial_counters_last_value_not_negative')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_serial_counters'))
    )
    op.create_table('printers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('raw', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('CUPS','RAW_TCP')", name=op.f('ck_printers_kind')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_printers_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_printers')),
    sa.UniqueConstraint('warehouse_id', 'name', name=op.f('uq_printers_warehouse_id_name'))
    )
    with op.batch_alter_table('printers', schema=None) as batch_op:
        batch_op.create_index('ix_printers_station', ['warehouse_id', 'station'], unique=False)

    op.create_table('pack_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_ref', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('station', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('short_shipped_by', sa.Integer(), nullable=True),
    sa.Column('short_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('packed_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['short_shipped_by'], ['users.id'], name=op.f('fk_pack_sessions_short_shipped_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pack_sessions_user_id_users')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_pack_sessions_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_sessions'))
    )
    with op.batch_alter_table('pack_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_pack_sessions_order', ['order_id'], unique=False)
        batch_op.create_index('uq_pack_sessions_open_order', ['order_id'], unique=True, sqlite_where=sa.text("state = 'OPEN'"), postgresql_where=sa.text("state = 'OPEN'"))

    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('printer_id', sa.Integer(), nullable=False),
    sa.Column('document_kind', sa.String(length=24), nullable=False),
    sa.Column('target', sa.String(length=40), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_until', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('bytes_sent', sa.Integer(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_print_jobs_attempts_not_negative')),
    sa.CheckConstraint('copies BETWEEN 1 AND 50', name=op.f('ck_print_jobs_copies_range')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_print_jobs_created_by_users')),
    sa.ForeignKeyConstraint(['printer_id'], ['printers.id'], name=op.f('fk_print_jobs_printer_id_printers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_print_jobs_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_print_jobs_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_print_jobs_printer', ['printer_id'], unique=False)

    op.create_table('shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('carrier_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.Column('tracking_number', sa.String(length=40), nullable=False),
    sa.Column('waybill_no', sa.String(length=40), nullable=False),
    sa.Column('carton_count', sa.Integer(), nullable=False),
    sa.Column('total_weight_g', sa.Integer(), nullable=True),
    sa.Column('shipped_by', sa.Integer(), nullable=True),
    sa.Column('shipped_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['carrier_id'], ['carriers.id'], name=op.f('fk_shipments_carrier_id_carriers')),
    sa.ForeignKeyConstraint(['shipped_by'], ['users.id'], name=op.f('fk_shipments_shipped_by_users')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_shipments_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments')),
    sa.UniqueConstraint('carrier_id', 'tracking_number', name=op.f('uq_shipments_carrier_id_tracking_number')),
    sa.UniqueConstraint('waybill_no', name=op.f('uq_shipments_waybill_no'))
    )
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index('ix_shipments_warehouse_at', ['warehouse_id', 'shipped_at'], unique=False)

    op.create_table('cartons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('carton_no', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('carton_type_id', sa.Integer(), nullable=True),
    sa.Column('sscc', sa.String(length=18), nullable=True),
    sa.Column('weight_g', sa.Integer(), nullable=True),
    sa.Column('expected_weight_g', sa.Integer(), nullable=True),
    sa.Column('bin_id', sa.Integer(), nullable=True),
    sa.Column('shipment_id', sa.Integer(), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state = 'OPEN' OR sscc IS NOT NULL", name=op.f('ck_cartons_closed_has_sscc')),
    sa.CheckConstraint('carton_no > 0', name=op.f('ck_cartons_carton_no_positive')),
    sa.CheckConstraint('weight_g IS NULL OR weight_g > 0', name=op.f('ck_cartons_weight_positive')),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_cartons_bin_id_bins')),
    sa.ForeignKeyConstraint(['carton_type_id'], ['carton_types.id'], name=op.f('fk_cartons_carton_type_id_carton_types')),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_cartons_closed_by_users')),
    sa.ForeignKeyConstraint(['session_id'], ['pack_sessions.id'], name=op.f('fk_cartons_session_id_pack_sessions')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_cartons_shipment_id_shipments')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_cartons_warehouse_id_warehouses')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cartons')),
    sa.UniqueConstraint('session_id', 'carton_no', name=op.f('uq_cartons_session_id_carton_no')),
    sa.UniqueConstraint('sscc', name=op.f('uq_cartons_sscc'))
    )
    with op.batch_alter_table('cartons', schema=None) as batch_op:
        batch_op.create_index('ix_cartons_order', ['order_id'], unique=False)
        batch_op.create_index('ix_cartons_shipment', ['shipment_id'], unique=False)

    op.create_table('pack_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('source_bin_id', sa.Integer(), nullable=False),
    sa.Column('source_status', sa.String(length=16), nullable=False),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('packed', sa.Integer(), nullable=False),
    sa.Column('short', sa.Integer(), nullable=False),
    sa.Column('serials', sa.JSON(), nullable=False),
    sa.CheckConstraint('expected > 0', name=op.f('ck_pack_lines_expected_positive')),
    sa.CheckConstraint('packed + short <= expected', name=op.f('ck_pack_lines_within_expected')),
    sa.CheckConstraint('packed >= 0 AND short >= 0', name=op.f('ck_pack_lines_counts_not_negative')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_pack_lines_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_pack_lines_lot_id_lots')),
    sa.ForeignKeyConstraint(['session_id'], ['pack_sessions.id'], name=op.f('fk_pack_lines_session_id_pack_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_bin_id'], ['bins.id'], name=op.f('fk_pack_lines_source_bin_id_bins')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_lines'))
    )
    with op.batch_alter_table('pack_lines', schema=None) as batch_op:
        batch_op.create_index('ix_pack_lines_session', ['session_id'], unique=False)

    op.create_table('shipment_orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_ref', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_orders_shipment_id_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_orders')),
    sa.UniqueConstraint('order_id', name=op.f('uq_shipment_orders_order_id'))
    )
    op.create_table('carton_contents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('carton_id', sa.Integer(), nullable=False),
    sa.Column('pack_line_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('serial', sa.String(length=64), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('packed_by', sa.Integer(), nullable=True),
    sa.Column('packed_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_carton_contents_quantity_positive')),
    sa.ForeignKeyConstraint(['carton_id'], ['cartons.id'], name=op.f('fk_carton_contents_carton_id_cartons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_carton_contents_item_id_items')),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_carton_contents_lot_id_lots')),
    sa.ForeignKeyConstraint(['pack_line_id'], ['pack_lines.id'], name=op.f('fk_carton_contents_pack_line_id_pack_lines')),
    sa.ForeignKeyConstraint(['packed_by'], ['users.id'], name=op.f('fk_carton_contents_packed_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carton_contents'))
    )
    with op.batch_alter_table('carton_contents', schema=None) as batch_op:
        batch_op.create_index('ix_carton_contents_carton', ['carton_id'], unique=False)
        batch_op.create_index('ix_carton_contents_line', ['pack_line_id'], unique=False)

    op.create_table('shipment_webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=400), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=400), nullable=True),
    sa.Column('created_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_shipment_webhooks_attempts_not_negative')),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_shipment_webhooks_shipment_id_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_webhooks'))
    )
    with op.batch_alter_table('shipment_webhooks', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_webhooks_due', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_shipment_webhooks_shipment', ['shipment_id'], unique=False)

    op.create_table('shipment_webhook_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=400), nullable=False),
    sa.Column('at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_shipment_webhook_attempts_attempt_positive')),
    sa.ForeignKeyConstraint(['webhook_id'], ['shipment_webhooks.id'], name=op.f('fk_shipment_webhook_attempts_webhook_id_shipment_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipment_webhook_attempts'))
    )
    with op.batch_alter_table('shipment_webhook_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_webhook_attempts_webhook', ['webhook_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        for name in SEQUENCES:
            op.execute(f"CREATE SEQUENCE {name} START WITH 1 MINVALUE 1 NO CYCLE")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in SEQUENCES:
            op.execute(f"DROP SEQUENCE IF EXISTS {name}")
    with op.batch_alter_table('shipment_webhook_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_webhook_attempts_webhook')

    op.drop_table('shipment_webhook_attempts')
    with op.batch_alter_table('shipment_webhooks', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_webhooks_shipment')
        batch_op.drop_index('ix_shipment_webhooks_due')

    op.drop_table('shipment_webhooks')

    with op.batch_alter_table('carton_contents', schema=None) as batch_op:
        batch_op.drop_index('ix_carton_contents_line')
        batch_op.drop_index('ix_carton_contents_carton')

    op.drop_table('carton_contents')
    op.drop_table('shipment_orders')
    with op.batch_alter_table('pack_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_pack_lines_session')

    op.drop_table('pack_lines')
    with op.batch_alter_table('cartons', schema=None) as batch_op:
        batch_op.drop_index('ix_cartons_shipment')
        batch_op.drop_index('ix_cartons_order')

    op.drop_table('cartons')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_warehouse_at')

    op.drop_table('shipments')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_print_jobs_printer')
        batch_op.drop_index('ix_print_jobs_due')

    op.drop_table('print_jobs')
    with op.batch_alter_table('pack_sessions', schema=None) as batch_op:
        batch_op.drop_index('uq_pack_sessions_open_order', sqlite_where=sa.text("state = 'OPEN'"), postgresql_where=sa.text("state = 'OPEN'"))
        batch_op.drop_index('ix_pack_sessions_order')

    op.drop_table('pack_sessions')
    with op.batch_alter_table('printers', schema=None) as batch_op:
        batch_op.drop_index('ix_printers_station')

    op.drop_table('printers')
    op.drop_table('serial_counters')
    op.drop_table('carton_types')
