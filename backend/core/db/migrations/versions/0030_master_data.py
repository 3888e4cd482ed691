"""master data upkeep: brands, packaging levels with dimensions, party terms, retiring

Items gain a brand, a minimum remaining life at receipt and a retirement time;
packagings a level (EACH/INNER/CASE/PALLET) with their own dimensions and weight;
suppliers and customers contacts, payment terms, rating and (customers) a credit
limit; warehouses, bins, carriers, suppliers and customers an `active` flag, so
master data is retired and never deleted.

Revision ID: 0030
Revises: 0015
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRUE = sa.true()


def _text(name: str, length: int) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def _active() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("active", sa.Boolean(), nullable=False, server_default=TRUE)


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite 3.35+ does both): a batch copy of `bins` or
    # `items` would trip the foreign keys of every table that names them.
    op.add_column("items", _text("brand", 80))
    op.add_column("items", sa.Column("min_remaining_life_days", sa.Integer(), nullable=True))
    op.add_column("items", sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "item_packagings", sa.Column("level", sa.String(8), nullable=False, server_default="CASE")
    )
    for column in ("length_mm", "width_mm", "height_mm", "weight_g"):
        op.add_column(
            "item_packagings", sa.Column(column, sa.Integer(), nullable=False, server_default="0")
        )
    op.add_column("suppliers", _text("contact_name", 120))
    op.add_column("suppliers", _text("phone", 40))
    op.add_column("suppliers", _text("payment_terms", 40))
    op.add_column("suppliers", sa.Column("rating", sa.Integer(), nullable=True))
    op.add_column("suppliers", _active())
    op.add_column("customers", _text("contact_name", 120))
    op.add_column("customers", _text("email", 200))
    op.add_column("customers", _text("phone", 40))
    op.add_column("customers", _text("payment_terms", 40))
    op.add_column("customers", sa.Column("credit_limit_cents", sa.BigInteger(), nullable=True))
    op.add_column("customers", sa.Column("rating", sa.Integer(), nullable=True))
    op.add_column("customers", _active())
    for table in ("carriers", "warehouses", "bins"):
        op.add_column(table, _active())
    # Stock lookups by lot (lot trace) and receipts by lot.
    op.create_index("ix_quants_lot", "quants", ["lot_id"])
    op.create_index("ix_moves_lot", "stock_moves", ["lot_id"])


def downgrade() -> None:
    op.drop_index("ix_moves_lot", table_name="stock_moves")
    op.drop_index("ix_quants_lot", table_name="quants")
    drops = {
        "bins": ("active",),
        "warehouses": ("active",),
        "carriers": ("active",),
        "customers": (
            "active",
            "rating",
            "credit_limit_cents",
            "payment_terms",
            "phone",
            "email",
            "contact_name",
        ),
        "suppliers": ("active", "rating", "payment_terms", "phone", "contact_name"),
        "item_packagings": ("weight_g", "height_mm", "width_mm", "length_mm", "level"),
        "items": ("retired_at", "min_remaining_life_days", "brand"),
    }
    for table, columns in drops.items():
        for column in columns:
            op.drop_column(table, column)
