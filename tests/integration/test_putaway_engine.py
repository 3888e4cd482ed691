"""Putaway suggestions against the demo warehouse, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.putaway import PutawayRequest, check_bin, get_rules, set_rules, suggest_bins
from backend.inventory.ledger import MoveRequest, Place, apply_move


async def warehouse_id(session: AsyncSession) -> int:
    wid = await session.scalar(select(m.Warehouse.id).where(m.Warehouse.code == "W1"))
    assert wid is not None
    return wid


async def item_by_class(
    session: AsyncSession, storage_class: str, tracking: str = "NONE"
) -> m.Item:
    item = await session.scalar(
        select(m.Item)
        .where(m.Item.storage_class == storage_class, m.Item.tracking == tracking)
        .order_by(m.Item.id)
    )
    assert item is not None
    return item


async def bin_with_zone(session: AsyncSession, bin_id: int) -> tuple[m.Bin, str]:
    row = (
        await session.execute(
            select(m.Bin, m.Zone.kind)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Bin.id == bin_id)
        )
    ).one()
    return row[0], row[1]


def metres(reasons: tuple[str, ...]) -> float:
    for reason in reasons:
        found = re.fullmatch(r"(\d+) m from receiving", reason)
        if found:
            return float(found.group(1))
    raise AssertionError(f"no travel reason in {reasons}")


async def test_every_demo_item_gets_bins_that_keep_every_hard_rule(session):
    wid = await warehouse_id(session)
    items = (await session.scalars(select(m.Item).order_by(m.Item.id))).all()
    suggested = 0
    for item in items:
        request = PutawayRequest(wid, item.id, None, 5, "AVAILABLE")
        suggestions = await suggest_bins(session, request)
        if item.storage_class == "HAZARDOUS":
            assert suggestions == []  # the small demo has no hazardous racking
            continue
        assert len(suggestions) == 3
        assert [s.score for s in suggestions] == sorted(
            (s.score for s in suggestions), reverse=True
        )
        for s in suggestions:
            bin_row, kind = await bin_with_zone(session, s.bin_id)
            assert kind in ("RESERVE", "PICK_FACE")
            assert bin_row.storage_class == item.storage_class
            assert bin_row.code == s.bin_code
            assert s.reasons
            assert await check_bin(session, request, s.bin_id) == []
            suggested += 1
    assert suggested > 0


async def test_quarantined_stock_only_goes_to_qc_bins(session):
    wid = await warehouse_id(session)
    ambient = await item_by_class(session, "AMBIENT")
    request = PutawayRequest(wid, ambient.id, None, 5, "QUARANTINE")
    suggestions = await suggest_bins(session, request, limit=10)
    assert len(suggestions) == 4
    for s in suggestions:
        assert (await bin_with_zone(session, s.bin_id))[1] == "QC"
        assert "QC zone for quarantined stock" in s.reasons
    cold = await item_by_class(session, "COLD", "LOT")
    assert await suggest_bins(session, PutawayRequest(wid, cold.id, None, 5, "QUARANTINE")) == []


async def test_a_lot_already_on_a_bin_is_consolidated_there_first(session):
    wid = await warehouse_id(session)
    quants = (
        await session.scalars(
            select(m.Quant)
            .where(m.Quant.lot_id.is_not(None), m.Quant.on_hand > 0)
            .order_by(m.Quant.id)
        )
    ).all()
    checked = 0
    for quant in quants:
        assert quant.lot_id is not None
        request = PutawayRequest(wid, quant.item_id, quant.lot_id, 1, "AVAILABLE")
        if await check_bin(session, request, quant.bin_id):
            continue  # that bin is full: nothing to learn here
        first = (await suggest_bins(session, request))[0]
        assert first.bin_id == quant.bin_id
        assert first.reasons[0] == "same item and lot already here"
        checked += 1
    assert checked >= 3


async def test_a_bin_blocked_after_the_cache_was_built_is_not_suggested(session):
    wid = await warehouse_id(session)
    item = await item_by_class(session, "AMBIENT")
    request = PutawayRequest(wid, item.id, None, 5, "AVAILABLE")
    top = (await suggest_bins(session, request))[0]
    bin_row = await session.get(m.Bin, top.bin_id)
    assert bin_row is not None
    bin_row.blocked = True
    await session.flush()
    again = await suggest_bins(session, request)
    assert top.bin_id not in [s.bin_id for s in again]
    assert len(again) == 3
    assert await check_bin(session, request, top.bin_id) == ["BIN_BLOCKED"]


async def test_a_bin_filled_since_the_last_suggestion_is_not_suggested(session):
    wid = await warehouse_id(session)
    item = await item_by_class(session, "AMBIENT")
    request = PutawayRequest(wid, item.id, None, 5, "AVAILABLE")
    top = (await suggest_bins(session, request))[0]
    bin_row = await session.get(m.Bin, top.bin_id)
    assert bin_row is not None
    other = await session.scalar(
        select(m.Item)
        .where(m.Item.storage_class == "AMBIENT", m.Item.weight_g < 1000)
        .order_by(m.Item.id.desc())
    )
    assert other is not None and other.id != item.id
    # Fill the bin to one unit short of its unit capacity through the ledger.
    on_hand = sum(
        (await session.scalars(select(m.Quant.on_hand).where(m.Quant.bin_id == bin_row.id))).all()
    )
    await apply_move(
        session,
        MoveRequest(
            item_id=other.id,
            quantity=bin_row.capacity_units - on_hand - 1,
            reason=m.MoveReason.ADJUST_IN,
            destination=Place(bin_row.id),
            reference="putaway-test",
        ),
    )
    again = await suggest_bins(session, request)
    assert top.bin_id not in [s.bin_id for s in again]
    assert "CAPACITY_UNITS" in await check_bin(session, request, top.bin_id)
    # A put that still fits is fine there.
    small = PutawayRequest(wid, item.id, None, 1, "AVAILABLE")
    assert "CAPACITY_UNITS" not in await check_bin(session, small, top.bin_id)


async def test_check_bin_names_every_broken_rule(session):
    wid = await warehouse_id(session)
    ambient = await item_by_class(session, "AMBIENT")
    bins = {
        b.label: b
        for b in (await session.scalars(select(m.Bin).where(m.Bin.warehouse_id == wid))).all()
    }
    available = PutawayRequest(wid, ambient.id, None, 5, "AVAILABLE")
    quarantine = PutawayRequest(wid, ambient.id, None, 5, "QUARANTINE")
    assert await check_bin(session, available, bins["A01-001-1"].id) == []
    assert await check_bin(session, available, bins["QC-01"].id) == ["NOT_STORAGE_ZONE"]
    assert await check_bin(session, available, bins["RCV-01"].id) == ["NOT_STORAGE_ZONE"]
    assert await check_bin(session, quarantine, bins["QC-01"].id) == []
    assert await check_bin(session, quarantine, bins["A01-001-1"].id) == ["QC_ZONE_ONLY"]
    assert await check_bin(session, available, bins["A02-001-1"].id) == ["STORAGE_CLASS"]
    huge = PutawayRequest(wid, ambient.id, None, 100_000, "AVAILABLE")
    assert await check_bin(session, huge, bins["A01-001-1"].id) == [
        "CAPACITY_UNITS",
        "CAPACITY_VOLUME",
        "CAPACITY_WEIGHT",
    ]


async def test_a_second_lot_may_not_join_a_bin_unless_the_warehouse_allows_it(session):
    wid = await warehouse_id(session)
    quant = await session.scalar(
        select(m.Quant).where(m.Quant.lot_id.is_not(None), m.Quant.on_hand > 0).order_by(m.Quant.id)
    )
    assert quant is not None
    lot = m.Lot(item_id=quant.item_id, lot_number="PUTAWAY-NEW")
    session.add(lot)
    await session.flush()
    request = PutawayRequest(wid, quant.item_id, lot.id, 1, "AVAILABLE")
    assert "MIXED_LOTS" in await check_bin(session, request, quant.bin_id)
    assert quant.bin_id not in [s.bin_id for s in await suggest_bins(session, request, limit=50)]
    await set_rules(session, wid, ["CONSOLIDATE", "TRAVEL"], allow_mixed_lots=True)
    assert "MIXED_LOTS" not in await check_bin(session, request, quant.bin_id)


async def test_the_supervisors_rule_order_is_stored_and_used(session):
    wid = await warehouse_id(session)
    default = await get_rules(session, wid)
    assert default.is_default
    assert default.rules[0] == "CONSOLIDATE"
    item = await item_by_class(session, "AMBIENT")
    request = PutawayRequest(wid, item.id, None, 5, "AVAILABLE")

    stored = await set_rules(session, wid, ["TRAVEL", "FILL"], travel_band_m=0.5)
    assert stored.rules == ("TRAVEL", "FILL") and not stored.is_default
    by_travel = await suggest_bins(session, request, limit=5)
    distances = [metres(s.reasons) for s in by_travel]
    assert distances == sorted(distances)
    assert by_travel == await suggest_bins(session, request, limit=5, rules=["TRAVEL", "FILL"])

    await set_rules(session, wid, ["FILL"])
    by_fill = await suggest_bins(session, request, limit=5)
    assert [s.bin_id for s in by_fill] != [s.bin_id for s in by_travel]
    assert all(r.endswith("units of room left") for s in by_fill for r in s.reasons[:1])
    rooms = [int(s.reasons[0].split()[0]) for s in by_fill]
    assert rooms[0] <= rooms[-1]  # best fit: the least room left first (by the binding limit)


async def test_fresh_reads_agree_with_the_cached_ones_on_a_quiet_warehouse(session):
    wid = await warehouse_id(session)
    for klass in ("AMBIENT", "COLD"):
        item = await item_by_class(session, klass, "LOT" if klass == "COLD" else "NONE")
        request = PutawayRequest(wid, item.id, None, 7, "AVAILABLE")
        assert await suggest_bins(session, request) == await suggest_bins(
            session, request, fresh=True
        )


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"item_id": 999_999}, ErrorCode.ITEM_NOT_FOUND),
        ({"quantity": 0}, ErrorCode.INVALID_QUANTITY),
        ({"quantity": -4}, ErrorCode.INVALID_QUANTITY),
        ({"quantity": 10**12}, ErrorCode.QUANTITY_TOO_LARGE),
        ({"status": "DAMAGED"}, ErrorCode.INVALID_INPUT),
        ({"lot_id": 999_999}, ErrorCode.LOT_NOT_FOUND),
        ({"warehouse_id": 999_999}, ErrorCode.NOT_FOUND),
    ],
)
async def test_bad_requests_are_refused_with_a_stable_code(session, change, code):
    wid = await warehouse_id(session)
    item = await item_by_class(session, "AMBIENT")
    fields = {
        "warehouse_id": wid,
        "item_id": item.id,
        "lot_id": None,
        "quantity": 5,
        "status": "AVAILABLE",
    }
    fields.update(change)
    request = PutawayRequest(**fields)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as refused:
        await suggest_bins(session, request)
    assert refused.value.code is code


async def test_bad_bins_lots_and_rules_are_refused(session):
    wid = await warehouse_id(session)
    item = await item_by_class(session, "AMBIENT")
    lot_of_other = await session.scalar(select(m.Lot).where(m.Lot.item_id != item.id))
    assert lot_of_other is not None
    request = PutawayRequest(wid, item.id, None, 5, "AVAILABLE")
    with pytest.raises(DomainError) as unknown_bin:
        await check_bin(session, request, 999_999)
    assert unknown_bin.value.code is ErrorCode.BIN_NOT_FOUND
    other_wh = PutawayRequest(wid + 1, item.id, None, 5, "AVAILABLE")
    some_bin = await session.scalar(select(m.Bin.id).where(m.Bin.warehouse_id == wid))
    assert some_bin is not None
    with pytest.raises(DomainError) as elsewhere:
        await check_bin(session, other_wh, some_bin)
    assert elsewhere.value.code is ErrorCode.BIN_NOT_FOUND
    wrong_lot = PutawayRequest(wid, item.id, lot_of_other.id, 5, "AVAILABLE")
    with pytest.raises(DomainError) as wrong:
        await check_bin(session, wrong_lot, some_bin)
    assert wrong.value.code is ErrorCode.WRONG_LOT
    for rules, kwargs, code in [
        (["NEAREST"], {}, ErrorCode.INVALID_INPUT),
        (["FILL", "FILL"], {}, ErrorCode.DUPLICATE),
        (["FILL"], {"travel_band_m": 0.0}, ErrorCode.INVALID_INPUT),
        (["FILL"], {"golden_travel_m": -1.0}, ErrorCode.INVALID_INPUT),
    ]:
        with pytest.raises(DomainError) as refused:
            await set_rules(session, wid, rules, **kwargs)
        assert refused.value.code is code
    with pytest.raises(DomainError) as no_wh:
        await set_rules(session, 999_999, ["FILL"])
    assert no_wh.value.code is ErrorCode.NOT_FOUND
    assert (await get_rules(session, wid)).is_default


async def test_loads_of_large_stock_are_summed_in_64_bits(session):
    wid = await warehouse_id(session)
    bulky = await session.scalar(
        select(m.Item)
        .where(m.Item.storage_class == "AMBIENT")
        .order_by((m.Item.length_mm * m.Item.width_mm * m.Item.height_mm).desc())
    )
    assert bulky is not None
    bin_id = await session.scalar(
        select(m.Bin.id).where(m.Bin.label == "A04-001-1", m.Bin.warehouse_id == wid)
    )
    assert bin_id is not None
    await apply_move(
        session,
        MoveRequest(
            item_id=bulky.id,
            quantity=9_000_000,  # about 10**14 mm3: past 32 bits
            reason=m.MoveReason.ADJUST_IN,
            destination=Place(bin_id),
            reference="putaway-test",
        ),
    )
    request = PutawayRequest(wid, bulky.id, None, 1, "AVAILABLE")
    assert await check_bin(session, request, bin_id) == [
        "CAPACITY_UNITS",
        "CAPACITY_VOLUME",
        "CAPACITY_WEIGHT",
    ]
    assert bin_id not in [s.bin_id for s in await suggest_bins(session, request, fresh=True)]
