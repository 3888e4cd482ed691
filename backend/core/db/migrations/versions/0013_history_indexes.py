"""indexes on the filters the pick path uses on tables that grow with history

pick_lines(order_id), wave_tours(task_id) and tour_orders(tote_code) were sequential
scans on every pick: with a year of finished work a pick confirm took three times as long.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 17:12:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_pick_lines_order", "pick_lines", ["order_id"])
    op.create_index("ix_wave_tours_task", "wave_tours", ["task_id"])
    op.create_index("ix_tour_orders_tote", "tour_orders", ["tote_code"])


def downgrade() -> None:
    op.drop_index("ix_tour_orders_tote", table_name="tour_orders")
    op.drop_index("ix_wave_tours_task", table_name="wave_tours")
    op.drop_index("ix_pick_lines_order", table_name="pick_lines")
