"""Imports and exports over HTTP: dry run by line and column, all-or-nothing apply,
encodings, XLSX, opening stock through the ledger, templates and round trips."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.core.db import models as m
from backend.http import imports as import_route
from backend.inventory.ledger import ledger_mismatches
from tests.integration.test_inbound_support import fetch

HEADER = "sku,name,base_unit,gtin,case_qty,case_gtin,tracking,expiry_tracked\n"


def ean13(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


async def post(client: Any, token: str, kind: str, body: bytes, mode: str, **params: str) -> Any:
    return await client.post(
        f"/imports/{kind}",
        params={"mode": mode, **params},
        content=body,
        headers={"authorization": f"Bearer {token}"},
    )


async def test_items_csv_dry_run_then_apply(client, gql, session):
    admin = await gql.token("admin")
    rows = "".join(
        f"IMP-{n},Article {n},EA,{ean13(f'20000000{n:04d}')},12,,NONE,no\n" for n in range(50)
    )
    body = ("\ufeff" + HEADER + rows).encode()
    dry = await post(client, admin, "items", body, "dry-run")
    assert dry.status_code == 200, dry.text
    assert dry.json()["rows"] == 50 and dry.json()["errorRows"] == 0
    assert not dry.json()["applied"]
    assert await fetch(session, select(func.count()).where(m.Item.sku.like("IMP-%"))) == 0
    applied = await post(client, admin, "items", body, "apply")
    assert applied.json()["applied"] is True
    assert await fetch(session, select(func.count()).where(m.Item.sku.like("IMP-%"))) == 50
    case = await fetch(
        session,
        select(m.ItemPackaging.quantity)
        .join(m.Item, m.Item.id == m.ItemPackaging.item_id)
        .where(m.Item.sku == "IMP-7", m.ItemPackaging.level == "CASE"),
    )
    assert case == 12
    audit = await fetch(
        session, select(m.AuditEntry.entity_id).where(m.AuditEntry.action == "importMasterData")
    )
    assert audit == "items"


async def test_bad_rows_are_reported_by_line_and_column_and_nothing_applies(client, gql, session):
    admin = await gql.token("admin")
    good = ean13("300000000001")
    body = (
        HEADER
        + f"BAD-1,Fine,EA,{good},,,NONE,no\n"  # line 2: fine
        + f"BAD-1,Again,EA,{ean13('300000000002')},,,NONE,no\n"  # line 3: duplicate SKU
        + "BAD-3,Check,EA,4006381333932,,,NONE,no\n"  # line 4: bad check digit
        + "BAD-4,Unit,BARREL,,,,NONE,no\n"  # line 5: unknown unit
        + f"BAD-5,Gtin twice,EA,{good},,,NONE,no\n"  # line 6: GTIN of line 2
        + "BAD-6,Case,EA,,abc,,NONE,maybe\n"  # line 7: two bad cells
    ).encode()
    for mode in ("dry-run", "apply"):
        response = await post(client, admin, "items", body, mode)
        report = response.json()
        found = {(e["line"], e["column"], e["code"]) for e in report["errors"]}
        assert found == {
            (3, "sku", "DUPLICATE"),
            (4, "gtin", "GTIN_BAD_CHECK_DIGIT"),
            (5, "base_unit", "UNKNOWN_UNIT"),
            (6, "gtin", "DUPLICATE"),
            (7, "case_qty", "INVALID_INPUT"),
            (7, "expiry_tracked", "INVALID_INPUT"),
        }, report
        assert report["errorRows"] == 5 and report["applied"] is False
    assert await fetch(session, select(func.count()).where(m.Item.sku.like("BAD-%"))) == 0

    wrong = await post(client, admin, "items", b"sku,title,colour\nA,B,C\n", "dry-run")
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "IMPORT_BAD_COLUMNS"
    assert "title" in wrong.json()["message"] and "name" in wrong.json()["message"]


async def test_encodings_gbk_and_bom_and_refusal(client, gql, session):
    admin = await gql.token("admin")
    text = "sku,name,category\nCN-1,绿茶 500克,茶叶\nCN-2,乌龙茶,茶叶\n"
    for encoding, prefix in (("gbk", "G"), ("utf-8-sig", "B"), ("utf-8", "U")):
        body = text.replace("CN-", f"CN{prefix}-").encode(encoding)
        report = (await post(client, admin, "items", body, "apply")).json()
        assert report["applied"] is True, (encoding, report)
        name = await fetch(session, select(m.Item.name).where(m.Item.sku == f"CN{prefix}-1"))
        assert name == "绿茶 500克"
    bad = await post(client, admin, "items", b"sku,name\nX-1,\xff\xfe\xfa\xfb\n", "dry-run")
    assert bad.json()["code"] == "IMPORT_BAD_ENCODING"


async def test_xlsx_import_and_export_round_trip(client, gql, session):
    openpyxl = pytest.importorskip("openpyxl")
    admin = await gql.token("admin")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "payment_terms", "lead_time_days", "rating"])
    sheet.append(["SUP-XL1", "Excel Supplier", "30 days", 14, 5])
    sheet.append(["SUP-XL2", "Bad rating", "", 3, 9])
    buffer = io.BytesIO()
    book.save(buffer)
    report = (await post(client, admin, "suppliers", buffer.getvalue(), "apply")).json()
    assert "errors" in report, report
    assert [(e["line"], e["column"]) for e in report["errors"]] == [(3, "rating")]
    assert report["applied"] is False
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    report = (await post(client, admin, "suppliers", buffer.getvalue(), "apply")).json()
    assert report["applied"] is True
    lead = await fetch(
        session, select(m.Supplier.lead_time_days).where(m.Supplier.code == "SUP-XL1")
    )
    assert lead == 14
    exported = await client.get(
        "/exports/suppliers.xlsx", headers={"authorization": f"Bearer {admin}"}
    )
    assert exported.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True)
    )
    assert rows[0][0] == "code" and any(r[0] == "SUP-XL1" for r in rows[1:])
    template = await client.get(
        "/imports/items/template.xlsx", headers={"authorization": f"Bearer {admin}"}
    )
    assert template.status_code == 200 and template.content[:2] == b"PK"


async def test_export_csv_imports_back_without_errors(client, gql):
    admin = await gql.token("admin")
    headers = {"authorization": f"Bearer {admin}"}
    for kind in ("items", "customers", "carriers", "warehouses", "zones", "bins", "users"):
        exported = await client.get(f"/exports/{kind}.csv", headers=headers)
        assert exported.status_code == 200, (kind, exported.text)
        body = exported.content
        if (
            kind == "users"
        ):  # secrets are never exported: re-import needs no password for known users
            pass
        report = (await post(client, admin, kind, body, "dry-run")).json()
        assert report["rows"] > 0 and report["errorRows"] == 0, (kind, report["errors"][:3])
    template = await client.get("/imports/opening_stock/template.csv", headers=headers)
    assert template.text.lstrip("\ufeff").startswith("bin,sku,quantity,lot,expiry,status")
    picker = await gql.token("picker")
    denied = await post(client, picker, "items", b"sku,name\nA,B\n", "apply")
    assert denied.status_code == 403


async def test_opening_stock_books_through_the_ledger_all_or_nothing(client, gql, session):
    admin = await gql.token("admin")
    bins = (
        await session.scalars(
            select(m.Bin.label)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Zone.kind == "RESERVE", m.Bin.storage_class == "AMBIENT")
            .order_by(m.Bin.id)
            .limit(3)
        )
    ).all()
    lot_item = await fetch(
        session, select(m.Item).where(m.Item.tracking == "LOT", m.Item.expiry_tracked.is_(True))
    )
    plain = await fetch(
        session, select(m.Item).where(m.Item.tracking == "NONE").order_by(m.Item.id.desc())
    )
    header = "bin,sku,quantity,lot,expiry,status\n"
    good = (
        f"{bins[0]},{plain.sku},40,,,AVAILABLE\n"
        f"{bins[1]},{lot_item.sku},24,OPEN-L1,2031-06-30,\n"
        f"{bins[2]},{lot_item.sku},6,OPEN-L1,2031-06-30,QUARANTINE\n"
    )
    bad = good + (
        f"{bins[0]},{plain.sku},-5,,,\n"  # line 5: negative
        f"NOPE-BIN,{plain.sku},1,,,\n"  # line 6: unknown bin
        f"{bins[0]},{lot_item.sku},1,,2031-06-30,\n"  # line 7: lot missing
        f"{bins[0]},{lot_item.sku},1,OPEN-L1,2032-01-01,\n"  # line 8: other expiry
    )
    moves_before = await fetch(session, select(func.count()).select_from(m.StockMove))
    report = (await post(client, admin, "opening_stock", (header + bad).encode(), "apply")).json()
    assert {(e["line"], e["column"], e["code"]) for e in report["errors"]} == {
        (5, "quantity", "INVALID_QUANTITY"),
        (6, "bin", "BIN_NOT_FOUND"),
        (7, "lot", "LOT_REQUIRED"),
        (8, "expiry", "WRONG_LOT"),
    }, report
    assert await fetch(session, select(func.count()).select_from(m.StockMove)) == moves_before
    assert await fetch(session, select(m.Lot.id).where(m.Lot.lot_number == "OPEN-L1")) is None

    report = (await post(client, admin, "opening_stock", (header + good).encode(), "apply")).json()
    assert report["applied"] is True, report
    moves = (
        await session.scalars(
            select(m.StockMove).where(m.StockMove.reason == "OPENING").order_by(m.StockMove.id)
        )
    ).all()
    await session.commit()
    assert [mv.quantity for mv in moves[-3:]] == [40, 24, 6]
    lot = await fetch(session, select(m.Lot).where(m.Lot.lot_number == "OPEN-L1"))
    assert str(lot.expiry) == "2031-06-30"
    assert await ledger_mismatches(session) == []
    await session.commit()
    trace = await gql(
        """query($i: String!, $l: String!) { lotTrace(itemCode: $i, lotNumber: $l) {
        __typename ... on LotTrace { totals { onHand } onHand { status onHand } } } }""",
        {"i": lot_item.sku, "l": "OPEN-L1"},
        token=admin,
    )
    assert trace["data"]["lotTrace"]["totals"]["onHand"] == 30


async def test_files_over_the_limit_are_refused(client, gql, monkeypatch):
    admin = await gql.token("admin")
    monkeypatch.setattr(import_route, "MAX_BYTES", 1024)
    response = await post(client, admin, "items", b"sku,name\n" + b"A,B\n" * 1000, "dry-run")
    assert response.status_code == 413
    assert response.json()["code"] == "IMPORT_TOO_LARGE"
