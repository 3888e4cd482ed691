"""Tours over a distance matrix: exact for few stops, local search beyond.

Node 0 is the depot; a tour starts and ends there. Used where the layout is not
a 1- or 2-block rectangle (see ``routing``), and by the tests as the reference.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Matrix = Sequence[Sequence[float]]

HELD_KARP_MAX_STOPS = 12


def tour_metres(distances: Matrix, order: Sequence[int]) -> float:
    """Length of depot → order… → depot."""
    total = 0.0
    prev = 0
    for v in order:
        total += distances[prev][v]
        prev = v
    return total + distances[prev][0]


def held_karp(distances: Matrix) -> tuple[float, list[int]]:
    """Exact shortest tour (Held & Karp 1962): O(2^n n^2), for about a dozen stops.

    Returns the length and the visiting order of nodes ``1 .. n``.
    """
    n = len(distances) - 1
    if n <= 0:
        return 0.0, []
    inf = math.inf
    full = 1 << n
    # cost[mask][j]: shortest path from the depot through ``mask`` ending at stop j
    cost = [[inf] * n for _ in range(full)]
    parent = [[-1] * n for _ in range(full)]
    for j in range(n):
        cost[1 << j][j] = distances[0][j + 1]
    bits = [1 << k for k in range(n)]
    rows = [[distances[j + 1][k + 1] for k in range(n)] for j in range(n)]
    for mask in range(1, full):
        here = cost[mask]
        free = [k for k in range(n) if not mask & bits[k]]
        if not free:
            continue
        for j in range(n):
            c = here[j]
            if c == inf:
                continue
            row = rows[j]
            for k in free:
                v = c + row[k]
                nxt = cost[mask | bits[k]]
                if v < nxt[k]:
                    nxt[k] = v
                    parent[mask | bits[k]][k] = j
    last_row = cost[full - 1]
    best, end = min((last_row[j] + distances[j + 1][0], j) for j in range(n))
    order = []
    mask = full - 1
    while end >= 0:
        order.append(end + 1)
        prev = parent[mask][end]
        mask ^= 1 << end
        end = prev
    order.reverse()
    return best, order


def nearest_neighbour(distances: Matrix) -> list[int]:
    n = len(distances) - 1
    left = set(range(1, n + 1))
    order: list[int] = []
    here = 0
    while left:
        row = distances[here]
        here = min(left, key=lambda v: (row[v], v))
        left.remove(here)
        order.append(here)
    return order


def improve(distances: Matrix, order: Sequence[int]) -> list[int]:
    """2-opt and Or-opt (segments of 1–3 stops, either direction) to a local optimum."""
    tour = [0, *order, 0]
    improved = True
    while improved:
        improved = _two_opt(distances, tour) | _or_opt(distances, tour)
    return tour[1:-1]


_EPS = 1e-9


def _two_opt(d: Matrix, tour: list[int]) -> bool:
    changed = False
    n = len(tour)
    again = True
    while again:
        again = False
        for i in range(1, n - 2):
            a, b = tour[i - 1], tour[i]
            dab = d[a][b]
            for j in range(i + 1, n - 1):
                c, e = tour[j], tour[j + 1]
                delta = d[a][c] + d[b][e] - dab - d[c][e]
                if delta < -_EPS:
                    tour[i : j + 1] = tour[i : j + 1][::-1]
                    b = tour[i]
                    dab = d[a][b]
                    again = changed = True
    return changed


def _or_opt(d: Matrix, tour: list[int]) -> bool:
    changed = False
    again = True
    while again:
        again = False
        for size in (1, 2, 3):
            i = 1
            while i + size < len(tour):
                seg = tour[i : i + size]
                prev, nxt = tour[i - 1], tour[i + size]
                gain = d[prev][seg[0]] + d[seg[-1]][nxt] - d[prev][nxt]
                rest = tour[:i] + tour[i + size :]
                best, where, flip = _EPS, -1, False
                for k in range(len(rest) - 1):
                    u, v = rest[k], rest[k + 1]
                    base = d[u][v]
                    fwd = d[u][seg[0]] + d[seg[-1]][v] - base
                    rev = d[u][seg[-1]] + d[seg[0]][v] - base
                    if gain - fwd > best:
                        best, where, flip = gain - fwd, k, False
                    if gain - rev > best:
                        best, where, flip = gain - rev, k, True
                if where >= 0:
                    piece = seg[::-1] if flip else seg
                    tour[:] = rest[: where + 1] + piece + rest[where + 1 :]
                    again = changed = True
                i += 1
    return changed


def local_search_tour(distances: Matrix) -> tuple[float, list[int]]:
    order = improve(distances, nearest_neighbour(distances))
    return tour_metres(distances, order), order
