import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.routing.geometry import PickLocation, WarehouseGeometry
from backend.routing.graph import TravelGraph, graph_tour, rectangular_graph
from backend.routing.optimal import _transitions
from backend.routing.routes import (
    best_route,
    exact_route,
    largest_gap_route,
    s_shape_route,
    tsp_route,
)
from backend.routing.tsp import held_karp, local_search_tour, nearest_neighbour, tour_metres


def random_geometry(rng: random.Random, n_blocks: int) -> WarehouseGeometry:
    n_aisles = rng.randint(1, 7)
    return WarehouseGeometry(
        n_aisles=n_aisles,
        cells_per_aisle=rng.randint(max(n_blocks, 2), 14),
        cell_length_m=rng.choice([1.0, 1.3, 2.0]),
        aisle_pitch_m=rng.choice([1.5, 3.0, 8.0]),
        cross_aisle_width_m=rng.choice([0.0, 2.5]),
        n_blocks=n_blocks,
        depot_aisle=rng.randrange(n_aisles),
    )


def random_picks(rng: random.Random, g: WarehouseGeometry, n: int) -> list[PickLocation]:
    return [
        PickLocation(rng.randrange(g.n_aisles), rng.randrange(g.cells_per_aisle)) for _ in range(n)
    ]


def held_karp_metres(g: WarehouseGeometry, picks: list[PickLocation]) -> float:
    points = [g.depot, *dict.fromkeys(g.spots(picks))]
    return held_karp([[g.distance(p, q) for q in points] for p in points])[0]


def walked_on_graph(
    g: WarehouseGeometry, picks: list[PickLocation], stops: tuple[int, ...]
) -> float:
    """Metres of depot → stops → depot, from Dijkstra on the layout graph."""
    graph = rectangular_graph(g, picks)
    nodes = [("cross", g.depot_aisle, 0), *(("pick", picks[i].aisle, picks[i].cell) for i in stops)]
    nodes.append(nodes[0])
    return sum(graph.distances_from(a)[b] for a, b in itertools.pairwise(nodes))


# --- geometry ----------------------------------------------------------------------


@pytest.mark.parametrize("n_blocks", [1, 2, 3])
def test_closed_form_distance_equals_dijkstra(n_blocks: int) -> None:
    rng = random.Random(n_blocks)
    for _ in range(15):
        g = random_geometry(rng, n_blocks)
        picks = random_picks(rng, g, 6)
        graph = rectangular_graph(g, picks)
        for a in picks:
            reach = graph.distances_from(("pick", a.aisle, a.cell))
            assert reach[("cross", g.depot_aisle, 0)] == pytest.approx(
                g.distance(g.spot(a), g.depot)
            )
            for b in picks:
                assert reach[("pick", b.aisle, b.cell)] == pytest.approx(g.metres(a, b))


def test_cells_are_split_evenly_between_blocks_and_cross_aisles_add_length() -> None:
    g = WarehouseGeometry(3, 10, cell_length_m=1.0, cross_aisle_width_m=2.0, n_blocks=2)
    assert g.block_first_cell == (0, 5, 10)
    assert g.cross_aisle_y == (0.0, 7.0, 14.0)
    assert g.coordinates(PickLocation(2, 0)) == (6.0, 1.5)
    assert g.coordinates(PickLocation(1, 5)) == (3.0, 8.5)
    assert g.with_depot_in_middle().depot_aisle == 1


def test_out_of_range_location_is_refused() -> None:
    g = WarehouseGeometry(2, 5)
    with pytest.raises(ValueError):
        best_route(g, [PickLocation(2, 0)])
    with pytest.raises(ValueError):
        best_route(g, [PickLocation(0, 5)])


# --- the exact router --------------------------------------------------------------


def test_boundary_classes_are_those_of_the_papers() -> None:
    # Ratliff & Rosenthal: 7 equivalence classes; Roodbergen & de Koster: 25.
    assert len(_transitions(2).states) == 7
    assert len(_transitions(3).states) == 25


@pytest.mark.parametrize("n_blocks", [1, 2])
def test_exact_router_equals_held_karp(n_blocks: int) -> None:
    rng = random.Random(1983 + n_blocks)
    for _ in range(150):
        g = random_geometry(rng, n_blocks)
        picks = random_picks(rng, g, rng.randint(1, 8))
        route = exact_route(g, picks)
        assert route.metres == pytest.approx(held_karp_metres(g, picks), abs=1e-9)


@pytest.mark.parametrize("n_blocks", [1, 2])
def test_route_metres_match_an_independent_walk(n_blocks: int) -> None:
    rng = random.Random(7 + n_blocks)
    for _ in range(25):
        g = random_geometry(rng, n_blocks)
        picks = random_picks(rng, g, rng.randint(1, 30))
        route = best_route(g, picks)
        assert sorted(route.stops) == list(range(len(picks)))
        assert route.metres == pytest.approx(walked_on_graph(g, picks, route.stops))
        assert list(route.arrive_metres) == sorted(route.arrive_metres)
        assert route.metres_left(0) == route.metres
        assert route.metres_left(len(picks)) == pytest.approx(
            g.distance(g.spot(picks[route.stops[-1]]), g.depot)
        )


