"""Thresholds and intervals of stock control, from the environment (read at use time)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


@dataclass(frozen=True)
class ControlSettings:
    # A first count whose |variance| is above either threshold is counted again.
    recount_units: int = 5
    recount_percent: int = 10
    # An adjustment worth more than this (|quantity| x unit cost) waits for approval.
    adjust_approval_cents: int = 10_000
    # Default days between counts of a bin holding items of each ABC class.
    interval_a_days: int = 30
    interval_b_days: int = 90
    interval_c_days: int = 365
    # At most this many count tasks from one generation (keeps the transaction short).
    max_tasks_per_generation: int = 500

    @classmethod
    def from_env(cls) -> ControlSettings:
        return cls(
            recount_units=_int("WMS_COUNT_RECOUNT_UNITS", 5),
            recount_percent=_int("WMS_COUNT_RECOUNT_PERCENT", 10),
            adjust_approval_cents=_int("WMS_ADJUST_APPROVAL_CENTS", 10_000),
            interval_a_days=_int("WMS_COUNT_INTERVAL_A_DAYS", 30),
            interval_b_days=_int("WMS_COUNT_INTERVAL_B_DAYS", 90),
            interval_c_days=_int("WMS_COUNT_INTERVAL_C_DAYS", 365),
            max_tasks_per_generation=_int("WMS_COUNT_MAX_TASKS", 500),
        )

    def interval_days(self, abc_class: str) -> int:
        return {"A": self.interval_a_days, "B": self.interval_b_days}.get(
            abc_class, self.interval_c_days
        )

    def needs_recount(self, book: int, counted: int) -> bool:
        variance = abs(counted - book)
        if variance == 0:
            return False
        if variance > self.recount_units:
            return True
        # Percent of the book; stock found on a bin whose book is zero is always checked.
        return book == 0 or variance * 100 > self.recount_percent * book

    def needs_approval(self, quantity: int, unit_cost_cents: int) -> bool:
        return abs(quantity) * unit_cost_cents > self.adjust_approval_cents
