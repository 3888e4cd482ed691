"""Database refusals a client can cause, as the typed errors the API promises.

Domain code checks what it can before writing, but some refusals only the database
can make: two concurrent requests creating the same number both pass the check and
one insert fails the unique index; a warehouse id that names no row fails a foreign
key. Those are the caller's doing and get a stable code. Everything else (a lost
connection, a deadlock, a bug) is not classified here and reaches the error boundary.

PostgreSQL says what happened in SQLSTATE; SQLite only in the message.
"""

from __future__ import annotations

import re

from sqlalchemy.exc import DBAPIError, StatementError

from backend.core.errors import DomainError, ErrorCode

_PG_CODES: dict[str, ErrorCode] = {
    "23505": ErrorCode.DUPLICATE,  # unique_violation
    "23503": ErrorCode.NOT_FOUND,  # foreign_key_violation
    "23502": ErrorCode.INVALID_INPUT,  # not_null_violation
    "23514": ErrorCode.INVALID_INPUT,  # check_violation
}
_MESSAGES_WITHOUT_CODE: tuple[tuple[str, ErrorCode], ...] = (
    ("unique constraint failed", ErrorCode.DUPLICATE),
    ("foreign key constraint failed", ErrorCode.NOT_FOUND),
    ("not null constraint failed", ErrorCode.INVALID_INPUT),
    ("check constraint failed", ErrorCode.INVALID_INPUT),
    ("too large to convert", ErrorCode.INVALID_INPUT),  # an int past 64 bits
    # asyncpg refusing to bind a value (an int past the column's range) before sending it
    ("invalid input for query argument", ErrorCode.INVALID_INPUT),
)
_MESSAGES = {
    ErrorCode.DUPLICATE: "One with the same key already exists.",
    ErrorCode.NOT_FOUND: "It refers to something that does not exist.",
    ErrorCode.INVALID_INPUT: "A value is missing, out of range or not allowed here.",
}
# PostgreSQL's detail "Key (warehouse_id)=(9) is not present…" and SQLite's
# "UNIQUE constraint failed: sales_orders.number" name the column; the value stays out.
_PG_KEY = re.compile(r"Key \(([a-z_]+)(?:, [a-z_]+)*\)=")
_SQLITE_COLUMN = re.compile(r"failed: [a-z_]+\.([a-z_]+)")


def refusal(exc: StatementError) -> DomainError | None:
    """The typed refusal for a database error the caller caused, else None."""
    code = _code_of(exc)
    if code is None:
        return None
    return DomainError(code, _MESSAGES[code], _field_of(exc))


def _code_of(exc: StatementError) -> ErrorCode | None:
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if isinstance(sqlstate, str):
        if sqlstate in _PG_CODES:
            return _PG_CODES[sqlstate]
        # Class 22, data exception: out of range, too long, NUL, bad text for a type.
        return ErrorCode.INVALID_INPUT if sqlstate.startswith("22") else None
    if isinstance(orig, OverflowError):  # sqlite3 binding an int past 64 bits
        return ErrorCode.INVALID_INPUT
    if not isinstance(exc, DBAPIError):
        return None
    text = str(orig).lower()
    for fragment, code in _MESSAGES_WITHOUT_CODE:
        if fragment in text:
            return code
    return None


def _field_of(exc: StatementError) -> str | None:
    orig = exc.orig
    cause = getattr(orig, "__cause__", None)
    detail = getattr(cause, "detail", None)
    match = _PG_KEY.search(detail) if isinstance(detail, str) else None
    if match is None:
        match = _SQLITE_COLUMN.search(str(orig))
    if match is None:
        return None
    head, *rest = match.group(1).split("_")
    return head + "".join(part.title() for part in rest)  # the API's name for the column
