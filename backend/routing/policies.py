"""The textbook routing policies pickers follow without a computer.

S-shape (traversal) and largest gap as described by Hall (1993), "Distance
approximations for routing manual pickers in a warehouse", and de Koster,
Le-Duc & Roodbergen (2007), "Design and control of warehouse order picking: a
literature review". They are the baselines the optimal router is measured
against.

Both are defined for one block. In a multi-block warehouse they are applied
with the middle cross aisles ignored: every aisle is treated as one long aisle
from the front to the back cross aisle (a walk a picker can follow, though the
multi-block variants of Roodbergen & de Koster 2001 would use the middle aisles).

A policy produces a *walk*: turning points and picks in order. Consecutive
points of a walk always share an aisle or a cross aisle, so its length is the
sum of straight segments.
"""

from __future__ import annotations

from collections.abc import Sequence

from backend.routing.geometry import ON_CROSS_AISLE, Spot, WarehouseGeometry

Walk = list[Spot | int]  # a turning point, or the index of a pick


def _by_aisle(spots: Sequence[Spot]) -> dict[int, list[tuple[float, list[int]]]]:
    """aisle -> [(y, pick indices)] sorted from front to back; equal spots grouped."""
    grouped: dict[int, dict[float, list[int]]] = {}
    for i, s in enumerate(spots):
        grouped.setdefault(s.aisle, {}).setdefault(s.y, []).append(i)
    return {a: sorted(ys.items()) for a, ys in grouped.items()}


def _front(geometry: WarehouseGeometry, aisle: int) -> Spot:
    return Spot(aisle, 0.0, ON_CROSS_AISLE)


def _back(geometry: WarehouseGeometry, aisle: int) -> Spot:
    return Spot(aisle, geometry.cross_aisle_y[-1], ON_CROSS_AISLE)


def _picks(stops: Sequence[tuple[float, list[int]]]) -> list[Spot | int]:
    return [i for _, indices in stops for i in indices]


def s_shape_walk(geometry: WarehouseGeometry, spots: Sequence[Spot]) -> Walk:
    """Every aisle with picks is walked end to end, alternately up and down, left
    to right; with an odd number of such aisles the last one is entered from the
    front and left the same way."""
    aisles = _by_aisle(spots)
    order = sorted(aisles)
    walk: Walk = [geometry.depot]
    for k, a in enumerate(order):
        stops = aisles[a]
        last_and_odd = k == len(order) - 1 and len(order) % 2 == 1
        if last_and_odd:
            walk += [_front(geometry, a), *_picks(stops), _front(geometry, a)]
        elif k % 2 == 0:
            walk += [_front(geometry, a), *_picks(stops), _back(geometry, a)]
        else:
            walk += [_back(geometry, a), *_picks(stops[::-1]), _front(geometry, a)]
    walk.append(geometry.depot)
    return walk


def _split_at_largest_gap(
    stops: list[tuple[float, list[int]]], back_y: float
) -> tuple[list[tuple[float, list[int]]], list[tuple[float, list[int]]]]:
    """(picked from the front, picked from the back) for one aisle."""
    ys = [0.0] + [y for y, _ in stops] + [back_y]
    gaps = [ys[i + 1] - ys[i] for i in range(len(ys) - 1)]
    cut = gaps.index(max(gaps))  # stops[:cut] from the front, stops[cut:] from the back
    return stops[:cut], stops[cut:]


def largest_gap_walk(geometry: WarehouseGeometry, spots: Sequence[Spot]) -> Walk:
    """The leftmost and rightmost aisles with picks are walked end to end; every
    aisle between is entered from the back and from the front, each time up to
    the largest gap between adjacent picks (or an end), and left the same way."""
    aisles = _by_aisle(spots)
    order = sorted(aisles)
    depot = geometry.depot
    if len(order) == 1:
        a = order[0]
        return [depot, _front(geometry, a), *_picks(aisles[a]), _front(geometry, a), depot]
    back_y = geometry.cross_aisle_y[-1]
    first, last, middle = order[0], order[-1], order[1:-1]
    splits = {a: _split_at_largest_gap(aisles[a], back_y) for a in middle}
    walk: Walk = [depot, _front(geometry, first), *_picks(aisles[first]), _back(geometry, first)]
    for a in middle:
        from_back = splits[a][1]
        if from_back:
            walk += [_back(geometry, a), *_picks(from_back[::-1]), _back(geometry, a)]
    walk += [_back(geometry, last), *_picks(aisles[last][::-1]), _front(geometry, last)]
    for a in reversed(middle):
        from_front = splits[a][0]
        if from_front:
            walk += [_front(geometry, a), *_picks(from_front), _front(geometry, a)]
    walk.append(depot)
    return walk


def walk_metres(
    geometry: WarehouseGeometry, spots: Sequence[Spot], walk: Walk
) -> tuple[float, list[int], list[float]]:
    """(total metres, pick indices in order, metres walked on reaching each)."""
    total = 0.0
    here = geometry.depot
    order: list[int] = []
    arrive: list[float] = []
    for point in walk:
        there = spots[point] if isinstance(point, int) else point
        total += geometry.distance(here, there)
        here = there
        if isinstance(point, int):
            order.append(point)
            arrive.append(total)
    return total, order, arrive
