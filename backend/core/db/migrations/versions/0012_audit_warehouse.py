"""audit: each entry names the warehouse it happened in, so reads can be scoped

Earlier entries take their user's home warehouse; entries without one (system work,
users with no home) stay unscoped and only admins see them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("warehouse_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_audit_entries_warehouse_id_warehouses"),
            "warehouses",
            ["warehouse_id"],
            ["id"],
        )
        batch.create_index("ix_audit_warehouse", ["warehouse_id", "id"])
    op.execute(
        "UPDATE audit_entries SET warehouse_id = "
        "(SELECT home_warehouse_id FROM users WHERE users.id = audit_entries.user_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_index("ix_audit_warehouse")
        batch.drop_constraint(op.f("fk_audit_entries_warehouse_id_warehouses"), type_="foreignkey")
        batch.drop_column("warehouse_id")
