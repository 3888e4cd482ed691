"""Routing benchmark: exact router against Held–Karp and the textbook policies.

    .venv/bin/python bench/routing.py            # 1,000 pick lists per layout
    .venv/bin/python bench/routing.py --quick    # 100 per layout

Prints figures; asserts nothing about timings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.routing.geometry import PickLocation, WarehouseGeometry
from backend.routing.routes import (
    best_route,
    largest_gap_route,
    s_shape_route,
)
from backend.routing.tsp import HELD_KARP_MAX_STOPS, held_karp

LAYOUTS = {
    "10 aisles x 45 cells": WarehouseGeometry(10, 45),
    "20 aisles x 20 cells": WarehouseGeometry(20, 20),
    "5 aisles x 90 cells": WarehouseGeometry(5, 90),
    "10 x 60, 2 blocks": WarehouseGeometry(10, 60, n_blocks=2),
}
BUCKETS = ((5, 20), (21, 50), (51, 90))


def pick_list(rng: random.Random, g: WarehouseGeometry, n: int) -> list[PickLocation]:
    return [
        PickLocation(rng.randrange(g.n_aisles), rng.randrange(g.cells_per_aisle)) for _ in range(n)
    ]


def held_karp_metres(g: WarehouseGeometry, picks: list[PickLocation]) -> float:
    points = [g.depot, *dict.fromkeys(g.spots(picks))]
    return held_karp([[g.distance(p, q) for q in points] for p in points])[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 pick lists per layout")
    parser.add_argument("--lists", type=int, default=None, help="pick lists per layout")
    args = parser.parse_args()
    lists = args.lists or (100 if args.quick else 1000)

    print(f"{lists} random pick lists of 5-90 picks per layout, depot in front of aisle 0\n")
    header = (
        f"{'layout':<22} {'HK checked':>10} {'equal':>6}"
        + "".join(f" {'S ' + f'{a}-{b}':>9} {'LG ' + f'{a}-{b}':>9}" for a, b in BUCKETS)
        + f" {'p50 ms':>7} {'p95 ms':>7}"
    )
    print("excess over optimal, mean % by picks per list (S = S-shape, LG = largest gap)")
    print(header)
    print("-" * len(header))
    for name, g in LAYOUTS.items():
        rng = random.Random(2024)
        checked = equal = 0
        excess: dict[tuple[int, int], dict[str, list[float]]] = {
            b: {"s": [], "lg": []} for b in BUCKETS
        }
        times: list[float] = []
        for _ in range(lists):
            picks = pick_list(rng, g, rng.randint(5, 90))
            t0 = time.perf_counter()
            best = best_route(g, picks)
            times.append(time.perf_counter() - t0)
            if len(picks) <= HELD_KARP_MAX_STOPS:
                checked += 1
                equal += abs(held_karp_metres(g, picks) - best.metres) < 1e-6
            bucket = next(b for b in BUCKETS if b[0] <= len(picks) <= b[1])
            excess[bucket]["s"].append(100 * (s_shape_route(g, picks).metres / best.metres - 1))
            excess[bucket]["lg"].append(
                100 * (largest_gap_route(g, picks).metres / best.metres - 1)
            )
        row = f"{name:<22} {checked:>10} {equal:>6}"
        for b in BUCKETS:
            s, lg = excess[b]["s"], excess[b]["lg"]
            row += f" {statistics.fmean(s) if s else float('nan'):>8.1f}%"
            row += f" {statistics.fmean(lg) if lg else float('nan'):>8.1f}%"
        row += f" {percentile(times, 0.5) * 1e3:>7.2f} {percentile(times, 0.95) * 1e3:>7.2f}"
        print(row)

    g = WarehouseGeometry(50, 100)
    rng = random.Random(50)
    times = []
    for _ in range(max(50, lists // 5)):
        picks = pick_list(rng, g, 200)
        t0 = time.perf_counter()
        best_route(g, picks)
        times.append(time.perf_counter() - t0)
    print(
        f"\n50 aisles x 100 cells, 200 picks, {len(times)} lists: time per exact route "
        f"p50 {percentile(times, 0.5) * 1e3:.2f} ms, p95 {percentile(times, 0.95) * 1e3:.2f} ms"
    )


if __name__ == "__main__":
    main()
