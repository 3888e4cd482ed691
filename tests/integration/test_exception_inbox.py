"""The exception inbox: pending adjustments, blocked and expired stock, failed print
jobs in one list with counts per kind, the actions each role may take (no
self-approval), filtered by kind and scoped to the caller's warehouses."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from backend.core.db import models as m
from tests.integration.conftest import key
from tests.integration.test_control import (
    ADJUST,
    BLOCK,
    DECIDE_ADJUSTMENT,
    call,
    fresh_bin,
    new_item,
    put,
)

INBOX = """query($kinds: [ExceptionKind!], $w: ID) { exceptionInbox(kinds: $kinds, warehouseId: $w) {
  total counts { kind count }
  items { kind id warehouseId title raisedAt itemSku binCode quantity reference actions
    raisedById raisedByName } } }"""


async def _inbox(gql, role: str, **variables):
    body = await gql(INBOX, variables, token=await gql.token(role))
    assert "errors" not in body, body
    return body["data"]["exceptionInbox"]


async def _scene(gql, session) -> dict[str, str]:
    """A costly adjustment waiting (asked by the supervisor), a blocked bin, an
    expired lot on a bin, a print job that gave up."""
    costly, blocked, shelf = (
        await fresh_bin(session, "EX-A"),
        await fresh_bin(session, "EX-B"),
        await fresh_bin(session, "EX-C"),
    )
    item = await new_item(session, "EX-1", cost=1000)
    await put(session, costly, item, 40)
    await put(session, blocked, item, 5)
    perishable = await new_item(session, "EX-2", lot_tracked=True)
    await put(session, shelf, perishable, 3, lot="OLD-1")
    lot = await session.scalar(select(m.Lot).where(m.Lot.lot_number == "OLD-1"))
    lot.expiry = date.today() - timedelta(days=2)
    wid = (await session.get(m.Bin, costly.id)).warehouse_id
    printer = m.PrinterRow(warehouse_id=wid, name="Dock", kind="RAW_TCP", address="127.0.0.1:9")
    session.add(printer)
    await session.flush()
    job = m.PrintJob(
        warehouse_id=wid,
        printer_id=printer.id,
        document_kind="PICK_LIST",
        target="1",
        state=m.PrintJobState.FAILED,
        attempts=5,
        last_error="printer offline",
    )
    session.add(job)
    await session.flush()
    job_id = str(job.id)
    await session.commit()
    pending = (
        await call(
            gql,
            "supervisor",
            ADJUST,
            bin=costly.code,
            item="EX-1",
            qty=-11,
            reason="LOST",
            key=key(),
        )
    )["adjustment"]
    assert pending["state"] == "PENDING"
    assert (await call(gql, "supervisor", BLOCK % "blockBin", bin=blocked.code, key=key()))[
        "blocked"
    ]
    return {"adjustment": pending["id"], "job": job_id, "warehouse": str(wid)}


async def test_one_list_with_counts_and_the_actions_each_role_may_take(gql, session):
    scene = await _scene(gql, session)
    inbox = await _inbox(gql, "supervisor")
    counts = {c["kind"]: c["count"] for c in inbox["counts"]}
    assert counts["ADJUSTMENT"] == 1 and counts["BLOCKED_STOCK"] == 1
    assert counts["EXPIRED_STOCK"] == 1
    assert inbox["total"] == sum(counts.values())
    by_kind = {(i["kind"], i["id"]): i for i in inbox["items"]}
    adjustment = by_kind["ADJUSTMENT", scene["adjustment"]]
    assert adjustment["itemSku"] == "EX-1" and adjustment["quantity"] == -11
    # The supervisor asked for it: approving it is not offered (the domain refuses it).
    assert "approveAdjustment" not in adjustment["actions"]
    # Named for the desk, not by id: the requester's display name.
    assert adjustment["raisedByName"] == "Supervisor One" and adjustment["raisedById"]
    blocked = next(i for i in inbox["items"] if i["kind"] == "BLOCKED_STOCK")
    assert blocked["binCode"] == "EX-B" and blocked["quantity"] == 5
    assert blocked["actions"] == ["unblockBin", "changeStockStatus"]
    expired = next(i for i in inbox["items"] if i["kind"] == "EXPIRED_STOCK")
    assert expired["itemSku"] == "EX-2" and expired["reference"] == "OLD-1"
    assert counts["PRINT_FAILED"] == 1
    failed = by_kind["PRINT_FAILED", scene["job"]]
    assert failed["actions"] == ["retryPrintJob"] and "printer offline" in failed["title"]

    admin = await _inbox(gql, "admin", kinds=["ADJUSTMENT"])
    assert [c["kind"] for c in admin["counts"]] == ["ADJUSTMENT"]
    assert [i["actions"] for i in admin["items"]] == [["approveAdjustment", "rejectAdjustment"]]

    # Deciding it takes it out of the inbox; a second decision is refused.
    approved = await call(
        gql, "admin", DECIDE_ADJUSTMENT % "approveAdjustment", id=scene["adjustment"], key=key()
    )
    assert approved["adjustment"]["state"] == "APPROVED"
    again = await call(
        gql, "admin", DECIDE_ADJUSTMENT % "rejectAdjustment", id=scene["adjustment"], key=key()
    )
    assert again["code"] == "INVALID_STATE"
    after = await _inbox(gql, "admin", kinds=["ADJUSTMENT"])
    assert after["total"] == 0 and after["items"] == []


async def test_another_warehouse_sees_nothing_and_floor_roles_are_refused(gql, session):
    await _scene(gql, session)
    other = m.Warehouse(code="W7", name="Other", timezone="UTC")
    session.add(other)
    await session.commit()
    elsewhere = await _inbox(gql, "supervisor", w=str(other.id))
    assert elsewhere["total"] == 0 and elsewhere["items"] == []
    refused = await gql(INBOX, {}, token=await gql.token("picker"))
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
