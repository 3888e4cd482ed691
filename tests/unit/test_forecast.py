"""Safety stock and reorder point against figures worked out by hand."""

from __future__ import annotations

import math

import pytest

from backend.replenishment.forecast import (
    daily_series,
    demand_stats,
    order_quantity,
    plan,
    reorder_point,
    safety_stock,
    stats_from_sums,
    z_for,
)


def test_z_for_common_service_levels():
    assert z_for(0.95) == pytest.approx(1.6449, abs=1e-4)
    assert z_for(0.99) == pytest.approx(2.3263, abs=1e-4)
    assert z_for(0.90) == pytest.approx(1.2816, abs=1e-4)
    with pytest.raises(ValueError):
        z_for(1.0)


def test_steady_demand_example():
    # Demand 10, 12, 8, 10, 10: mean 10; deviations 0, 2, -2, 0, 0 → sample variance 8/4 = 2.
    # Lead time 4 days, 95 %: SS = 1.64485 · √2 · √4 = 4.6523; ROP = 10 · 4 + 4.6523 = 44.6523.
    stats = demand_stats([10, 12, 8, 10, 10])
    assert stats.mean == 10
    assert stats.stdev == pytest.approx(math.sqrt(2))
    p = plan([10, 12, 8, 10, 10], lead_time_days=4, service_level=0.95)
    assert p.safety_stock == pytest.approx(4.6523, abs=1e-4)
    assert p.reorder_point == pytest.approx(44.6523, abs=1e-4)
    # Position 40 ≤ ROP: order up to ROP + 14 days · 10 = 184.65 → 145 units, in cases of 12 → 156.
    assert order_quantity(p, position=40, order_cycle_days=14) == 145
    assert order_quantity(p, position=40, order_cycle_days=14, pack_size=12) == 156
    assert order_quantity(p, position=45, order_cycle_days=14) == 0


def test_lumpy_demand_example():
    # 0, 0, 6, 0, 0, 6: mean 2; squared deviations 4·4 + 16·2 = 48 → variance 48/5 = 9.6.
    # Lead time 9 days, 95 %: SS = 1.64485 · 3.09839 · 3 = 15.2891; ROP = 2 · 9 + SS = 33.2891.
    p = plan([0, 0, 6, 0, 0, 6], lead_time_days=9, service_level=0.95)
    assert p.stdev_daily == pytest.approx(math.sqrt(9.6))
    assert p.safety_stock == pytest.approx(15.2891, abs=1e-3)
    assert p.reorder_point == pytest.approx(33.2891, abs=1e-3)


def test_formulas_and_edges():
    assert safety_stock(2.0, 3.0, 16) == 24.0
    assert reorder_point(5.0, 10, 24.0) == 74.0
    assert demand_stats([]).mean == 0 and demand_stats([7]).stdev == 0
    assert daily_series({0: 3, 2: 5}, 4) == [3, 0, 5, 0]
    no_demand = plan([0, 0, 0], lead_time_days=7, service_level=0.95)
    assert no_demand.safety_stock == 0 and no_demand.reorder_point == 0


@pytest.mark.parametrize("daily", [[10, 12, 8, 10, 10], [0, 0, 6, 0, 0, 6], [3], [0, 0, 0, 0]])
def test_sums_give_the_same_figures_as_the_series(daily):
    direct = demand_stats(daily)
    summed = stats_from_sums(len(daily), sum(daily), sum(x * x for x in daily))
    assert summed.mean == pytest.approx(direct.mean)
    assert summed.stdev == pytest.approx(direct.stdev)
