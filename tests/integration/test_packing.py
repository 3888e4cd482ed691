"""Pack check at the bench: wrong, extra and missing units refused; cartons get SSCCs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.demo import gtin13
from backend.inventory.ledger import MoveRequest, Place, apply_move, ledger_mismatches
from backend.printing.sscc import is_valid_sscc
from backend.scan import CodeKind, make_code
from tests.integration.conftest import key
from tests.integration.helpers import pick_face_bin

_serial = itertools.count(1)


@dataclass(frozen=True)
class Article:
    sku: str
    quantity: int
    tracking: str = "NONE"
    lot: str | None = None
    serials: tuple[str, ...] = ()
    weight_g: int = 250
    dims: tuple[int, int, int] = (100, 80, 50)


@dataclass
class PickedOrder:
    order_id: int
    number: str
    tote: str
    wave_id: int
    gtins: dict[str, str] = field(default_factory=dict)
    item_ids: dict[str, int] = field(default_factory=dict)


async def _bin(session: AsyncSession, zone_kind: str) -> m.Bin:
    row = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Zone.kind == zone_kind)
        .order_by(m.Bin.id)
    )
    assert row is not None
    return row


async def picked_order(
    session: AsyncSession, *articles: Article, wave_id: int | None = None
) -> PickedOrder:
    """An order picked into its tote the way the outbound flow leaves one: order and
    lines PICKED, a wave tour with pick lines, stock moved (PICK) to a packing bin."""
    n = next(_serial)
    tag = f"{n:03d}{abs(hash(articles)) % 1000:03d}"
    pick_bin = await pick_face_bin(session)
    pack_bin = await _bin(session, m.ZoneKind.PACKING)
    warehouse_id = pick_bin.warehouse_id
    customer = await session.scalar(select(m.Customer).order_by(m.Customer.id))
    assert customer is not None
    number = f"SO-T{tag}"
    order = m.SalesOrder(
        warehouse_id=warehouse_id,
        number=number,
        customer_id=customer.id,
        state=m.OrderState.PICKED,
        ship_to={
            "name": "Receiving",
            "company": customer.name,
            "street": "Main Street 1",
            "postal_code": "3511 AB",
            "city": "Utrecht",
            "country": "NL",
        },
    )
    wave = await session.get(m.Wave, wave_id) if wave_id else None
    if wave is None:
        wave = m.Wave(
            warehouse_id=warehouse_id, code=f"WAVE-T{tag}", method="test", state="RELEASED"
        )
        session.add(wave)
    session.add(order)
    await session.flush()
    order.wave_id = wave.id
    tour = m.WaveTour(wave_id=wave.id, seq=n)
    session.add(tour)
    await session.flush()
    tote = make_code(CodeKind.TOTE, f"T{tag}")
    session.add(m.TourOrder(tour_id=tour.id, order_id=order.id, slot=1, tote_code=tote))
    result = PickedOrder(order.id, number, tote, wave.id)
    for line_no, article in enumerate(articles, start=1):
        sku = f"{article.sku}-{tag}"
        length, width, height = article.dims
        item = m.Item(
            sku=sku,
            name=f"Article {sku}",
            tracking=article.tracking,
            length_mm=length,
            width_mm=width,
            height_mm=height,
            weight_g=article.weight_g,
        )
        session.add(item)
        await session.flush()
        gtin = "0" + gtin13("400638", int(tag) * 10 + line_no)
        session.add(m.ItemBarcode(item_id=item.id, gtin=gtin))
        lot_id = None
        if article.lot:
            lot = m.Lot(item_id=item.id, lot_number=article.lot)
            session.add(lot)
            await session.flush()
            lot_id = lot.id
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                lot_id=lot_id,
                quantity=article.quantity + 5,
                reason=m.MoveReason.OPENING,
                destination=Place(pick_bin.id),
            ),
        )
        line = m.SalesOrderLine(
            order_id=order.id,
            line_no=line_no,
            item_id=item.id,
            quantity=article.quantity,
            picked=article.quantity,
        )
        session.add(line)
        await session.flush()
        session.add(
            m.PickLine(
                tour_id=tour.id,
                seq=line_no,
                order_id=order.id,
                order_line_id=line.id,
                item_id=item.id,
                lot_id=lot_id,
                bin_id=pick_bin.id,
                quantity=article.quantity,
                picked=article.quantity,
                state=m.PickLineState.PICKED,
            )
        )
        await apply_move(
            session,
            MoveRequest(
                item_id=item.id,
                lot_id=lot_id,
                quantity=article.quantity,
                reason=m.MoveReason.PICK,
                source=Place(pick_bin.id),
                destination=Place(pack_bin.id),
                reference=number,
            ),
        )
        result.gtins[article.sku] = gtin
        result.item_ids[article.sku] = item.id
    await session.commit()
    return result


SESSION_FIELDS = """
  id orderId orderRef state complete missingUnits suggestedCartonType packingSlipUrl
  lines { id lineNo sku lot tracking expected packed short missing serialsPacked }
  cartons { id cartonNo state sscc cartonType weightGrams expectedWeightGrams labelUrl
            lines { sku lot serial quantity } }
