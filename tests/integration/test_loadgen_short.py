"""A short shift of the load generator (bench/loadgen.py) against a real ``wms serve``.

Six handhelds (four pickers, a packer, a receiver) signed in and subscribed to their
task feed scan flat out for a few seconds on the test's database and broadcast
backend (Redis on PostgreSQL in the suite). Nothing is asserted about time: the
shift must end with no error of any kind, every claim and finished pick task heard
by every picker, and a ledger that matches the stock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bench.loadgen import SCANS, Config, run
from tests.integration.conftest import BROADCAST_URL

pytestmark = pytest.mark.slow


async def test_a_short_shift_ends_with_no_errors_and_the_ledger_intact(
    database_url: str, tmp_path: Path
) -> None:
    # 64 one-line orders (16 pick tasks of 4 stops): more than four pickers finish in
    # 4 s here, and laying out fewer keeps the test short; a picker out of tasks
    # simply stops.
    config = Config(handhelds=6, seconds=4.0, pace="flat", workers=1, subscriptions=True, orders=64)
    # every_kind: on a busy machine the shift runs on (at most a minute) until each
    # of the five scans has been answered once, so the assertions below hold.
    outcome = await asyncio.wait_for(
        run(
            database_url,
            tmp_path,
            config,
            broadcast_url=BROADCAST_URL,
            every_kind=True,
            log=print,
        ),
        timeout=240,
    )

    assert not outcome.shift.errors, outcome.problems()
    assert not outcome.log_errors, outcome.problems()
    # Pickers claimed tasks and finished some: each claim and finish was a push
    # every picker had to hear, and none went missing.
    assert outcome.shift.causes
    assert outcome.shift.arrivals
    assert outcome.lost == 0, outcome.problems()
    assert outcome.deaf == []
    for label in SCANS:
        assert outcome.scans(label) > 0, f"no {label} in the shift: {outcome.problems()}"
    assert outcome.ledger == [], outcome.problems()
    assert outcome.ok
