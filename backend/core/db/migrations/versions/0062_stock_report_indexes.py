"""partial indexes for the stock reports: inbound moves by time, edge moves by item

Stock age reads the inbound moves (no source bin) of the widest age window; stock level
history reads one item's moves across the warehouse's edge. Without them both read the
whole ledger of an item or a year of every move.

Revision ID: 0062
Revises: 0050
Create Date: 2026-12-05 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0062"
down_revision: str | None = "0061"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INBOUND = "from_bin_id IS NULL"
EDGE = "from_bin_id IS NULL OR to_bin_id IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_moves_inbound_at",
        "stock_moves",
        ["at", "item_id", "to_bin_id", "quantity"],
        postgresql_where=sa.text(INBOUND),
        sqlite_where=sa.text(INBOUND),
    )
    op.create_index(
        "ix_moves_edge_item_at",
        "stock_moves",
        ["item_id", "at"],
        postgresql_include=["quantity", "from_bin_id", "to_bin_id"],
        postgresql_where=sa.text(EDGE),
        sqlite_where=sa.text(EDGE),
    )


def downgrade() -> None:
    op.drop_index("ix_moves_edge_item_at", table_name="stock_moves")
    op.drop_index("ix_moves_inbound_at", table_name="stock_moves")
