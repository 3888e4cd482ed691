"""The layout generator: aisles × bays × levels of racking drawn from a few numbers.

``plan_layout`` is pure: it turns a ``LayoutSpec`` into bins (code, zone, rack
position, floor coordinates) and the routing geometry, so the desk can draw the
map before anything is saved. ``save_layout`` writes it: zones made when
missing, new bins inserted, bins of the same code updated in place, and with
``replace`` the warehouse's other rack bins in those aisles retired; a bin that
would be retired or moved while it holds stock refuses the whole save.
Routing (wave planning) and putaway read the new bins at once.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem, check_choice, check_code, check_range, raise_first
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.layout.geometry import geometry_of, layout_changed
from backend.layout.sites import STORAGE_CLASSES, bin_code, stock_on, warehouse
from backend.routing.geometry import PickLocation, WarehouseGeometry

PATTERN_FIELDS = frozenset({"aisle", "bay", "level", "side"})
DEFAULT_PATTERN = "A{aisle:02d}-{bay:03d}-{level}{side}"
MAX_BINS = 100_000


@dataclass(frozen=True)
class LayoutSpec:
    warehouse_id: int
    aisles: int
    bays: int  # per aisle, front to back: the routing cells
    levels: int
    first_aisle: int = 0  # routing index of the first aisle drawn (add aisles to a site)
    sides: int = 2  # racking on one or both sides of each aisle
    pattern: str = DEFAULT_PATTERN
    pick_face_levels: int = 2  # levels 1..N are pick faces, the rest reserve
    pick_zone_code: str = "PF"
    reserve_zone_code: str = "RSV"
    storage_class: str = "AMBIENT"
    pick_capacity_units: int = 120
    reserve_capacity_units: int = 400
    capacity_volume_cm3: int = 1_200_000
    capacity_weight_g: int = 250_000
    n_blocks: int = 1  # blocks along the aisles: n_blocks - 1 middle cross aisles
    cell_length_m: float = 1.3
    aisle_pitch_m: float = 3.0
    cross_aisle_width_m: float = 3.0
    depot_aisle: int = 0
    replace: bool = False


@dataclass(frozen=True)
class PlannedBin:
    label: str
    code: str
    zone_code: str
    aisle: int
    bay: int
    level: int
    side: str | None
    x_m: float
    y_m: float
    pick_face: bool


@dataclass(frozen=True)
class LayoutPlan:
    spec: LayoutSpec
    warehouse_code: str
    geometry: WarehouseGeometry
    bins: tuple[PlannedBin, ...]

    @property
    def cross_aisles_y(self) -> tuple[float, ...]:
        return self.geometry.cross_aisle_y


def check_layout(spec: LayoutSpec) -> list[Problem]:
    problems: list[Problem] = []
    check_range(spec.aisles, "aisles", problems, 1, 500)
    check_range(spec.bays, "bays", problems, 1, 1000)
    check_range(spec.levels, "levels", problems, 1, 30)
    check_range(spec.first_aisle, "firstAisle", problems, 0, 500)
    check_range(spec.sides, "sides", problems, 1, 2)
    check_range(spec.pick_face_levels, "pickFaceLevels", problems, 0, 30)
    check_range(spec.n_blocks, "nBlocks", problems, 1, max(spec.bays, 1))
    check_range(spec.depot_aisle, "depotAisle", problems, 0, spec.first_aisle + spec.aisles - 1)
    check_code(spec.pick_zone_code, "pickZoneCode", problems, 16)
    check_code(spec.reserve_zone_code, "reserveZoneCode", problems, 16)
    check_choice(spec.storage_class, "storageClass", STORAGE_CLASSES, problems)
    for name, value in (
        ("cellLengthM", spec.cell_length_m),
        ("aislePitchM", spec.aisle_pitch_m),
        ("crossAisleWidthM", spec.cross_aisle_width_m),
    ):
        if not 0 < value <= 100:
            problems.append(
                Problem(name, ErrorCode.INVALID_INPUT, f"{name} must be above 0 and at most 100 m.")
            )
    for capacity in (
        "pick_capacity_units",
        "reserve_capacity_units",
        "capacity_volume_cm3",
        "capacity_weight_g",
    ):
        check_range(getattr(spec, capacity), "capacity", problems, 0, 10**12)
    if spec.aisles * spec.bays * spec.levels * spec.sides > MAX_BINS:
        problems.append(
            Problem("aisles", ErrorCode.INVALID_INPUT, f"At most {MAX_BINS} bins in one layout.")
        )
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(spec.pattern) if f is not None}
    except ValueError:
        names = {"?"}
    if not names <= PATTERN_FIELDS or not {"aisle", "bay", "level"} <= names:
        problems.append(
            Problem(
                "pattern",
                ErrorCode.INVALID_INPUT,
                "The code pattern uses {aisle}, {bay} and {level} (and {side}), e.g. "
                + DEFAULT_PATTERN,
            )
        )
    elif spec.sides == 2 and "side" not in names:
        problems.append(
            Problem(
                "pattern",
                ErrorCode.BIN_CODE_COLLISION,
                "Two sides need {side} in the pattern, or codes collide.",
            )
        )
    return problems


def plan_layout(spec: LayoutSpec, row: m.Warehouse) -> LayoutPlan:
    """The bins and geometry a spec draws in this warehouse; refuses bad specs."""
    raise_first(check_layout(spec))
    shape = _shape(spec, row)
    geometry = geometry_of(shape)
    assert geometry is not None
    sides = ("L", "R") if spec.sides == 2 else (None,)
    bins: list[PlannedBin] = []
    seen: set[str] = set()
    half_pitch = spec.aisle_pitch_m / 4  # racking faces either side of the aisle centre line
    for a in range(spec.aisles):
        aisle = spec.first_aisle + a
        for bay in range(spec.bays):
            x, y = geometry.coordinates(PickLocation(aisle, bay))
            for level in range(1, spec.levels + 1):
                for side in sides:
                    try:
                        label = spec.pattern.format(
                            aisle=aisle + 1, bay=bay + 1, level=level, side=side or ""
                        )
                        code = bin_code(row.code, label)
                    except (ValueError, KeyError, IndexError, DomainError) as exc:
                        raise DomainError(
                            ErrorCode.INVALID_INPUT,
                            f"The pattern makes no bin code: {exc}",
                            "pattern",
                        ) from None
                    if code in seen:
                        raise DomainError(
                            ErrorCode.BIN_CODE_COLLISION,
                            f"The pattern makes {label} twice.",
                            "pattern",
                        )
                    seen.add(code)
                    pick = level <= spec.pick_face_levels
                    offset = -half_pitch if side == "L" else half_pitch if side == "R" else 0.0
                    bins.append(
                        PlannedBin(
                            label=label.upper(),
                            code=code,
                            zone_code=(
                                spec.pick_zone_code if pick else spec.reserve_zone_code
                            ).upper(),
                            aisle=aisle,
                            bay=bay,
                            level=level,
                            side=side,
                            x_m=round(x + offset, 3),
                            y_m=round(y, 3),
                            pick_face=pick,
                        )
                    )
    return LayoutPlan(spec, row.code, geometry, tuple(bins))


@dataclass(frozen=True)
class _Shape:
    n_aisles: int
    cells_per_aisle: int
    cell_length_m: float
    aisle_pitch_m: float
    cross_aisle_width_m: float
    n_blocks: int
    depot_aisle: int


def _shape(spec: LayoutSpec, row: m.Warehouse) -> _Shape:
    """The warehouse's rack area after the spec: it grows to cover the new aisles."""
    return _Shape(
        n_aisles=max(row.n_aisles, spec.first_aisle + spec.aisles),
        cells_per_aisle=max(row.cells_per_aisle if not spec.replace else 0, spec.bays),
        cell_length_m=spec.cell_length_m,
        aisle_pitch_m=spec.aisle_pitch_m,
        cross_aisle_width_m=spec.cross_aisle_width_m,
        n_blocks=spec.n_blocks,
        depot_aisle=spec.depot_aisle,
    )


