"""Splitting a window of days into whole months and edge days. Pure."""

from __future__ import annotations

import random
from datetime import date, timedelta

from backend.analytics.rollup import next_month, split

HISTORY_START = date(2025, 1, 1)
OPEN_END = date(2027, 4, 1)


def test_split_covers_every_day_once():
    rng = random.Random(11)
    for _ in range(400):
        start = HISTORY_START + timedelta(days=rng.randrange(0, 500))
        stop = start + timedelta(days=rng.randrange(0, 120)) if rng.random() < 0.7 else None
        span = split(start, stop)
        last = stop or OPEN_END  # a month start, so open-ended months end on it
        covered: list[date] = []
        for lo, hi in span.day_ranges:
            day = lo
            while day < (hi or last):
                covered.append(day)
                day += timedelta(days=1)
        if span.months_from is not None:
            month = span.months_from
            while month < (span.months_to or last):
                assert month.day == 1
                nxt = (month + timedelta(days=32)).replace(day=1)
                day = month
                while day < nxt:
                    covered.append(day)
                    day += timedelta(days=1)
                month = nxt
        expected = [start + timedelta(days=n) for n in range((last - start).days)]
        assert sorted(covered) == expected, (start, stop, span)


def test_next_month_rolls_over_the_year():
    assert next_month(date(2025, 12, 31)) == date(2026, 1, 1)
    assert next_month(date(2026, 1, 1)) == date(2026, 2, 1)
    assert split(date(2026, 1, 1), date(2026, 2, 1)).day_ranges == ()
    assert split(date(2026, 1, 5), date(2026, 1, 5)).day_ranges == ()
