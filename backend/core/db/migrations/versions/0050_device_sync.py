"""devices: each handheld's last outbox report (waiting, conflicts, oldest, last seen)

Revision ID: 0050
Revises: 0041
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import backend.core.db.base

revision: str = "0050"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_sync",
        sa.Column("device_id", sa.String(80), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("conflict_codes", sa.String(400), nullable=False),
        sa.Column(
            "oldest_waiting_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("last_seen_at", backend.core.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("app_version", sa.String(40), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_device_sync_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_sync")),
    )
    op.create_index("ix_device_sync_user_id", "device_sync", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_device_sync_user_id", table_name="device_sync")
    op.drop_table("device_sync")
