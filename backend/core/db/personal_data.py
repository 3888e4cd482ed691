"""Bring stored personal fields in line with WMS_DATA_KEY: encrypt plain rows and
re-encrypt rows under the newest key (after a key was put in front of the list).

Run by migration 0015 (when a key is set) and by `wms encrypt-data`. Works on a
synchronous connection so Alembic can call it; idempotent.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backend.core import crypto

# (table, column) of every EncryptedJSON column.
PERSONAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("customers", "address"),
    ("sales_orders", "ship_to"),
)
_BATCH = 500


def encrypt_personal_data(connection: Connection) -> int:
    """Seal every personal value with the first data key; returns rows rewritten."""
    if not crypto.enabled():
        raise crypto.DataKeyError("set WMS_DATA_KEY first")
    rewritten = 0
    for table_name, column_name in PERSONAL_COLUMNS:
        # Plain JSON here: the raw stored value, sealed or not.
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column_name, sa.JSON))
        column = table.c[column_name]
        last_id = 0
        while True:
            rows = connection.execute(
                sa.select(table.c.id, column)
                .where(table.c.id > last_id)
                .order_by(table.c.id)
                .limit(_BATCH)
            ).all()
            if not rows:
                break
            for row_id, stored in rows:
                if stored is None:
                    continue
                sealed = crypto.seal_json(crypto.open_json(stored))
                connection.execute(
                    sa.update(table).where(table.c.id == row_id).values({column_name: sealed})
                )
                rewritten += 1
            last_id = rows[-1][0]
    return rewritten


def decrypt_personal_data(connection: Connection) -> int:
    """Store every personal value in plain again (before dropping the key)."""
    rewritten = 0
    for table_name, column_name in PERSONAL_COLUMNS:
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column_name, sa.JSON))
        column = table.c[column_name]
        for row_id, stored in connection.execute(sa.select(table.c.id, column)).all():
            if crypto.is_encrypted(stored):
                connection.execute(
                    sa.update(table)
                    .where(table.c.id == row_id)
                    .values({column_name: crypto.open_json(stored)})
                )
                rewritten += 1
    return rewritten
