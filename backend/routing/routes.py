"""Pick routes: which pick first, and how far the picker walks.

``best_route`` is the entry point: exact for 1- and 2-block warehouses
(``optimal``), Held–Karp for up to a dozen stops otherwise, local search beyond.
``s_shape_route`` and ``largest_gap_route`` are the textbook policies, kept as
baselines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backend.routing import optimal, policies, tsp
from backend.routing.geometry import PickLocation, Spot, WarehouseGeometry


@dataclass(frozen=True)
class Route:
    """A tour from the depot through every pick and back to the depot.

    ``stops`` lists every index of the input picks once, in visiting order
    (picks at the same location next to each other). ``arrive_metres[k]`` is how
    far the picker has walked on reaching ``stops[k]``; ``metres`` includes the
    walk back to the depot.
    """

    stops: tuple[int, ...]
    metres: float
    method: str
    arrive_metres: tuple[float, ...] = ()

    def metres_left(self, done: int) -> float:
        """Metres still to walk once the first ``done`` stops are picked."""
        if done <= 0:
            return self.metres
        return self.metres - self.arrive_metres[min(done, len(self.stops)) - 1]


EMPTY_ROUTE = Route((), 0.0, "empty", ())


def spots_of(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> list[Spot]:
    return geometry.spots(picks)


def path_metres(
    geometry: WarehouseGeometry, spots: Sequence[Spot], stops: Sequence[int]
) -> tuple[float, list[float]]:
    """Walk depot → stops → depot along shortest paths: (total, metres on arrival)."""
    distance = geometry.distance
    total = 0.0
    here = geometry.depot
    arrive = []
    for i in stops:
        there = spots[i]
        total += distance(here, there)
        arrive.append(total)
        here = there
    return total + distance(here, geometry.depot), arrive


def _along_shortest_paths(
    geometry: WarehouseGeometry, spots: Sequence[Spot], stops: Sequence[int], method: str
) -> Route:
    total, arrive = path_metres(geometry, spots, stops)
    return Route(tuple(stops), total, method, tuple(arrive))


def exact_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> Route:
    """Optimal route for 1 or 2 blocks (Ratliff & Rosenthal; Roodbergen & de Koster)."""
    if not picks:
        return EMPTY_ROUTE
    spots = spots_of(geometry, picks)
    _, order = optimal.optimal_order(geometry, spots)
    method = "ratliff-rosenthal" if geometry.n_blocks == 1 else "roodbergen-de-koster"
    return _along_shortest_paths(geometry, spots, order, method)


def tsp_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> Route:
    """Any number of blocks: Held–Karp up to a dozen distinct stops, else 2-opt/Or-opt."""
    if not picks:
        return EMPTY_ROUTE
    spots = spots_of(geometry, picks)
    distinct = list(dict.fromkeys(spots))
    points = [geometry.depot, *distinct]
    matrix = [[geometry.distance(p, q) for q in points] for p in points]
    if len(distinct) <= tsp.HELD_KARP_MAX_STOPS:
        _, order = tsp.held_karp(matrix)
        method = "held-karp"
    else:
        _, order = tsp.local_search_tour(matrix)
        method = "local-search"
    rank = {distinct[v - 1]: r for r, v in enumerate(order)}
    stops = sorted(range(len(spots)), key=lambda i: (rank[spots[i]], i))
    return _along_shortest_paths(geometry, spots, stops, method)


def _policy_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation], method: str) -> Route:
    if not picks:
        return EMPTY_ROUTE
    spots = spots_of(geometry, picks)
    plan = policies.s_shape_walk if method == "s-shape" else policies.largest_gap_walk
    total, order, arrive = policies.walk_metres(geometry, spots, plan(geometry, spots))
    return Route(tuple(order), total, method, tuple(arrive))


def s_shape_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> Route:
    return _policy_route(geometry, picks, "s-shape")


def largest_gap_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> Route:
    return _policy_route(geometry, picks, "largest-gap")


def best_route(geometry: WarehouseGeometry, picks: Sequence[PickLocation]) -> Route:
    """The shortest route this package can find: optimal for 1 or 2 blocks."""
    if geometry.n_blocks <= optimal.MAX_EXACT_BLOCKS:
        return exact_route(geometry, picks)
    return tsp_route(geometry, picks)


def route_metres(geometry: WarehouseGeometry, spots: Sequence[Spot]) -> float:
    """Length of the best route, without building the stop order (for batching)."""
    if not spots:
        return 0.0
    if geometry.n_blocks <= optimal.MAX_EXACT_BLOCKS:
        return optimal.optimal_metres(geometry, spots)
    distinct = list(dict.fromkeys(spots))
    points = [geometry.depot, *distinct]
    matrix = [[geometry.distance(p, q) for q in points] for p in points]
    if len(distinct) <= tsp.HELD_KARP_MAX_STOPS:
        return tsp.held_karp(matrix)[0]
    return tsp.local_search_tour(matrix)[0]


__all__ = [
    "EMPTY_ROUTE",
    "Route",
    "best_route",
    "exact_route",
    "largest_gap_route",
    "path_metres",
    "route_metres",
    "s_shape_route",
    "tsp_route",
]
