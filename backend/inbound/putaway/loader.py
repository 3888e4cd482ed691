"""Reads the putaway core's inputs from the database in a few queries.

Static bin facts (zone kind, class, capacity, walk from the dock) are cached
per database and warehouse for ``STATIC_TTL_S`` seconds: building them for
20,000 bins costs far more than a suggestion. What a suggestion must not get
wrong is read fresh every time: the item, its stock, the load of every bin
(one GROUP BY), and each suggested bin is re-checked against its current row,
so a bin blocked or refilled since the cache was built is never suggested.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import BigInteger, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import Bin, Item, Lot, PutawayRuleSet, Quant, Warehouse, Zone
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.putaway.core import (
    DEFAULT_RULES,
    EMPTY,
    QC_ZONE_KINDS,
    STORAGE_ZONE_KINDS,
    BinFacts,
    BinLoad,
    Candidates,
    ItemFacts,
    ItemStock,
    PutawayRequest,
    RankingParams,
    Rule,
    allowed_zone_kinds,
    prepare,
)
from backend.layout.geometry import geometry_of, layout_version
from backend.routing.geometry import PickLocation, WarehouseGeometry

STATIC_TTL_S: Final = 300.0
LOADS_TTL_S: Final = 60.0
GOLDEN_SHARE: Final = 1 / 3  # default golden zone: the nearest third of the storage bins


@dataclass
class WarehouseFacts:
    """The warehouse's putaway bins, and their orderings per kind of put (built lazily)."""

    bins: tuple[BinFacts, ...]
    golden_travel_m: float
    loaded_at: float
    layout_version: int = 0
    prepared: dict[tuple[Any, ...], Candidates] = field(default_factory=dict)
    loads: dict[int, BinLoad] | None = None
    loads_at: float = 0.0

    def candidates(self, item: ItemFacts, status: str, params: RankingParams) -> Candidates:
        kinds = allowed_zone_kinds(status)
        key = (item.storage_class, item.abc_class, kinds, params)
        found = self.prepared.get(key)
        if found is None:
            found = self.prepared[key] = prepare(
                item.storage_class, item.abc_class, status, self.bins, params
            )
        return found


# Keyed by the engine, so two databases in one process never share facts.
_static: weakref.WeakKeyDictionary[Any, dict[int, WarehouseFacts]] = weakref.WeakKeyDictionary()


def _cache_for(session: AsyncSession) -> dict[int, WarehouseFacts]:
    engine = session.get_bind()
    cache = _static.get(engine)
    if cache is None:
        cache = _static[engine] = {}
    return cache


def forget(session: AsyncSession, warehouse_id: int | None = None) -> None:
    """Drop cached bin facts (after a layout change), for one warehouse or all."""
    cache = _cache_for(session)
    if warehouse_id is None:
        cache.clear()
    else:
        cache.pop(warehouse_id, None)


def travel_from_dock(
    geometry: WarehouseGeometry | None, aisle: int | None, bay: int | None
) -> float:
    """Metres from the receiving dock (the routing depot) to the bin's bay.

    Bay maps to the routing cell and aisle to aisle; level and side do not
    change the walk. A bin without a rack position (a QC cage by the dock)
    counts as at the dock.
    """
    if geometry is None or aisle is None or bay is None:
        return 0.0
    aisle = min(max(aisle, 0), geometry.n_aisles - 1)
    bay = min(max(bay, 0), geometry.cells_per_aisle - 1)
    return geometry.distance(geometry.depot, geometry.spot(PickLocation(aisle, bay)))


