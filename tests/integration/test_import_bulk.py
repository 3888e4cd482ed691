"""The bulk write paths of the importer (COPY and one quant upsert a batch on
PostgreSQL, multi-row statements on SQLite): stock onto stock adds up, written
chunks roll back with a later bad row, re-imported items are rewritten."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.core.db import models as m
from backend.imports import runner
from backend.inventory.ledger import ledger_mismatches
from tests.integration.test_imports import HEADER, ean13, post
from tests.integration.test_inbound_support import fetch

STOCK_HEADER = "bin,sku,quantity,lot,expiry,status\n"


async def _on_hand(session, item_id: int, bin_id: int) -> int:
    total = await fetch(
        session,
        select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(
            m.Quant.item_id == item_id, m.Quant.bin_id == bin_id, m.Quant.status == "AVAILABLE"
        ),
    )
    return int(total)


async def test_opening_stock_onto_stock_adds_up_through_the_ledger(client, gql, session):
    admin = await gql.token("admin")
    quant = await fetch(
        session,
        select(m.Quant)
        .join(m.Item, m.Item.id == m.Quant.item_id)
        .where(m.Quant.on_hand > 0, m.Quant.lot_id.is_(None), m.Quant.status == "AVAILABLE")
        .where(m.Item.tracking == "NONE", m.Item.expiry_tracked.is_(False))
        .order_by(m.Quant.id),
    )
    item = await fetch(session, select(m.Item).where(m.Item.id == quant.item_id))
    bin_row = await fetch(session, select(m.Bin).where(m.Bin.id == quant.bin_id))
    before = await _on_hand(session, item.id, bin_row.id)
    await session.commit()
    # The same bin and item twice in one file: one quant key, two ledger entries.
    body = f"{STOCK_HEADER}{bin_row.label},{item.sku},5,,,\n{bin_row.code},{item.sku},7,,,\n"
    report = (await post(client, admin, "opening_stock", body.encode(), "apply")).json()
    assert report["applied"] is True, report
    assert await _on_hand(session, item.id, bin_row.id) == before + 12
    entries = (
        await session.scalars(
            select(m.StockMove.quantity)
            .where(m.StockMove.reason == "OPENING", m.StockMove.to_bin_id == bin_row.id)
            .where(m.StockMove.item_id == item.id)
            .order_by(m.StockMove.id.desc())
            .limit(2)
        )
    ).all()
    assert sorted(entries) == [5, 7]
    session.expire_all()  # the quant read above is in the identity map
    assert await ledger_mismatches(session) == []
    await session.commit()


async def test_written_chunks_roll_back_when_a_later_row_fails(client, gql, session, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 2)
    admin = await gql.token("admin")
    bins = (
        await session.scalars(
            select(m.Bin.label).where(m.Bin.active.is_(True)).order_by(m.Bin.id).limit(4)
        )
    ).all()
    item = await fetch(
        session,
        select(m.Item).where(m.Item.tracking == "NONE", m.Item.expiry_tracked.is_(False)),
    )
    moves = await fetch(session, select(func.count()).select_from(m.StockMove))
    stock = await fetch(session, select(func.coalesce(func.sum(m.Quant.on_hand), 0)))
    await session.commit()
    rows = "".join(f"{b},{item.sku},3,,,\n" for b in bins)  # two chunks written
    body = f"{STOCK_HEADER}{rows}{bins[0]},{item.sku},-1,,,\n"  # line 6 fails
    report = (await post(client, admin, "opening_stock", body.encode(), "apply")).json()
    assert report["applied"] is False
    assert [(e["line"], e["code"]) for e in report["errors"]] == [(6, "INVALID_QUANTITY")]
    assert await fetch(session, select(func.count()).select_from(m.StockMove)) == moves
    assert await fetch(session, select(func.coalesce(func.sum(m.Quant.on_hand), 0))) == stock
    await session.commit()


async def test_items_imported_again_are_rewritten_in_place(client, gql, session, monkeypatch):
    monkeypatch.setattr(runner, "CHUNK", 3)
    admin = await gql.token("admin")
    gtins = [ean13(f"20000001{n:04d}") for n in range(5)]
    first = "".join(f"RE-{n},First {n},EA,{gtins[n]},12,,NONE,no\n" for n in range(5))
    report = (await post(client, admin, "items", (HEADER + first).encode(), "apply")).json()
    assert report["applied"] is True, report
    ids = dict(
        (await session.execute(select(m.Item.sku, m.Item.id).where(m.Item.sku.like("RE-%")))).all()
    )
    await session.commit()
    again = "".join(f"RE-{n},Second {n},PCS,{gtins[n]},24,,NONE,no\n" for n in range(4))
    again += f"RE-9,New 9,EA,{ean13('200000019999')},,,NONE,no\n"
    report = (await post(client, admin, "items", (HEADER + again).encode(), "apply")).json()
    assert report["applied"] is True, report["errors"]
    rows = (
        await session.execute(
            select(m.Item.sku, m.Item.id, m.Item.name, m.Item.base_unit)
            .where(m.Item.sku.like("RE-%"))
            .order_by(m.Item.sku)
        )
    ).all()
    assert [(r.sku, r.name, r.base_unit) for r in rows] == [
        *[(f"RE-{n}", f"Second {n}", "PCS") for n in range(4)],
        ("RE-4", "First 4", "EA"),
        ("RE-9", "New 9", "EA"),
    ]
    assert all(ids[r.sku] == r.id for r in rows if r.sku in ids)  # same rows, not new ones
    case = await fetch(
        session,
        select(m.ItemPackaging.quantity).where(
            m.ItemPackaging.item_id == ids["RE-1"], m.ItemPackaging.level == "CASE"
        ),
    )
    assert case == 24
    owner = await fetch(
        session, select(m.ItemBarcode.item_id).where(m.ItemBarcode.gtin == gtins[2].zfill(14))
    )
    assert owner == ids["RE-2"]
    await session.commit()
