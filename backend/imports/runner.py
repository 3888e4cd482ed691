"""Dry run and apply of an import: stream, check, write in chunks, all or nothing.

Both modes run the same pipeline inside one transaction: rows are parsed and
checked a chunk at a time, and chunks are written while no row has failed, so
later rows are checked against earlier ones exactly as an apply would see them.
A dry run always rolls back; an apply commits only when every row passed. A
refused apply therefore changes nothing, and its report is the dry run's.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem
from backend.core.errors import ErrorCode
from backend.imports.base import Context, Kind, Parsed
from backend.imports.reader import read_rows

CHUNK: Final = 1000
MAX_REPORTED: Final = 1000
# Rows written after which the grown tables' statistics are refreshed: 4,000, 16,000, …
FIRST_REFRESH: Final = 4000


async def refresh_statistics(session: AsyncSession, kind: Kind) -> None:
    """ANALYZE the tables the import grows, inside its transaction (PostgreSQL only).

    Within one long transaction autovacuum never sees the new rows, so the planner
    keeps the sizes from before the import and, past some 30,000 items, looks up
    each chunk's SKUs by scanning the whole table: 0.7 s a chunk at 100,000. ANALYZE
    in the transaction counts its own rows, and the lookups stay index scans.
    """
    if not kind.grows or session.bind is None or session.bind.dialect.name != "postgresql":
        return
    await session.execute(text(f"ANALYZE {', '.join(kind.grows)}"))


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    code: str
    message: str


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    error_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_rows == 0

    def add(self, line: int, problems: list[Problem]) -> None:
        self.error_rows += 1
        for p in problems:
            if len(self.errors) < MAX_REPORTED:
                self.errors.append(RowError(line, p.field, p.code.value, p.message))

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "dryRun": self.dry_run,
            "rows": self.rows,
            "errorRows": self.error_rows,
            "applied": self.applied,
            "seconds": round(self.seconds, 3),
            "errors": [e.__dict__ for e in self.errors],
            "errorsTruncated": self.error_rows > 0 and len(self.errors) >= MAX_REPORTED,
        }


async def run_import(
    session: AsyncSession,
    kind: Kind,
    path: Path,
    ctx: Context,
    *,
    encoding: str | None = None,
    dry_run: bool,
    progress: Callable[[int], Awaitable[None]] | None = None,
) -> ImportReport:
    """Check (and, while clean, write) every row in `session`'s transaction.

    The caller commits when ``report.applied`` is true and rolls back otherwise.
    File-level refusals (encoding, columns, size) raise ``DomainError``.
    `progress`, when given, hears the rows read so far after every chunk.
    """
    started = time.perf_counter()
    report = ImportReport(kind.name, dry_run)
    _, rows = read_rows(path, kind.columns, kind.required, encoding)
    keys: dict[str, int] = {}
    chunk: list[Parsed] = []
    written = 0
    refresh_at = FIRST_REFRESH

    async def flush() -> None:
        nonlocal written, refresh_at
        if not chunk:
            return
        failed = await kind.check(session, ctx, chunk)
        for parsed in chunk:
            if parsed.line in failed:
                report.add(parsed.line, failed[parsed.line])
        if report.ok:
            await kind.write(session, ctx, chunk)
            written += len(chunk)
            if written >= refresh_at:
                await refresh_statistics(session, kind)
                refresh_at *= 4
        chunk.clear()

    for row in rows:
        if progress is not None and report.rows and report.rows % CHUNK == 0:
            await progress(report.rows)
        report.rows += 1
        if "__extra__" in row.values:
            report.add(
                row.line,
                [Problem("header", ErrorCode.IMPORT_BAD_COLUMNS, "More cells than columns.")],
            )
            continue
        problems: list[Problem] = []
        spec = kind.parse(row.values, problems)
        if not problems:
            for column, key in kind.keys(spec):
                first = keys.setdefault(key, row.line)
                if first != row.line:
                    problems.append(
                        Problem(column, ErrorCode.DUPLICATE, f"Also on line {first} of this file.")
                    )
        if problems:
            report.add(row.line, problems)
            continue
        chunk.append(Parsed(row.line, spec))
        if len(chunk) >= CHUNK:
            await flush()
    await flush()
    if report.ok and report.rows:
        for line, problems in sorted((await kind.finish(session, ctx)).items()):
            report.add(line, problems)
    await session.flush()
    report.applied = report.ok and not dry_run and report.rows > 0
    report.seconds = time.perf_counter() - started
    return report
