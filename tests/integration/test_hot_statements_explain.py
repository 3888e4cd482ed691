"""Every statement the handheld hot paths send is EXPLAINed on PostgreSQL; none may
read a table that grows with history by a sequential scan.

The statements are the ones really sent (recorded on the app's engine while a
picker picks a task, a packer packs the totes and a receiver scans goods), with
their parameters. The planner is told `enable_seqscan = off`, so on these small
test tables it still picks an index whenever one can serve the filter: a
sequential scan left in the plan means no index fits, which on a year of
history is a full read of the table per scan.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url

from tests.integration import hot_flow
from tests.integration.conftest import DB_KIND

pytestmark = pytest.mark.skipif(DB_KIND != "postgresql", reason="EXPLAIN plans are PostgreSQL's")

# Tables whose rows accumulate with every day of work.
HISTORY = {
    "stock_moves",
    "pick_lines",
    "audit_entries",
    "idempotency_records",
    "tasks",
    "tour_orders",
    "wave_tours",
    "waves",
    "sales_orders",
    "sales_order_lines",
    "reservations",
    "pack_sessions",
    "pack_lines",
    "cartons",
    "carton_lines",
    "receipts",
    "receipt_lines",
    "purchase_orders",
    "purchase_order_lines",
    "serial_numbers",
    "sign_in_failures",
}


def _seq_scans(plan: dict[str, Any]) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in HISTORY:
        found.append(str(plan["Relation Name"]))
    for child in plan.get("Plans", []):
        found += _seq_scans(child)
    return found


async def test_hot_statements_use_indexes_on_history_tables(app, gql, database_url):
    state = app.state.wms
    recorded: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany):  # type: ignore[no-untyped-def]
        verb = statement.lstrip().split(None, 1)[0].upper()
        if not executemany and verb in {"SELECT", "UPDATE", "DELETE", "WITH"}:
            recorded.append((statement, parameters))

    floor = await hot_flow.prepare(state.sessions, orders=4, units=2, per_task=4)
    picker = await gql.token("picker")
    packer = await gql.token("packer")
    receiver = await gql.token("receiver")
    event.listen(state.engine.sync_engine, "before_cursor_execute", record)
    try:
        totes = await hot_flow.pick_task(gql, picker, floor, floor.pick_tasks[0])
        for tote in totes[:2]:
            await hot_flow.pack_tote(gql, packer, floor, tote, 2)
        receipt = await hot_flow.start_receipt(gql, receiver, floor)
        for _ in range(2):
            await hot_flow.receive_one(gql, receiver, floor, receipt)
    finally:
        event.remove(state.engine.sync_engine, "before_cursor_execute", record)
    assert recorded

    url = make_url(database_url)
    connection = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, database=url.database
    )
    offenders: dict[str, list[str]] = {}
    try:
        await connection.execute("SET enable_seqscan = off")
        seen = set()
        for statement, parameters in recorded:
            if statement in seen:
                continue
            seen.add(statement)
            args = list(parameters or ())
            (plan_text,) = await connection.fetchrow(f"EXPLAIN (FORMAT JSON) {statement}", *args)
            plan = json.loads(plan_text) if isinstance(plan_text, str) else plan_text
            tables = _seq_scans(plan[0]["Plan"])
            if tables:
                offenders[" ".join(statement.split())[:300]] = tables
    finally:
        await connection.close()
    assert not offenders, "sequential scans of history tables:\n" + "\n".join(
        f"{tables}: {sql}" for sql, tables in offenders.items()
    )
