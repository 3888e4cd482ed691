"""Alert rule conditions and their validation; quiet hours. Pure: no database."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.core.errors import DomainError, ErrorCode

MAX_CONDITIONS = 10
MAX_DAYS = 3650
MAX_REPEAT_MINUTES = 30 * 24 * 60
MAX_THRESHOLD = 100_000_000


class ConditionKind(StrEnum):
    BELOW_SAFETY_STOCK = "BELOW_SAFETY_STOCK"  # threshold, or computed from demand when absent
    BELOW_MINIMUM = "BELOW_MINIMUM"  # available units < threshold
    ABOVE_MAXIMUM = "ABOVE_MAXIMUM"  # available units > threshold
    EXPIRY_WITHIN = "EXPIRY_WITHIN"  # stock of a lot expiring within `days`
    NO_MOVEMENT = "NO_MOVEMENT"  # stock on hand, no ledger move for `days`
    COUNT_VARIANCE = "COUNT_VARIANCE"  # units adjusted or reported off by counts ≥ threshold
    NEGATIVE_AVAILABILITY = (
        "NEGATIVE_AVAILABILITY"  # refused takes (INSUFFICIENT_STOCK) ≥ threshold
    )


class Combine(StrEnum):
    ALL = "ALL"
    ANY = "ANY"


_NEEDS_THRESHOLD = {ConditionKind.BELOW_MINIMUM, ConditionKind.ABOVE_MAXIMUM}
_NEEDS_DAYS = {
    ConditionKind.EXPIRY_WITHIN,
    ConditionKind.NO_MOVEMENT,
    ConditionKind.COUNT_VARIANCE,
    ConditionKind.NEGATIVE_AVAILABILITY,
}
_COUNTS = {ConditionKind.COUNT_VARIANCE, ConditionKind.NEGATIVE_AVAILABILITY}


@dataclass(frozen=True)
class Condition:
    kind: ConditionKind
    threshold: int | None = None
    days: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind.value}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Condition:
        return cls(ConditionKind(raw["kind"]), raw.get("threshold"), raw.get("days"))


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(ErrorCode.ALERT_RULE_INVALID, message, field)


def validate_conditions(conditions: list[Condition], combine: Combine) -> list[Condition]:
    """The conditions with defaults filled in, or ALERT_RULE_INVALID for a rule that
    could never fire or makes no sense."""
    if not conditions:
        raise _invalid("A rule needs at least one condition.", "conditions")
    if len(conditions) > MAX_CONDITIONS:
        raise _invalid(f"At most {MAX_CONDITIONS} conditions.", "conditions")
    kinds = [c.kind for c in conditions]
    if len(set(kinds)) != len(kinds):
        raise _invalid("Each kind of condition may appear once in a rule.", "conditions")
    checked: list[Condition] = []
    for c in conditions:
        threshold, days = c.threshold, c.days
        if c.kind in _NEEDS_THRESHOLD and threshold is None:
            raise _invalid(f"{c.kind.value} needs a threshold.", "conditions.threshold")
        if threshold is not None and not 0 <= threshold <= MAX_THRESHOLD:
            raise _invalid(
                f"A threshold lies between 0 and {MAX_THRESHOLD}.", "conditions.threshold"
            )
        if c.kind is ConditionKind.BELOW_MINIMUM and threshold == 0:
            raise _invalid("Stock is never below a minimum of 0.", "conditions.threshold")
        if c.kind is ConditionKind.BELOW_SAFETY_STOCK and threshold == 0:
            raise _invalid("Stock is never below a safety stock of 0.", "conditions.threshold")
        if c.kind in _COUNTS:
            threshold = 1 if threshold is None else threshold
            if threshold < 1:
                raise _invalid("A count threshold is at least 1.", "conditions.threshold")
        if c.kind in _NEEDS_DAYS:
            if days is None or not 0 < days <= MAX_DAYS:
                raise _invalid(
                    f"{c.kind.value} needs a number of days from 1 to {MAX_DAYS}.",
                    "conditions.days",
                )
        elif days is not None:
            raise _invalid(f"{c.kind.value} takes no number of days.", "conditions.days")
        checked.append(Condition(c.kind, threshold, days))
    by_kind = {c.kind: c for c in checked}
    low, high = by_kind.get(ConditionKind.BELOW_MINIMUM), by_kind.get(ConditionKind.ABOVE_MAXIMUM)
    if low is not None and high is not None:
        assert low.threshold is not None and high.threshold is not None
        if low.threshold > high.threshold:
            raise _invalid("The minimum is above the maximum.", "conditions.threshold")
        if combine is Combine.ALL:
            raise _invalid(
                "Stock cannot be below the minimum and above the maximum at once.", "combine"
            )
    return checked


def validate_quiet_hours(start: int | None, end: int | None) -> None:
    if (start is None) != (end is None):
        raise _invalid("Quiet hours need both a start and an end.", "quietStartMinute")
    if start is None or end is None:
        return
    for value, field in ((start, "quietStartMinute"), (end, "quietEndMinute")):
        if not 0 <= value <= 1439:
            raise _invalid("Minutes after midnight run from 0 to 1439.", field)
    if start == end:
        raise _invalid("Quiet hours that start when they end are empty.", "quietEndMinute")


def validate_repeat(minutes: int) -> None:
    if not 0 < minutes <= MAX_REPEAT_MINUTES:
        raise _invalid(
            f"The repeat interval runs from 1 to {MAX_REPEAT_MINUTES} minutes.", "repeatMinutes"
        )


def zone_of(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_quiet_hours(now: datetime, timezone: str, start: int | None, end: int | None) -> bool:
    """Whether `now` falls in [start, end) minutes after local midnight; the window
    may wrap midnight (22:00–06:00)."""
    if start is None or end is None:
        return False
    local = now.astimezone(zone_of(timezone))
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end
