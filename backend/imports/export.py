"""Export of every kind as CSV (streamed) or XLSX (written to a temporary file in
openpyxl's write-only mode), in the import's own columns: an export can be edited
and imported back."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from backend.imports.kinds import Context, Kind, template_rows


async def csv_chunks(session: AsyncSession, kind: Kind, ctx: Context) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM, so Excel opens Chinese names correctly; 500 rows a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(kind.columns)
    count = 0
    yield "\ufeff".encode()
    async for row in kind.export(session, ctx):
        writer.writerow(row)
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def template_csv(kind: Kind) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(template_rows(kind))
    return ("\ufeff" + buffer.getvalue()).encode()


def _workbook_path() -> Path:
    handle = tempfile.NamedTemporaryFile(prefix="wms-export-", suffix=".xlsx", delete=False)
    handle.close()
    return Path(handle.name)


async def xlsx_file(session: AsyncSession, kind: Kind, ctx: Context) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind.name)
    sheet.append(list(kind.columns))
    async for row in kind.export(session, ctx):
        sheet.append(row)
    path = _workbook_path()
    book.save(path)
    return path


def template_xlsx(kind: Kind) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(kind.name)
    for row in template_rows(kind):
        sheet.append(row)
    path = _workbook_path()
    book.save(path)
    return path
