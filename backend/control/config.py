"""Thresholds and intervals of stock control (filled from the environment by
backend/config.py; the app passes them in as ``settings.control``)."""

from __future__ import annotations

from dataclasses import dataclass


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
