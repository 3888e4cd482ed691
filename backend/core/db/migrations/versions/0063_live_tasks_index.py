"""partial index of the live tasks (OPEN or CLAIMED)

A pick confirmation checks that the scanned tote is not on another live cart. Totes
are reused wave after wave, so from the tote's side that check read every tour the
tote ever rode on (about 750 on a year of 300,000 orders and 400 totes); from the
live tasks' side it reads a handful of rows whatever the history.

Revision ID: 0063
Revises: 0062
Create Date: 2026-12-05 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0063"
down_revision: str | None = "0062"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "state IN ('OPEN', 'CLAIMED')"


def upgrade() -> None:
    op.create_index(
        "ix_tasks_live",
        "tasks",
        ["id"],
        postgresql_where=sa.text(LIVE),
        sqlite_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_live", table_name="tasks")
