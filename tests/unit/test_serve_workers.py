"""`wms serve --workers`: the default per database and the memory:// refusal."""

from __future__ import annotations

import os

import pytest

from backend.cli import serve_workers
from backend.config import Settings

PG = "postgresql+asyncpg://u@h/db"
SQLITE = "sqlite+aiosqlite:///x.db"


def settings(url: str, broadcast: str) -> Settings:
    return Settings(database_url=url, broadcast_url=broadcast, secret_key="k")


def test_postgresql_with_a_shared_broadcast_defaults_to_the_cpu_count() -> None:
    assert serve_workers(None, settings(PG, "redis://127.0.0.1:6379/0")) == (os.cpu_count() or 1)


def test_sqlite_defaults_to_one_worker() -> None:
    assert serve_workers(None, settings(SQLITE, "redis://127.0.0.1:6379/0")) == 1


def test_memory_broadcast_falls_back_to_one_worker_by_default(capsys) -> None:
    assert serve_workers(None, settings(PG, "memory://")) == 1
    assert "memory://" in capsys.readouterr().err


def test_several_workers_on_memory_broadcast_are_refused() -> None:
    with pytest.raises(SystemExit, match="shared broadcast"):
        serve_workers(2, settings(PG, "memory://"))
    assert serve_workers(1, settings(PG, "memory://")) == 1
    assert serve_workers(3, settings(PG, "redis://r:6379/0")) == 3


def test_zero_workers_are_refused() -> None:
    with pytest.raises(SystemExit, match="at least 1"):
        serve_workers(0, settings(PG, "redis://r:6379/0"))