"""

START = """mutation($code: String!, $key: String!) {
  startPacking(input: {code: $code, idempotencyKey: $key, station: "BENCH-1"}) {
    __typename
    ... on PackSessionSuccess { session { __SESSION__ } }
    ... on UserError { code message field }
  }
}""".replace("__SESSION__", SESSION_FIELDS)

SCAN = """mutation($session: ID!, $code: String!, $qty: Int, $key: String!) {
  packScan(input: {sessionId: $session, code: $code, quantity: $qty, idempotencyKey: $key}) {
    __typename
    ... on PackScanSuccess { sku quantity lot serial cartonNo session { __SESSION__ } }
    ... on UserError { code message field }
  }
}""".replace("__SESSION__", SESSION_FIELDS)

CLOSE = """mutation($session: ID!, $type: String, $weight: Int, $last: Boolean!, $key: String!) {
  closeCarton(input: {sessionId: $session, cartonType: $type, weightGrams: $weight,
                      lastCarton: $last, idempotencyKey: $key}) {
    __typename
    ... on CloseCartonSuccess { orderPacked carton { id cartonNo sscc cartonType weightGrams
        expectedWeightGrams state labelUrl } session { __SESSION__ } }
    ... on UserError { code message field }
  }
}""".replace("__SESSION__", SESSION_FIELDS)

SHORT = """mutation($session: ID!, $reason: String!, $key: String!) {
  shortShip(input: {sessionId: $session, reason: $reason, idempotencyKey: $key}) {
    __typename
    ... on PackSessionSuccess { session { id state complete missingUnits } }
    ... on UserError { code message field }
  }
}"""


async def start(gql, token, code):  # type: ignore[no-untyped-def]
    body = await gql(START, {"code": code, "key": key()}, token=token)
    return body["data"]["startPacking"]


async def scan(gql, token, session_id, code, qty=None):  # type: ignore[no-untyped-def]
    body = await gql(
        SCAN, {"session": session_id, "code": code, "qty": qty, "key": key()}, token=token
    )
    return body["data"]["packScan"]


async def close(gql, token, session_id, *, last=True, type_=None, weight=None):  # type: ignore[no-untyped-def]
    body = await gql(
        CLOSE,
        {"session": session_id, "type": type_, "weight": weight, "last": last, "key": key()},
        token=token,
    )
    return body["data"]["closeCarton"]


async def pack_completely(gql, token, order: PickedOrder, articles: tuple[Article, ...]):  # type: ignore[no-untyped-def]
    """Start, scan every unit, close one carton; returns the close result."""
    started = await start(gql, token, order.tote)
    assert started["__typename"] == "PackSessionSuccess", started
    session_id = started["session"]["id"]
    for article in articles:
        if article.serials:
            for serial in article.serials:
                code = f"(01){order.gtins[article.sku]}(21){serial}"
                assert (await scan(gql, token, session_id, code))["__typename"] == "PackScanSuccess"
            continue
        code = order.gtins[article.sku]
        if article.lot:
            code = f"(01){code}(10){article.lot}"
        result = await scan(gql, token, session_id, code, article.quantity)
        assert result["__typename"] == "PackScanSuccess", result
    closed = await close(gql, token, session_id)
    assert closed["__typename"] == "CloseCartonSuccess", closed
    return closed


# -- tests ---------------------------------------------------------------------------


async def test_start_from_the_tote_lists_what_must_go_in(gql, session):
    order = await picked_order(session, Article("A", 3), Article("B", 2, "LOT", lot="L-77"))
    token = await gql.token("packer")
    started = await start(gql, token, order.tote)
    assert started["__typename"] == "PackSessionSuccess", started
    pack = started["session"]
    assert pack["orderRef"] == order.number and pack["state"] == "OPEN"
    assert [(line["expected"], line["packed"], line["lot"]) for line in pack["lines"]] == [
        (3, 0, None),
        (2, 0, "L-77"),
    ]
    assert pack["missingUnits"] == 5 and not pack["complete"]
    # The order's number works as well, and resumes the same session.
    again = await start(gql, token, order.number)
    assert again["session"]["id"] == pack["id"]


async def test_wrong_extra_and_missing_units_are_refused(gql, session):
    order = await picked_order(session, Article("A", 2), Article("B", 1, "LOT", lot="L-1"))
    other = await picked_order(session, Article("Z", 1))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]

    wrong = await scan(gql, token, session_id, other.gtins["Z"])
    assert (wrong["__typename"], wrong["code"]) == ("StockError", "WRONG_ITEM")
    wrong_lot = await scan(gql, token, session_id, f"(01){order.gtins['B']}(10)L-2")
    assert wrong_lot["code"] == "WRONG_LOT"
    too_many = await scan(gql, token, session_id, order.gtins["A"], 3)
    assert too_many["code"] == "OVER_PACK"
    assert (await scan(gql, token, session_id, order.gtins["A"], 2))["__typename"] == (
        "PackScanSuccess"
    )
    extra = await scan(gql, token, session_id, order.gtins["A"])
    assert extra["code"] == "OVER_PACK"
    for bad, code in [
        ("", "SCAN_EMPTY"),
        ("4006381333932", "SCAN_BAD_CHECK_DIGIT"),
        ("BIN-W1-RCV-01-9", "SCAN_WRONG_KIND"),
        ("04012345000009", "ITEM_NOT_FOUND"),
    ]:
        assert (await scan(gql, token, session_id, bad))["code"] in (code, "SCAN_MALFORMED"), bad
    assert (await scan(gql, token, session_id, order.gtins["A"], 0))["code"] == "INVALID_QUANTITY"
    assert (await scan(gql, token, session_id, order.gtins["A"], -3))["code"] == "INVALID_QUANTITY"

    missing = await close(gql, token, session_id)
    assert missing["code"] == "PACK_INCOMPLETE" and "1 × B" in missing["message"]
    pack = await session.get(m.PackSession, int(session_id))
    assert pack is not None
    await session.refresh(pack)
    assert pack.state == "OPEN"
    cartons = await session.scalar(
        select(func.count()).select_from(m.Carton).where(m.Carton.sscc.is_not(None))
    )
    assert cartons == 0
    assert await ledger_mismatches(session) == []


async def test_full_pack_closes_with_sscc_and_moves_stock_to_the_dock(gql, session):
    articles = (Article("A", 3), Article("B", 2, "LOT", lot="L-9"))
    order = await picked_order(session, *articles)
    token = await gql.token("packer")
    closed = await pack_completely(gql, token, order, articles)
    carton = closed["carton"]
    assert closed["orderPacked"] and closed["session"]["state"] == "PACKED"
    assert is_valid_sscc(carton["sscc"]) and carton["sscc"].startswith("10614141")
    assert carton["cartonType"] == "BOX-S"  # the smallest demo box they fit in
    assert carton["expectedWeightGrams"] == 5 * 250 + 180
    assert carton["labelUrl"] == f"/documents/carton_label/{carton['id']}.pdf"
    dock = await _bin(session, m.ZoneKind.SHIPPING)
    on_dock = await session.scalar(
        select(func.sum(m.Quant.on_hand)).where(
            m.Quant.bin_id == dock.id, m.Quant.item_id.in_(order.item_ids.values())
        )
    )
    assert on_dock == 5
    sales_order = await session.get(m.SalesOrder, order.order_id)
    assert sales_order is not None
    await session.refresh(sales_order)
    assert sales_order.state == "PACKED"
    assert await ledger_mismatches(session) == []
    await session.rollback()  # give the one SQLite connection back to the app
    # Closing again: the session is no longer open.
    again = await close(gql, token, closed["session"]["id"])
    assert again["code"] == "INVALID_STATE"


async def test_several_cartons_per_order_each_get_their_own_sscc(gql, session):
    order = await picked_order(session, Article("A", 4))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]
    assert (await scan(gql, token, session_id, order.gtins["A"], 2))["cartonNo"] == 1
    first = await close(gql, token, session_id, last=False)
    assert first["__typename"] == "CloseCartonSuccess" and not first["orderPacked"]
    assert (await scan(gql, token, session_id, order.gtins["A"], 2))["cartonNo"] == 2
    second = await close(gql, token, session_id)
    assert second["orderPacked"]
    ssccs = [c["sscc"] for c in second["session"]["cartons"]]
    assert len(ssccs) == 2 and len(set(ssccs)) == 2 and all(map(is_valid_sscc, ssccs))
    empty = await close(gql, token, session_id)
    assert empty["code"] == "INVALID_STATE"


async def test_an_empty_carton_cannot_be_closed(gql, session):
    order = await picked_order(session, Article("A", 1))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]
    assert (await close(gql, token, session_id))["code"] == "CARTON_EMPTY"


async def test_weight_check_refuses_a_carton_far_from_the_expected_weight(gql, session):
    order = await picked_order(session, Article("A", 4, weight_g=500))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]
    await scan(gql, token, session_id, order.gtins["A"], 4)
    heavy = await close(gql, token, session_id, type_="BOX-M", weight=3_000)
    assert heavy["code"] == "WEIGHT_MISMATCH" and heavy["field"] == "weightGrams"
    unknown = await close(gql, token, session_id, type_="BOX-NOPE")
    assert unknown["code"] == "CARTON_TYPE_NOT_FOUND"
    absurd = await close(gql, token, session_id, weight=-5)
    assert absurd["code"] == "INVALID_QUANTITY"
    ok = await close(gql, token, session_id, type_="box-m", weight=2_000 + 420 + 40)
    assert ok["__typename"] == "CloseCartonSuccess", ok
    assert ok["carton"]["cartonType"] == "BOX-M" and ok["carton"]["weightGrams"] == 2_460


async def test_serials_must_be_the_picked_ones_and_packed_once(gql, session):
    order = await picked_order(session, Article("S", 2, "SERIAL"))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]
    gtin = order.gtins["S"]
    assert (await scan(gql, token, session_id, gtin))["code"] == "SERIAL_REQUIRED"
    assert (await scan(gql, token, session_id, f"(01){gtin}(21)SN-1"))["serial"] == "SN-1"
    again = await scan(gql, token, session_id, f"(01){gtin}(21)SN-1")
    assert again["code"] == "SERIAL_ALREADY_PACKED"
    two = await scan(gql, token, session_id, f"(01){gtin}(21)SN-2", 2)
    assert two["code"] == "INVALID_QUANTITY"


async def test_a_supervisor_short_ships_what_is_missing(gql, session):
    order = await picked_order(session, Article("A", 3))
    packer = await gql.token("packer")
    session_id = (await start(gql, packer, order.tote))["session"]["id"]
    await scan(gql, packer, session_id, order.gtins["A"], 2)
    assert (await close(gql, packer, session_id))["code"] == "PACK_INCOMPLETE"
    refused = await gql(
        SHORT, {"session": session_id, "reason": "damaged", "key": key()}, token=packer
    )
    assert refused["data"]["shortShip"]["__typename"] == "PermissionDenied"
    supervisor = await gql.token("supervisor")
    blank = await gql(SHORT, {"session": session_id, "reason": " ", "key": key()}, token=supervisor)
    assert blank["data"]["shortShip"]["code"] == "INVALID_INPUT"
    shorted = await gql(
        SHORT, {"session": session_id, "reason": "1 unit damaged", "key": key()}, token=supervisor
    )
    assert shorted["data"]["shortShip"]["session"]["complete"]
    closed = await close(gql, packer, session_id)
    assert closed["orderPacked"] and closed["session"]["lines"][0]["short"] == 1
    # The damaged unit stays where it was (on the packing bench) in the ledger.
    pack_bin = await _bin(session, m.ZoneKind.PACKING)
    left = await session.scalar(
        select(m.Quant.on_hand).where(
            m.Quant.bin_id == pack_bin.id, m.Quant.item_id == order.item_ids["A"]
        )
    )
    assert left == 1
    assert await ledger_mismatches(session) == []


async def test_orders_not_picked_or_unknown_cannot_be_packed(gql, session):
    token = await gql.token("packer")
    assert (await start(gql, token, "SO-DOES-NOT-EXIST"))["code"] == "ORDER_NOT_FOUND"
    assert (await start(gql, token, make_code(CodeKind.TOTE, "EMPTY1")))["code"] == (
        "ORDER_NOT_FOUND"
    )
    assert (await start(gql, token, "BIN-W1-RCV-01-9"))["code"] in (
        "SCAN_WRONG_KIND",
        "SCAN_BAD_CHECK_DIGIT",
    )
    order = await picked_order(session, Article("A", 1))
    row = await session.get(m.SalesOrder, order.order_id)
    assert row is not None
    row.state = m.OrderState.RELEASED
    await session.commit()
    assert (await start(gql, token, order.number))["code"] == "ORDER_NOT_PICKED"
    assert (await scan(gql, token, "999999", "4006381333931"))["code"] == "PACK_SESSION_NOT_FOUND"
    assert (await scan(gql, token, "abc", "4006381333931"))["code"] == "INVALID_INPUT"


async def test_a_replayed_scan_packs_once(gql, session):
    order = await picked_order(session, Article("A", 3))
    token = await gql.token("packer")
    session_id = (await start(gql, token, order.tote))["session"]["id"]
    variables = {"session": session_id, "code": order.gtins["A"], "qty": 2, "key": key()}
    first = await gql(SCAN, variables, token=token)
    again = await gql(SCAN, variables, token=token)
    assert first == again
    line = await session.scalar(select(m.PackLine).where(m.PackLine.session_id == int(session_id)))
    assert line is not None and line.packed == 2
