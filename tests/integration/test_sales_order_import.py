"""Sales orders from a CSV file: one row per line, grouped by order number; a dry run
names row and column of every problem; apply takes every order (reserved or held for
credit like the API's) or none."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.inventory.ledger import ledger_mismatches
from tests.integration.test_imports import post
from tests.integration.test_outbound import reserved_on
from tests.integration.test_sales_order_desk import customer, priced_item

HEADER = "order_number,customer_code,item_sku,quantity,priority,channel,promised_date\n"


async def count_orders(session, prefix: str) -> int:
    found = await session.scalar(
        select(func.count(m.SalesOrder.id)).where(m.SalesOrder.number.like(f"{prefix}%"))
    )
    await session.rollback()
    return int(found or 0)


async def test_dry_run_errors_then_all_or_nothing_apply(client, gql, session):
    tea = await priced_item(session, "IMPSO-1", 30, 100, 721)
    await priced_item(session, "IMPSO-2", 30, 100, 722)
    plain = await customer(session, "C-IMPSO")
    tight = await customer(session, "C-IMPSO-T", limit=500)
    planner = await gql.token("planner")
    bad = (
        HEADER
        + f"IS-1,{plain},IMPSO-1,4,3,WEB,2027-05-01\n"
        + f"IS-1,{plain},IMPSO-X,2,3,WEB,2027-05-01\n"  # unknown SKU
        + "IS-2,NOBODY,IMPSO-2,1,5,,\n"  # unknown customer
        + f"IS-3,{plain},IMPSO-2,0,5,,\n"  # zero quantity
        + f"IS-1,{plain},IMPSO-2,2,7,WEB,2027-05-01\n"  # priority differs from line 2
        + f"IS-4,{plain},IMPSO-2,1,5,,31/02/2027\n"  # not a date
    ).encode()
    dry = await post(client, planner, "sales_orders", bad, "dry-run", warehouseId="1")
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert report["rows"] == 6 and report["errorRows"] == 5 and not report["applied"]
    where = {(e["line"], e["column"], e["code"]) for e in report["errors"]}
    assert where == {
        (3, "item_sku", "ITEM_NOT_FOUND"),
        (4, "customer_code", "NOT_FOUND"),
        (5, "quantity", "INVALID_QUANTITY"),
        (6, "customer_code", "INVALID_INPUT"),
        (7, "promised_date", "INVALID_INPUT"),
    }
    refused = await post(client, planner, "sales_orders", bad, "apply", warehouseId="1")
    assert refused.json()["applied"] is False
    assert await count_orders(session, "IS-") == 0
    good = (
        HEADER
        + f"IS-1,{plain},IMPSO-1,4,3,WEB,2027-05-01\n"
        + f"IS-2,{tight},IMPSO-2,9,5,,\n"  # 900 cents: over the 500 limit
        + f"IS-1,{plain},IMPSO-2,2,3,WEB,2027-05-01\n"  # not adjacent: same order
    ).encode()
    applied = await post(client, planner, "sales_orders", good, "apply", warehouseId="1")
    assert applied.json()["applied"] is True, applied.json()
    rows = (
        await session.execute(
            select(
                m.SalesOrder.number, m.SalesOrder.state, m.SalesOrder.source, m.SalesOrder.priority
            )
            .where(m.SalesOrder.number.like("IS-%"))
            .order_by(m.SalesOrder.number)
        )
    ).all()
    lines = await session.scalar(
        select(func.count(m.SalesOrderLine.id))
        .join(m.SalesOrder, m.SalesOrder.id == m.SalesOrderLine.order_id)
        .where(m.SalesOrder.number == "IS-1")
    )
    await session.rollback()
    assert [tuple(r) for r in rows] == [
        ("IS-1", "RESERVED", "IMPORT", 3),
        ("IS-2", "CREDIT_HOLD", "IMPORT", 5),
    ]
    assert lines == 2
    assert sum((await reserved_on(session, tea)).values()) == 4
    # Importing the same file again is refused as a whole: the numbers are taken.
    again = await post(client, planner, "sales_orders", good, "apply", warehouseId="1")
    assert again.json()["applied"] is False
    assert {e["code"] for e in again.json()["errors"]} == {"DUPLICATE"}
    assert await count_orders(session, "IS-") == 2
    exported = await client.get(
        "/exports/sales_orders.csv",
        params={"warehouseId": "1"},
        headers={"authorization": f"Bearer {planner}"},
    )
    assert exported.status_code == 200, exported.text
    assert exported.text.count("IS-1,") == 2 and "IS-2,C-IMPSO-T,IMPSO-2,9" in exported.text
    assert await ledger_mismatches(session) == []
