"""Statements per handheld scan, counted on the app's engine while a picker picks a
task, a packer packs and a receiver receives (the flows of ``hot_flow``).

Each scan must stay within its budget: the hot paths load what they need once and
answer from what they loaded, so a re-read creeping back in fails here before it
shows as latency under load.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from sqlalchemy import event

from tests.integration import hot_flow
from tests.integration.conftest import GQL, key
from tests.integration.test_inbound_support import CLOSE, PUTAWAY, SUGGEST

# Statements per request (BEGIN/COMMIT not counted), idempotency and audit included.
# Before the hot paths were made lean: 14, 15, 33 (37 closing the cart), 20, 22.
# Inbound: scanReceive 22 (21 after the first scan) -> 14 (13): receipt + dock, GTIN +
# item + packaging, settings + inspection flags, order lines, receipt lines each one
# read, the answer built from them, the quant raised by one upsert (pickConfirm 26 -> 25
# from the same upsert). scanPutaway 29 for a partial put, 21 for the last -> 24, 19:
# task and job in one read, the rest's suggestions ranked from the loaded job.
BUDGET = {
    "pickScanBin": 8,
    "pickScanItem": 9,
    "pickConfirm": 25,  # the confirm that closes the cart also finishes task and wave
    "packScan": 16,  # the first scan into a carton opens it
    "scanReceive": 14,  # the first scan also moves the order to PARTIALLY_RECEIVED
    "scanPutaway": 24,  # a partial put ranks bins again for the rest
}
# WMS_PRINT_STATEMENTS=scanReceive (or any name above) prints that mutation's statements.
SHOW = os.environ.get("WMS_PRINT_STATEMENTS", "")


async def test_hot_scans_stay_within_their_statement_budget(app, gql):
    state = app.state.wms
    # The signed-in user is re-read once its cached principal is older than the TTL (2 s):
    # on a slow machine that lands inside some scan or other. The budget is the scan's
    # own statements, so the cache is kept for the whole test.
    state.principals.ttl = 3600.0
    floor = await hot_flow.prepare(state.sessions, orders=4, units=2, per_task=4)
    picker = await gql.token("picker")
    packer = await gql.token("packer")
    receiver = await gql.token("receiver")
    counts: dict[str, list[int]] = {name: [] for name in BUDGET}
    current: Counter[str] = Counter()
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # SQLite's BEGIN IMMEDIATE is a cursor execute; PostgreSQL's BEGIN is not.
        if not statement.lstrip().upper().startswith("BEGIN"):
            current["n"] += 1
            seen.append(" ".join(statement.split())[:160])

    class Counted(GQL):
        async def __call__(
            self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
        ) -> dict[str, Any]:
            current["n"] = 0
            seen.clear()
            body = await super().__call__(query, variables, token=token)
            for name in BUDGET:
                if f"{name}(input" in query:
                    counts[name].append(current["n"])
                    if name == SHOW:
                        print(name, *seen, sep="\n  ")
            return body

    counted = Counted(gql.http, [])

    event.listen(state.engine.sync_engine, "before_cursor_execute", count)
    try:
        totes = await hot_flow.pick_task(counted, picker, floor, floor.pick_tasks[0])
        for tote in totes[:2]:
            await hot_flow.pack_tote(counted, packer, floor, tote, 2)
        receipt = await hot_flow.start_receipt(counted, receiver, floor)
        for _ in range(3):
            await hot_flow.receive_one(counted, receiver, floor, receipt)
        await _put_away(counted, receiver, receipt)
    finally:
        event.remove(state.engine.sync_engine, "before_cursor_execute", count)
    print({name: values for name, values in counts.items()})
    for name, values in counts.items():
        assert values, name
        assert max(values) <= BUDGET[name], (name, values)


async def _put_away(gql: GQL, receiver: str, receipt: str) -> None:
    """Close the receipt and put its stock away in two scans: one unit, then the rest."""
    closed = await gql(CLOSE, {"id": receipt, "key": key()}, token=receiver)
    (task,) = closed["data"]["closeReceipt"]["putawayTaskIds"]
    plan = (await gql(SUGGEST, {"task": task}, token=receiver))["data"]["putawaySuggestion"]
    target = plan["suggestions"][0]["binCode"]
    for quantity in (1, None):
        body = await gql(
            PUTAWAY,
            {
                "input": {
                    "taskId": task,
                    "binCode": target,
                    "quantity": quantity,
                    "idempotencyKey": key(),
                }
            },
            token=receiver,
        )
        assert body["data"]["scanPutaway"]["__typename"] == "ScanPutawaySuccess", body
