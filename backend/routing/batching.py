"""Order batching: which orders share a cart, so that pickers walk less.

``plan_batches`` is the entry point: Clarke–Wright savings (as adapted to order
batching by de Koster, van der Poort & Wolters 1999, "Efficient orderbatching
methods in warehouses", variant C&W(ii): savings recomputed after each merge)
followed by a descent that moves single orders between tours and swaps pairs
of orders, accepting only changes that shorten the total walk and respect the
cart. ``first_come_batches`` is the baseline most systems use: fill a cart in
arrival order, start the next one when the next order does not fit.

Every tour length is the optimal route length (``routing.route_metres``), so
the savings are real metres, not estimates. Route evaluation is the hot spot:
lengths are cached per set of orders, and pairs are only considered between
orders that a cheap aisle-overlap estimate ranks among each other's nearest
``neighbours``.

An order that does not fit an empty cart on its own raises
``OrderTooLargeError``: splitting an order over carts is a release decision
(which lines go to which tote), not something batching should do silently.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from backend.core.errors import DomainError, ErrorCode
from backend.routing.geometry import PickLocation, Spot, WarehouseGeometry
from backend.routing.routes import Route, best_route, route_metres

_EPS = 1e-9


@dataclass(frozen=True)
class Order:
    id: str
    picks: tuple[PickLocation, ...]
    units: int
    volume: float = 0.0
    weight: float = 0.0
    totes: int = 1


@dataclass(frozen=True)
class CartLimits:
    """What one picker's cart holds; ``None`` means no limit."""

    totes: int
    units: int | None = None
    volume: float | None = None
    weight: float | None = None


@dataclass(frozen=True)
class Batch:
    """One tour. ``lines[k]`` is ``(order id, index into that order's picks)`` for
    the k-th pick of the tour's pick list; ``route.stops`` index into ``lines``."""

    order_ids: tuple[str, ...]
    route: Route
    metres: float
    lines: tuple[tuple[str, int], ...] = field(default=())


@dataclass(frozen=True)
class BatchPlan:
    batches: tuple[Batch, ...]
    metres: float
    method: str

    @property
    def tours(self) -> int:
        return len(self.batches)


class OrderTooLargeError(DomainError):
    """An order needs more than one empty cart."""

    def __init__(self, order_id: str) -> None:
        super().__init__(
            ErrorCode.QUANTITY_TOO_LARGE,
            f"order {order_id} does not fit on one cart; split it before batching",
            field="orders",
        )
        self.order_id = order_id


Load = tuple[int, int, float, float]  # totes, units, volume, weight


def _load(order: Order) -> Load:
    return order.totes, order.units, order.volume, order.weight


def _add(a: Load, b: Load) -> Load:
    return a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]


def _sub(a: Load, b: Load) -> Load:
    return a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]


def _fits_check(limits: CartLimits) -> Callable[[Load], bool]:
    units = limits.units if limits.units is not None else float("inf")
    volume = limits.volume if limits.volume is not None else float("inf")
    weight = limits.weight if limits.weight is not None else float("inf")
    totes = limits.totes

    def fits(load: Load) -> bool:
        return (
            load[0] <= totes
            and load[1] <= units
            and load[2] <= volume + _EPS
            and load[3] <= weight + _EPS
        )

    return fits


# A cart tour's fixed cost in metres walked: setting up the cart and its totes at the
# depot and handing them in afterwards. Counted in the objective so the plan does not
# add a tour for a few metres saved (``plan_batches(setup_metres=...)``).
DEFAULT_TOUR_SETUP_METRES = 60.0
# Up to this many orders every pair of orders is considered; above it, the nearest
# ``neighbours`` of each, and the search stops on its time budget.
ALL_NEIGHBOURS_UP_TO = 150


