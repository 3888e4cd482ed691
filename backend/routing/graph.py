"""Routing on any walking network: Dijkstra for distances, then a tour.

For layouts that are not a rectangle of parallel aisles (a mezzanine, a
blocked cross aisle, a fast-mover zone), the layout package can describe the
floor as a weighted graph of walkable segments; ``graph_tour`` then finds a
short tour through the pick nodes. ``rectangular_graph`` builds the graph of a
``WarehouseGeometry``; the tests use it to check the closed-form distances.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Generic, TypeVar

from backend.routing.geometry import PickLocation, WarehouseGeometry
from backend.routing.tsp import HELD_KARP_MAX_STOPS, held_karp, local_search_tour

Node = TypeVar("Node", bound=Hashable)


class TravelGraph(Generic[Node]):
    """An undirected graph of walkable segments, lengths in metres."""

    def __init__(self) -> None:
        self._adjacent: dict[Node, dict[Node, float]] = {}

    def add_segment(self, a: Node, b: Node, metres: float) -> None:
        if metres < 0:
            raise ValueError("segment lengths cannot be negative")
        for u, v in ((a, b), (b, a)):
            row = self._adjacent.setdefault(u, {})
            row[v] = min(metres, row.get(v, math.inf))

    def add_node(self, node: Node) -> None:
        self._adjacent.setdefault(node, {})

    @property
    def nodes(self) -> Iterable[Node]:
        return self._adjacent.keys()

    def distances_from(self, source: Node) -> dict[Node, float]:
        """Dijkstra's shortest distances from ``source`` to every reachable node."""
        done: dict[Node, float] = {}
        heap: list[tuple[float, int, Node]] = [(0.0, 0, source)]
        tie = 1  # nodes need not be orderable
        while heap:
            d, _, u = heapq.heappop(heap)
            if u in done:
                continue
            done[u] = d
            for v, w in self._adjacent[u].items():
                if v not in done:
                    heapq.heappush(heap, (d + w, tie, v))
                    tie += 1
        return done


def graph_tour(
    graph: TravelGraph[Node], start: Node, targets: Sequence[Node]
) -> tuple[float, list[int], str]:
    """A tour from ``start`` through every target and back.

    Returns the metres, the target indices in visiting order and the method
    ("held-karp" when exact, "local-search" otherwise). Equal targets are
    visited together. Raises ``ValueError`` if a target cannot be reached.
    """
    distinct = list(dict.fromkeys(targets))
    points = [start, *distinct]
    rows = []
    for p in points:
        reach = graph.distances_from(p)
        try:
            rows.append([reach[q] for q in points])
        except KeyError as missing:
            raise ValueError(f"node {missing} cannot be reached") from None
    if len(distinct) <= HELD_KARP_MAX_STOPS:
        metres, order = held_karp(rows)
        method = "held-karp"
    else:
        metres, order = local_search_tour(rows)
        method = "local-search"
    position = {node: k for k, node in enumerate(distinct)}
    rank = {distinct[v - 1]: r for r, v in enumerate(order)}
    visiting = sorted(
        range(len(targets)), key=lambda i: (rank[targets[i]], position[targets[i]], i)
    )
    return metres, visiting, method


GraphNode = tuple[str, int, int]  # ("cross", aisle, cross aisle) or ("pick", aisle, cell)


def rectangular_graph(
    geometry: WarehouseGeometry, locations: Iterable[PickLocation] = ()
) -> TravelGraph[GraphNode]:
    """Aisle/cross-aisle intersections plus the given pick locations; the depot is
    ``("cross", depot_aisle, 0)``."""
    graph: TravelGraph[GraphNode] = TravelGraph()
    cross_y = geometry.cross_aisle_y
    for a in range(geometry.n_aisles):
        for c in range(len(cross_y)):
            graph.add_node(("cross", a, c))
            if a + 1 < geometry.n_aisles:
                graph.add_segment(("cross", a, c), ("cross", a + 1, c), geometry.aisle_pitch_m)
    along: dict[int, set[tuple[float, GraphNode]]] = {
        a: {(y, ("cross", a, c)) for c, y in enumerate(cross_y)} for a in range(geometry.n_aisles)
    }
    for loc in locations:
        along[loc.aisle].add((geometry.spot(loc).y, ("pick", loc.aisle, loc.cell)))
    for points in along.values():
        ordered = sorted(points)
        for (y1, u), (y2, v) in itertools.pairwise(ordered):
            graph.add_segment(u, v, y2 - y1)
    return graph
