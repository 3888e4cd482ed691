"""encrypt customer addresses and order ship-to addresses when WMS_DATA_KEY is set

The columns stay JSON: an encrypted value is stored as a JSON string ("enc1:…"),
so no DDL is needed and databases without a key are left as they were.
Downgrading stores the values in plain again (it needs the key to read them).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 09:30:00
"""

import os
from collections.abc import Sequence

from alembic import op

from backend.core import crypto
from backend.core.db.personal_data import decrypt_personal_data, encrypt_personal_data

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    key = os.environ.get("WMS_DATA_KEY")
    if not key:
        return  # nothing to do; `wms encrypt-data` converts later, once a key is set
    crypto.configure(key)
    encrypt_personal_data(op.get_bind())


def downgrade() -> None:
    key = os.environ.get("WMS_DATA_KEY")
    if key:
        crypto.configure(key)
    decrypt_personal_data(op.get_bind())
