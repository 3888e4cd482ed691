"""Exact picker routing in 1- and 2-block warehouses.

Ratliff & Rosenthal (1983), "Order-picking in a rectangular warehouse: a
solvable case of the traveling salesman problem", and its extension to a middle
cross aisle by Roodbergen & de Koster (2001), "Routing order pickers in a
warehouse with a middle aisle".

A tour is an Eulerian multigraph on the ladder formed by aisles and cross
aisles. Both papers show that an optimal one uses every edge at most twice and
that the edges inside a sub-aisle (the part of an aisle between two adjacent
cross aisles) follow one of six patterns (``SubAisle``). Sweeping the aisles
left to right, a partial tour only matters through its *boundary*, the cross-
aisle intersections of the current aisle: the parity of each one's degree (zero,
odd, even) and which of them are already connected. With one block these are
the seven equivalence classes of Ratliff & Rosenthal (``(U,U,1C)``, ``(0,E,1C)``,
``(E,0,1C)``, ``(E,E,1C)``, ``(E,E,2C)``, ``(0,0,0C)``, ``(0,0,1C)``); with a
middle aisle they are the classes of Roodbergen & de Koster.

Rather than transcribing the papers' transition tables, the transitions are
derived here once per number of cross aisles by applying edges to a canonical
boundary state (union-find on the boundary plus degree parities) and cached;
the dynamic programme then only adds up metres. The same code would be exact for
any number of blocks, but the state space grows with the Bell numbers, so the
router only uses it for one and two blocks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from enum import IntEnum

from backend.routing.geometry import ON_CROSS_AISLE, Spot, WarehouseGeometry

MAX_EXACT_BLOCKS = 2


class SubAisle(IntEnum):
    """How a tour covers one sub-aisle; the six patterns of Ratliff & Rosenthal."""

    SKIP = 0  # no edge: only when the sub-aisle has no picks
    THROUGH = 1  # walked end to end once
    THROUGH_TWICE = 2  # walked end to end twice
    FROM_FRONT = 3  # entered from the front end up to the farthest pick, and back
    FROM_BACK = 4  # entered from the back end down to the nearest pick, and back
    LARGEST_GAP = 5  # entered from both ends; the largest gap between picks is not walked


# Module-level aliases: looking members up on an Enum class is slow in hot loops.
_SKIP, _THROUGH, _TWICE, _FROM_FRONT, _FROM_BACK, _LARGEST_GAP = tuple(SubAisle)

_ALLOWED = {
    0: (SubAisle.SKIP, SubAisle.THROUGH, SubAisle.THROUGH_TWICE),
    1: (SubAisle.THROUGH, SubAisle.THROUGH_TWICE, SubAisle.FROM_FRONT, SubAisle.FROM_BACK),
    2: tuple(s for s in SubAisle if s is not SubAisle.SKIP),
}
"""Patterns allowed by the number of distinct pick positions (0, 1, 2 or more)."""

ZERO, ODD, EVEN = 0, 1, 2  # degree classes of a boundary vertex

# (degree classes, component labels with 0 = no component, closed) — see _canonical
State = tuple[tuple[int, ...], tuple[int, ...], bool]


def _degree_after(cls: int, ends: int) -> int:
    if ends == 0:
        return cls
    return ODD if (cls == ODD) ^ (ends % 2 == 1) else EVEN


def _canonical(degrees: Sequence[int], labels: Sequence[int], closed: bool) -> State:
    renumber: dict[int, int] = {}
    canon = tuple(0 if lab == 0 else renumber.setdefault(lab, len(renumber) + 1) for lab in labels)
    return tuple(degrees), canon, closed


def _after_aisle(state: State, combo: Sequence[SubAisle]) -> State | None:
    degrees, labels, closed = state
    if closed:
        # the tour is finished: nothing may be added any more
        return state if all(c is _SKIP for c in combo) else None
    deg = list(degrees)
    lab = list(labels)
    fresh = len(lab) + 1

    def touch(vertex: int, ends: int) -> None:
        nonlocal fresh
        if lab[vertex] == 0:
            lab[vertex] = fresh
            fresh += 1
        deg[vertex] = _degree_after(deg[vertex], ends)

    def join(u: int, v: int) -> None:
        old, new = lab[v], lab[u]
        if old != new:
            for i, x in enumerate(lab):
                if x == old:
                    lab[i] = new

    for i, pattern in enumerate(combo):
        if pattern is _THROUGH:
            touch(i, 1)
            touch(i + 1, 1)
            join(i, i + 1)
        elif pattern is _TWICE:
            touch(i, 2)
            touch(i + 1, 2)
            join(i, i + 1)
        elif pattern is _FROM_FRONT:
            touch(i, 2)
        elif pattern is _FROM_BACK:
            touch(i + 1, 2)
        elif pattern is _LARGEST_GAP:
            touch(i, 2)
            touch(i + 1, 2)
    return _canonical(deg, lab, False)


def _across(state: State, multiplicity: Sequence[int], depot_here: bool) -> State | None:
    """Add cross-aisle edges to the next aisle and retire the current boundary."""
    degrees, labels, closed = state
    final = [_degree_after(d, m) for d, m in zip(degrees, multiplicity, strict=True)]
    if ODD in final:
        return None  # a retired vertex keeps an odd degree: no Euler tour
    if depot_here and final[0] == ZERO:
        return None
    if closed:
        return state if not any(multiplicity) else None
    for i, m in enumerate(multiplicity):
        # A detour out and back from an untouched vertex is never shorter than not
        # making it, except to pick up the depot.
        if m and labels[i] == 0 and not (depot_here and i == 0):
            return None
    components = {lab for lab in labels if lab}
    carried = {labels[i] for i, m in enumerate(multiplicity) if m and labels[i]}
    if components - carried:
        # some component will never grow again: fine only if it is the whole tour
        if len(components) == 1 and not any(multiplicity):
            return _canonical([ZERO] * len(degrees), [0] * len(degrees), True)
        return None
    fresh = len(labels) + 1
    new_labels = []
    for i, m in enumerate(multiplicity):
        if not m:
            new_labels.append(0)
        elif labels[i]:
            new_labels.append(labels[i])
        else:
            new_labels.append(fresh)
            fresh += 1
    new_degrees = [ZERO if m == 0 else ODD if m == 1 else EVEN for m in multiplicity]
    return _canonical(new_degrees, new_labels, False)


def _never_shorter(p: SubAisle, q: SubAisle) -> bool:
    """Whether pattern ``p`` is at least as long as ``q`` in every sub-aisle."""
    return p == q or p is _TWICE or (p is _THROUGH and q is _SKIP)


def _dominates(q: tuple[SubAisle, ...], p: tuple[SubAisle, ...]) -> bool:
    """``q`` differs from ``p`` and is never longer."""
    return q != p and all(_never_shorter(a, b) for a, b in zip(p, q, strict=True))


class _Transitions:
    """All reachable boundary states and their transitions, for one number of
    cross aisles. Built once by closure from the empty state, then indexed by
    state number so that the programme does list look-ups only."""

    def __init__(self, n_cross: int) -> None:
        self.n_cross = n_cross
        n_blocks = n_cross - 1
        states: list[State] = []
        ids: dict[State, int] = {}

        def number(state: State) -> int:
            sid = ids.get(state)
            if sid is None:
                sid = ids[state] = len(states)
                states.append(state)
            return sid

        self.empty = number(_canonical([ZERO] * n_cross, [0] * n_cross, False))
        self.closed = number(_canonical([ZERO] * n_cross, [0] * n_cross, True))
        all_kinds = list(itertools.product((0, 1, 2), repeat=n_blocks))
        self.combos: dict[tuple[int, ...], list[tuple[SubAisle, ...]]] = {
            kinds: list(itertools.product(*(_ALLOWED[k] for k in kinds))) for kinds in all_kinds
        }
        multiplicities = list(itertools.product((0, 1, 2), repeat=n_cross))
        # vertical[kinds][sid]: (index into combos[kinds], next state)
        self.vertical: dict[tuple[int, ...], list[list[tuple[int, int]]]] = {
            kinds: [] for kinds in all_kinds
        }
        # cross[depot_here][sid]: (cross-aisle edges walked, next state, multiplicities)
        self.cross: tuple[list[list[tuple[int, int, tuple[int, ...]]]], ...] = ([], [])
        self.finishes: tuple[list[bool], list[bool]] = ([], [])
        done = 0
        while done < len(states):  # states grows while we go: a breadth-first closure
            state = states[done]
            for kinds in all_kinds:
                combos = self.combos[kinds]
                reached: dict[int, list[int]] = {}
                for pos, combo in enumerate(combos):
                    nxt = _after_aisle(state, combo)
                    if nxt is not None:
                        reached.setdefault(number(nxt), []).append(pos)
                # Of the patterns leading to the same state keep those that are not
                # always at least as long as another one: the programme is smaller
                # and still exact.
                row = [
                    (pos, nxt)
                    for nxt, found in reached.items()
                    for pos in found
                    if not any(
                        other != pos and _dominates(combos[other], combos[pos]) for other in found
                    )
                ]
                self.vertical[kinds].append(row)
            for depot_here in (False, True):
                cheapest: dict[int, tuple[int, int, tuple[int, ...]]] = {}
                for mult in multiplicities:
                    nxt = _across(state, mult, depot_here)
                    if nxt is not None:
                        move = (sum(mult), number(nxt), mult)
                        if move[1] not in cheapest or move < cheapest[move[1]]:
                            cheapest[move[1]] = move
                self.cross[depot_here].append(sorted(cheapest.values()))
                end = _across(state, (0,) * n_cross, depot_here)
                self.finishes[depot_here].append(end is not None and ids[end] == self.closed)
            done += 1
        self.states = states
        # The same transitions as flat lists, for the length-only programme:
        # (state, metres index, next state), where the metres index is the
        # pattern itself for one block and the index into combos otherwise.
        self.vertical_flat: dict[tuple[int, ...], list[tuple[int, int, int]]] = {
            kinds: [
                (sid, int(self.combos[kinds][pos][0]) if n_blocks == 1 else pos, nxt)
                for sid, row in enumerate(rows)
                for pos, nxt in row
            ]
            for kinds, rows in self.vertical.items()
        }
        self.multiplicities = multiplicities
        mult_index = {m: k for k, m in enumerate(multiplicities)}
        self.cross_flat: tuple[list[tuple[int, int, int]], ...] = tuple(
            [(sid, mult_index[mult], nxt) for sid, row in enumerate(rows) for _, nxt, mult in row]
            for rows in self.cross
        )


_TRANSITIONS: dict[int, _Transitions] = {}


def _transitions(n_cross: int) -> _Transitions:
    found = _TRANSITIONS.get(n_cross)
    if found is None:
        found = _TRANSITIONS[n_cross] = _Transitions(n_cross)
    return found


def _pattern_metres(ys: Sequence[float], front: float, back: float) -> list[float]:
    """Metres of each SubAisle pattern for sorted distinct pick positions ``ys``."""
    length = back - front
    if not ys:
        return [0.0, length, 2 * length, math.inf, math.inf, math.inf]
    gap = max([ys[i + 1] - ys[i] for i in range(len(ys) - 1)], default=0.0)
    return [
        math.inf,
        length,
        2 * length,
        2 * (ys[-1] - front),
        2 * (back - ys[0]),
        2 * (length - gap),
    ]


Grouped = dict[int, list[list[float]]]  # aisle -> per block, sorted distinct pick positions


def _group(spots: Sequence[Spot], n_blocks: int) -> Grouped:
    by_aisle: dict[int, list[list[float]]] = {}
    for aisle, y, block in spots:
        if block == ON_CROSS_AISLE:
            raise ValueError("pick spots must lie inside a sub-aisle")
        blocks = by_aisle.get(aisle)
        if blocks is None:
            blocks = by_aisle[aisle] = [[] for _ in range(n_blocks)]
        blocks[block].append(y)
    for blocks in by_aisle.values():
        for b, ys in enumerate(blocks):
            if len(ys) > 1:
                blocks[b] = sorted(set(ys))
    return by_aisle


# per aisle: (patterns of its sub-aisles, multiplicity of each cross-aisle edge to the next aisle)
Choices = list[tuple[int, tuple[SubAisle, ...], tuple[int, ...]]]


def _solve(geometry: WarehouseGeometry, grouped: Grouped) -> tuple[float, Choices]:
    """The programme with back pointers, on the same flat lists as ``_length``."""
    n_blocks = geometry.n_blocks
    table = _transitions(n_blocks + 1)
    cross_y = geometry.cross_aisle_y
    pitch = geometry.aisle_pitch_m
    depot = geometry.depot_aisle
    lo = min(depot, *grouped)
    hi = max(depot, *grouped)
    no_picks: list[list[float]] = [[] for _ in range(n_blocks)]
    no_kinds = (0,) * n_blocks
    one_block = n_blocks == 1
    combos = table.combos

    def metres_of(blocks: list[list[float]], kinds: tuple[int, ...]) -> list[float]:
        if one_block:
            return _pattern_metres(blocks[0], cross_y[0], cross_y[1])
        m = [_pattern_metres(ys, cross_y[b], cross_y[b + 1]) for b, ys in enumerate(blocks)]
        return [sum(m[b][p] for b, p in enumerate(c)) for c in combos[kinds]]

    empty_aisle = metres_of(no_picks, no_kinds)
    inf = math.inf
    n_states = len(table.states)
    current = [inf] * n_states
    current[table.empty] = 0.0
    plain, at_depot = table.cross_flat
    multiplicities = table.multiplicities
    walk_across = [sum(m) * pitch for m in multiplicities]
    trace: list[tuple[tuple[int, ...], list[int], list[int], list[int], list[int]]] = []
    for aisle in range(lo, hi + 1):
        blocks = grouped.get(aisle)
        if blocks is None:
            kinds, metres = no_kinds, empty_aisle
        else:
            kinds = tuple([2 if len(ys) > 1 else len(ys) for ys in blocks])
            metres = metres_of(blocks, kinds)
        after = [inf] * n_states
        from_v = [-1] * n_states
        how_v = [-1] * n_states
        for sid, pos, nxt in table.vertical_flat[kinds]:
            w = current[sid] + metres[pos]
            if w < after[nxt]:
                after[nxt] = w
                from_v[nxt] = sid
                how_v[nxt] = pos
        from_c = [-1] * n_states
        how_c = [-1] * n_states
        trace.append((kinds, from_v, how_v, from_c, how_c))
        if aisle == hi:
            break
        current = [inf] * n_states
        for sid, k, nxt in at_depot if aisle == depot else plain:
            w = after[sid] + walk_across[k]
            if w < current[nxt]:
                current[nxt] = w
                from_c[nxt] = sid
                how_c[nxt] = k
    finishes = table.finishes[hi == depot]
    best, sid = min((w, sid) for sid, w in enumerate(after) if finishes[sid])

    choices: Choices = []
    mult_out: tuple[int, ...] = (0,) * (n_blocks + 1)
    for offset in range(len(trace) - 1, -1, -1):
        kinds, from_v, how_v, _, _ = trace[offset]
        pos = how_v[sid]
        patterns = (SubAisle(pos),) if one_block else combos[kinds][pos]
        choices.append((lo + offset, patterns, mult_out))
        prev = from_v[sid]
        if offset:
            _, _, _, from_c, how_c = trace[offset - 1]
            sid, mult_out = from_c[prev], multiplicities[how_c[prev]]
    choices.reverse()
    return best, choices


def optimal_metres(geometry: WarehouseGeometry, spots: Sequence[Spot]) -> float:
    """Length of a shortest tour from the depot through every spot and back."""
    if not spots:
        return 0.0
    return _length(geometry, _group(spots, geometry.n_blocks))


def _length(geometry: WarehouseGeometry, grouped: Grouped) -> float:
    """``_solve`` without the trace, on flat transition lists: the batching hot spot."""
    n_blocks = geometry.n_blocks
    table = _transitions(n_blocks + 1)
    cross_y = geometry.cross_aisle_y
    pitch = geometry.aisle_pitch_m
    depot = geometry.depot_aisle
    lo = min(depot, *grouped)
    hi = max(depot, *grouped)
    no_picks: list[list[float]] = [[] for _ in range(n_blocks)]
    no_kinds = (0,) * n_blocks
    one_block = n_blocks == 1
    combos = table.combos

    def metres_of(blocks: list[list[float]], kinds: tuple[int, ...]) -> list[float]:
        if one_block:
            return _pattern_metres(blocks[0], cross_y[0], cross_y[1])
        m = [_pattern_metres(ys, cross_y[b], cross_y[b + 1]) for b, ys in enumerate(blocks)]
        return [sum(m[b][p] for b, p in enumerate(c)) for c in combos[kinds]]

    empty_aisle = metres_of(no_picks, no_kinds)
    inf = math.inf
    n_states = len(table.states)
    current = [inf] * n_states
    current[table.empty] = 0.0
    vertical_flat = table.vertical_flat
    plain, at_depot = table.cross_flat
    walk_across = [sum(m) * pitch for m in table.multiplicities]
    for aisle in range(lo, hi + 1):
        blocks = grouped.get(aisle)
        if blocks is None:
            kinds, metres = no_kinds, empty_aisle
        else:
            kinds = tuple([2 if len(ys) > 1 else len(ys) for ys in blocks])
            metres = metres_of(blocks, kinds)
        after = [inf] * n_states
        for sid, pos, nxt in vertical_flat[kinds]:
            w = current[sid] + metres[pos]
            if w < after[nxt]:
                after[nxt] = w
        if aisle == hi:
            finishes = table.finishes[aisle == depot]
            return min(w for sid, w in enumerate(after) if finishes[sid])
        current = [inf] * n_states
        for sid, k, nxt in at_depot if aisle == depot else plain:
            w = after[sid] + walk_across[k]
            if w < current[nxt]:
                current[nxt] = w
    raise AssertionError("unreachable")


def optimal_order(geometry: WarehouseGeometry, spots: Sequence[Spot]) -> tuple[float, list[int]]:
    """A shortest tour: its metres and the input indices in visiting order.

    The tour is rebuilt from the programme's choices as a multigraph on the
    cross-aisle intersections whose edges carry the picks met along them (a
    sub-aisle entered and left from the same end is a loop), then walked with
    Hierholzer's algorithm from the depot. Picks are listed at their first
    visit; equal spots are listed together.
    """
    if not spots:
        return 0.0, []
    if geometry.n_blocks > MAX_EXACT_BLOCKS:
        raise ValueError(f"the exact router handles at most {MAX_EXACT_BLOCKS} blocks")
    grouped = _group(spots, geometry.n_blocks)
    metres, choices = _solve(geometry, grouped)

    n_cross = geometry.n_blocks + 1

    def vertex(aisle: int, cross: int) -> int:
        return aisle * n_cross + cross

    # (from, to, distinct pick positions met walking from -> to)
    edges: list[tuple[int, int, list[float]]] = []
    nothing: list[float] = []
    for aisle, patterns, cross in choices:
        blocks = grouped.get(aisle)
        for b, pattern in enumerate(patterns):
            ys = blocks[b] if blocks else nothing
            front, back = vertex(aisle, b), vertex(aisle, b + 1)
            if pattern is _THROUGH:
                edges.append((front, back, ys))
            elif pattern is _TWICE:
                edges += [(front, back, ys), (back, front, nothing)]
            elif pattern is _FROM_FRONT:
                edges.append((front, front, ys))
            elif pattern is _FROM_BACK:
                edges.append((back, back, ys[::-1]))
            elif pattern is _LARGEST_GAP:
                gaps = [ys[i + 1] - ys[i] for i in range(len(ys) - 1)]
                cut = gaps.index(max(gaps)) + 1
                edges += [(front, front, ys[:cut]), (back, back, ys[cut:][::-1])]
        for c, times in enumerate(cross):
            edges += [(vertex(aisle, c), vertex(aisle + 1, c), nothing)] * times

    by_spot: dict[tuple[int, float], list[int]] = {}
    for i, s in enumerate(spots):
        by_spot.setdefault((s.aisle, s.y), []).append(i)
    order: list[int] = []
    for edge, forward in _euler_circuit(edges, vertex(geometry.depot_aisle, 0)):
        start, _, ys = edges[edge]
        aisle = start // n_cross
        for y in ys if forward else reversed(ys):
            group = by_spot.pop((aisle, y), None)
            if group:
                order += group
    return metres, order


def _euler_circuit(edges: Sequence[tuple[int, int, object]], start: int) -> list[tuple[int, bool]]:
    """Hierholzer's algorithm on an undirected multigraph with loops (all degrees
    even): the edges of a closed walk from ``start``, each with whether it is
    walked from its first to its second end."""
    n_vertices = 1 + max(max(u, v) for u, v, _ in edges)
    adjacency: list[list[tuple[int, int, bool]]] = [[] for _ in range(n_vertices)]
    for e, (u, v, _) in enumerate(edges):
        adjacency[u].append((v, e, True))
        if u != v:
            adjacency[v].append((u, e, False))
    used = [False] * len(edges)
    stack: list[tuple[int, int, bool]] = [(start, -1, True)]
    walked: list[tuple[int, bool]] = []
    while stack:
        v, arrived_by, forward = stack[-1]
        out = adjacency[v]
        while out and used[out[-1][1]]:
            out.pop()
        if out:
            u, e, fwd = out.pop()
            used[e] = True
            stack.append((u, e, fwd))
        else:
            stack.pop()
            if arrived_by >= 0:
                walked.append((arrived_by, forward))
    walked.reverse()
    return walked
