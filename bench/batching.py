"""Batching benchmark: savings + local search against first-come carts.

    .venv/bin/python bench/batching.py            # 10 waves per size
    .venv/bin/python bench/batching.py --quick    # 3 waves per size

Orders of 1-25 lines (1-2 units a line) on a 10 aisles x 45 cells layout,
carts of 30-75 units (drawn per wave) and 12 totes. Prints figures; asserts
nothing about timings.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.routing.batching import CartLimits, Order, first_come_batches, plan_batches
from backend.routing.geometry import PickLocation, WarehouseGeometry

GEOMETRY = WarehouseGeometry(10, 45)
SIZES = (20, 40, 60, 80, 100)


def wave(rng: random.Random, n_orders: int, cart_units: int) -> list[Order]:
    orders = []
    for k in range(n_orders):
        lines = rng.randint(1, 25)
        picks = tuple(
            PickLocation(rng.randrange(GEOMETRY.n_aisles), rng.randrange(GEOMETRY.cells_per_aisle))
            for _ in range(lines)
        )
        units = min(cart_units, sum(rng.choice((1, 1, 1, 2)) for _ in range(lines)))
        orders.append(Order(f"SO-{k}", picks, units))
    return orders


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="3 waves per size")
    parser.add_argument("--waves", type=int, default=None, help="waves per size")
    args = parser.parse_args()
    waves = args.waves or (3 if args.quick else 10)

    header = (
        f"{'orders':>6} {'waves':>5} {'FC tours':>8} {'SV tours':>8} {'FC m':>9} {'SV m':>9}"
        f" {'saved':>7} {'min':>6} {'max':>6} {'SV s/wave':>9}"
    )
    print("FC = first-come carts, SV = savings + local search (mean per wave)\n")
    print(header)
    print("-" * len(header))
    for n in SIZES:
        rng = random.Random(1999 + n)
        fc_m, sv_m, fc_t, sv_t, saved, secs = [], [], [], [], [], []
        for _ in range(waves):
            cart = rng.randint(30, 75)
            orders = wave(rng, n, cart)
            limits = CartLimits(totes=12, units=cart)
            fc = first_come_batches(GEOMETRY, orders, limits)
            t0 = time.perf_counter()
            sv = plan_batches(GEOMETRY, orders, limits)
            secs.append(time.perf_counter() - t0)
            fc_m.append(fc.metres)
            sv_m.append(sv.metres)
            fc_t.append(fc.tours)
            sv_t.append(sv.tours)
            saved.append(100 * (1 - sv.metres / fc.metres))
        print(
            f"{n:>6} {waves:>5} {statistics.fmean(fc_t):>8.1f} {statistics.fmean(sv_t):>8.1f}"
            f" {statistics.fmean(fc_m):>9.0f} {statistics.fmean(sv_m):>9.0f}"
            f" {statistics.fmean(saved):>6.1f}% {min(saved):>5.1f}% {max(saved):>5.1f}%"
            f" {statistics.fmean(secs):>9.2f}"
        )


if __name__ == "__main__":
    main()
