"""Which carton to take: the smallest carton type the goods fit in.

Pure: no database. Volumes are in cubic millimetres, weights in grams. Goods do
not fill a box perfectly, so only ``fill_ratio`` of a carton's inner volume is
counted as usable; the longest article must also fit the carton's longest side.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DEFAULT_FILL_RATIO = 0.8


@dataclass(frozen=True)
class CartonSpec:
    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_g: int
    tare_weight_g: int = 0

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm

    @property
    def sorted_sides(self) -> tuple[int, int, int]:
        a, b, c = sorted((self.length_mm, self.width_mm, self.height_mm), reverse=True)
        return a, b, c


@dataclass(frozen=True)
class Goods:
    """``quantity`` units of one article with its unit dimensions and weight."""

    quantity: int
    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int

    @property
    def volume_mm3(self) -> int:
        return self.quantity * self.length_mm * self.width_mm * self.height_mm

    @property
    def sorted_sides(self) -> tuple[int, int, int]:
        a, b, c = sorted((self.length_mm, self.width_mm, self.height_mm), reverse=True)
        return a, b, c


@dataclass(frozen=True)
class Load:
    volume_mm3: int
    weight_g: int
    # The largest single article, side by side, longest first.
    largest_sides: tuple[int, int, int]


def load_of(goods: Iterable[Goods]) -> Load:
    volume = weight = 0
    largest = (0, 0, 0)
    for g in goods:
        if g.quantity < 0:
            raise ValueError("a negative quantity cannot be packed")
        if g.quantity == 0:
            continue
        volume += g.volume_mm3
        weight += g.quantity * g.weight_g
        largest = tuple(max(x, y) for x, y in zip(largest, g.sorted_sides, strict=True))  # type: ignore[assignment]
    return Load(volume, weight, largest)


def fits(carton: CartonSpec, load: Load, fill_ratio: float = DEFAULT_FILL_RATIO) -> bool:
    if load.weight_g + carton.tare_weight_g > carton.max_weight_g:
        return False
    if load.volume_mm3 > carton.volume_mm3 * fill_ratio:
        return False
    # Each of the article's sides (sorted) must fit the box's sides (sorted).
    return all(a <= c for a, c in zip(load.largest_sides, carton.sorted_sides, strict=True))


def suggest_carton(
    cartons: Sequence[CartonSpec], goods: Iterable[Goods], fill_ratio: float = DEFAULT_FILL_RATIO
) -> CartonSpec | None:
    """The smallest carton (by volume, then own weight, then code) the goods fit in;
    None when none is big enough (split into several cartons, or use a pallet)."""
    if not 0 < fill_ratio <= 1:
        raise ValueError("fill ratio must lie in (0, 1]")
    load = load_of(goods)
    candidates = [c for c in cartons if fits(c, load, fill_ratio)]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c.volume_mm3, c.tare_weight_g, c.code))


def expected_weight(goods: Iterable[Goods], carton: CartonSpec | None) -> int:
    return load_of(goods).weight_g + (carton.tare_weight_g if carton else 0)


def weight_within_tolerance(
    measured_g: int, expected_g: int, tolerance_pct: float, minimum_g: int = 0
) -> bool:
    """A scale reading is accepted within ``tolerance_pct`` percent of the expected
    weight, but never tighter than ``minimum_g`` (scales and packing fill vary)."""
    allowed = max(expected_g * tolerance_pct / 100.0, minimum_g)
    return abs(measured_g - expected_g) <= allowed
