"""Field checks shared by the API and the importer.

A check returns problems instead of raising, so an import can report every bad
cell of a row; the API raises the first one (``raise_first``).
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.core.errors import DomainError, ErrorCode
from backend.scan.gs1 import check_digit_ok

# Base units a quantity may be counted in. Quantities are integers in this unit.
UNITS = frozenset({"EA", "PCS", "PR", "SET", "PK", "BOX", "KG", "G", "L", "ML", "M", "CM"})
GTIN_LENGTHS = (8, 12, 13, 14)


@dataclass(frozen=True)
class Problem:
    field: str
    code: ErrorCode
    message: str


def raise_first(problems: list[Problem]) -> None:
    if problems:
        first = problems[0]
        raise DomainError(first.code, first.message, first.field)


def normalize_gtin(raw: str, field: str, problems: list[Problem]) -> str | None:
    """A GTIN-8/12/13/14 widened to 14 digits, or None with a problem recorded."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and len(text) in GTIN_LENGTHS):
        problems.append(
            Problem(
                field, ErrorCode.INVALID_INPUT, f"{text!r} is not a GTIN of 8, 12, 13 or 14 digits."
            )
        )
        return None
    if text.strip("0") == "":
        problems.append(Problem(field, ErrorCode.INVALID_INPUT, "A GTIN cannot be all zeros."))
        return None
    if not check_digit_ok(text):
        problems.append(
            Problem(
                field,
                ErrorCode.GTIN_BAD_CHECK_DIGIT,
                f"GTIN {text} has a wrong check digit: misread or mistyped.",
            )
        )
        return None
    return text.zfill(14)


def check_code(value: str, field: str, problems: list[Problem], max_length: int = 64) -> None:
    if not value.strip():
        problems.append(Problem(field, ErrorCode.INVALID_INPUT, f"{field} is required."))
    elif len(value) > max_length:
        problems.append(
            Problem(
                field, ErrorCode.INVALID_INPUT, f"{field} is longer than {max_length} characters."
            )
        )


def check_range(
    value: int | None, field: str, problems: list[Problem], low: int = 0, high: int = 10**9
) -> None:
    if value is not None and not low <= value <= high:
        problems.append(
            Problem(field, ErrorCode.INVALID_INPUT, f"{field} must lie between {low} and {high}.")
        )


def check_choice(value: str, field: str, choices: tuple[str, ...], problems: list[Problem]) -> None:
    if value not in choices:
        problems.append(
            Problem(field, ErrorCode.INVALID_INPUT, f"{field} must be one of {', '.join(choices)}.")
        )
