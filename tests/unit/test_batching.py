import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.errors import ErrorCode
from backend.routing.batching import (
    BatchPlan,
    CartLimits,
    Order,
    OrderTooLargeError,
    first_come_batches,
    plan_batches,
)
from backend.routing.geometry import PickLocation, WarehouseGeometry
from backend.routing.routes import best_route

GEOMETRY = WarehouseGeometry(10, 45)


def random_orders(
    rng: random.Random, g: WarehouseGeometry, n: int, max_lines: int = 12
) -> list[Order]:
    orders = []
    for k in range(n):
        lines = rng.randint(1, max_lines)
        picks = tuple(
            PickLocation(rng.randrange(g.n_aisles), rng.randrange(g.cells_per_aisle))
            for _ in range(lines)
        )
        orders.append(
            Order(
                id=f"SO-{k}",
                picks=picks,
                units=lines + rng.randint(0, 3),
                volume=round(rng.uniform(1, 20), 1),
                weight=round(rng.uniform(0.5, 9), 1),
                totes=rng.choice((1, 1, 1, 2)),
            )
        )
    return orders


def assert_valid(plan: BatchPlan, orders: list[Order], limits: CartLimits) -> None:
    by_id = {o.id: o for o in orders}
    seen = [oid for b in plan.batches for oid in b.order_ids]
    assert sorted(seen) == sorted(by_id)
    for batch in plan.batches:
        members = [by_id[oid] for oid in batch.order_ids]
        assert sum(o.totes for o in members) <= limits.totes
        assert limits.units is None or sum(o.units for o in members) <= limits.units
        assert limits.volume is None or sum(o.volume for o in members) <= limits.volume + 1e-9
        assert limits.weight is None or sum(o.weight for o in members) <= limits.weight + 1e-9
        picks = [p for o in members for p in o.picks]
        assert [by_id[oid].picks[k] for oid, k in batch.lines] == picks
        assert sorted(batch.route.stops) == list(range(len(picks)))
        assert batch.metres == pytest.approx(best_route(GEOMETRY, picks).metres)
    assert plan.metres == pytest.approx(sum(b.metres for b in plan.batches))


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 30),
    totes=st.integers(2, 8),
    units=st.one_of(st.none(), st.integers(20, 60)),
    volume=st.one_of(st.none(), st.floats(40, 120)),
    weight=st.one_of(st.none(), st.floats(20, 60)),
)
def test_every_order_is_batched_once_within_the_cart(
    seed: int, n: int, totes: int, units: int | None, volume: float | None, weight: float | None
) -> None:
    orders = random_orders(random.Random(seed), GEOMETRY, n)
    limits = CartLimits(totes=totes, units=units, volume=volume, weight=weight)
    orders = [o for o in orders if o.totes <= totes]
    for plan in (
        first_come_batches(GEOMETRY, orders, limits),
        plan_batches(GEOMETRY, orders, limits),
    ):
        assert_valid(plan, orders, limits)


def test_local_search_never_worse_than_its_savings_seed() -> None:
    for seed in range(6):
        orders = random_orders(random.Random(seed), GEOMETRY, 40)
        limits = CartLimits(totes=6, units=40)
        start = plan_batches(GEOMETRY, orders, limits, seed=seed, local_search=False)
        better = plan_batches(GEOMETRY, orders, limits, seed=seed)
        assert start.method == "savings" and better.method == "savings+local-search"
        assert better.metres <= start.metres + 1e-9


def test_batching_beats_first_come_and_single_order_tours() -> None:
    orders = random_orders(random.Random(11), GEOMETRY, 60)
    limits = CartLimits(totes=8, units=50)
    alone = sum(best_route(GEOMETRY, o.picks).metres for o in orders)
    planned = plan_batches(GEOMETRY, orders, limits)
    assert planned.metres < first_come_batches(GEOMETRY, orders, limits).metres
    assert planned.metres < alone


def test_same_seed_same_plan() -> None:
    orders = random_orders(random.Random(3), GEOMETRY, 50)
    limits = CartLimits(totes=5, units=45)
    first = plan_batches(GEOMETRY, orders, limits, seed=9)
    again = plan_batches(GEOMETRY, orders, limits, seed=9)
    assert [b.order_ids for b in first.batches] == [b.order_ids for b in again.batches]
    assert first.metres == again.metres


def test_first_come_fills_carts_in_arrival_order() -> None:
    orders = [Order(f"o{k}", (PickLocation(k % 10, k),), units=10) for k in range(7)]
    plan = first_come_batches(GEOMETRY, orders, CartLimits(totes=10, units=25))
    assert [b.order_ids for b in plan.batches] == [
        ("o0", "o1"),
        ("o2", "o3"),
        ("o4", "o5"),
        ("o6",),
    ]
    assert plan.tours == 4


def test_an_order_larger_than_a_cart_is_refused() -> None:
    orders = [Order("small", (PickLocation(0, 0),), 3), Order("huge", (PickLocation(1, 1),), 90)]
    with pytest.raises(OrderTooLargeError) as refused:
        plan_batches(GEOMETRY, orders, CartLimits(totes=4, units=60))
    assert refused.value.order_id == "huge"
    assert refused.value.code is ErrorCode.QUANTITY_TOO_LARGE
    with pytest.raises(OrderTooLargeError):
        first_come_batches(GEOMETRY, [Order("bulky", (), 1, totes=3)], CartLimits(totes=2))


def test_duplicate_order_ids_and_empty_waves() -> None:
    twice = [Order("a", (PickLocation(0, 0),), 1)] * 2
    with pytest.raises(ValueError):
        plan_batches(GEOMETRY, twice, CartLimits(totes=4))
    empty = plan_batches(GEOMETRY, [], CartLimits(totes=4))
    assert empty.batches == () and empty.metres == 0.0


def test_a_tours_set_up_counts_in_the_objective() -> None:
    from backend.routing.batching import _Problem

    rng = random.Random(7)
    orders = [
        Order(f"SO-{k}", (PickLocation(rng.randrange(10), rng.randrange(45)),), 1)
        for k in range(12)
    ]
    limits = CartLimits(totes=4, units=40)
    problem = _Problem(WarehouseGeometry(10, 45), orders, limits, setup_metres=60.0)
    one = frozenset([0])
    assert problem.cost(one) == problem.metres(one) + 60.0
    assert problem.cost(frozenset()) == 0.0
    walk_only = plan_batches(WarehouseGeometry(10, 45), orders, limits, setup_metres=0.0)
    with_setup = plan_batches(WarehouseGeometry(10, 45), orders, limits, setup_metres=60.0)
    costly = plan_batches(WarehouseGeometry(10, 45), orders, limits, setup_metres=10_000.0)
    # A set-up never adds tours; a dear one packs the carts full (12 orders, 4 totes).
    assert with_setup.tours <= walk_only.tours
    assert costly.tours == 3
    assert sorted(o for b in costly.batches for o in b.order_ids) == sorted(o.id for o in orders)
