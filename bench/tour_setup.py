"""Wave planning with a tour's set-up cost: tours against first-come, metres
against a full Clarke–Wright + local search (every neighbour, no set-up cost, no
time budget) on 60-100-order waves, and CPU for a wave of 1,000 orders.

    .venv/bin/python bench/tour_setup.py [--waves 3]

Same layout and orders as bench/batching.py. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.routing.batching import CartLimits, first_come_batches, plan_batches
from bench.batching import GEOMETRY, wave


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--waves", type=int, default=3)
    args = parser.parse_args()
    print("orders  tours fc  tours plan  x fc  metres full  metres plan  x full  cpu s plan")
    for n in (60, 80, 100, 1000):
        rows = []
        for k in range(args.waves if n < 1000 else 1):
            rng = random.Random(1000 * n + k)
            units = rng.randint(30, 75)
            orders = wave(rng, n, units)
            limits = CartLimits(totes=12, units=units)
            fc = first_come_batches(GEOMETRY, orders, limits)
            t0 = time.process_time()
            plan = plan_batches(GEOMETRY, orders, limits)
            cpu = time.process_time() - t0
            full = (
                plan_batches(
                    GEOMETRY,
                    orders,
                    limits,
                    neighbours=n,
                    max_evaluations=10**9,
                    setup_metres=0.0,
                    time_budget_s=10**9,
                )
                if n < 1000
                else None
            )
            rows.append(
                (fc.tours, plan.tours, full.metres if full else float("nan"), plan.metres, cpu)
            )
        fc_t = statistics.mean(r[0] for r in rows)
        pl_t = statistics.mean(r[1] for r in rows)
        full_m = statistics.mean(r[2] for r in rows)
        pl_m = statistics.mean(r[3] for r in rows)
        worst = max(r[3] / r[2] for r in rows) if n < 1000 else float("nan")
        print(
            f"{n:6d}  {fc_t:8.1f}  {pl_t:10.1f}  {pl_t / fc_t:4.2f}  {full_m:11.0f}  {pl_m:11.0f}"
            f"  {pl_m / full_m:5.3f} (worst {worst:5.3f})  {statistics.mean(r[4] for r in rows):9.2f}"
        )


if __name__ == "__main__":
    main()
