"""The two floors the hot path is measured against, as ASGI apps on PostgreSQL.

Both do what a scan's transaction must do at the least: lock one stock row,
update it, insert a ledger row and an idempotency row, commit.

- ``raw``: Starlette + asyncpg, one pooled connection per request, prepared
  statements (asyncpg's cache), no ORM and no GraphQL. ``POST /scan``.
- ``orm``: a minimal strawberry mutation whose resolver does the same through
  SQLAlchemy's ORM (``session.get(..., with_for_update=True)``, ``session.add``).
  ``POST /graphql``.

    python -m bench.floors raw|orm --port 8123 --workers 1   (DATABASE_URL: asyncpg DSN)

The tables (``bench_floor_*``) are created by :func:`create_tables`.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg
import strawberry
from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

TABLES = """
CREATE TABLE IF NOT EXISTS bench_floor_quants (id integer PRIMARY KEY, quantity integer NOT NULL);
CREATE TABLE IF NOT EXISTS bench_floor_moves (
  id bigserial PRIMARY KEY, quant_id integer NOT NULL REFERENCES bench_floor_quants(id),
  quantity integer NOT NULL, at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS bench_floor_idempotency (
  key varchar(64) PRIMARY KEY, response jsonb NOT NULL);
"""


async def create_tables(dsn: str, quants: int) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(TABLES)
        await connection.execute(
            "INSERT INTO bench_floor_quants SELECT g, 100000000 FROM generate_series(1, $1) g"
            " ON CONFLICT DO NOTHING",
            quants,
        )
    finally:
        await connection.close()


def _plain_dsn() -> str:
    return os.environ["DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")


# -- raw: Starlette + asyncpg -------------------------------------------------------


def create_raw() -> Starlette:
    pool: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        pool["p"] = await asyncpg.create_pool(_plain_dsn(), min_size=2, max_size=10)
        yield
        await pool["p"].close()

    async def scan(request: Request) -> Response:
        body = json.loads(await request.body())
        async with pool["p"].acquire() as connection, connection.transaction():
            row = await connection.fetchrow(
                "SELECT quantity FROM bench_floor_quants WHERE id = $1 FOR UPDATE", body["quant"]
            )
            left = row["quantity"] - 1
            await connection.execute(
                "UPDATE bench_floor_quants SET quantity = $2 WHERE id = $1", body["quant"], left
            )
            move_id = await connection.fetchval(
                "INSERT INTO bench_floor_moves (quant_id, quantity, at) VALUES ($1, 1, $2)"
                " RETURNING id",
                body["quant"],
                datetime.now(UTC),
            )
            answer = {"quantity": left, "move": move_id}
            await connection.execute(
                "INSERT INTO bench_floor_idempotency (key, response) VALUES ($1, $2)",
                body["key"],
                json.dumps(answer),
            )
        return JSONResponse({"data": {"scan": answer}})

    return Starlette(routes=[Route("/scan", scan, methods=["POST"])], lifespan=lifespan)


# -- orm: strawberry + SQLAlchemy ORM ------------------------------------------------


class Base(DeclarativeBase):
    pass


class Quant(Base):
    __tablename__ = "bench_floor_quants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer)


class Move(Base):
    __tablename__ = "bench_floor_moves"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    quant_id: Mapped[int] = mapped_column(ForeignKey("bench_floor_quants.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Idempotency(Base):
    __tablename__ = "bench_floor_idempotency"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    response: Mapped[dict[str, Any]] = mapped_column(JSONB)


@strawberry.type
class ScanResult:
    quantity: int
    move: int


def create_orm() -> Starlette:
    engine = create_async_engine(os.environ["DATABASE_URL"], pool_size=10)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    @strawberry.type
    class Query:
        @strawberry.field
        def ok(self) -> bool:
            return True

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        async def scan(self, quant: int, key: str) -> ScanResult:
            async with sessions() as session, session.begin():
                row = await session.get(Quant, quant, with_for_update=True)
                assert row is not None
                row.quantity -= 1
                move = Move(quant_id=quant, quantity=1, at=datetime.now(UTC))
                session.add(move)
                await session.flush()
                answer = ScanResult(quantity=row.quantity, move=move.id)
                session.add(Idempotency(key=key, response={"quantity": row.quantity}))
            return answer

    view = GraphQL(strawberry.Schema(query=Query, mutation=Mutation), graphql_ide=None)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        yield
        await engine.dispose()

    return Starlette(routes=[Route("/graphql", view, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["raw", "orm"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run(
        f"bench.floors:create_{args.kind}",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
