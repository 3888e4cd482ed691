"""Putaway ranking and hard rules as pure functions over plain dataclasses.

No database here: the loader (``backend.inbound.putaway.loader``) turns rows into
``BinFacts``, ``BinLoad`` and ``ItemFacts``; everything below is testable alone.

Hard rules are always enforced (``violations``). Ranking rules are ordered by a
supervisor and compared lexicographically: the first rule decides, the next
only breaks its ties, and so on. Each rule grades a bin on a small integer
scale (0 = best); the grades form one integer key in base ``GRADES``, so the
ordering is exactly lexicographic and the published ``score`` (higher is
better, in [0, 1]) follows the same order. Travel is graded in bands of
``travel_band_m`` metres, otherwise any later rule would only ever break ties
between bins at exactly the same distance.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

GRADES: Final = 256
"""Levels each rule grades on; 256**5 keys fit a float exactly."""


class Rule(StrEnum):
    CONSOLIDATE = "CONSOLIDATE"
    ABC_VELOCITY = "ABC_VELOCITY"
    TRAVEL = "TRAVEL"
    EMPTY_LAST = "EMPTY_LAST"
    FILL = "FILL"


DEFAULT_RULES: Final = (
    Rule.CONSOLIDATE,
    Rule.ABC_VELOCITY,
    Rule.EMPTY_LAST,
    Rule.TRAVEL,
    Rule.FILL,
)


class Violation(StrEnum):
    """Stable codes of the hard rules a bin breaks for a put."""

    BIN_BLOCKED = "BIN_BLOCKED"
    NOT_STORAGE_ZONE = "NOT_STORAGE_ZONE"
    QC_ZONE_ONLY = "QC_ZONE_ONLY"
    STORAGE_CLASS = "STORAGE_CLASS"
    MIXED_LOTS = "MIXED_LOTS"
    CAPACITY_UNITS = "CAPACITY_UNITS"
    CAPACITY_VOLUME = "CAPACITY_VOLUME"
    CAPACITY_WEIGHT = "CAPACITY_WEIGHT"
    UNKNOWN_STATUS = "UNKNOWN_STATUS"
    INVALID_QUANTITY = "INVALID_QUANTITY"


AVAILABLE: Final = "AVAILABLE"
QUARANTINE: Final = "QUARANTINE"
STORAGE_ZONE_KINDS: Final = frozenset({"RESERVE", "PICK_FACE"})
QC_ZONE_KINDS: Final = frozenset({"QC"})
GOLDEN_LEVELS: Final = frozenset({1, 2})


@dataclass(frozen=True)
class PutawayRequest:
    warehouse_id: int
    item_id: int
    lot_id: int | None
    quantity: int
    status: str  # "AVAILABLE" or "QUARANTINE"


@dataclass(frozen=True)
class Suggestion:
    bin_id: int
    bin_code: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ItemFacts:
    item_id: int
    storage_class: str
    abc_class: str
    volume_cm3: float  # one base unit
    weight_g: int  # one base unit


@dataclass(frozen=True, slots=True)
class BinFacts:
    """What changes rarely about a bin (cached per warehouse by the loader).

    A capacity of 0 means the limit is not recorded, so it does not limit.
    ``travel_m`` is the walk from the receiving dock.
    """

    bin_id: int
    code: str
    zone_kind: str
    storage_class: str
    blocked: bool
    capacity_units: int
    capacity_volume_cm3: int
    capacity_weight_g: int
    level: int | None
    travel_m: float


@dataclass(frozen=True, slots=True)
class BinLoad:
    """Everything on a bin now, all items together."""

    units: int = 0
    volume_cm3: float = 0.0
    weight_g: int = 0


EMPTY: Final = BinLoad()


@dataclass(frozen=True)
class RankingParams:
    rules: Sequence[Rule] = DEFAULT_RULES
    travel_band_m: float = 5.0
    # Bins at most this far from the dock (and at waist height) are the golden zone.
    golden_travel_m: float = 30.0
    allow_mixed_lots: bool = False


@dataclass(frozen=True)
class ItemStock:
    """Where the requested item already is: bin id -> its lots there (None = no lot)."""

    lots_by_bin: Mapping[int, frozenset[int | None]] = field(default_factory=dict)


NO_STOCK: Final = ItemStock()


def allowed_zone_kinds(status: str) -> frozenset[str]:
    return QC_ZONE_KINDS if status == QUARANTINE else STORAGE_ZONE_KINDS


def violations(
    request: PutawayRequest,
    item: ItemFacts,
    bin_facts: BinFacts,
    load: BinLoad = EMPTY,
    stock: ItemStock = NO_STOCK,
    allow_mixed_lots: bool = False,
) -> list[str]:
    """Hard rules the put of ``request`` onto this bin breaks; [] = acceptable."""
    out: list[str] = []
    if request.quantity <= 0:
        out.append(Violation.INVALID_QUANTITY)
    if bin_facts.blocked:
        out.append(Violation.BIN_BLOCKED)
    if request.status == QUARANTINE:
        if bin_facts.zone_kind not in QC_ZONE_KINDS:
            out.append(Violation.QC_ZONE_ONLY)
    elif request.status == AVAILABLE:
        if bin_facts.zone_kind not in STORAGE_ZONE_KINDS:
            out.append(Violation.NOT_STORAGE_ZONE)
    else:
        out.append(Violation.UNKNOWN_STATUS)
    if bin_facts.storage_class != item.storage_class:
        out.append(Violation.STORAGE_CLASS)
    if not allow_mixed_lots and _mixes_lots(
        request.lot_id, stock.lots_by_bin.get(bin_facts.bin_id)
    ):
        out.append(Violation.MIXED_LOTS)
    qty = max(request.quantity, 0)
    if bin_facts.capacity_units and load.units + qty > bin_facts.capacity_units:
        out.append(Violation.CAPACITY_UNITS)
    if (
        bin_facts.capacity_volume_cm3
        and load.volume_cm3 + qty * item.volume_cm3 > bin_facts.capacity_volume_cm3
    ):
        out.append(Violation.CAPACITY_VOLUME)
    if (
        bin_facts.capacity_weight_g
        and load.weight_g + qty * item.weight_g > bin_facts.capacity_weight_g
    ):
        out.append(Violation.CAPACITY_WEIGHT)
    return out


def _mixes_lots(lot_id: int | None, lots_here: frozenset[int | None] | None) -> bool:
    """A lot may not join another lot of the same item (untracked stock never mixes)."""
    if lot_id is None or not lots_here:
        return False
    return any(other is not None and other != lot_id for other in lots_here)


def fill_after(item: ItemFacts, bin_facts: BinFacts, load: BinLoad, quantity: int) -> float:
    """Share of the bin's binding limit used once the put is made (0 if no limit)."""
    shares = [0.0]
    if bin_facts.capacity_units:
        shares.append((load.units + quantity) / bin_facts.capacity_units)
    if bin_facts.capacity_volume_cm3:
        shares.append(
            (load.volume_cm3 + quantity * item.volume_cm3) / bin_facts.capacity_volume_cm3
        )
    if bin_facts.capacity_weight_g:
        shares.append((load.weight_g + quantity * item.weight_g) / bin_facts.capacity_weight_g)
    return max(shares)


