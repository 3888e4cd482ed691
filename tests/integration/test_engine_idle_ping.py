"""A pooled PostgreSQL connection is pinged only after sitting idle, and a dead
one is replaced before the request uses it (no ping per checkout)."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import text

from backend.core.db import engine as engine_module
from backend.core.db.engine import create_engine
from tests.integration.conftest import DB_KIND, PG_ADMIN_DSN

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason="PostgreSQL pool only")


async def test_idle_connections_are_pinged_and_dead_ones_replaced(database_url, monkeypatch):
    engine = create_engine(database_url)
    pings: list[int] = []
    original = engine.dialect.do_ping

    def counting_ping(dbapi_connection):  # type: ignore[no-untyped-def]
        pings.append(1)
        return original(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counting_ping)
    try:
        async with engine.connect() as connection:
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        for _ in range(3):  # checked in moments ago: no ping
            async with engine.connect() as connection:
                assert await connection.scalar(text("SELECT pg_backend_pid()")) == pid
        assert pings == []
        # The server closes the connection while it idles past the threshold.
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        async with engine.connect() as connection:
            fresh = await connection.scalar(text("SELECT pg_backend_pid()"))
        assert fresh != pid and pings
    finally:
        await engine.dispose()


def test_the_pool_does_not_ping_every_checkout():
    engine = create_engine("postgresql+asyncpg://u@127.0.0.1/none")
    assert not engine.sync_engine.pool._pre_ping
