"""alerts: SMS recipients on a rule, snoozing an alert

Revision ID: 0040
Revises: 0030
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alert_rules") as batch:
        batch.add_column(sa.Column("sms_to", sa.String(400), nullable=False, server_default=""))
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("snoozed_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_alerts_snoozed_by_users"), "users", ["snoozed_by"], ["id"]
        )
    with op.batch_alter_table("notification_attempts") as batch:
        batch.drop_constraint(op.f("ck_notification_attempts_channel"), type_="check")
        batch.create_check_constraint(
            op.f("ck_notification_attempts_channel"), "channel IN ('EMAIL','WEBHOOK','SMS')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM notification_attempts WHERE channel = 'SMS'")
    with op.batch_alter_table("notification_attempts") as batch:
        batch.drop_constraint(op.f("ck_notification_attempts_channel"), type_="check")
        batch.create_check_constraint(
            op.f("ck_notification_attempts_channel"), "channel IN ('EMAIL','WEBHOOK')"
        )
    with op.batch_alter_table("alerts") as batch:
        batch.drop_constraint(op.f("fk_alerts_snoozed_by_users"), type_="foreignkey")
        batch.drop_column("snoozed_by")
        batch.drop_column("snoozed_until")
    with op.batch_alter_table("alert_rules") as batch:
        batch.drop_column("sms_to")