async def warehouse_facts(
    session: AsyncSession, warehouse_id: int, *, refresh: bool = False
) -> WarehouseFacts:
    cache = _cache_for(session)
    previous = cache.get(warehouse_id)
    version = layout_version(session.get_bind(), warehouse_id)
    if (
        previous is not None
        and not refresh
        and previous.layout_version == version
        and time.monotonic() - previous.loaded_at < STATIC_TTL_S
    ):
        return previous
    warehouse = await session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No warehouse {warehouse_id}.", "warehouseId")
    geometry = geometry_of(warehouse)
    rows = await session.execute(
        select(
            Bin.id,
            Bin.code,
            Zone.kind,
            Bin.storage_class,
            Bin.blocked,
            Bin.capacity_units,
            Bin.capacity_volume_cm3,
            Bin.capacity_weight_g,
            Bin.aisle,
            Bin.bay,
            Bin.level,
        )
        .join(Zone, Zone.id == Bin.zone_id)
        .where(
            Bin.warehouse_id == warehouse_id,
            Bin.active.is_(True),
            Zone.kind.in_(sorted(STORAGE_ZONE_KINDS | QC_ZONE_KINDS)),
        )
        .order_by(Bin.id)
    )
    bins: list[BinFacts] = []
    storage_travel: list[float] = []
    for bid, code, kind, klass, blocked, units, volume, weight, aisle, bay, level in rows:
        travel = travel_from_dock(geometry, aisle, bay)
        if kind in STORAGE_ZONE_KINDS:
            storage_travel.append(travel)
        bins.append(BinFacts(bid, code, kind, klass, blocked, units, volume, weight, level, travel))
    storage_travel.sort()
    golden = storage_travel[int(len(storage_travel) * GOLDEN_SHARE)] if storage_travel else 0.0
    facts = WarehouseFacts(tuple(bins), golden, time.monotonic(), version)
    if previous is not None:  # bin rows and loads are refreshed on their own clocks
        facts.loads, facts.loads_at = previous.loads, previous.loads_at
    cache[warehouse_id] = facts
    return facts


async def ranking_params(
    session: AsyncSession, warehouse_id: int, facts: WarehouseFacts | None = None
) -> RankingParams:
    row = await session.get(PutawayRuleSet, warehouse_id)
    golden = facts.golden_travel_m if facts else 30.0
    if row is None:
        return RankingParams(rules=DEFAULT_RULES, golden_travel_m=golden)
    return RankingParams(
        rules=tuple(Rule(r) for r in row.rules if r in Rule.__members__),
        travel_band_m=row.travel_band_m,
        golden_travel_m=row.golden_travel_m if row.golden_travel_m is not None else golden,
        allow_mixed_lots=row.allow_mixed_lots,
    )


async def item_facts(session: AsyncSession, request: PutawayRequest) -> ItemFacts:
    """The item's facts; its lot (if any) is checked in the same query."""
    lot_item = select(Lot.item_id).where(Lot.id == request.lot_id).scalar_subquery()
    row = (
        await session.execute(
            select(
                Item.storage_class,
                Item.abc_class,
                Item.length_mm,
                Item.width_mm,
                Item.height_mm,
                Item.weight_g,
                lot_item if request.lot_id is not None else literal(None),
            ).where(Item.id == request.item_id)
        )
    ).one_or_none()
    if row is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {request.item_id}.", "itemId")
    klass, abc, length, width, height, weight, owner = row
    if request.lot_id is not None:
        if owner is None:
            raise DomainError(ErrorCode.LOT_NOT_FOUND, f"No lot {request.lot_id}.", "lotId")
        if owner != request.item_id:
            raise DomainError(ErrorCode.WRONG_LOT, "That lot belongs to another item.", "lotId")
    return ItemFacts(request.item_id, klass, abc, length * width * height / 1000.0, weight)


async def item_stock(
    session: AsyncSession, request: PutawayRequest, bin_id: int | None = None
) -> ItemStock:
    """Lots of the requested item per bin of the warehouse (any status, on hand only)."""
    query = (
        select(Quant.bin_id, Quant.lot_id)
        .join(Bin, Bin.id == Quant.bin_id)
        .where(
            Quant.item_id == request.item_id,
            Quant.on_hand > 0,
            Bin.warehouse_id == request.warehouse_id,
        )
    )
    if bin_id is not None:
        query = query.where(Quant.bin_id == bin_id)
    lots: dict[int, set[int | None]] = {}
    for bid, lot in await session.execute(query):
        lots.setdefault(bid, set()).add(lot)
    return ItemStock({bid: frozenset(v) for bid, v in lots.items()})