def test_equal_locations_are_picked_one_after_another() -> None:
    g = WarehouseGeometry(4, 10)
    picks = [PickLocation(3, 2), PickLocation(0, 1), PickLocation(3, 2), PickLocation(0, 1)]
    stops = best_route(g, picks).stops
    assert {frozenset(stops[:2]), frozenset(stops[2:])} == {frozenset({0, 2}), frozenset({1, 3})}


def test_single_aisle_is_entered_and_left_from_the_front() -> None:
    g = WarehouseGeometry(1, 10, cell_length_m=1.0, cross_aisle_width_m=2.0)
    route = best_route(g, [PickLocation(0, 3), PickLocation(0, 1)])
    assert route.stops == (1, 0)
    assert route.metres == pytest.approx(2 * (1.0 + 3.5))
    assert route.method == "ratliff-rosenthal"


def test_no_picks_is_an_empty_route() -> None:
    route = best_route(WarehouseGeometry(3, 3), [])
    assert route.stops == () and route.metres == 0.0


# --- baselines and fallbacks -------------------------------------------------------


@pytest.mark.parametrize("n_blocks", [1, 2])
def test_policies_are_never_shorter_than_optimal(n_blocks: int) -> None:
    rng = random.Random(1993 + n_blocks)
    for _ in range(60):
        g = random_geometry(rng, n_blocks)
        picks = random_picks(rng, g, rng.randint(1, 40))
        best = best_route(g, picks).metres
        for policy in (s_shape_route, largest_gap_route):
            route = policy(g, picks)
            assert sorted(route.stops) == list(range(len(picks)))
            assert route.metres >= best - 1e-9
            # the policy's own walk is never shorter than shortest paths between its stops
            assert walked_on_graph(g, picks, route.stops) <= route.metres + 1e-9


def test_s_shape_textbook_length() -> None:
    # three aisles with picks: two traversals, the last entered and left from the front
    g = WarehouseGeometry(3, 10, cell_length_m=1.0, aisle_pitch_m=3.0, cross_aisle_width_m=2.0)
    picks = [PickLocation(0, 0), PickLocation(1, 9), PickLocation(2, 4)]
    length = g.cross_aisle_y[-1]
    expected = 2 * length + 2 * 5.5 + 2 * 6.0
    assert s_shape_route(g, picks).metres == pytest.approx(expected)


def test_three_blocks_use_held_karp_then_local_search() -> None:
    rng = random.Random(3)
    g = WarehouseGeometry(6, 30, n_blocks=3, depot_aisle=2)
    few = random_picks(rng, g, 9)
    route = best_route(g, few)
    assert route.method == "held-karp"
    assert route.metres == pytest.approx(held_karp_metres(g, few))
    many = random_picks(rng, g, 40)
    route = best_route(g, many)
    assert route.method == "local-search"
    assert sorted(route.stops) == list(range(40))
    assert route.metres <= s_shape_route(g, many).metres + 1e-9


def test_local_search_improves_nearest_neighbour_and_stays_above_optimal() -> None:
    rng = random.Random(5)
    for _ in range(10):
        pts = [(rng.random() * 50, rng.random() * 50) for _ in range(11)]
        d = [[math.dist(p, q) for q in pts] for p in pts]
        exact, _ = held_karp(d)
        found, order = local_search_tour(d)
        assert sorted(order) == list(range(1, 11))
        assert exact - 1e-9 <= found <= tour_metres(d, nearest_neighbour(d)) + 1e-9


def test_graph_tour_on_an_irregular_layout() -> None:
    graph: TravelGraph[str] = TravelGraph()
    graph.add_segment("dock", "a", 5)
    graph.add_segment("a", "b", 4)
    graph.add_segment("b", "c", 4)
    graph.add_segment("c", "dock", 20)
    graph.add_segment("a", "d", 2)
    metres, order, method = graph_tour(graph, "dock", ["c", "d", "c"])
    assert method == "held-karp"
    assert metres == pytest.approx(5 + 2 + 2 + 4 + 4 + 4 + 4 + 5)  # d before c, back the same way
    assert [["c", "d", "c"][i] for i in order] in (["d", "c", "c"], ["c", "c", "d"])
    graph.add_node("island")
    with pytest.raises(ValueError):
        graph_tour(graph, "dock", ["island"])


@settings(max_examples=40, deadline=None)
@given(
    n_aisles=st.integers(1, 12),
    cells=st.integers(2, 40),
    n_blocks=st.integers(1, 2),
    seed=st.integers(0, 10_000),
    n_picks=st.integers(1, 60),
)
def test_exact_router_is_never_beaten(
    n_aisles: int, cells: int, n_blocks: int, seed: int, n_picks: int
) -> None:
    rng = random.Random(seed)
    g = WarehouseGeometry(n_aisles, cells, n_blocks=n_blocks, depot_aisle=rng.randrange(n_aisles))
    picks = random_picks(rng, g, n_picks)
    best = best_route(g, picks).metres
    assert best <= tsp_route(g, picks).metres + 1e-9
    assert best <= s_shape_route(g, picks).metres + 1e-9
    assert best <= largest_gap_route(g, picks).metres + 1e-9
