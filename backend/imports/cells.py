"""Cell parsing for imports: a bad cell is a problem at its column, never an exception."""

from __future__ import annotations

from datetime import date

from backend.catalog.checks import Problem
from backend.core.errors import ErrorCode

TRUE = {"1", "true", "yes", "y", "x", "是", "t"}
FALSE = {"0", "false", "no", "n", "否", "f", ""}


def text(values: dict[str, str], column: str, default: str = "") -> str:
    return values.get(column, "").strip() or default


def integer(
    values: dict[str, str], column: str, problems: list[Problem], default: int | None = None
) -> int | None:
    raw = values.get(column, "").strip().replace(",", "")
    if not raw:
        return default
    try:
        number = float(raw) if "." in raw or "e" in raw.lower() else int(raw)
    except ValueError:
        problems.append(Problem(column, ErrorCode.INVALID_INPUT, f"{raw!r} is not a whole number."))
        return default
    if isinstance(number, float):
        if not number.is_integer():
            problems.append(
                Problem(column, ErrorCode.INVALID_INPUT, f"{raw!r} is not a whole number.")
            )
            return default
        number = int(number)
    return number


def boolean(values: dict[str, str], column: str, problems: list[Problem], default: bool) -> bool:
    raw = values.get(column, "").strip().lower()
    if not raw:
        return default
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    problems.append(Problem(column, ErrorCode.INVALID_INPUT, f"{raw!r} is not yes or no."))
    return default


def day(values: dict[str, str], column: str, problems: list[Problem]) -> date | None:
    raw = values.get(column, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.replace("/", "-")[:10])
    except ValueError:
        problems.append(
            Problem(column, ErrorCode.INVALID_INPUT, f"{raw!r} is not a date (YYYY-MM-DD).")
        )
        return None


def listed(values: dict[str, str], column: str) -> list[str]:
    raw = values.get(column, "").replace("，", ";").replace(",", ";").replace("|", ";")
    return [part.strip() for part in raw.split(";") if part.strip()]
