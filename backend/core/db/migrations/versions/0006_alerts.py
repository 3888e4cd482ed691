"""alerts, replenishment and reorder settings, analytics aggregates

Revision ID: 0006
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("alerts",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('analytics_watermarks',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('last_move_id', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_analytics_watermarks'))
    )
    op.create_table('analytics_item_days',
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('receipt_qty', sa.Integer(), nullable=False),
    sa.Column('demand_qty', sa.Integer(), nullable=False),
    sa.Column('demand_lines', sa.Integer(), nullable=False),
    sa.Column('ship_qty', sa.Integer(), nullable=False),
    sa.Column('adjust_in_qty', sa.Integer(), nullable=False),
    sa.Column('adjust_out_qty', sa.Integer(), nullable=False),
    sa.Column('net_qty', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_analytics_item_days_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_analytics_item_days_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warehouse_id', 'day', 'item_id', name=op.f('pk_analytics_item_days'))
    )
    op.create_index('ix_analytics_item_days_item', 'analytics_item_days', ['item_id', 'day'], unique=False)
    op.create_table('reorder_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('service_level', sa.Double(), nullable=False),
    sa.Column('order_cycle_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('lead_time_days IS NULL OR lead_time_days > 0', name=op.f('ck_reorder_policies_lead_time')),
    sa.CheckConstraint('order_cycle_days > 0', name=op.f('ck_reorder_policies_order_cycle')),
    sa.CheckConstraint('service_level > 0.5 AND service_level < 1', name=op.f('ck_reorder_policies_service_level_in_range')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_reorder_policies_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_reorder_policies_supplier_id_suppliers')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_reorder_policies_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorder_policies')),
    sa.UniqueConstraint('item_id', 'warehouse_id', name=op.f('uq_reorder_policies_item_id_warehouse_id'))
    )
    op.create_table('alert_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=80), nullable=True),
    sa.Column('abc_class', sa.String(length=1), nullable=True),
    sa.Column('storage_class', sa.String(length=16), nullable=True),
    sa.Column('combine', sa.String(length=3), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('repeat_minutes', sa.Integer(), nullable=False),
    sa.Column('quiet_start_minute', sa.Integer(), nullable=True),
    sa.Column('quiet_end_minute', sa.Integer(), nullable=True),
    sa.Column('email_to', sa.String(length=400), nullable=False),
    sa.Column('webhook_url', sa.String(length=400), nullable=False),
    sa.Column('webhook_secret', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("combine IN ('ALL','ANY')", name=op.f('ck_alert_rules_combine')),
    sa.CheckConstraint("severity IN ('INFO','WARNING','CRITICAL')", name=op.f('ck_alert_rules_severity')),
    sa.CheckConstraint('quiet_end_minute IS NULL OR (quiet_end_minute BETWEEN 0 AND 1439)', name=op.f('ck_alert_rules_quiet_end')),
    sa.CheckConstraint('quiet_start_minute IS NULL OR (quiet_start_minute BETWEEN 0 AND 1439)', name=op.f('ck_alert_rules_quiet_start')),
    sa.CheckConstraint('repeat_minutes > 0', name=op.f('ck_alert_rules_repeat_positive')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_alert_rules_created_by_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alert_rules_item_id_items')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_alert_rules_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_rules'))
    )
    op.create_index('ix_alert_rules_wh_active', 'alert_rules', ['warehouse_id', 'active'], unique=False)
    op.create_table('analytics_picker_hours',
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('hour', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_analytics_picker_hours_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_analytics_picker_hours_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('warehouse_id', 'hour', 'user_id', name=op.f('pk_analytics_picker_hours'))
    )
    op.create_table('alert_signals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('bin_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_alert_signals_bin_id_bins')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alert_signals_item_id_items')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_signals_user_id_users')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_alert_signals_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_signals'))
    )
    op.create_index('ix_alert_signals_kind_wh_at', 'alert_signals', ['kind', 'warehouse_id', 'at'], unique=False)
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('message', sa.String(length=400), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('raised_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_notified_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notify_count', sa.Integer(), nullable=False),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('acknowledged_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', backend.core.db.base.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('OPEN','ACKNOWLEDGED','RESOLVED')", name=op.f('ck_alerts_state')),
    sa.CheckConstraint('notify_count >= 0', name=op.f('ck_alerts_notify_count')),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_alerts_item_id_items')),
    sa.ForeignKeyConstraint(['rule_id'], ['alert_rules.id'], name=op.f('fk_alerts_rule_id_alert_rules'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['warehouse_id'], ['warehouses.id'], name=op.f('fk_alerts_warehouse_id_warehouses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    op.create_index('ix_alerts_wh_state', 'alerts', ['warehouse_id', 'state'], unique=False)
    op.create_index('uq_alerts_unresolved', 'alerts', ['rule_id', 'subject'], unique=True, postgresql_where=sa.text("state <> 'RESOLVED'"), sqlite_where=sa.text("state <> 'RESOLVED'"))
    op.create_table('replenishment_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('bin_id', sa.Integer(), nullable=False),
    sa.Column('min_qty', sa.Integer(), nullable=False),
    sa.Column('max_qty', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_qty > min_qty', name=op.f('ck_replenishment_settings_max_above_min')),
    sa.CheckConstraint('min_qty >= 0', name=op.f('ck_replenishment_settings_min_not_negative')),
    sa.ForeignKeyConstraint(['bin_id'], ['bins.id'], name=op.f('fk_replenishment_settings_bin_id_bins'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_replenishment_settings_item_id_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_replenishment_settings')),
    sa.UniqueConstraint('item_id', 'bin_id', name=op.f('uq_replenishment_settings_item_id_bin_id'))
    )
    op.create_table('notification_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('target', sa.String(length=400), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=400), nullable=False),
    sa.Column('at', backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('EMAIL','WEBHOOK')", name=op.f('ck_notification_attempts_channel')),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_notification_attempts_attempt_positive')),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_notification_attempts_alert_id_alerts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_attempts'))
    )
    op.create_index('ix_notification_attempts_alert', 'notification_attempts', ['alert_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_notification_attempts_alert', table_name='notification_attempts')
    op.drop_table('notification_attempts')
    op.drop_table('replenishment_settings')
    op.drop_index('uq_alerts_unresolved', table_name='alerts', postgresql_where=sa.text("state <> 'RESOLVED'"), sqlite_where=sa.text("state <> 'RESOLVED'"))
    op.drop_index('ix_alerts_wh_state', table_name='alerts')
    op.drop_table('alerts')
    op.drop_index('ix_alert_signals_kind_wh_at', table_name='alert_signals')
    op.drop_table('alert_signals')
    op.drop_table('analytics_picker_hours')
    op.drop_index('ix_alert_rules_wh_active', table_name='alert_rules')
    op.drop_table('alert_rules')
    op.drop_table('reorder_policies')
    op.drop_index('ix_analytics_item_days_item', table_name='analytics_item_days')
    op.drop_table('analytics_item_days')
    op.drop_table('analytics_watermarks')
