"""The two floors the hot path is measured against, as ASGI apps on PostgreSQL.

Both do what a scan's transaction must do at the least: lock one stock row,
update it, insert a ledger row and an idempotency row, commit.

- ``raw``: Starlette + asyncpg, one pooled connection per request, prepared
  statements (asyncpg's cache), no ORM and no GraphQL. ``POST /scan``.
- ``orm``: a minimal strawberry mutation whose resolver does the same through
  SQLAlchemy's ORM (``session.get(..., with_for_update=True)``, ``session.add``).
  ``POST /graphql``.
- ``intake``: order intake on Starlette + asyncpg (``POST /order``), one
  transaction: the customer looked up, the stock of the order's items locked in
  id order and read once (joined to the items by SKU), the order, its lines,
  the quants' reserved units, the reservations and an idempotency row written
  set-based (``unnest``), commit. What taking a reserved order must do at the least.

    python -m bench.floors raw|orm|intake --port 8123 --workers 1   (DATABASE_URL: asyncpg DSN)

The tables (``bench_floor_*``, ``bench_intake_*``) are created by :func:`create_tables`
and :func:`create_intake_tables`.
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


# -- intake: Starlette + asyncpg, one reserved order per request ----------------------

INTAKE_TABLES = """
CREATE TABLE IF NOT EXISTS bench_intake_customers (id serial PRIMARY KEY, code text UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS bench_intake_items (id serial PRIMARY KEY, sku text UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS bench_intake_quants (
  id serial PRIMARY KEY, item_id integer NOT NULL REFERENCES bench_intake_items(id),
  quantity integer NOT NULL, reserved integer NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS bench_intake_quants_item ON bench_intake_quants (item_id);
CREATE TABLE IF NOT EXISTS bench_intake_orders (
  id bigserial PRIMARY KEY, number text UNIQUE NOT NULL,
  customer_id integer NOT NULL REFERENCES bench_intake_customers(id),
  state text NOT NULL, priority integer NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS bench_intake_lines (
  id bigserial PRIMARY KEY, order_id bigint NOT NULL REFERENCES bench_intake_orders(id),
  line_no integer NOT NULL, item_id integer NOT NULL REFERENCES bench_intake_items(id),
  quantity integer NOT NULL, reserved integer NOT NULL);
CREATE INDEX IF NOT EXISTS bench_intake_lines_order ON bench_intake_lines (order_id);
CREATE TABLE IF NOT EXISTS bench_intake_reservations (
  id bigserial PRIMARY KEY, quant_id integer NOT NULL REFERENCES bench_intake_quants(id),
  line_id bigint NOT NULL REFERENCES bench_intake_lines(id), quantity integer NOT NULL,
  state text NOT NULL, at timestamptz NOT NULL);
CREATE TABLE IF NOT EXISTS bench_intake_idempotency (
  key varchar(64) PRIMARY KEY, response jsonb NOT NULL);
"""


async def create_intake_tables(dsn: str, customer: str, stock: dict[str, int]) -> None:
    """The intake floor's tables: one customer, and one quant per SKU holding its units."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(INTAKE_TABLES)
        await connection.execute(
            "INSERT INTO bench_intake_customers (code) VALUES ($1) ON CONFLICT DO NOTHING", customer
        )
        skus = sorted(stock)
        await connection.execute(
            "INSERT INTO bench_intake_items (sku) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
            skus,
        )
        await connection.execute(
            "INSERT INTO bench_intake_quants (item_id, quantity)"
            " SELECT i.id, s.units FROM unnest($1::text[], $2::int[]) s(sku, units)"
            " JOIN bench_intake_items i ON i.sku = s.sku",
            skus,
            [stock[sku] for sku in skus],
        )
    finally:
        await connection.close()


def _allocate(
    lines: list[tuple[int, int, int]], quants: list[asyncpg.Record]
) -> tuple[list[int], list[tuple[int, int, int]]]:
    """Reserved units per line and (quant, line number, units) reservations, quants in id order."""
    free = {q["id"]: q["quantity"] - q["reserved"] for q in quants}
    by_item: dict[int, list[int]] = {}
    for q in quants:
        by_item.setdefault(q["item_id"], []).append(q["id"])
    reserved: list[int] = []
    taken: list[tuple[int, int, int]] = []
    for line_no, item_id, wanted in lines:
        got = 0
        for quant_id in by_item.get(item_id, []):
            units = min(free[quant_id], wanted - got)
            if units > 0:
                free[quant_id] -= units
                got += units
                taken.append((quant_id, line_no, units))
            if got == wanted:
                break
        reserved.append(got)
    return reserved, taken


def create_intake() -> Starlette:
    pool: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        pool["p"] = await asyncpg.create_pool(_plain_dsn(), min_size=2, max_size=10)
        yield
        await pool["p"].close()

    async def order(request: Request) -> Response:
        body = json.loads(await request.body())
        wanted = [(line["itemSku"], int(line["quantity"])) for line in body["lines"]]
        now = datetime.now(UTC)
        async with pool["p"].acquire() as connection, connection.transaction():
            customer_id = await connection.fetchval(
                "SELECT id FROM bench_intake_customers WHERE code = $1", body["customerCode"]
            )
            if customer_id is None:
                return JSONResponse({"errors": [{"message": "unknown customer"}]})
            quants = await connection.fetch(
                "SELECT q.id, q.item_id, i.sku, q.quantity, q.reserved FROM bench_intake_quants q"
                " JOIN bench_intake_items i ON i.id = q.item_id WHERE i.sku = ANY($1::text[])"
                " ORDER BY q.id FOR UPDATE OF q",
                [sku for sku, _ in wanted],
            )
            item_of = {q["sku"]: q["item_id"] for q in quants}
            if any(sku not in item_of for sku, _ in wanted):
                return JSONResponse({"errors": [{"message": "unknown SKU"}]})
            lines = [(n + 1, item_of[sku], units) for n, (sku, units) in enumerate(wanted)]
            reserved, taken = _allocate(lines, quants)
            covered = sum(reserved)
            needed = sum(units for _, _, units in lines)
            state = (
                "RESERVED"
                if covered == needed
                else "PARTIALLY_RESERVED"
                if covered
                else "BACKORDERED"
            )
            order_id = await connection.fetchval(
                "INSERT INTO bench_intake_orders (number, customer_id, state, priority, created_at)"
                " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                body["number"],
                customer_id,
                state,
                int(body.get("priority", 5)),
                now,
            )
            line_ids = await connection.fetch(
                "INSERT INTO bench_intake_lines (order_id, line_no, item_id, quantity, reserved)"
                " SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::int[])"
                " RETURNING id, line_no",
                order_id,
                [n for n, _, _ in lines],
                [item for _, item, _ in lines],
                [units for _, _, units in lines],
                reserved,
            )
            line_id = {row["line_no"]: row["id"] for row in line_ids}
            await connection.execute(
                "UPDATE bench_intake_quants q SET reserved = q.reserved + u.units"
                " FROM unnest($1::int[], $2::int[]) u(id, units) WHERE q.id = u.id",
                [quant for quant, _, _ in taken],
                [units for _, _, units in taken],
            )
            await connection.execute(
                "INSERT INTO bench_intake_reservations (quant_id, line_id, quantity, state, at)"
                " SELECT q, l, u, 'ACTIVE', $4 FROM unnest($1::int[], $2::bigint[], $3::int[])"
                " x(q, l, u)",
                [quant for quant, _, _ in taken],
                [line_id[n] for _, n, _ in taken],
                [units for _, _, units in taken],
                now,
            )
            answer = {
                "id": order_id,
                "number": body["number"],
                "state": state,
                "customerCode": body["customerCode"],
                "createdAt": now.isoformat(),
                "lines": [
                    {"lineNo": n, "itemSku": sku, "quantity": units, "reserved": got}
                    for (n, _, units), (sku, _), got in zip(lines, wanted, reserved, strict=True)
                ],
            }
            await connection.execute(
                "INSERT INTO bench_intake_idempotency (key, response) VALUES ($1, $2)",
                body["key"],
                json.dumps(answer),
            )
        return JSONResponse({"data": {"order": answer}})

    return Starlette(routes=[Route("/order", order, methods=["POST"])], lifespan=lifespan)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["raw", "orm", "intake"])
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
