"""Internal moves, transfers between warehouses, adjustments and status changes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.config import Settings
from backend.core.db import models as m
from backend.demo import gtin13
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches
from backend.scan import CodeKind, make_code
from tests.integration.conftest import key

# ---------------------------------------------------------------- shared set-up


@dataclass(frozen=True)
class Ref:
    """Plain ids and codes: rows would expire when the test session ends its reads."""

    id: int
    code: str


async def done(session: AsyncSession) -> None:
    # End the test session's transaction: on SQLite it holds the only connection.
    await session.rollback()


async def warehouse(session: AsyncSession, code: str = "W1") -> m.Warehouse:
    row = await session.scalar(select(m.Warehouse).where(m.Warehouse.code == code))
    assert row is not None
    return row


async def fresh_bin(
    session: AsyncSession, label: str, kind: str = m.ZoneKind.PICK_FACE, wh_code: str = "W1"
) -> Ref:
    """An empty bin of its own, so a count or move sees only what the test puts there."""
    wh = await warehouse(session, wh_code)
    zone = await session.scalar(
        select(m.Zone).where(m.Zone.warehouse_id == wh.id, m.Zone.kind == kind)
    )
    assert zone is not None
    row = m.Bin(
        warehouse_id=wh.id,
        zone_id=zone.id,
        label=label,
        code=make_code(CodeKind.BIN, f"{wh_code}-{label}"),
        capacity_units=1000,
    )
    session.add(row)
    await session.commit()
    return Ref(row.id, row.code)


async def new_item(
    session: AsyncSession, sku: str, *, cost: int = 100, lot_tracked: bool = False
) -> Ref:
    item = m.Item(
        sku=sku,
        name=f"Control item {sku}",
        unit_cost_cents=cost,
        tracking=m.Tracking.LOT if lot_tracked else m.Tracking.NONE,
    )
    session.add(item)
    await session.commit()
    return Ref(item.id, item.sku)


async def put(
    session: AsyncSession, bin_row: Ref, item: Ref, quantity: int, lot: str | None = None
) -> None:
    lot_id = None
    if lot is not None:
        row = await session.scalar(
            select(m.Lot).where(m.Lot.item_id == item.id, m.Lot.lot_number == lot)
        )
        if row is None:
            row = m.Lot(item_id=item.id, lot_number=lot)
            session.add(row)
            await session.flush()
        lot_id = row.id
    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=quantity,
            reason=m.MoveReason.OPENING,
            lot_id=lot_id,
            destination=Place(bin_row.id),
            reference="test",
        ),
    )
    await session.commit()


async def read(session: AsyncSession, stmt: Any) -> Any:
    value = await session.scalar(stmt)
    await done(session)
    return value


async def quantity_on(
    session: AsyncSession, bin_row: Ref, item: Ref, status: str | None = None
) -> int:
    stmt = select(func.coalesce(func.sum(m.Quant.on_hand), 0)).where(
        m.Quant.bin_id == bin_row.id, m.Quant.item_id == item.id
    )
    if status:
        stmt = stmt.where(m.Quant.status == status)
    total = int(await session.scalar(stmt) or 0)
    await done(session)
    return total


async def call(gql: Any, role: str, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(query, variables, token=await gql.token(role))
    assert "errors" not in body, body
    (result,) = body["data"].values()
    return result  # type: ignore[no-any-return]


async def assert_ledger_holds(session: AsyncSession) -> None:
    mismatches = await ledger_mismatches(session)
    await done(session)
    assert mismatches == []


MOVE = """mutation($from: String!, $to: String!, $item: String, $lot: String, $qty: Int, $key: String!) {
  moveStock(input: {fromBinCode: $from, toBinCode: $to, itemCode: $item, lotNumber: $lot,
                    quantity: $qty, idempotencyKey: $key}) {
    __typename
    ... on MoveStockSuccess { fromBinCode toBinCode reservedLeft
                              lines { itemSku lotNumber status quantity } }
    ... on UserError { code message field } } }"""

RESERVE = """mutation($sku: String!, $qty: Int!, $key: String!) {
  reserveStock(input: {itemSku: $sku, quantity: $qty, reference: "SO-T", idempotencyKey: $key}) {
    __typename ... on ReserveStockSuccess { reserved } ... on UserError { code } } }"""

ADJUST = """mutation($bin: String!, $item: String!, $qty: Int!, $reason: AdjustmentReason!,
                     $lot: String, $key: String!) {
  adjustStock(input: {binCode: $bin, itemCode: $item, quantity: $qty, reasonCode: $reason,
                      lotNumber: $lot, note: "test", idempotencyKey: $key}) {
    __typename
    ... on AdjustmentSuccess { adjustment { id state quantity valueCents reason moveId decidedBy } }
    ... on UserError { code message field } } }"""

DECIDE_ADJUSTMENT = """mutation($id: ID!, $key: String!) {
  %s(input: {adjustmentId: $id, idempotencyKey: $key}) {
    __typename
    ... on AdjustmentSuccess { adjustment { id state moveId decidedBy } }
    ... on UserError { code message field } } }"""


# ---------------------------------------------------------------- moves


async def test_moves_take_free_stock_only_and_keep_the_ledger(gql, session):
    source, target = await fresh_bin(session, "MV-A"), await fresh_bin(session, "MV-B")
    item = await new_item(session, "MV-1")
    await put(session, source, item, 30)
    assert (await call(gql, "planner", RESERVE, sku="MV-1", qty=10, key=key()))["reserved"] == 10

    too_many = await call(
        gql,
        "picker",
        MOVE,
        **{"from": source.code, "to": target.code},
        item="MV-1",
        qty=25,
        key=key(),
    )
    assert too_many["code"] == "INSUFFICIENT_STOCK"
    moved = await call(
        gql,
        "picker",
        MOVE,
        **{"from": source.code, "to": target.code},
        item="MV-1",
        qty=5,
        key=key(),
    )
    assert moved["lines"] == [
        {"itemSku": "MV-1", "lotNumber": None, "status": "AVAILABLE", "quantity": 5}
    ]
    assert await quantity_on(session, target, item) == 5

    # The whole bin: the 15 free units go, the 10 reserved stay. A picker is not told
    # how many (that would reveal the book); a supervisor is.
    whole = await call(gql, "picker", MOVE, **{"from": source.code, "to": target.code}, key=key())
    assert whole["__typename"] == "MoveStockSuccess"
    assert whole["lines"][0]["quantity"] is None and whole["reservedLeft"] is None
    assert await quantity_on(session, source, item) == 10
    assert await quantity_on(session, target, item) == 20
    back = await call(
        gql, "supervisor", MOVE, **{"from": target.code, "to": source.code}, key=key()
    )
    assert back["lines"][0]["quantity"] == 20 and back["reservedLeft"] == 0
    await assert_ledger_holds(session)


async def test_moves_by_gtin_and_lot_and_across_zones(gql, session):
    face = await fresh_bin(session, "MV-C")
    reserve = await fresh_bin(session, "MV-D", m.ZoneKind.RESERVE)
    item_id = await read(session, select(m.Item.id).where(m.Item.sku == "SKU-10001"))
    item = Ref(item_id, "SKU-10001")
    await put(session, reserve, item, 12, lot="L-A")
    await put(session, reserve, item, 8, lot="L-B")
    gtin = "0" + gtin13("871234", 10001)
    moved = await call(
        gql,
        "picker",
        MOVE,
        **{"from": reserve.code, "to": face.code},
        item=gtin,
        lot="L-B",
        qty=3,
        key=key(),
    )
    assert moved["lines"][0]["lotNumber"] == "L-B"
    # A GS1 scan carrying the lot (AI 10) names it without typing.
    moved = await call(
        gql,
        "picker",
        MOVE,
        **{"from": reserve.code, "to": face.code},
        item=f"01{gtin}10L-A",
        qty=2,
        key=key(),
    )
    assert moved["lines"][0]["lotNumber"] == "L-A"
    assert await quantity_on(session, face, item) == 5
    await assert_ledger_holds(session)


async def test_bad_moves_are_typed_errors_and_change_nothing(gql, session):
    source, target = await fresh_bin(session, "MV-E"), await fresh_bin(session, "MV-F")
    item = await new_item(session, "MV-2")
    await put(session, source, item, 4)
    before = await read(session, select(func.count()).select_from(m.StockMove))
    cases = [
        ({"to": source.code}, "INVALID_INPUT"),
        ({"from": "BIN-NOPE-X"}, "SCAN_BAD_CHECK_DIGIT"),
        ({"from": make_code(CodeKind.BIN, "W1-NOWHERE")}, "BIN_NOT_FOUND"),
        ({"from": make_code(CodeKind.TOTE, "T1")}, "SCAN_WRONG_KIND"),
        ({"item": "NO-SUCH-SKU", "qty": 1}, None),
        ({"item": "MV-2", "qty": -3}, "INVALID_QUANTITY"),
        ({"item": "MV-2", "qty": 0}, "INVALID_QUANTITY"),
        ({"item": "MV-2", "qty": 10**9}, "QUANTITY_TOO_LARGE"),
        ({"item": "MV-2", "qty": 5}, "INSUFFICIENT_STOCK"),
        ({"item": "MV-2", "lot": "NOPE", "qty": 1}, "LOT_NOT_FOUND"),
        ({"qty": 1}, "INVALID_INPUT"),
    ]
    for change, code in cases:
        variables = {"from": source.code, "to": target.code, "key": key(), **change}
        result = await call(gql, "picker", MOVE, **variables)
        assert result["__typename"] != "MoveStockSuccess", change
        if code:
            assert result["code"] == code, (change, result)
    after = await read(session, select(func.count()).select_from(m.StockMove))
    assert after == before
    assert await quantity_on(session, source, item) == 4


async def test_a_replayed_move_moves_once(gql, session):
    source, target = await fresh_bin(session, "MV-G"), await fresh_bin(session, "MV-H")
    item = await new_item(session, "MV-3")
    await put(session, source, item, 10)
    variables = {"from": source.code, "to": target.code, "item": "MV-3", "qty": 4, "key": key()}
    first = await call(gql, "picker", MOVE, **variables)
    again = await call(gql, "picker", MOVE, **variables)
    assert first == again
    assert await quantity_on(session, target, item) == 4


# ---------------------------------------------------------------- transfers

TRANSFER = """mutation($to: String!, $bin: String!, $item: String!, $qty: Int!, $key: String!) {
  createTransfer(input: {toWarehouseCode: $to, idempotencyKey: $key,
                         lines: [{binCode: $bin, itemCode: $item, quantity: $qty}]}) {
    __typename
    ... on TransferSuccess { transfer { id state reference fromWarehouseCode toWarehouseCode
                                        lines { itemSku quantity fromBinCode toBinCode } } }
    ... on UserError { code message field } } }"""

RECEIVE = """mutation($id: ID!, $bin: String!, $key: String!) {
  receiveTransfer(input: {transferId: $id, binCode: $bin, idempotencyKey: $key}) {
    __typename
    ... on TransferSuccess { transfer { state receivedAt lines { toBinCode quantity } } }
    ... on UserError { code message field } } }"""

RECEIVE_BY_REFERENCE = """mutation($ref: String!, $bin: String!, $key: String!) {
  receiveTransfer(input: {reference: $ref, binCode: $bin, idempotencyKey: $key}) {
    __typename
    ... on TransferSuccess { transfer { state receivedAt lines { toBinCode quantity } } }
    ... on UserError { code message field } } }"""

IN_TRANSIT = (
    """{ stockInTransit(first: 20) { edges { node { id state lines { itemSku quantity } } } } }"""
)


async def second_warehouse(session: AsyncSession) -> Ref:
    wh = m.Warehouse(code="W2", name="Second DC")
    session.add(wh)
    await session.flush()
    session.add(m.Zone(warehouse_id=wh.id, code="RCV", name="Receiving", kind="RECEIVING"))
    await session.flush()
    for username in ("supervisor1", "receiver1"):
        user = await session.scalar(select(m.User).where(m.User.username == username))
        assert user is not None
        session.add(m.UserWarehouse(user_id=user.id, warehouse_id=wh.id))
    await session.commit()
    return await fresh_bin(session, "RCV-01", m.ZoneKind.RECEIVING, "W2")


async def test_a_transfer_is_in_transit_until_received(gql, session):
    source = await fresh_bin(session, "TR-A")
    item = await new_item(session, "TR-1")
    await put(session, source, item, 20)
    arrival = await second_warehouse(session)

    shipped = await call(
        gql, "supervisor", TRANSFER, to="W2", bin=source.code, item="TR-1", qty=15, key=key()
    )
    transfer = shipped["transfer"]
    assert transfer["state"] == "IN_TRANSIT" and transfer["toWarehouseCode"] == "W2"
    assert await quantity_on(session, source, item) == 5
    await assert_ledger_holds(session)
    in_transit = await call(gql, "viewer", IN_TRANSIT)
    nodes = [e["node"] for e in in_transit["edges"]]
    assert [n["lines"] for n in nodes if n["id"] == transfer["id"]] == [
        [{"itemSku": "TR-1", "quantity": 15}]
    ]

    wrong = await call(gql, "receiver", RECEIVE, id=transfer["id"], bin=source.code, key=key())
    assert wrong["code"] == "WRONG_BIN"
    unknown = await call(
        gql, "receiver", RECEIVE_BY_REFERENCE, ref="TRF-999999", bin=arrival.code, key=key()
    )
    assert unknown["code"] == "NOT_FOUND" and unknown["field"] == "reference"
    # The receiver scans the reference on the delivery note (any case), then the bin.
    received = await call(
        gql,
        "receiver",
        RECEIVE_BY_REFERENCE,
        ref=transfer["reference"].lower(),
        bin=arrival.code,
        key=key(),
    )
    assert received["transfer"]["state"] == "RECEIVED"
    assert await quantity_on(session, arrival, item) == 15
    again = await call(gql, "receiver", RECEIVE, id=transfer["id"], bin=arrival.code, key=key())
    assert again["code"] == "INVALID_STATE"
    assert (await call(gql, "viewer", IN_TRANSIT))["edges"] == []
    await assert_ledger_holds(session)


async def test_bad_transfers_are_refused(gql, session):
    source = await fresh_bin(session, "TR-B")
    item = await new_item(session, "TR-2")
    await put(session, source, item, 3)
    await second_warehouse(session)
    for variables, code in [
        ({"to": "W1"}, "INVALID_INPUT"),
        ({"to": "NOPE"}, "NOT_FOUND"),
        ({"qty": 4}, "INSUFFICIENT_STOCK"),
        ({"qty": -1}, "INVALID_QUANTITY"),
    ]:
        base = {"to": "W2", "bin": source.code, "item": "TR-2", "qty": 1, "key": key()}
        result = await call(gql, "supervisor", TRANSFER, **{**base, **variables})
        assert result["code"] == code, (variables, result)
    assert await quantity_on(session, source, item) == 3
    assert (
        await call(gql, "picker", TRANSFER, to="W2", bin=source.code, item="TR-2", qty=1, key=key())
    )["code"] == "PERMISSION_DENIED"


# ---------------------------------------------------------------- adjustments


async def test_adjustments_below_the_threshold_apply_at_once(gql, session):
    bin_row = await fresh_bin(session, "AD-A")
    item = await new_item(session, "AD-1", cost=100)
    await put(session, bin_row, item, 10)
    damaged = await call(
        gql,
        "supervisor",
        ADJUST,
        bin=bin_row.code,
        item="AD-1",
        qty=-3,
        reason="DAMAGE",
        key=key(),
    )
    adjustment = damaged["adjustment"]
    assert adjustment["state"] == "APPROVED" and adjustment["valueCents"] == 300
    assert adjustment["moveId"] is not None and adjustment["decidedBy"] is None
    move = await read(
        session, select(m.StockMove.reason).where(m.StockMove.id == int(adjustment["moveId"]))
    )
    assert move == "ADJUST_OUT"
    found = await call(
        gql, "supervisor", ADJUST, bin=bin_row.code, item="AD-1", qty=2, reason="FOUND", key=key()
    )
    assert found["adjustment"]["state"] == "APPROVED"
    assert await quantity_on(session, bin_row, item) == 9
    audit = await read(
        session,
        select(func.count())
        .select_from(m.AuditEntry)
        .where(m.AuditEntry.action == "adjustStock", m.AuditEntry.entity == "adjustment"),
    )
    assert audit == 2
    await assert_ledger_holds(session)


async def test_costly_adjustments_wait_for_someone_else(gql, session):
    bin_row = await fresh_bin(session, "AD-B")
    item = await new_item(session, "AD-2", cost=1000)  # 11 units = 110.00 > 100.00
    await put(session, bin_row, item, 40)
    pending = (
        await call(
            gql,
            "supervisor",
            ADJUST,
            bin=bin_row.code,
            item="AD-2",
            qty=-11,
            reason="LOST",
            key=key(),
        )
    )["adjustment"]
    assert pending["state"] == "PENDING" and pending["moveId"] is None
    assert await quantity_on(session, bin_row, item) == 40

    own = await call(
        gql, "supervisor", DECIDE_ADJUSTMENT % "approveAdjustment", id=pending["id"], key=key()
    )
    assert own["code"] == "SELF_APPROVAL"
    approved = await call(
        gql, "admin", DECIDE_ADJUSTMENT % "approveAdjustment", id=pending["id"], key=key()
    )
    assert approved["adjustment"]["state"] == "APPROVED"
    assert await quantity_on(session, bin_row, item) == 29
    twice = await call(
        gql, "admin", DECIDE_ADJUSTMENT % "approveAdjustment", id=pending["id"], key=key()
    )
    assert twice["code"] == "INVALID_STATE"

    second = (
        await call(
            gql,
            "supervisor",
            ADJUST,
            bin=bin_row.code,
            item="AD-2",
            qty=-20,
            reason="SCRAP",
            key=key(),
        )
    )["adjustment"]
    rejected = await call(
        gql, "admin", DECIDE_ADJUSTMENT % "rejectAdjustment", id=second["id"], key=key()
    )
    assert rejected["adjustment"]["state"] == "REJECTED"
    assert await quantity_on(session, bin_row, item) == 29
    await assert_ledger_holds(session)


async def test_the_approval_threshold_is_configurable(gql, session, app):
    state = app.state.wms
    control = Settings.from_env({"WMS_ADJUST_APPROVAL_CENTS": "0", "WMS_SECRET_KEY": "x"}).control
    state.settings = dataclasses.replace(state.settings, control=control)
    bin_row = await fresh_bin(session, "AD-C")
    item = await new_item(session, "AD-3", cost=1)
    await put(session, bin_row, item, 5)
    result = await call(
        gql,
        "supervisor",
        ADJUST,
        bin=bin_row.code,
        item="AD-3",
        qty=-1,
        reason="DAMAGE",
        key=key(),
    )
    assert result["adjustment"]["state"] == "PENDING"


async def test_bad_adjustments_change_nothing(gql, session):
    bin_row = await fresh_bin(session, "AD-D")
    item = await new_item(session, "AD-4", cost=10)
    lots = await new_item(session, "AD-5", cost=10, lot_tracked=True)
    await put(session, bin_row, item, 5)
    await put(session, bin_row, lots, 5, lot="X1")
    await put(session, bin_row, lots, 5, lot="X2")
    before = await read(session, select(func.count()).select_from(m.StockMove))
    for variables, code in [
        ({"qty": -6}, "INSUFFICIENT_STOCK"),
        ({"qty": 0}, "INVALID_QUANTITY"),
        ({"qty": 3, "reason": "LOST"}, "INVALID_QUANTITY"),
        ({"qty": -3, "reason": "FOUND"}, "INVALID_QUANTITY"),
        ({"qty": -(10**9)}, "QUANTITY_TOO_LARGE"),
        ({"item": "NOPE-1"}, None),
        ({"bin": make_code(CodeKind.BIN, "W1-NOWHERE")}, "BIN_NOT_FOUND"),
        ({"item": "AD-5", "qty": -1}, "LOT_REQUIRED"),
        ({"item": "AD-5", "qty": -6, "lot": "X1"}, "INSUFFICIENT_STOCK"),
    ]:
        base = {"bin": bin_row.code, "item": "AD-4", "qty": -1, "reason": "DAMAGE", "key": key()}
        result = await call(gql, "supervisor", ADJUST, **{**base, **variables})
        assert result["__typename"] != "AdjustmentSuccess", variables
        if code:
            assert result["code"] == code, (variables, result)
    assert await read(session, select(func.count()).select_from(m.StockMove)) == before
    assert await read(session, select(func.count()).select_from(m.Adjustment)) == 0
    picker = await call(
        gql, "picker", ADJUST, bin=bin_row.code, item="AD-4", qty=-1, reason="DAMAGE", key=key()
    )
    assert picker["code"] == "PERMISSION_DENIED"


# ---------------------------------------------------------------- status changes

STATUS = """mutation($item: String!, $lot: String, $bin: String, $from: String!, $to: String!,
                     $key: String!) {
  changeStockStatus(input: {itemCode: $item, lotNumber: $lot, binCode: $bin, fromStatus: $from,
                            toStatus: $to, idempotencyKey: $key}) {
    __typename
    ... on StatusChangeSuccess { reservedLeft lines { binCode lotNumber status quantity } }
    ... on UserError { code message field } } }"""

BLOCK = """mutation($bin: String!, $key: String!) { %s(input: {binCode: $bin, idempotencyKey: $key}) {
  __typename ... on BinBlockSuccess { binCode blocked unitsChanged }
  ... on UserError { code message field } } }"""


async def test_freezing_a_lot_blocks_it_on_every_bin_and_releasing_frees_it(gql, session):
    first, second = await fresh_bin(session, "ST-A"), await fresh_bin(session, "ST-B")
    item = await new_item(session, "ST-1", lot_tracked=True)
    await put(session, first, item, 6, lot="RECALL")
    await put(session, second, item, 4, lot="RECALL")
    await put(session, second, item, 9, lot="GOOD")
    frozen = await call(
        gql,
        "supervisor",
        STATUS,
        item="ST-1",
        lot="RECALL",
        **{"from": "AVAILABLE"},
        to="BLOCKED",
        key=key(),
    )
    assert sorted(line["quantity"] for line in frozen["lines"]) == [4, 6]
    assert await quantity_on(session, second, item, "BLOCKED") == 4
    assert await quantity_on(session, second, item, "AVAILABLE") == 9
    released = await call(
        gql,
        "supervisor",
        STATUS,
        item="ST-1",
        lot="RECALL",
        **{"from": "BLOCKED"},
        to="AVAILABLE",
        key=key(),
    )
    assert len(released["lines"]) == 2
    quarantine = await call(
        gql,
        "supervisor",
        STATUS,
        item="ST-1",
        lot="GOOD",
        bin=second.code,
        **{"from": "AVAILABLE"},
        to="QUARANTINE",
        key=key(),
    )
    assert quarantine["lines"][0]["status"] == "QUARANTINE"
    nothing = await call(
        gql,
        "supervisor",
        STATUS,
        item="ST-1",
        lot="GOOD",
        **{"from": "DAMAGED"},
        to="AVAILABLE",
        key=key(),
    )
    assert nothing["code"] == "INSUFFICIENT_STOCK"
    same = await call(
        gql, "supervisor", STATUS, item="ST-1", **{"from": "AVAILABLE"}, to="AVAILABLE", key=key()
    )
    assert same["code"] == "INVALID_INPUT"
    moves = await session.scalars(
        select(m.StockMove.reason).where(
            m.StockMove.item_id == item.id, m.StockMove.reference != "test"
        )
    )
    assert set(moves) == {"STATUS_CHANGE"}
    await assert_ledger_holds(session)


async def test_blocking_a_bin_blocks_its_stock_and_its_moves(gql, session):
    bin_row, other = await fresh_bin(session, "ST-C"), await fresh_bin(session, "ST-D")
    item = await new_item(session, "ST-2")
    await put(session, bin_row, item, 7)
    await put(session, other, item, 2)
    blocked = await call(gql, "supervisor", BLOCK % "blockBin", bin=bin_row.code, key=key())
    assert blocked == {
        "__typename": "BinBlockSuccess",
        "binCode": bin_row.code,
        "blocked": True,
        "unitsChanged": 7,
    }
    assert await quantity_on(session, bin_row, item, "BLOCKED") == 7
    into = await call(
        gql,
        "picker",
        MOVE,
        **{"from": other.code, "to": bin_row.code},
        item="ST-2",
        qty=1,
        key=key(),
    )
    assert into["code"] == "BIN_BLOCKED"
    again = await call(gql, "supervisor", BLOCK % "blockBin", bin=bin_row.code, key=key())
    assert again["code"] == "INVALID_STATE"
    unblocked = await call(gql, "supervisor", BLOCK % "unblockBin", bin=bin_row.code, key=key())
    assert unblocked["blocked"] is False
    assert await quantity_on(session, bin_row, item, "AVAILABLE") == 7
    await assert_ledger_holds(session)


MOVE_SOURCE = """query($code: String!) { moveSource(code: $code) { __typename
  ... on MoveSource { bin { code } lines { itemSku lotNumber status hasFree free }
                      items { sku tracking gtins } }
  ... on UserError { code field } } }"""


async def test_move_source_shows_the_floor_what_lies_there_but_not_how_many(gql, session):
    source = await fresh_bin(session, "MS-A")
    item = await new_item(session, "MS-1", lot_tracked=True)
    await put(session, source, item, 7, lot="L-1")
    await put(session, source, item, 2, lot="L-2")

    picker = await call(gql, "picker", MOVE_SOURCE, code=source.code)
    assert picker["bin"]["code"] == source.code
    assert picker["items"] == [{"sku": "MS-1", "tracking": "LOT", "gtins": []}]
    assert sorted((x["lotNumber"], x["hasFree"], x["free"]) for x in picker["lines"]) == [
        ("L-1", True, None),
        ("L-2", True, None),
    ]
    supervisor = await call(gql, "supervisor", MOVE_SOURCE, code=source.code)
    assert sorted((x["lotNumber"], x["free"]) for x in supervisor["lines"]) == [
        ("L-1", 7),
        ("L-2", 2),
    ]
    missing = await call(gql, "picker", MOVE_SOURCE, code="BIN-NOPE-X")
    assert missing["code"] == "BIN_NOT_FOUND"
