"""Many rows into one table, fast: COPY on PostgreSQL (asyncpg), executemany elsewhere.

For imports of 100,000 rows. Both run on the session's connection, so inside its
transaction: a failed import still rolls back whole. COPY skips SQLAlchemy's
Python-side column defaults and type processing, so both are applied here
first (every row then names the same columns); a table with a column whose
bind processing COPY cannot reproduce (JSON) takes the executemany path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.ext.asyncio import AsyncSession


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def _copyable(table: Table) -> bool:
    return not any(isinstance(c.type, JSON) for c in table.columns)


def _complete(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Fill Python-side defaults and bind-process values in place; the column names."""
    dialect = session.bind.dialect if session.bind is not None else None
    named = {key for row in rows for key in row}
    columns = [c for c in table.columns if c.name in named or c.default is not None]
    for column in columns:
        default = column.default
        fallback: Any = None
        if default is not None:
            # A callable default is wrapped by SQLAlchemy to take an execution context.
            fallback = default.arg(None) if default.is_callable else default.arg  # type: ignore[attr-defined]
        process = column.type.bind_processor(dialect) if dialect is not None else None
        for row in rows:
            raw = row[column.name] if column.name in row else fallback
            row[column.name] = process(raw) if process is not None else raw
    return [c.name for c in columns]


async def _copy(
    session: AsyncSession, table: Table, columns: list[str], rows: Sequence[dict[str, Any]]
) -> None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    await driver.copy_records_to_table(
        table.name, records=[tuple(r[c] for c in columns) for r in rows], columns=columns
    )


async def insert_rows(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts by column name; ids from the table's sequence)."""
    if not rows:
        return
    if _dialect(session) == "postgresql" and _copyable(table):
        # A statement first, so the session's transaction is open on the connection.
        await session.execute(text("SELECT 1"))
        await _copy(session, table, _complete(session, table, rows), rows)
        return
    await session.execute(insert(table), rows)


async def insert_returning_ids(
    session: AsyncSession, table: Table, rows: list[dict[str, Any]], key: tuple[str, ...]
) -> dict[tuple[Any, ...], int]:
    """Insert `rows` and return their new ids by `key` (columns unique among the rows).

    On PostgreSQL the ids are drawn from the table's sequence in one statement and
    the rows copied with them; elsewhere one INSERT … RETURNING in batches (the
    rows come back in no promised order, hence the key).
    """
    if not rows:
        return {}
    if _dialect(session) == "postgresql" and _copyable(table):
        ids = list(
            await session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"
                ),
                {"t": table.name, "n": len(rows)},
            )
        )
        found: dict[tuple[Any, ...], int] = {}
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
            found[tuple(row[k] for k in key)] = int(new_id)
        await _copy(session, table, _complete(session, table, rows), rows)
        return found
    result = await session.execute(
        insert(table).returning(table.c.id, *(table.c[k] for k in key)), rows
    )
    return {tuple(r[1:]): int(r[0]) for r in result}