def _volume_mm3() -> Any:
    # 64-bit arithmetic: 10,000 units of a 30 cm cube overflow PostgreSQL's integer.
    return func.sum(
        cast(Quant.on_hand, BigInteger) * Item.length_mm * Item.width_mm * Item.height_mm
    )


def _weight_g() -> Any:
    return func.sum(cast(Quant.on_hand, BigInteger) * Item.weight_g)


def _load_query(warehouse_id: int) -> Any:
    return (
        select(
            Quant.bin_id,
            func.sum(Quant.on_hand),
            _volume_mm3(),
            _weight_g(),
        )
        .join(Item, Item.id == Quant.item_id)
        .join(Bin, Bin.id == Quant.bin_id)
        .where(Bin.warehouse_id == warehouse_id, Quant.on_hand > 0)
        .group_by(Quant.bin_id)
    )


async def bin_loads(
    session: AsyncSession, warehouse_id: int, bin_ids: list[int] | None = None
) -> dict[int, BinLoad]:
    """Everything on the bins now: one GROUP BY over the quants of the warehouse."""
    query = _load_query(warehouse_id)
    if bin_ids is not None:
        query = query.where(Quant.bin_id.in_(bin_ids))
    return {
        bid: BinLoad(int(units), int(volume_mm3) / 1000.0, int(weight))
        for bid, units, volume_mm3, weight in await session.execute(query)
    }


async def snapshot_loads(
    session: AsyncSession, facts: WarehouseFacts, warehouse_id: int, *, refresh: bool = False
) -> dict[int, BinLoad]:
    """Loads of every bin, re-read at most every ``LOADS_TTL_S`` seconds.

    Only the ranking of bins that were not suggested can rest on these; the
    suggested ones are re-checked against ``bin_loads`` of just those bins.
    """
    now = time.monotonic()
    if refresh or facts.loads is None or now - facts.loads_at >= LOADS_TTL_S:
        facts.loads = await bin_loads(session, warehouse_id)
        facts.loads_at = now
    return facts.loads


async def current_bins(
    session: AsyncSession, bin_ids: list[int]
) -> dict[int, tuple[CurrentBin, BinLoad]]:
    """The bins' rows and loads as they are now, in one query: for re-checking
    what the caches suggested, and for ``check_bin``."""
    load = (
        select(
            Quant.bin_id.label("bin_id"),
            func.sum(Quant.on_hand).label("units"),
            _volume_mm3().label("volume_mm3"),
            _weight_g().label("weight_g"),
        )
        .join(Item, Item.id == Quant.item_id)
        .where(Quant.bin_id.in_(bin_ids), Quant.on_hand > 0)
        .group_by(Quant.bin_id)
        .subquery()
    )
    rows = await session.execute(
        select(
            Bin.id,
            Bin.code,
            Zone.kind,
            Bin.storage_class,
            Bin.blocked,
            Bin.capacity_units,
            Bin.capacity_volume_cm3,
            Bin.capacity_weight_g,
            Bin.level,
            Bin.warehouse_id,
            Bin.aisle,
            Bin.bay,
            load.c.units,
            load.c.volume_mm3,
            load.c.weight_g,
        )
        .join(Zone, Zone.id == Bin.zone_id)
        .outerjoin(load, load.c.bin_id == Bin.id)
        .where(Bin.id.in_(bin_ids))
    )
    out: dict[int, tuple[CurrentBin, BinLoad]] = {}
    for row in rows:
        bid, code, kind, klass, blocked, units, volume, weight, level = row[:9]
        wid, aisle, bay, on_hand, volume_mm3, weight_g = row[9:]
        facts = BinFacts(bid, code, kind, klass, blocked, units, volume, weight, level, 0.0)
        now = BinLoad(int(on_hand), int(volume_mm3) / 1000.0, int(weight_g)) if on_hand else EMPTY
        out[bid] = (CurrentBin(facts, wid, aisle, bay), now)
    return out


@dataclass(frozen=True)
class CurrentBin:
    facts: BinFacts  # travel_m is not computed here
    warehouse_id: int
    aisle: int | None
    bay: int | None
