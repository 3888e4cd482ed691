"""Rows out of an uploaded file, streamed: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030
as Excel writes it in Chinese) or XLSX (first sheet, read-only mode).

Nothing is held but the current row: a 100,000-row file is read in flat memory.
The header row names the columns; each row comes with its line (CSV: the line it
ends on; XLSX: the sheet's row number).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from backend.core.errors import DomainError, ErrorCode

MAX_BYTES: Final = 100 * 1024 * 1024
XLSX_MAGIC: Final = b"PK\x03\x04"
_PROBE: Final = 1 << 20


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


def file_format(path: Path) -> str:
    with path.open("rb") as f:
        return "xlsx" if f.read(4) == XLSX_MAGIC else "csv"


def detect_encoding(path: Path) -> str:
    """utf-8-sig for a BOM, else utf-8 if every byte decodes, else gb18030 (GBK's
    superset, what Excel in Chinese saves); refused when neither decodes."""
    with path.open("rb") as f:
        if f.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as f:
                while chunk := f.read(_PROBE):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise DomainError(
        ErrorCode.IMPORT_BAD_ENCODING,
        "The file is neither UTF-8 nor GBK text: save it as CSV UTF-8 or as XLSX.",
        "file",
    )


def normalize_header(name: object) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 12 as 12.0
    if hasattr(value, "date") and hasattr(value, "hour"):
        return value.date().isoformat()  # a date cell comes back as a datetime
    return str(value).strip()


def _rows_csv(path: Path, encoding: str | None) -> Iterator[tuple[int, list[str]]]:
    with path.open("r", encoding=encoding or detect_encoding(path), newline="") as f:
        sample = f.read(4096)
        f.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(f, dialect)
        for values in reader:
            yield reader.line_num, [v.strip() for v in values]


def _rows_xlsx(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of the project
        raise DomainError(
            ErrorCode.INVALID_INPUT, "XLSX support is not installed.", "file"
        ) from None
    # A file object, not the path: openpyxl refuses names without ".xlsx" (uploads are temp files).
    handle = path.open("rb")
    try:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception:
            raise DomainError(
                ErrorCode.INVALID_INPUT, "The file is not a readable XLSX workbook.", "file"
            ) from None
        try:
            sheet = book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell(v) for v in values]
        finally:
            book.close()
    finally:
        handle.close()


def read_rows(
    path: Path, columns: tuple[str, ...], required: frozenset[str], encoding: str | None = None
) -> tuple[list[str], Iterator[Row]]:
    """The file's header and an iterator over its non-empty data rows.

    A header naming unknown columns, repeating one, or missing a required one is
    refused before any row is read (``IMPORT_BAD_COLUMNS``).
    """
    if path.stat().st_size > MAX_BYTES:
        raise DomainError(ErrorCode.IMPORT_TOO_LARGE, "Files are limited to 100 MB.", "file")
    raw = _rows_xlsx(path) if file_format(path) == "xlsx" else _rows_csv(path, encoding)
    try:
        _, header_cells = next(raw)
    except StopIteration:
        raise DomainError(
            ErrorCode.IMPORT_BAD_COLUMNS, "The file is empty: no header row.", "file"
        ) from None
    except UnicodeDecodeError:
        raise DomainError(
            ErrorCode.IMPORT_BAD_ENCODING, "The file does not decode as declared.", "file"
        ) from None
    header = [normalize_header(h) for h in header_cells]
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h not in columns]
    missing = sorted(required - set(header))
    repeated = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or repeated:
        parts = []
        if unknown:
            parts.append(f"unknown columns {', '.join(unknown)}")
        if missing:
            parts.append(f"missing columns {', '.join(missing)}")
        if repeated:
            parts.append(f"repeated columns {', '.join(repeated)}")
        raise DomainError(
            ErrorCode.IMPORT_BAD_COLUMNS,
            f"The header does not fit: {'; '.join(parts)}. Columns: {', '.join(columns)}.",
            "header",
        )

    def rows() -> Iterator[Row]:
        width = len(header)
        try:
            for line, cells in raw:
                if not any(cells):
                    continue
                if len(cells) > width and any(cells[width:]):
                    yield Row(line, {"__extra__": "x"})
                    continue
                padded = cells[:width] + [""] * (width - len(cells))
                yield Row(line, dict(zip(header, padded, strict=True)))
        except UnicodeDecodeError:
            raise DomainError(
                ErrorCode.IMPORT_BAD_ENCODING, "The file does not decode as declared.", "file"
            ) from None

    return header, rows()


def estimate_rows(path: Path) -> int:
    """About how many data rows the file holds, for a progress bar: CSV line breaks
    (a quoted cell spanning lines counts twice) or the sheet's declared size."""
    if file_format(path) == "xlsx":
        try:
            import openpyxl

            with path.open("rb") as handle:
                book = openpyxl.load_workbook(handle, read_only=True)
                try:
                    return max(0, (book.worksheets[0].max_row or 1) - 1)
                finally:
                    book.close()
        except Exception:
            return 0  # the import itself says what is wrong with the file
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while chunk := f.read(_PROBE):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(0, lines - 1)


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()