def units_of_room_after(
    item: ItemFacts, bin_facts: BinFacts, load: BinLoad, qty: int
) -> int | None:
    """More units of this item that would still fit after the put (None = no limit)."""
    room: list[float] = []
    if bin_facts.capacity_units:
        room.append(bin_facts.capacity_units - load.units - qty)
    if bin_facts.capacity_volume_cm3 and item.volume_cm3 > 0:
        room.append((bin_facts.capacity_volume_cm3 - load.volume_cm3) / item.volume_cm3 - qty)
    if bin_facts.capacity_weight_g and item.weight_g > 0:
        room.append((bin_facts.capacity_weight_g - load.weight_g) / item.weight_g - qty)
    return max(0, int(min(room))) if room else None


def _grade(
    rule: Rule,
    request: PutawayRequest,
    item: ItemFacts,
    bin_facts: BinFacts,
    load: BinLoad,
    lots_here: frozenset[int | None] | None,
    params: RankingParams,
) -> int:
    """0 is best, GRADES - 1 worst."""
    if rule is Rule.CONSOLIDATE:
        if lots_here and request.lot_id in lots_here:
            return 0
        return 1 if lots_here else 2  # same item, other lot: still better than nothing
    if rule is Rule.ABC_VELOCITY:
        golden = _golden(bin_facts, params)
        if item.abc_class == "A":
            return 0 if golden else 1
        if item.abc_class == "C":
            return 1 if golden else 0  # keep the golden zone for fast movers
        return 0
    if rule is Rule.TRAVEL:
        return min(GRADES - 1, int(bin_facts.travel_m // params.travel_band_m))
    if rule is Rule.EMPTY_LAST:
        return 0 if load.units > 0 else 1
    # FILL, best fit: the fuller the bin ends up, the better.
    share = fill_after(item, bin_facts, load, request.quantity)
    return GRADES - 1 - min(GRADES - 1, int(share * (GRADES - 1)))


def _golden(bin_facts: BinFacts, params: RankingParams) -> bool:
    return bin_facts.level in GOLDEN_LEVELS and bin_facts.travel_m <= params.golden_travel_m


@dataclass(frozen=True)
class Candidates:
    """Bins that pass the static hard rules for one kind of put, in static-key order.

    ``static_keys[i]`` is a lower bound of ``ordered[i]``'s full key: its grades
    for ABC_VELOCITY and TRAVEL, CONSOLIDATE as "item not here", EMPTY_LAST and
    FILL at their best. It depends only on the item's class and ABC class, the
    status and the rule settings, so the loader caches it per warehouse.
    """

    ordered: tuple[BinFacts, ...]
    static_keys: tuple[int, ...]
    by_id: Mapping[int, BinFacts]


def prepare(
    storage_class: str, abc_class: str, status: str, bins: Iterable[BinFacts], params: RankingParams
) -> Candidates:
    rules = _unique(params.rules)
    zone_kinds = allowed_zone_kinds(status)
    weight = {rule: GRADES ** (len(rules) - 1 - i) for i, rule in enumerate(rules)}
    base = NOT_HERE * weight.get(Rule.CONSOLIDATE, 0)
    w_abc, w_travel = weight.get(Rule.ABC_VELOCITY, 0), weight.get(Rule.TRAVEL, 0)
    band, golden_m, top = params.travel_band_m, params.golden_travel_m, GRADES - 1
    # ABC grade of a golden bin and of any other bin (see ``_grade``).
    golden_grade, other_grade = {"A": (0, 1), "C": (1, 0)}.get(abc_class, (0, 0))
    keyed: list[tuple[int, float, str, BinFacts]] = []
    for b in bins:
        if b.blocked or b.storage_class != storage_class or b.zone_kind not in zone_kinds:
            continue
        golden = b.level in GOLDEN_LEVELS and b.travel_m <= golden_m
        key = (
            base
            + w_abc * (golden_grade if golden else other_grade)
            + w_travel * min(top, int(b.travel_m // band))
        )
        keyed.append((key, b.travel_m, b.code, b))
    keyed.sort(key=lambda k: k[:3])
    return Candidates(
        tuple(k[3] for k in keyed),
        tuple(k[0] for k in keyed),
        {k[3].bin_id: k[3] for k in keyed},
    )


NOT_HERE: Final = 2  # CONSOLIDATE grade of a bin that does not hold the item


def rank(
    request: PutawayRequest,
    item: ItemFacts,
    bins: Candidates | Iterable[BinFacts],
    loads: Mapping[int, BinLoad],
    stock: ItemStock = NO_STOCK,
    params: RankingParams = RankingParams(),
    limit: int = 3,
) -> list[Suggestion]:
    """The ``limit`` best bins for the put, best first; [] if nothing fits.

    Exact, but it does not grade every bin: bins holding the item are graded
    first, then the others in static-key order until the next lower bound is
    worse than the ``limit``-th best found (with the default order, a few
    hundred of 20,000 bins).
    """
    if limit <= 0 or request.quantity <= 0 or request.status not in (AVAILABLE, QUARANTINE):
        return []
    if not isinstance(bins, Candidates):
        bins = prepare(item.storage_class, item.abc_class, request.status, bins, params)
    rules = _unique(params.rules)
    weight = {rule: GRADES ** (len(rules) - 1 - i) for i, rule in enumerate(rules)}
    w_empty = weight.get(Rule.EMPTY_LAST, 0)
    w_fill = weight.get(Rule.FILL, 0)
    qty = request.quantity
    unit_volume, unit_weight = item.volume_cm3, item.weight_g
    lots_by_bin = stock.lots_by_bin
    best: list[tuple[int, float, str, BinFacts, BinLoad]] = []

    def offer(key: int, b: BinFacts, load: BinLoad) -> None:
        entry = (key, b.travel_m, b.code, b, load)
        if len(best) < limit or entry[:3] < best[-1][:3]:
            bisect.insort(best, entry, key=lambda e: e[:3])
            del best[limit:]

    # Bins already holding the item: few, graded in full (and checked for mixed lots).
    for bin_id, lots_here in lots_by_bin.items():
        b = bins.by_id.get(bin_id)
        if b is None:
            continue
        load = loads.get(bin_id, EMPTY)
        if violations(request, item, b, load, stock, params.allow_mixed_lots):
            continue
        key = 0
        for rule in rules:
            key = key * GRADES + _grade(rule, request, item, b, load, lots_here, params)
        offer(key, b, load)

    loads_get = loads.get
    for lower_bound, b in zip(bins.static_keys, bins.ordered, strict=True):
        if len(best) == limit and lower_bound > best[-1][0]:
            break  # every later bin is at least this bad
        if b.bin_id in lots_by_bin:
            continue
        load = loads_get(b.bin_id, EMPTY)
        if b.capacity_units and load.units + qty > b.capacity_units:
            continue
        if b.capacity_volume_cm3 and load.volume_cm3 + qty * unit_volume > b.capacity_volume_cm3:
            continue
        if b.capacity_weight_g and load.weight_g + qty * unit_weight > b.capacity_weight_g:
            continue
        key = lower_bound
        if w_empty and not load.units:
            key += w_empty
        if w_fill:
            key += w_fill * _grade(Rule.FILL, request, item, b, load, None, params)
        offer(key, b, load)

    scale = float(GRADES ** len(rules))
    return [
        Suggestion(
            bin_id=b.bin_id,
            bin_code=b.code,
            score=round(1.0 - key / scale, 9),
            reasons=reasons(request, item, b, load, lots_by_bin.get(b.bin_id), params, rules),
        )
        for key, _, _, b, load in best
    ]


def rank_exhaustively(
    request: PutawayRequest,
    item: ItemFacts,
    bins: Iterable[BinFacts],
    loads: Mapping[int, BinLoad],
    stock: ItemStock = NO_STOCK,
    params: RankingParams = RankingParams(),
    limit: int = 3,
) -> list[tuple[int, int]]:
    """(bin id, key) of the best bins by grading every bin: the reference ``rank`` must match."""
    rules = _unique(params.rules)
    graded = []
    for b in bins:
        load = loads.get(b.bin_id, EMPTY)
        if violations(request, item, b, load, stock, params.allow_mixed_lots):
            continue
        lots_here = stock.lots_by_bin.get(b.bin_id)
        key = 0
        for rule in rules:
            key = key * GRADES + _grade(rule, request, item, b, load, lots_here, params)
        graded.append((key, b.travel_m, b.code, b.bin_id))
    graded.sort()
    return [(bin_id, key) for key, _, _, bin_id in graded[:limit]]


def _unique(rules: Sequence[Rule]) -> tuple[Rule, ...]:
    seen: dict[Rule, None] = {}
    for rule in rules:
        seen.setdefault(Rule(rule), None)
    return tuple(seen)


def reasons(
    request: PutawayRequest,
    item: ItemFacts,
    b: BinFacts,
    load: BinLoad,
    lots_here: frozenset[int | None] | None,
    params: RankingParams,
    rules: Sequence[Rule],
) -> tuple[str, ...]:
    """Plain English, in rule order, for the person holding the handheld."""
    out: list[str] = []
    for rule in rules:
        if rule is Rule.CONSOLIDATE and lots_here:
            if request.lot_id in lots_here:
                out.append(
                    "same item and lot already here" if request.lot_id else "same item already here"
                )
            else:
                out.append("same item already here (another lot)")
        elif rule is Rule.ABC_VELOCITY:
            golden = _golden(b, params)
            if item.abc_class == "A" and golden:
                out.append("fast mover near the dock at waist height")
            elif item.abc_class == "C" and not golden:
                out.append("slow mover kept out of the prime spots")
        elif rule is Rule.TRAVEL:
            out.append(f"{b.travel_m:.0f} m from receiving")
        elif rule is Rule.EMPTY_LAST:
            out.append("partly filled, keeps empty bins free" if load.units else "empty bin")
        elif rule is Rule.FILL:
            room = units_of_room_after(item, b, load, request.quantity)
            out.append(
                "no capacity limit recorded" if room is None else f"{room} units of room left"
            )
    if b.storage_class != "AMBIENT":
        out.append(f"{b.storage_class.lower().replace('_', ' ')} storage")
    if request.status == QUARANTINE:
        out.append("QC zone for quarantined stock")
    return tuple(out)
