"""A rectangular multi-block picking area and the walking distances inside it.

The model is the one of the order-picking literature (Ratliff & Rosenthal 1983,
Roodbergen & de Koster 2001): ``n_aisles`` parallel aisles, picked from both
sides, crossed at right angles by ``n_blocks + 1`` straight cross aisles that
span every aisle (one at the front, one at the back, ``n_blocks - 1`` in the
middle). Pickers walk along the centre lines; lateral movement inside an aisle
is ignored.

Coordinates, in metres: ``x`` runs across the aisles (aisle ``a`` is at
``a * aisle_pitch_m``), ``y`` runs along them from the centre line of the front
cross aisle (``y = 0``). The depot sits on the front cross aisle in front of
aisle ``depot_aisle``.

Cells (bays) are numbered ``0 .. cells_per_aisle - 1`` from the front to the
back of an aisle, across all blocks; block ``b`` holds an even share of them.
A sub-aisle (the part of an aisle inside one block) runs between the centre
lines of the cross aisles around it, so it is ``cross_aisle_width_m`` longer
than its racking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Final, NamedTuple

ON_CROSS_AISLE: Final = -1
"""The ``block`` of a spot that lies on a cross aisle (the depot, an intersection)."""


class PickLocation(NamedTuple):
    """Where a picker stops: an aisle and a cell (bay) along it, both from 0."""

    aisle: int
    cell: int


class Spot(NamedTuple):
    """A point on the walking network, precomputed for fast distances.

    Tuples rather than dataclasses: routing builds and hashes many of them.
    """

    aisle: int
    y: float
    block: int  # ON_CROSS_AISLE for points on a cross aisle


@dataclass(frozen=True)
class WarehouseGeometry:
    n_aisles: int
    cells_per_aisle: int
    cell_length_m: float = 1.3
    aisle_pitch_m: float = 3.0
    cross_aisle_width_m: float = 2.5
    n_blocks: int = 1
    depot_aisle: int = 0

    def __post_init__(self) -> None:
        if self.n_aisles < 1 or self.cells_per_aisle < 1:
            raise ValueError("a warehouse needs at least one aisle and one cell")
        if not 1 <= self.n_blocks <= self.cells_per_aisle:
            raise ValueError("n_blocks must be between 1 and cells_per_aisle")
        if not 0 <= self.depot_aisle < self.n_aisles:
            raise ValueError("depot_aisle must be an aisle index")
        if min(self.cell_length_m, self.aisle_pitch_m) <= 0 or self.cross_aisle_width_m < 0:
            raise ValueError("lengths must be positive")

    def with_depot_in_middle(self) -> WarehouseGeometry:
        return replace(self, depot_aisle=self.n_aisles // 2)

    # --- blocks and cross aisles -------------------------------------------------

    @cached_property
    def block_first_cell(self) -> tuple[int, ...]:
        """First cell of each block, plus ``cells_per_aisle`` as a sentinel."""
        n, c = self.n_blocks, self.cells_per_aisle
        return tuple(b * c // n for b in range(n + 1))

    @cached_property
    def cross_aisle_y(self) -> tuple[float, ...]:
        """Centre line of each cross aisle, front (0) to back (``n_blocks``)."""
        ys = [0.0]
        for b in range(self.n_blocks):
            cells = self.block_first_cell[b + 1] - self.block_first_cell[b]
            ys.append(ys[-1] + self.cross_aisle_width_m + cells * self.cell_length_m)
        return tuple(ys)

    @cached_property
    def _cell_spots(self) -> tuple[tuple[float, int], ...]:
        out: list[tuple[float, int]] = []
        half_cross = self.cross_aisle_width_m / 2
        for b in range(self.n_blocks):
            first, end = self.block_first_cell[b], self.block_first_cell[b + 1]
            base = self.cross_aisle_y[b] + half_cross
            for cell in range(first, end):
                out.append((base + (cell - first + 0.5) * self.cell_length_m, b))
        return tuple(out)

    def block_of(self, cell: int) -> int:
        return self._cell_spots[cell][1]

    def aisle_x(self, aisle: int) -> float:
        return aisle * self.aisle_pitch_m

    # --- spots and distances -----------------------------------------------------

    @property
    def depot(self) -> Spot:
        return Spot(self.depot_aisle, 0.0, ON_CROSS_AISLE)

    def intersection(self, aisle: int, cross_aisle: int) -> Spot:
        return Spot(aisle, self.cross_aisle_y[cross_aisle], ON_CROSS_AISLE)

    def spot(self, location: PickLocation) -> Spot:
        aisle, cell = location
        if not (0 <= aisle < self.n_aisles and 0 <= cell < self.cells_per_aisle):
            raise ValueError(
                f"pick location {tuple(location)} outside {self.n_aisles} aisles"
                f" of {self.cells_per_aisle} cells"
            )
        y, block = self._cell_spots[cell]
        return Spot(aisle, y, block)

    def spots(self, locations: Iterable[PickLocation]) -> list[Spot]:
        spot = self.spot
        return [spot(loc) for loc in locations]

    def coordinates(self, location: PickLocation) -> tuple[float, float]:
        """(x, y) in metres, for drawing a route."""
        s = self.spot(location)
        return self.aisle_x(s.aisle), s.y

    def distance(self, a: Spot, b: Spot) -> float:
        """Shortest walk between two spots.

        Every cross aisle spans every aisle, so a shortest walk between different
        aisles turns onto exactly one cross aisle: the walk is straight when a
        cross aisle lies between the two ``y`` (or they are in different blocks),
        otherwise it leaves the shared block by its nearer end.
        """
        if a.aisle == b.aisle:
            return abs(a.y - b.y)
        dx = abs(a.aisle - b.aisle) * self.aisle_pitch_m
        if a.block != b.block or a.block == ON_CROSS_AISLE:
            return dx + abs(a.y - b.y)
        front = self.cross_aisle_y[a.block]
        back = self.cross_aisle_y[a.block + 1]
        return dx + min(a.y + b.y - 2 * front, 2 * back - a.y - b.y)

    def metres(self, a: PickLocation, b: PickLocation) -> float:
        return self.distance(self.spot(a), self.spot(b))
