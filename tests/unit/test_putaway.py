"""Putaway core: hard rules, each ranking rule, their order, and exactness of the fast ranking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.errors import DomainError, ErrorCode
from backend.inbound.putaway.core import (
    BinFacts,
    BinLoad,
    ItemFacts,
    ItemStock,
    PutawayRequest,
    RankingParams,
    Rule,
    prepare,
    rank,
    rank_exhaustively,
    violations,
)
from backend.inbound.putaway.loader import travel_from_dock
from backend.inbound.putaway.rules import parse_rules
from backend.routing.geometry import WarehouseGeometry

ITEM = ItemFacts(item_id=7, storage_class="AMBIENT", abc_class="B", volume_cm3=1000.0, weight_g=500)


def put(qty: int = 10, lot: int | None = None, status: str = "AVAILABLE") -> PutawayRequest:
    return PutawayRequest(warehouse_id=1, item_id=7, lot_id=lot, quantity=qty, status=status)


def a_bin(bin_id: int, **kw: object) -> BinFacts:
    fields: dict[str, object] = dict(
        bin_id=bin_id,
        code=f"B{bin_id}",
        zone_kind="RESERVE",
        storage_class="AMBIENT",
        blocked=False,
        capacity_units=100,
        capacity_volume_cm3=100_000,
        capacity_weight_g=50_000,
        level=3,
        travel_m=50.0,
    )
    fields.update(kw)
    return BinFacts(**fields)  # type: ignore[arg-type]


def best(bins, loads=None, stock=None, rules=None, item=ITEM, request=None, **params):  # type: ignore[no-untyped-def]
    ranking = RankingParams(rules=tuple(rules) if rules else RankingParams().rules, **params)
    got = rank(
        request or put(), item, bins, loads or {}, stock or ItemStock(), ranking, limit=len(bins)
    )
    return [s.bin_id for s in got]


# --- hard rules ------------------------------------------------------------------


def test_an_ordinary_bin_is_acceptable():
    assert violations(put(), ITEM, a_bin(1)) == []


@pytest.mark.parametrize(
    ("bin_kw", "request_", "code"),
    [
        ({"storage_class": "COLD"}, put(), "STORAGE_CLASS"),
        ({"blocked": True}, put(), "BIN_BLOCKED"),
        ({"zone_kind": "QC"}, put(), "NOT_STORAGE_ZONE"),
        ({"zone_kind": "RECEIVING"}, put(), "NOT_STORAGE_ZONE"),
        ({"zone_kind": "PICK_FACE"}, put(status="QUARANTINE"), "QC_ZONE_ONLY"),
        ({"capacity_units": 9}, put(10), "CAPACITY_UNITS"),
        ({"capacity_volume_cm3": 9_999}, put(10), "CAPACITY_VOLUME"),
        ({"capacity_weight_g": 4_999}, put(10), "CAPACITY_WEIGHT"),
    ],
)
def test_each_hard_rule_has_its_code(bin_kw, request_, code):
    assert violations(request_, ITEM, a_bin(1, **bin_kw)) == [code]


def test_capacity_counts_what_is_already_on_the_bin_of_every_item():
    full_ish = BinLoad(units=91, volume_cm3=1_000.0, weight_g=0)
    assert violations(put(10), ITEM, a_bin(1), full_ish) == ["CAPACITY_UNITS"]
    assert violations(put(9), ITEM, a_bin(1), full_ish) == []  # an exact fit is fine
    heavy = BinLoad(units=1, volume_cm3=0.0, weight_g=45_001)
    assert violations(put(10), ITEM, a_bin(1), heavy) == ["CAPACITY_WEIGHT"]
    bulky = BinLoad(units=1, volume_cm3=90_001.0, weight_g=0)
    assert violations(put(10), ITEM, a_bin(1), bulky) == ["CAPACITY_VOLUME"]


def test_a_capacity_of_zero_is_no_recorded_limit():
    unlimited = a_bin(1, capacity_units=0, capacity_volume_cm3=0, capacity_weight_g=0)
    assert violations(put(1_000_000), ITEM, unlimited) == []


def test_quarantined_stock_goes_to_qc_bins_and_available_stock_never_does():
    qc = a_bin(1, zone_kind="QC")
    assert violations(put(status="QUARANTINE"), ITEM, qc) == []
    assert best([qc, a_bin(2)], request=put(status="QUARANTINE")) == [1]
    assert best([qc, a_bin(2)]) == [2]


def test_storage_class_must_match_exactly():
    cold_item = ItemFacts(8, "COLD", "B", 10.0, 10)
    bins = [a_bin(1), a_bin(2, storage_class="COLD"), a_bin(3, storage_class="HAZARDOUS")]
    assert best(bins, item=cold_item) == [2]
    assert best(bins) == [1]


def test_a_second_lot_of_an_item_may_not_join_the_first_unless_allowed():
    stock = ItemStock({1: frozenset({100})})
    assert violations(put(lot=200), ITEM, a_bin(1), stock=stock) == ["MIXED_LOTS"]
    assert violations(put(lot=100), ITEM, a_bin(1), stock=stock) == []
    assert violations(put(lot=200), ITEM, a_bin(1), stock=stock, allow_mixed_lots=True) == []
    assert best([a_bin(1), a_bin(2)], stock=stock, request=put(lot=200)) == [2]


def test_blocked_bins_and_bins_without_room_are_never_suggested():
    bins = [a_bin(1, blocked=True, travel_m=1.0), a_bin(2, capacity_units=5), a_bin(3)]
    assert best(bins) == [3]
    assert best([a_bin(1, blocked=True)]) == []


def test_bad_quantity_or_status_suggests_nothing():
    assert rank(put(0), ITEM, [a_bin(1)], {}) == []
    assert rank(put(status="DAMAGED"), ITEM, [a_bin(1)], {}) == []
    assert "INVALID_QUANTITY" in violations(put(0), ITEM, a_bin(1))
    assert "UNKNOWN_STATUS" in violations(put(status="DAMAGED"), ITEM, a_bin(1))


# --- ranking rules, one at a time --------------------------------------------------


def test_consolidate_prefers_the_same_item_and_lot():
    stock = ItemStock({2: frozenset({100}), 3: frozenset({None})})
    bins = [a_bin(1, travel_m=1.0), a_bin(2), a_bin(3)]
    assert best(bins, stock=stock, rules=[Rule.CONSOLIDATE], request=put(lot=100))[0] == 2
    # Without a lot, "same item" is stock without a lot.
    assert best(bins, stock=stock, rules=[Rule.CONSOLIDATE])[0] == 3


def test_consolidate_ranks_another_lot_of_the_item_above_a_bin_without_it():
    stock = ItemStock({2: frozenset({100})})
    bins = [a_bin(1, travel_m=1.0), a_bin(2)]
    assert best(
        bins, stock=stock, rules=[Rule.CONSOLIDATE], request=put(lot=200), allow_mixed_lots=True
    ) == [2, 1]


def test_abc_puts_fast_movers_near_the_dock_at_waist_height_and_slow_movers_elsewhere():
    golden = a_bin(1, level=1, travel_m=10.0)
    too_high = a_bin(2, level=4, travel_m=5.0)
    too_far = a_bin(3, level=2, travel_m=80.0)
    bins = [too_far, too_high, golden]
    fast = ItemFacts(7, "AMBIENT", "A", 1.0, 1)
    slow = ItemFacts(7, "AMBIENT", "C", 1.0, 1)
    params = {"rules": [Rule.ABC_VELOCITY, Rule.TRAVEL], "golden_travel_m": 30.0}
    assert best(bins, item=fast, **params)[0] == 1
    assert best(bins, item=slow, **params)[-1] == 1
    # B items do not care: the next rule (travel) decides.
    assert best(bins, **params) == [2, 1, 3]


def test_travel_prefers_the_bin_nearest_the_dock_in_bands():
    bins = [a_bin(1, travel_m=40.0), a_bin(2, travel_m=12.0), a_bin(3, travel_m=25.0)]
    assert best(bins, rules=[Rule.TRAVEL]) == [2, 3, 1]
    # Within one band the next rule decides: here best fit, bin 3 is fuller.
    loads = {3: BinLoad(units=80)}
    assert best(bins, loads=loads, rules=[Rule.TRAVEL, Rule.FILL], travel_band_m=50.0)[0] == 3


def test_empty_last_keeps_empty_bins_for_big_receipts():
    bins = [a_bin(1, travel_m=1.0), a_bin(2, travel_m=90.0)]
    loads = {2: BinLoad(units=3, volume_cm3=10.0, weight_g=10)}
    assert best(bins, loads=loads, rules=[Rule.EMPTY_LAST]) == [2, 1]


def test_fill_is_best_fit():
    bins = [a_bin(1, capacity_units=1000), a_bin(2, capacity_units=20), a_bin(3, capacity_units=9)]
    assert best(bins, rules=[Rule.FILL], request=put(10)) == [2, 1]


# --- rule order --------------------------------------------------------------------


def test_the_rule_order_decides_when_rules_disagree():
    near_empty = a_bin(1, travel_m=3.0)
    far_partly_filled = a_bin(2, travel_m=60.0)
    loads = {2: BinLoad(units=10)}
    assert best([near_empty, far_partly_filled], loads, rules=[Rule.EMPTY_LAST, Rule.TRAVEL]) == [
        2,
        1,
    ]
    assert best([near_empty, far_partly_filled], loads, rules=[Rule.TRAVEL, Rule.EMPTY_LAST]) == [
        1,
        2,
    ]


def test_default_order_consolidates_before_anything_else():
    here = a_bin(2, travel_m=200.0, level=5)
    stock = ItemStock({2: frozenset({None})})
    fast = ItemFacts(7, "AMBIENT", "A", 1.0, 1)
    assert best([a_bin(1, level=1, travel_m=1.0), here], stock=stock, item=fast)[0] == 2


def test_scores_fall_with_rank_and_reasons_explain():
    stock = ItemStock({2: frozenset({100})})
    loads = {2: BinLoad(units=10, volume_cm3=100.0, weight_g=100)}
    cold_item = ItemFacts(7, "COLD", "A", 1.0, 1)
    bins = [a_bin(n, storage_class="COLD", level=1, travel_m=12.0 * n) for n in (1, 2, 3)]
    got = rank(put(lot=100), cold_item, bins, loads, stock, RankingParams(golden_travel_m=30.0))
    assert [s.bin_id for s in got] == [2, 1, 3]
    assert got[0].score > got[1].score > got[2].score
    assert got[0].bin_code == "B2"
    reasons = got[0].reasons
    assert "same item and lot already here" in reasons
    assert "fast mover near the dock at waist height" in reasons
    assert "partly filled, keeps empty bins free" in reasons
    assert "24 m from receiving" in reasons
    assert "80 units of room left" in reasons
    assert "cold storage" in reasons


def test_no_rules_still_respects_the_hard_rules():
    assert best([a_bin(1, blocked=True), a_bin(2)], rules=None, **{}) == [2]
    got = rank(put(), ITEM, [a_bin(1)], {}, params=RankingParams(rules=()))
    assert [s.bin_id for s in got] == [1]


def test_parse_rules_refuses_unknown_and_repeated_rules():
    assert parse_rules(["TRAVEL", "FILL"]) == (Rule.TRAVEL, Rule.FILL)
    with pytest.raises(DomainError) as unknown:
        parse_rules(["NEAREST"])
    assert unknown.value.code is ErrorCode.INVALID_INPUT
    with pytest.raises(DomainError) as twice:
        parse_rules(["FILL", "FILL"])
    assert twice.value.code is ErrorCode.DUPLICATE


def test_travel_from_the_dock_uses_the_routing_geometry():
    g = WarehouseGeometry(
        n_aisles=4,
        cells_per_aisle=10,
        cell_length_m=1.0,
        aisle_pitch_m=3.0,
        cross_aisle_width_m=2.0,
        depot_aisle=0,
    )
    assert travel_from_dock(g, 0, 0) == pytest.approx(1.5)  # half the cross aisle + half a cell
    assert travel_from_dock(g, 2, 0) == pytest.approx(6.0 + 1.5)
    assert travel_from_dock(g, None, None) == 0.0  # a QC cage by the dock
    assert travel_from_dock(None, 3, 3) == 0.0
    assert travel_from_dock(g, 9, 99) == travel_from_dock(g, 3, 9)  # clamped into the layout


# --- properties --------------------------------------------------------------------

bins_strategy = st.lists(
    st.builds(
        BinFacts,
        bin_id=st.integers(1, 10_000),
        code=st.just(""),
        zone_kind=st.sampled_from(["RESERVE", "PICK_FACE", "QC", "RECEIVING"]),
        storage_class=st.sampled_from(["AMBIENT", "COLD", "HAZARDOUS"]),
        blocked=st.booleans(),
        capacity_units=st.integers(0, 300),
        capacity_volume_cm3=st.integers(0, 50_000),
        capacity_weight_g=st.integers(0, 50_000),
        level=st.one_of(st.none(), st.integers(1, 5)),
        travel_m=st.floats(0, 400, allow_nan=False),
    ),
    max_size=40,
    unique_by=lambda b: b.bin_id,
)


@st.composite
def scenarios(draw):  # type: ignore[no-untyped-def]
    bins = [_with_code(b) for b in draw(bins_strategy)]
    ids = [b.bin_id for b in bins]
    loaded = draw(st.lists(st.sampled_from(ids), unique=True)) if ids else []
    loads = {
        i: BinLoad(
            draw(st.integers(0, 300)), draw(st.floats(0, 50_000)), draw(st.integers(0, 50_000))
        )
        for i in loaded
    }
    lots = st.one_of(st.none(), st.integers(1, 3))
    holding = draw(st.lists(st.sampled_from(ids), unique=True, max_size=5)) if ids else []
    stock = ItemStock({i: frozenset(draw(st.lists(lots, min_size=1, max_size=2))) for i in holding})
    item = ItemFacts(
        7,
        draw(st.sampled_from(["AMBIENT", "COLD", "HAZARDOUS"])),
        draw(st.sampled_from("ABC")),
        draw(st.floats(0, 500)),
        draw(st.integers(0, 2000)),
    )
    request = PutawayRequest(
        1,
        7,
        draw(lots),
        draw(st.integers(1, 200)),
        draw(st.sampled_from(["AVAILABLE", "QUARANTINE"])),
    )
    params = RankingParams(
        rules=tuple(draw(st.permutations(list(Rule)))[: draw(st.integers(0, 5))]),
        travel_band_m=draw(st.sampled_from([0.5, 5.0, 50.0])),
        golden_travel_m=draw(st.floats(0, 400)),
        allow_mixed_lots=draw(st.booleans()),
    )
    return request, item, bins, loads, stock, params, draw(st.integers(1, 6))


def _fields(b: BinFacts) -> dict[str, object]:
    return {name: getattr(b, name) for name in BinFacts.__slots__}  # type: ignore[attr-defined]


def _with_code(b: BinFacts) -> BinFacts:
    return BinFacts(**{**_fields(b), "code": f"B{b.bin_id:05d}"})  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_a_suggested_bin_never_breaks_a_hard_rule(scenario):
    request, item, bins, loads, stock, params, limit = scenario
    by_id = {b.bin_id: b for b in bins}
    for s in rank(request, item, bins, loads, stock, params, limit):
        b = by_id[s.bin_id]
        assert (
            violations(
                request, item, b, loads.get(b.bin_id, BinLoad()), stock, params.allow_mixed_lots
            )
            == []
        )
        assert b.storage_class == item.storage_class


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_the_early_exit_ranking_equals_grading_every_bin(scenario):
    request, item, bins, loads, stock, params, limit = scenario
    fast = rank(
        request,
        item,
        prepare(item.storage_class, item.abc_class, request.status, bins, params),
        loads,
        stock,
        params,
        limit,
    )
    slow = rank_exhaustively(request, item, bins, loads, stock, params, limit)
    assert [s.bin_id for s in fast] == [bin_id for bin_id, _ in slow]
