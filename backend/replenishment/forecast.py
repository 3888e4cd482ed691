"""Safety stock and reorder point from daily demand. Pure functions.

    d̄  = mean units demanded per day over the window (days without demand count as 0)
    σ_d = sample standard deviation of the daily demand
    SS  = z · σ_d · √L          (L: supplier lead time in days, z from the service level)
    ROP = d̄ · L + SS

Demand uncertainty only: the lead time is taken as certain. Sample standard
deviation (n − 1) because the window is a sample of the demand process.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist


@dataclass(frozen=True)
class DemandStats:
    days: int
    total: int
    mean: float
    stdev: float


@dataclass(frozen=True)
class ReorderPlan:
    mean_daily: float
    stdev_daily: float
    lead_time_days: int
    z: float
    safety_stock: float
    reorder_point: float


def demand_stats(daily: Sequence[int]) -> DemandStats:
    n = len(daily)
    if n == 0:
        return DemandStats(0, 0, 0.0, 0.0)
    total = sum(daily)
    mean = total / n
    if n < 2:
        return DemandStats(n, total, mean, 0.0)
    variance = sum((x - mean) ** 2 for x in daily) / (n - 1)
    return DemandStats(n, total, mean, math.sqrt(variance))


def stats_from_sums(days: int, total: float, total_squares: float) -> DemandStats:
    """The same figures from Σx and Σx² over `days` days (days without demand are zeros),
    so the database can sum instead of sending every day."""
    if days <= 0:
        return DemandStats(0, 0, 0.0, 0.0)
    mean = total / days
    if days < 2:
        return DemandStats(days, int(total), mean, 0.0)
    variance = max(total_squares - total * total / days, 0.0) / (days - 1)
    return DemandStats(days, int(total), mean, math.sqrt(variance))


@lru_cache(maxsize=64)
def z_for(service_level: float) -> float:
    """The standard normal quantile: 0.95 → 1.645, 0.99 → 2.326."""
    if not 0.5 < service_level < 1:
        raise ValueError("service level must lie between 0.5 and 1")
    return NormalDist().inv_cdf(service_level)


def safety_stock(z: float, stdev_daily: float, lead_time_days: float) -> float:
    return z * stdev_daily * math.sqrt(lead_time_days)


def reorder_point(mean_daily: float, lead_time_days: float, safety: float) -> float:
    return mean_daily * lead_time_days + safety


def plan(daily: Sequence[int], lead_time_days: int, service_level: float) -> ReorderPlan:
    return plan_from_stats(demand_stats(daily), lead_time_days, service_level)


def plan_from_stats(stats: DemandStats, lead_time_days: int, service_level: float) -> ReorderPlan:
    z = z_for(service_level)
    ss = safety_stock(z, stats.stdev, lead_time_days)
    return ReorderPlan(
        mean_daily=stats.mean,
        stdev_daily=stats.stdev,
        lead_time_days=lead_time_days,
        z=z,
        safety_stock=ss,
        reorder_point=reorder_point(stats.mean, lead_time_days, ss),
    )


def order_quantity(
    plan: ReorderPlan, position: int, order_cycle_days: int, pack_size: int = 1
) -> int:
    """Units to order when the stock position is at or below the reorder point:
    enough to reach ROP plus one order cycle's demand, rounded up to whole packs."""
    if position > plan.reorder_point:
        return 0
    target = plan.reorder_point + plan.mean_daily * order_cycle_days
    need = max(math.ceil(target - position - 1e-9), 0)
    if pack_size > 1 and need:
        need = math.ceil(need / pack_size) * pack_size
    return need


def daily_series(by_day: dict[int, int], window_days: int) -> list[int]:
    """Demand per day for day offsets 0..window_days-1, zeros where nothing moved."""
    return [by_day.get(offset, 0) for offset in range(window_days)]
