import pytest

from backend.outbound.packing.cartons import (
    CartonSpec,
    Goods,
    expected_weight,
    fits,
    load_of,
    suggest_carton,
    weight_within_tolerance,
)

SMALL = CartonSpec("S", 200, 150, 100, max_weight_g=5_000, tare_weight_g=150)
MEDIUM = CartonSpec("M", 400, 300, 200, max_weight_g=15_000, tare_weight_g=400)
LARGE = CartonSpec("L", 600, 400, 400, max_weight_g=25_000, tare_weight_g=900)
LONG = CartonSpec("TUBE", 1000, 100, 100, max_weight_g=3_000, tare_weight_g=200)
ALL = (LARGE, SMALL, LONG, MEDIUM)


def test_smallest_carton_that_fits_by_volume():
    goods = [Goods(4, 100, 70, 40, 200)]  # 1.12 l of a 3 l box
    assert suggest_carton(ALL, goods) == SMALL


def test_volume_beyond_the_fill_ratio_needs_the_next_size():
    goods = [Goods(10, 100, 70, 40, 100)]  # 2.8 l > 0.8 × 3 l
    assert suggest_carton((SMALL, MEDIUM, LARGE), goods) == MEDIUM
    assert suggest_carton(ALL, goods) == LONG  # 10 l, smaller than M, and the units fit it


def test_weight_limit_includes_the_carton_itself():
    goods = [Goods(1, 100, 100, 100, 4_900)]  # fits S by volume, not by weight with tare
    assert suggest_carton(ALL, goods) == MEDIUM


def test_a_long_article_needs_a_long_carton():
    goods = [Goods(1, 900, 50, 50, 500)]
    assert suggest_carton(ALL, goods) == LONG


def test_nothing_fits_is_none():
    assert suggest_carton(ALL, [Goods(1, 100, 100, 100, 30_000)]) is None
    assert suggest_carton((), [Goods(1, 10, 10, 10, 10)]) is None


def test_ties_are_broken_by_tare_then_code():
    light = CartonSpec("B", 200, 150, 100, 5_000, tare_weight_g=100)
    assert suggest_carton((SMALL, light), [Goods(1, 10, 10, 10, 10)]) == light


def test_empty_goods_take_the_smallest_carton():
    assert suggest_carton(ALL, []) == SMALL


def test_load_sums_volume_and_weight_and_keeps_largest_sides():
    load = load_of([Goods(2, 10, 20, 30, 5), Goods(1, 50, 1, 1, 7), Goods(0, 999, 999, 999, 9)])
    assert load.volume_mm3 == 2 * 6000 + 50
    assert load.weight_g == 17
    assert load.largest_sides == (50, 20, 10)


def test_negative_quantities_and_bad_fill_ratio_are_refused():
    with pytest.raises(ValueError):
        load_of([Goods(-1, 1, 1, 1, 1)])
    with pytest.raises(ValueError):
        suggest_carton(ALL, [], fill_ratio=0)


def test_rotated_article_still_fits():
    assert fits(SMALL, load_of([Goods(1, 90, 190, 140, 10)]), fill_ratio=1.0)


def test_expected_weight_and_tolerance():
    goods = [Goods(3, 10, 10, 10, 250)]
    assert expected_weight(goods, SMALL) == 900
    assert expected_weight(goods, None) == 750
    assert weight_within_tolerance(940, 900, tolerance_pct=5)
    assert not weight_within_tolerance(960, 900, tolerance_pct=5)
    assert weight_within_tolerance(960, 900, tolerance_pct=5, minimum_g=100)
