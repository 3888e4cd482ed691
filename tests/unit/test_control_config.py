"""Recount and approval thresholds of stock control."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.control.config import ControlSettings

DEFAULTS = ControlSettings()


@pytest.mark.parametrize(
    ("book", "counted", "recount"),
    [
        (100, 100, False),  # no variance
        (100, 95, False),  # 5 units, 5 %: within both thresholds
        (100, 94, True),  # 6 units: past the unit threshold
        (20, 17, True),  # 3 units but 15 %: past the percent threshold
        (50, 45, False),  # exactly 10 %: not past it
        (0, 1, True),  # stock where the book has none
        (3, 0, True),  # a bin found empty
    ],
)
def test_recount_when_a_variance_passes_either_threshold(book, counted, recount):
    assert DEFAULTS.needs_recount(book, counted) is recount


def test_approval_above_the_value_threshold():
    assert not DEFAULTS.needs_approval(-100, 100)  # 100.00 exactly
    assert DEFAULTS.needs_approval(-101, 100)
    assert DEFAULTS.needs_approval(3, 5000)
    assert not DEFAULTS.needs_approval(5, 0)  # a free item never needs approval


def test_intervals_by_class_and_from_the_environment():
    assert [DEFAULTS.interval_days(c) for c in "ABC"] == [30, 90, 365]
    env = {"WMS_COUNT_INTERVAL_A_DAYS": "7", "WMS_COUNT_RECOUNT_UNITS": "0", "WMS_SECRET_KEY": "x"}
    settings = Settings.from_env(env).control
    assert settings.interval_days("A") == 7
    assert settings.needs_recount(1000, 999)