class _Problem:
    """Orders, loads and a cache of tour lengths keyed by the set of orders."""

    def __init__(
        self,
        geometry: WarehouseGeometry,
        orders: Sequence[Order],
        limits: CartLimits,
        setup_metres: float = 0.0,
    ) -> None:
        ids = [o.id for o in orders]
        if len(set(ids)) != len(ids):
            raise ValueError("order ids must be unique")
        self.geometry = geometry
        self.orders = list(orders)
        self.fits = _fits_check(limits)
        # The same limits as a tuple (slack included), for the all-pairs neighbour pass.
        self.capacity: Load = (
            limits.totes,
            limits.units if limits.units is not None else 1 << 62,
            (limits.volume if limits.volume is not None else float("inf")) + _EPS,
            (limits.weight if limits.weight is not None else float("inf")) + _EPS,
        )
        self.loads = [_load(o) for o in orders]
        for order, load in zip(orders, self.loads, strict=True):
            if not self.fits(load):
                raise OrderTooLargeError(order.id)
        self.spots: list[list[Spot]] = [geometry.spots(o.picks) for o in orders]
        self._lengths: dict[frozenset[int], float] = {}
        self.evaluations = 0
        self.setup = setup_metres
        self.deadline = float("inf")  # process time after which the search stops

    def out_of_time(self, budget: int) -> bool:
        return self.evaluations >= budget or time.process_time() > self.deadline

    def cost(self, members: frozenset[int]) -> float:
        """The objective of one tour: its metres plus the set-up (none when empty)."""
        return self.metres(members) + self.setup if members else 0.0

    def metres(self, members: frozenset[int]) -> float:
        found = self._lengths.get(members)
        if found is None:
            self.evaluations += 1
            spots = [s for i in members for s in self.spots[i]]
            found = self._lengths[members] = route_metres(self.geometry, spots)
        return found

    def load(self, members: frozenset[int]) -> Load:
        total: Load = (0, 0, 0.0, 0.0)
        for i in members:
            total = _add(total, self.loads[i])
        return total

    def neighbours(self, count: int) -> list[list[int]]:
        """For each order, the ``count`` orders it most likely saves metres with.

        The estimate is the classic aisle-overlap picture: a tour costs the walk
        across to its farthest aisle plus, per aisle, the depth it goes in. It is
        only used to choose which pairs get an exact evaluation.
        """
        g = self.geometry
        depth: list[dict[int, float]] = []
        for spots in self.spots:
            d: dict[int, float] = {}
            for s in spots:
                if s.y > d.get(s.aisle, 0.0):
                    d[s.aisle] = s.y
            depth.append(d)
        pitch = g.aisle_pitch_m
        depot = g.depot_aisle
        # The estimate of a tour is 2·pitch·(span of aisles, depot included) + 2·Σ depth.
        # For the union of two orders only what they share changes: the span widens to
        # cover both and each shared aisle is walked once, to the deeper of the two. So
        # the pair's estimated saving needs the shared aisles only, not a merged copy of
        # both (a million pairs in a 1,000-order wave).
        lo = [min(depot, *d) if d else depot for d in depth]
        hi = [max(depot, *d) if d else depot for d in depth]
        loads = self.loads
        near: list[list[int]] = []
        n = len(depth)
        for i in range(n):
            d_i, lo_i, hi_i = depth[i], lo[i], hi[i]
            span_i = hi_i - lo_i
            # What is left on the cart beside order i: j fits if its load does.
            rt, ru, rv, rw = _sub(self.capacity, loads[i])
            scored = []
            for j in range(n):
                t, u, v, w = loads[j]
                if j == i or t > rt or u > ru or v > rv or w > rw:
                    continue
                d_j = depth[j]
                small, big = (d_i, d_j) if len(d_i) <= len(d_j) else (d_j, d_i)
                shared = 0.0
                for a, y in small.items():
                    z = big.get(a)
                    if z is not None:
                        shared += y if y < z else z
                widened = (hi_i if hi_i > hi[j] else hi[j]) - (lo_i if lo_i < lo[j] else lo[j])
                scored.append((2 * pitch * (widened - span_i - hi[j] + lo[j]) - 2 * shared, j))
            scored.sort()
            near.append([j for _, j in scored[:count]])
        return near


def _plan(problem: _Problem, groups: Sequence[frozenset[int]], method: str) -> BatchPlan:
    batches = []
    for members in groups:
        ordered = sorted(members)
        lines = tuple(
            (problem.orders[i].id, k) for i in ordered for k in range(len(problem.orders[i].picks))
        )
        picks = [p for i in ordered for p in problem.orders[i].picks]
        route = best_route(problem.geometry, picks)
        batches.append(
            Batch(tuple(problem.orders[i].id for i in ordered), route, route.metres, lines)
        )
    return BatchPlan(tuple(batches), sum(b.metres for b in batches), method)


def _first_come_groups(problem: _Problem) -> list[frozenset[int]]:
    groups: list[frozenset[int]] = []
    current: list[int] = []
    load: Load = (0, 0, 0.0, 0.0)
    for i, order_load in enumerate(problem.loads):
        if current and not problem.fits(_add(load, order_load)):
            groups.append(frozenset(current))
            current, load = [], (0, 0, 0.0, 0.0)
        current.append(i)
        load = _add(load, order_load)
    if current:
        groups.append(frozenset(current))
    return groups


def first_come_batches(
    geometry: WarehouseGeometry, orders: Sequence[Order], limits: CartLimits
) -> BatchPlan:
    """Baseline: carts filled in arrival order."""
    problem = _Problem(geometry, orders, limits)
    return _plan(problem, _first_come_groups(problem), "first-come")


