"""The project's app with a statement counter, for bench/hotpath.py.

``GET /bench/statements`` answers what this process sent to the database so
far: statements (cursor executes), BEGIN / COMMIT / ROLLBACK and pool
checkouts that pinged first. Counted through SQLAlchemy's events on every
engine of the process; nothing in the app changes.

    DATABASE_URL=... uvicorn bench.counted_app:create_app --factory
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.app import create_app as create_project_app

COUNTS: Counter[str] = Counter()


@event.listens_for(Engine, "before_cursor_execute")
def _statement(*_args: Any) -> None:
    COUNTS["statements"] += 1


@event.listens_for(Engine, "begin")
def _begin(*_args: Any) -> None:
    COUNTS["begin"] += 1


@event.listens_for(Engine, "commit")
def _commit(*_args: Any) -> None:
    COUNTS["commit"] += 1


@event.listens_for(Engine, "rollback")
def _rollback(*_args: Any) -> None:
    COUNTS["rollback"] += 1


@event.listens_for(Pool, "checkout")
def _checkout(_dbapi: Any, _record: Any, proxy: Any) -> None:
    COUNTS["checkouts"] += 1
    if getattr(proxy._pool, "_pre_ping", False):
        COUNTS["pings"] += 1


def create_app() -> Starlette:
    app = create_project_app()

    async def statements(_request: Request) -> Response:
        return JSONResponse(dict(COUNTS))

    app.router.routes.insert(0, Route("/bench/statements", statements))
    return app
