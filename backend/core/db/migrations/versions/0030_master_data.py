"""master data upkeep: brands, packaging levels with dimensions, party terms, retiring

Items gain a brand, a minimum remaining life at receipt and a retirement time;
packagings a level (EACH/INNER/CASE/PALLET) with their own dimensions and weight;
suppliers and customers contacts, payment terms, rating and (customers) a credit
limit; warehouses, bins, carriers, suppliers and customers an `active` flag, so
master data is retired and never deleted.

Revision ID: 0030
Revises: 0013
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRUE = sa.true()


def _text(name: str, length: int) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def _active() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("active", sa.Boolean(), nullable=False, server_default=TRUE)


def upgrade() -> None:
    with op.batch_alter_table("items") as batch:
        batch.add_column(_text("brand", 80))
        batch.add_column(sa.Column("min_remaining_life_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("item_packagings") as batch:
        batch.add_column(sa.Column("level", sa.String(8), nullable=False, server_default="CASE"))
        for column in ("length_mm", "width_mm", "height_mm", "weight_g"):
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("suppliers") as batch:
        batch.add_column(_text("contact_name", 120))
        batch.add_column(_text("phone", 40))
        batch.add_column(_text("payment_terms", 40))
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch.add_column(_active())
    with op.batch_alter_table("customers") as batch:
        batch.add_column(_text("contact_name", 120))
        batch.add_column(_text("email", 200))
        batch.add_column(_text("phone", 40))
        batch.add_column(_text("payment_terms", 40))
        batch.add_column(sa.Column("credit_limit_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch.add_column(_active())
    with op.batch_alter_table("carriers") as batch:
        batch.add_column(_active())
    with op.batch_alter_table("warehouses") as batch:
        batch.add_column(_active())
    with op.batch_alter_table("bins") as batch:
        batch.add_column(_active())
    # Stock lookups by lot (lot trace) and receipts by lot.
    op.create_index("ix_quants_lot", "quants", ["lot_id"])
    op.create_index("ix_moves_lot", "stock_moves", ["lot_id"])


def downgrade() -> None:
    op.drop_index("ix_moves_lot", table_name="stock_moves")
    op.drop_index("ix_quants_lot", table_name="quants")
    for table in ("bins", "warehouses", "carriers"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("active")
    with op.batch_alter_table("customers") as batch:
        for column in (
            "active", "rating", "credit_limit_cents", "payment_terms", "phone", "email",
            "contact_name",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("suppliers") as batch:
        for column in ("active", "rating", "payment_terms", "phone", "contact_name"):
            batch.drop_column(column)
    with op.batch_alter_table("item_packagings") as batch:
        for column in ("weight_g", "height_mm", "width_mm", "length_mm", "level"):
            batch.drop_column(column)
    with op.batch_alter_table("items") as batch:
        for column in ("retired_at", "min_remaining_life_days", "brand"):
            batch.drop_column(column)