def _savings_groups(problem: _Problem, near: list[list[int]]) -> list[frozenset[int]]:
    """Clarke–Wright savings, recomputed after every merge (C&W(ii))."""
    n = len(problem.orders)
    batch_of = list(range(n))
    members: dict[int, frozenset[int]] = {i: frozenset([i]) for i in range(n)}
    loads: dict[int, Load] = {i: problem.loads[i] for i in range(n)}
    heap: list[tuple[float, int, int]] = []

    def push(a: int, b: int) -> None:
        if not problem.fits(_add(loads[a], loads[b])):
            return
        union = members[a] | members[b]
        saving = problem.cost(members[a]) + problem.cost(members[b]) - problem.cost(union)
        if saving > _EPS:
            heapq.heappush(heap, (-saving, min(a, b), max(a, b)))

    for i in range(n):
        for j in near[i]:
            if i < j or i not in near[j]:
                push(i, j)
    next_id = n
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue  # one side was merged already
        merged = members.pop(a) | members.pop(b)
        c = next_id
        next_id += 1
        members[c] = merged
        loads[c] = _add(loads.pop(a), loads.pop(b))
        for i in merged:
            batch_of[i] = c
        partners = {batch_of[j] for i in merged for j in near[i]} - {c}
        for other in sorted(partners):
            push(other, c)
    return sorted(members.values(), key=min)


def _improve(
    problem: _Problem, groups: list[frozenset[int]], near: list[list[int]], budget: int
) -> list[frozenset[int]]:
    """Descent over moves (one order to another tour) and swaps (two orders
    between tours); first improvement, until no change helps or ``budget``
    route evaluations are spent."""
    groups = [g for g in groups if g]
    where = {i: k for k, g in enumerate(groups) for i in g}
    loads = [problem.load(g) for g in groups]
    metres = problem.cost  # metres plus the tour's set-up: emptying a tour saves it
    fits = problem.fits
    improved = True
    while improved and not problem.out_of_time(budget):
        improved = False
        for i in range(len(problem.orders)):
            a = where[i]
            ga = groups[a]
            li = problem.loads[i]
            base_a = metres(ga)
            without_i = ga - {i}
            candidates = sorted({where[j] for j in near[i]} - {a})
            for b in candidates:
                gb = groups[b]
                base = base_a + metres(gb)
                if fits(_add(loads[b], li)):
                    after = metres(without_i) + metres(gb | {i})
                    if after < base - _EPS:
                        groups[a], groups[b] = without_i, gb | {i}
                        loads[a], loads[b] = _sub(loads[a], li), _add(loads[b], li)
                        where[i] = b
                        improved = True
                        break
                for j in sorted(gb & set(near[i])):
                    lj = problem.loads[j]
                    load_a = _add(_sub(loads[a], li), lj)
                    load_b = _add(_sub(loads[b], lj), li)
                    if not (fits(load_a) and fits(load_b)):
                        continue
                    new_a = without_i | {j}
                    new_b = (gb - {j}) | {i}
                    if metres(new_a) + metres(new_b) < base - _EPS:
                        groups[a], groups[b] = new_a, new_b
                        loads[a], loads[b] = load_a, load_b
                        where[i], where[j] = b, a
                        improved = True
                        break
                if where[i] != a:
                    break
            if problem.out_of_time(budget):
                break
    return sorted((g for g in groups if g), key=min)


def total_metres(problem: _Problem, groups: Sequence[frozenset[int]]) -> float:
    return sum(problem.metres(g) for g in groups)


def plan_batches(
    geometry: WarehouseGeometry,
    orders: Sequence[Order],
    limits: CartLimits,
    *,
    neighbours: int = 25,
    max_evaluations: int = 20_000,
    seed: int = 0,
    local_search: bool = True,
    setup_metres: float = DEFAULT_TOUR_SETUP_METRES,
    time_budget_s: float = 1.0,
) -> BatchPlan:
    """Savings batches improved by local search; deterministic for a given seed.

    With ``local_search=False`` the savings batches are returned as they are:
    the seed the local search starts from.

    ``neighbours`` bounds how many partners each order is tried with;
    ``max_evaluations`` bounds the route evaluations spent (a time budget that
    does not make the answer depend on the machine). Waves of up to
    ``ALL_NEIGHBOURS_UP_TO`` orders try every partner; larger ones also stop the
    local search after ``time_budget_s`` of CPU. ``setup_metres`` is each tour's
    fixed cost in the objective (the metres reported stay walked metres).
    """
    method = "savings+local-search" if local_search else "savings"
    if not orders:
        return BatchPlan((), 0.0, method)
    started = time.process_time()
    problem = _Problem(geometry, orders, limits, setup_metres)
    if len(orders) <= ALL_NEIGHBOURS_UP_TO:
        neighbours = len(orders) - 1
    else:
        problem.deadline = started + time_budget_s
    near = problem.neighbours(neighbours)
    rng = random.Random(seed)
    for row in near:
        rng.shuffle(row)  # the order in which partners are tried; any is fine
    groups = _savings_groups(problem, near)
    if local_search:
        groups = _improve(problem, groups, near, max_evaluations)
    return _plan(problem, groups, method)
