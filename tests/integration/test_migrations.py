"""Migrations run both ways on this database and leave exactly the models' schema."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.script import ScriptDirectory

from backend.core.db.migrate import alembic_config, downgrade, upgrade


def test_one_line_of_history():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"unmerged migration heads: {heads}"


async def test_upgrade_downgrade_upgrade_matches_the_models(database_url):
    def roundtrip() -> None:
        downgrade(database_url, "base")
        upgrade(database_url)
        # Raises when the models and the migrated database differ.
        command.check(alembic_config(database_url))

    await asyncio.to_thread(roundtrip)
