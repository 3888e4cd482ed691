"""Run Alembic from code, so `wms migrate` and the tests need no alembic.ini."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url)
    return config


# "heads" keeps working if a future domain branch is added before it is merged.
def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "heads") -> None:
    # env.py calls asyncio.run itself, so it must run outside this event loop.
    await asyncio.to_thread(upgrade, database_url, revision)
