"""The one geometry of a warehouse: its row turned into the routing model.

Putaway (walk from the dock), wave planning (routes) and the layout preview all
read a warehouse through ``geometry_of``, so they never disagree about where a
bin is. Layout changes bump a per-process version so cached bin facts built on
the old layout are rebuilt at once (see ``layout_version``).
"""

from __future__ import annotations

import weakref
from typing import Any, Protocol

from backend.routing.geometry import WarehouseGeometry


class WarehouseShape(Protocol):
    """A warehouse row, or a layout not saved yet (the generator's preview)."""

    @property
    def n_aisles(self) -> int: ...
    @property
    def cells_per_aisle(self) -> int: ...
    @property
    def cell_length_m(self) -> float: ...
    @property
    def aisle_pitch_m(self) -> float: ...
    @property
    def cross_aisle_width_m(self) -> float: ...
    @property
    def n_blocks(self) -> int: ...
    @property
    def depot_aisle(self) -> int: ...


def geometry_of(
    row: WarehouseShape, max_aisle: int = -1, max_bay: int = -1
) -> WarehouseGeometry | None:
    """The routing geometry of a warehouse, grown to cover ``max_aisle``/``max_bay``
    (bins placed beyond the recorded rectangle); None when it has no rack area."""
    aisles = max(row.n_aisles, max_aisle + 1)
    cells = max(row.cells_per_aisle, max_bay + 1)
    if aisles < 1 or cells < 1:
        return None
    try:
        return WarehouseGeometry(
            n_aisles=aisles,
            cells_per_aisle=cells,
            cell_length_m=row.cell_length_m,
            aisle_pitch_m=row.aisle_pitch_m,
            cross_aisle_width_m=row.cross_aisle_width_m,
            n_blocks=min(max(row.n_blocks, 1), cells),
            depot_aisle=min(max(row.depot_aisle, 0), aisles - 1),
        )
    except ValueError:
        return None  # lengths not positive: no usable layout recorded


# Per engine (database) and warehouse: how often its layout changed in this process.
_versions: weakref.WeakKeyDictionary[Any, dict[int, int]] = weakref.WeakKeyDictionary()


def layout_version(engine: Any, warehouse_id: int) -> int:
    return _versions.get(engine, {}).get(warehouse_id, 0)


def layout_changed(engine: Any, warehouse_id: int) -> None:
    """Called after a layout change commits: caches keyed on the version rebuild."""
    per_engine = _versions.setdefault(engine, {})
    per_engine[warehouse_id] = per_engine.get(warehouse_id, 0) + 1