async def preview_layout(session: AsyncSession, spec: LayoutSpec) -> tuple[LayoutPlan, list[str]]:
    """The plan and the codes of planned bins that already exist (updated on save)."""
    plan = plan_layout(spec, await warehouse(session, spec.warehouse_id))
    return plan, await _existing(session, plan)


async def _existing(session: AsyncSession, plan: LayoutPlan) -> list[str]:
    codes = [b.code for b in plan.bins]
    found: list[str] = []
    for start in range(0, len(codes), 5000):
        found += await session.scalars(
            select(m.Bin.code).where(m.Bin.code.in_(codes[start : start + 5000]))
        )
    return sorted(found)


@dataclass(frozen=True)
class SavedLayout:
    plan: LayoutPlan
    created: int
    updated: int
    retired: int


async def _zone(session: AsyncSession, warehouse_id: int, code: str, kind: str, klass: str) -> int:
    zone = await session.scalar(
        select(m.Zone).where(m.Zone.warehouse_id == warehouse_id, m.Zone.code == code)
    )
    if zone is None:
        name = "Pick face" if kind == m.ZoneKind.PICK_FACE else "Reserve racking"
        zone = m.Zone(
            warehouse_id=warehouse_id, code=code, name=name, kind=kind, storage_class=klass
        )
        session.add(zone)
        await session.flush()
    return zone.id


