"""Alert rule validation, quiet hours and ABC classes: no database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.alerts.rules import (
    Combine,
    Condition,
    ConditionKind,
    in_quiet_hours,
    validate_conditions,
    validate_quiet_hours,
    validate_repeat,
)
from backend.analytics.abc import classify
from backend.core.errors import DomainError

K = ConditionKind


def code_of(fn, *args):
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value.code.value, caught.value.field


@pytest.mark.parametrize(
    ("conditions", "combine", "field"),
    [
        ([], Combine.ALL, "conditions"),
        (
            [Condition(K.BELOW_MINIMUM, 20), Condition(K.ABOVE_MAXIMUM, 10)],
            Combine.ANY,
            "conditions.threshold",
        ),
        ([Condition(K.BELOW_MINIMUM, 5), Condition(K.ABOVE_MAXIMUM, 10)], Combine.ALL, "combine"),
        ([Condition(K.EXPIRY_WITHIN, days=0)], Combine.ALL, "conditions.days"),
        ([Condition(K.NO_MOVEMENT, days=-3)], Combine.ALL, "conditions.days"),
        ([Condition(K.NO_MOVEMENT)], Combine.ALL, "conditions.days"),
        ([Condition(K.BELOW_MINIMUM)], Combine.ALL, "conditions.threshold"),
        ([Condition(K.BELOW_MINIMUM, 0)], Combine.ALL, "conditions.threshold"),
        ([Condition(K.ABOVE_MAXIMUM, -1)], Combine.ALL, "conditions.threshold"),
        ([Condition(K.BELOW_MINIMUM, 5, days=3)], Combine.ALL, "conditions.days"),
        ([Condition(K.COUNT_VARIANCE, 0, days=7)], Combine.ALL, "conditions.threshold"),
        (
            [Condition(K.NO_MOVEMENT, days=5), Condition(K.NO_MOVEMENT, days=9)],
            Combine.ANY,
            "conditions",
        ),
    ],
)
def test_impossible_or_senseless_rules_are_refused(conditions, combine, field):
    assert code_of(validate_conditions, conditions, combine) == ("ALERT_RULE_INVALID", field)


def test_valid_rules_get_their_defaults():
    checked = validate_conditions(
        [
            Condition(K.BELOW_MINIMUM, 5),
            Condition(K.ABOVE_MAXIMUM, 50),
            Condition(K.NEGATIVE_AVAILABILITY, days=1),
        ],
        Combine.ANY,
    )
    assert checked[2] == Condition(K.NEGATIVE_AVAILABILITY, 1, 1)
    assert Condition.from_json(checked[0].as_json()) == checked[0]


def test_quiet_hours_and_repeat_validation():
    assert code_of(validate_quiet_hours, 60, None)[0] == "ALERT_RULE_INVALID"
    assert code_of(validate_quiet_hours, 60, 1440)[1] == "quietEndMinute"
    assert code_of(validate_quiet_hours, 60, 60)[1] == "quietEndMinute"
    assert code_of(validate_repeat, 0)[1] == "repeatMinutes"
    validate_quiet_hours(None, None)
    validate_quiet_hours(1320, 360)


def test_quiet_hours_follow_the_warehouse_clock_and_wrap_midnight():
    # 22:00–06:00 in Amsterdam (UTC+1 in January).
    at = lambda h, m=0: datetime(2026, 1, 15, h, m, tzinfo=UTC)  # noqa: E731
    assert in_quiet_hours(at(21, 30), "Europe/Amsterdam", 1320, 360)  # 22:30 local
    assert in_quiet_hours(at(4, 59), "Europe/Amsterdam", 1320, 360)  # 05:59 local
    assert not in_quiet_hours(at(5, 0), "Europe/Amsterdam", 1320, 360)  # 06:00 local
    assert not in_quiet_hours(at(20, 59), "Europe/Amsterdam", 1320, 360)
    assert in_quiet_hours(at(12), "UTC", 720, 780)
    assert not in_quiet_hours(at(13), "UTC", 720, 780)
    assert not in_quiet_hours(at(3), "Europe/Amsterdam", None, None)


def test_abc_by_cumulative_share():
    # Shares 50, 25, 15, 6, 4 %: A while the share before an item is < 80 % (50, 25, 15 → A
    # since 75 % < 80 % before the third), B while < 95 % (6), C after (4), never-picked C.
    entries = classify({1: 50, 2: 25, 3: 15, 4: 6, 5: 4, 6: 0})
    assert [e.abc_class for e in entries] == ["A", "A", "A", "B", "C", "C"]
    assert entries[1].cumulative_share == pytest.approx(0.75)
    assert classify({}) == []
    assert [e.abc_class for e in classify({9: 0, 8: 0})] == ["C", "C"]