async def _current_bins(
    session: AsyncSession, warehouse_id: int
) -> dict[str, tuple[int, int | None, int | None]]:
    """Code → (id, aisle, bay) of the warehouse's bins."""
    rows = await session.execute(
        select(m.Bin.code, m.Bin.id, m.Bin.aisle, m.Bin.bay).where(
            m.Bin.warehouse_id == warehouse_id
        )
    )
    return {code: (bid, aisle, bay) for code, bid, aisle, bay in rows}


async def _refuse_held(
    session: AsyncSession,
    spec: LayoutSpec,
    plan: LayoutPlan,
    current: dict[str, tuple[int, int | None, int | None]],
) -> list[int]:
    """Bins the save retires; refused when a bin to retire or to move holds stock."""
    planned = {b.code for b in plan.bins}
    aisles = range(spec.first_aisle, spec.first_aisle + spec.aisles)
    to_retire = (
        [
            bid
            for code, (bid, aisle, _) in current.items()
            if aisle in aisles and code not in planned
        ]
        if spec.replace
        else []
    )
    moved = [
        current[b.code][0]
        for b in plan.bins
        if b.code in current and current[b.code][1:] != (b.aisle, b.bay)
    ]
    held = await stock_on(session, to_retire + moved)
    if held:
        label = await session.scalar(select(m.Bin.label).where(m.Bin.id == min(held)))
        raise DomainError(
            ErrorCode.LAYOUT_HOLDS_STOCK,
            f"{len(held)} bins this layout would retire or move hold stock (first: {label}); "
            "move the stock out first.",
            "replace",
        )
    return to_retire


def _bin_values(
    spec: LayoutSpec, warehouse_id: int, zones: dict[str, int], b: PlannedBin
) -> dict[str, object]:
    return {
        "warehouse_id": warehouse_id,
        "zone_id": zones[b.zone_code],
        "code": b.code,
        "label": b.label,
        "aisle": b.aisle,
        "bay": b.bay,
        "level": b.level,
        "side": b.side,
        "capacity_units": spec.pick_capacity_units if b.pick_face else spec.reserve_capacity_units,
        "capacity_volume_cm3": spec.capacity_volume_cm3,
        "capacity_weight_g": spec.capacity_weight_g,
        "storage_class": spec.storage_class,
        "active": True,
        "blocked": False,
    }


async def save_layout(session: AsyncSession, spec: LayoutSpec) -> SavedLayout:
    row = await session.scalar(
        select(m.Warehouse).where(m.Warehouse.id == spec.warehouse_id).with_for_update()
    )
    if row is None:
        raise DomainError(
            ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {spec.warehouse_id}.", "warehouseId"
        )
    plan = plan_layout(spec, row)
    zones = {}
    for code, kind in (
        (spec.pick_zone_code.upper(), m.ZoneKind.PICK_FACE),
        (spec.reserve_zone_code.upper(), m.ZoneKind.RESERVE),
    ):
        zones[code] = await _zone(session, row.id, code, kind, spec.storage_class)
    current = await _current_bins(session, row.id)
    taken = [c for c in await _existing(session, plan) if c not in current]
    if taken:
        raise DomainError(
            ErrorCode.BIN_CODE_COLLISION,
            f"Bin code {taken[0]} belongs to another warehouse.",
            "pattern",
        )
    to_retire = await _refuse_held(session, spec, plan, current)
    new = [_bin_values(spec, row.id, zones, b) for b in plan.bins if b.code not in current]
    for start in range(0, len(new), 2000):
        await session.execute(insert(m.Bin), new[start : start + 2000])
    kept = [b for b in plan.bins if b.code in current]
    for b in kept:
        await session.execute(
            update(m.Bin)
            .where(m.Bin.id == current[b.code][0])
            .values(**_bin_values(spec, row.id, zones, b))
        )
    if to_retire:
        await session.execute(
            update(m.Bin).where(m.Bin.id.in_(to_retire)).values(active=False, blocked=True)
        )
    shape = _shape(spec, row)
    row.n_aisles, row.cells_per_aisle = shape.n_aisles, shape.cells_per_aisle
    row.cell_length_m, row.aisle_pitch_m = shape.cell_length_m, shape.aisle_pitch_m
    row.cross_aisle_width_m = shape.cross_aisle_width_m
    row.n_blocks, row.depot_aisle = shape.n_blocks, shape.depot_aisle
    await session.flush()
    layout_changed(session.get_bind(), row.id)
    return SavedLayout(plan, len(new), len(kept), len(to_retire))
