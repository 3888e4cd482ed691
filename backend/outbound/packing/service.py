"""Pack check at a packing station: what must go in, scan by scan, carton by carton.

A session is opened per order (from its tote or order code). Every scan is
checked against what was picked: a wrong item, an extra unit, a wrong lot or
serial is refused and changes nothing. Closing a carton gives it an SSCC and
moves its contents (reason PACK) from where the picks left them to a
SHIPPING-zone bin, where they wait for ship; the ship step takes them out of
the ledger. The last carton closes only when every unit is in a carton, or a
supervisor has accepted the missing ones as short.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import CartonClosed, CartonRef, OrderChanged
from backend.core.scope import check_in_scope
from backend.inventory.ledger import MoveRequest, Place, apply_move, check_quantity
from backend.outbound import order_states
from backend.outbound import putback as picked_stock
from backend.outbound.packing import orders
from backend.outbound.packing.cartons import (
    CartonSpec,
    Goods,
    expected_weight,
    suggest_carton,
    weight_within_tolerance,
)
from backend.outbound.packing.putback import PutBackUnits, create_put_back
from backend.outbound.shipping.numbers import next_sscc
from backend.outbound.shipping.settings import ShippingSettings
from backend.scan import GS1Scan, parse_scan

MAX_CARTON_WEIGHT_G = 1_000_000


# -- views (plain data, returned to the API) ----------------------------------


@dataclass(frozen=True)
class PackLineView:
    line_id: int
    line_no: int
    sku: str
    description: str
    gtin: str
    lot: str | None
    tracking: str
    expected: int
    packed: int
    short: int
    serials_expected: tuple[str, ...]
    serials_packed: tuple[str, ...]

    @property
    def missing(self) -> int:
        return self.expected - self.packed - self.short


@dataclass(frozen=True)
class CartonLineView:
    sku: str
    description: str
    lot: str | None
    serial: str | None
    quantity: int


@dataclass(frozen=True)
class CartonView:
    carton_id: int
    carton_no: int
    state: str
    sscc: str | None
    carton_type: str | None
    weight_g: int | None
    expected_weight_g: int | None
    lines: tuple[CartonLineView, ...]


@dataclass(frozen=True)
class PackSessionView:
    session_id: int
    order_id: int
    order_ref: str
    warehouse_id: int
    state: str
    station: str
    lines: tuple[PackLineView, ...]
    cartons: tuple[CartonView, ...]
    suggested_carton_type: str | None

    @property
    def complete(self) -> bool:
        return all(line.missing == 0 for line in self.lines)

    @property
    def missing_units(self) -> int:
        return sum(line.missing for line in self.lines)


# -- helpers -------------------------------------------------------------------


async def _lock_session(session: AsyncSession, session_id: int) -> m.PackSession:
    # FOR UPDATE on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE).
    row = await session.scalar(
        select(m.PackSession).where(m.PackSession.id == session_id).with_for_update()
    )
    if row is None:
        raise DomainError(ErrorCode.PACK_SESSION_NOT_FOUND, "No such packing session.", "sessionId")
    return row


async def _lines(session: AsyncSession, session_id: int) -> list[m.PackLine]:
    return list(
        await session.scalars(
            select(m.PackLine)
            .where(m.PackLine.session_id == session_id)
            .order_by(m.PackLine.line_no, m.PackLine.id)
        )
    )


async def _open_carton(session: AsyncSession, pack: m.PackSession) -> m.Carton | None:
    return await session.scalar(
        select(m.Carton).where(m.Carton.session_id == pack.id, m.Carton.state == m.CartonState.OPEN)
    )


async def _carton_specs(session: AsyncSession) -> list[CartonSpec]:
    return [
        CartonSpec(c.code, c.length_mm, c.width_mm, c.height_mm, c.max_weight_g, c.tare_weight_g)
        for c in await session.scalars(
            select(m.CartonType).where(m.CartonType.active.is_(True)).order_by(m.CartonType.id)
        )
    ]


async def _goods(session: AsyncSession, contents: list[m.CartonContent]) -> list[Goods]:
    goods = []
    for content in contents:
        item = await session.get(m.Item, content.item_id)
        assert item is not None
        goods.append(
            Goods(content.quantity, item.length_mm, item.width_mm, item.height_mm, item.weight_g)
        )
    return goods


async def _contents(session: AsyncSession, carton_id: int) -> list[m.CartonContent]:
    return list(
        await session.scalars(
            select(m.CartonContent)
            .where(m.CartonContent.carton_id == carton_id)
            .order_by(m.CartonContent.id)
        )
    )


async def _unit_gtins(session: AsyncSession, item_ids: set[int]) -> dict[int, str]:
    """Each item's first unit GTIN (not a pack's), for all the items in one read."""
    gtins: dict[int, str] = {}
    if not item_ids:
        return gtins
    for item_id, gtin in await session.execute(
        select(m.ItemBarcode.item_id, m.ItemBarcode.gtin)
        .where(m.ItemBarcode.item_id.in_(sorted(item_ids)), m.ItemBarcode.packaging_id.is_(None))
        .order_by(m.ItemBarcode.id)
    ):
        gtins.setdefault(item_id, gtin)
    return gtins


async def session_view(
    session: AsyncSession, pack: m.PackSession, lines: list[m.PackLine] | None = None
) -> PackSessionView:
    """What the bench shows. ``lines``: all the session's lines as the caller already
    loaded them (in line order); read when not given. Every carton's contents are
    read once, for the serials, the carton views and the carton suggestion."""
    if lines is None:
        lines = await _lines(session, pack.id)
    line_views = []
    cartons = list(
        await session.scalars(
            select(m.Carton).where(m.Carton.session_id == pack.id).order_by(m.Carton.carton_no)
        )
    )
    contents_of: dict[int, list[m.CartonContent]] = defaultdict(list)
    if cartons:
        for content in await session.scalars(
            select(m.CartonContent)
            .where(m.CartonContent.carton_id.in_([c.id for c in cartons]))
            .order_by(m.CartonContent.id)
        ):
            contents_of[content.carton_id].append(content)
    packed_serials: dict[int, list[str]] = defaultdict(list)
    for carton_contents in contents_of.values():
        for content in carton_contents:
            if content.serial is not None:
                packed_serials[content.pack_line_id].append(content.serial)
    gtins = await _unit_gtins(session, {line.item_id for line in lines})
    for line in lines:
        item = await session.get(m.Item, line.item_id)
        assert item is not None
        lot = await session.get(m.Lot, line.lot_id) if line.lot_id else None
        gtin = gtins.get(item.id)
        line_views.append(
            PackLineView(
                line_id=line.id,
                line_no=line.line_no,
                sku=item.sku,
                description=item.name,
                gtin=gtin or "",
                lot=lot.lot_number if lot else None,
                tracking=item.tracking,
                expected=line.expected,
                packed=line.packed,
                short=line.short,
                serials_expected=tuple(line.serials or ()),
                serials_packed=tuple(packed_serials.get(line.id, ())),
            )
        )
    carton_views = [await carton_view(session, c, contents_of[c.id]) for c in cartons]
    suggestion = None
    open_carton = next((c for c in cartons if c.state == m.CartonState.OPEN), None)
    if open_carton is not None:
        contents = contents_of[open_carton.id]
        if contents:
            best = suggest_carton(await _carton_specs(session), await _goods(session, contents))
            suggestion = best.code if best else None
    return PackSessionView(
        session_id=pack.id,
        order_id=pack.order_id,
        order_ref=pack.order_ref,
        warehouse_id=pack.warehouse_id,
        state=pack.state,
        station=pack.station,
        lines=tuple(line_views),
        cartons=tuple(carton_views),
        suggested_carton_type=suggestion,
    )


async def carton_view(
    session: AsyncSession, carton: m.Carton, contents: list[m.CartonContent] | None = None
) -> CartonView:
    """``contents``: the carton's contents when the caller has read them."""
    grouped: dict[tuple[int, int | None, str | None], int] = defaultdict(int)
    if contents is None:
        contents = await _contents(session, carton.id)
    for content in contents:
        grouped[(content.item_id, content.lot_id, content.serial)] += content.quantity
    lines = []
    for (item_id, lot_id, serial), quantity in grouped.items():
        item = await session.get(m.Item, item_id)
        lot = await session.get(m.Lot, lot_id) if lot_id else None
        assert item is not None
        lines.append(
            CartonLineView(
                sku=item.sku,
                description=item.name,
                lot=lot.lot_number if lot else None,
                serial=serial,
                quantity=quantity,
            )
        )
    carton_type = (
        await session.get(m.CartonType, carton.carton_type_id) if carton.carton_type_id else None
    )
    return CartonView(
        carton_id=carton.id,
        carton_no=carton.carton_no,
        state=carton.state,
        sscc=carton.sscc,
        carton_type=carton_type.code if carton_type else None,
        weight_g=carton.weight_g,
        expected_weight_g=carton.expected_weight_g,
        lines=tuple(lines),
    )


# -- start -----------------------------------------------------------------------


async def start_packing(
    uow: UnitOfWork, principal: Principal, code: str, station: str = ""
) -> PackSessionView:
    session = uow.session
    station = station.strip()[:40]
    order = await orders.resolve_order(session, code)
    check_in_scope(principal, order.warehouse_id)
    existing = await session.scalar(
        select(m.PackSession).where(
            m.PackSession.order_id == order.id, m.PackSession.state == m.PackState.OPEN
        )
    )
    if existing is not None:
        return await session_view(session, existing)  # resume where the bench left off
    orders.check_packable(order)
    units = await picked_stock.picked_units(session, order)
    if not units:
        raise DomainError(
            ErrorCode.ORDER_NOT_PICKED, f"Nothing of order {order.number} was picked.", "code"
        )
    pack = m.PackSession(
        warehouse_id=order.warehouse_id,
        order_id=order.id,
        order_ref=order.number,
        station=station,
        user_id=principal.user_id,
    )
    try:
        async with session.begin_nested():
            session.add(pack)
            await session.flush()
    except IntegrityError:
        # Another bench opened this order a moment ago: join its session.
        existing = await session.scalar(
            select(m.PackSession).where(
                m.PackSession.order_id == order.id, m.PackSession.state == m.PackState.OPEN
            )
        )
        if existing is None:
            raise
        return await session_view(session, existing)
    for unit in units:
        session.add(
            m.PackLine(
                session_id=pack.id,
                line_no=unit.line_no,
                order_line_id=unit.order_line_id,
                item_id=unit.item_id,
                lot_id=unit.lot_id,
                source_bin_id=unit.bin_id,
                source_status=unit.status,
                expected=unit.quantity,
                serials=[],
            )
        )
    await session.flush()
    return await session_view(session, pack)


# -- scan ------------------------------------------------------------------------


@dataclass(frozen=True)
class PackScanOutcome:
    view: PackSessionView
    sku: str
    quantity: int
    lot: str | None
    serial: str | None
    carton_no: int


async def _scanned_item(session: AsyncSession, scan: GS1Scan) -> tuple[m.Item, int]:
    """The item a GTIN names, and how many base units one scan of it is (a case)."""
    barcode = await session.scalar(select(m.ItemBarcode).where(m.ItemBarcode.gtin == scan.gtin))
    if barcode is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item has this barcode.", "code")
    item = await session.get(m.Item, barcode.item_id)
    assert item is not None
    per_scan = 1
    if barcode.packaging_id is not None:
        packaging = await session.get(m.ItemPackaging, barcode.packaging_id)
        per_scan = packaging.quantity if packaging else 1
    return item, per_scan


async def _open_session(
    session: AsyncSession, principal: Principal, session_id: int
) -> m.PackSession:
    """The session, locked, in the caller's scope and still open."""
    pack = await _lock_session(session, session_id)
    check_in_scope(principal, pack.warehouse_id)
    if pack.state != m.PackState.OPEN:
        raise DomainError(
            ErrorCode.INVALID_STATE, f"This packing session is {pack.state}.", "sessionId"
        )
    return pack


async def _lines_of_lot(
    session: AsyncSession, item: m.Item, scan: GS1Scan, lines: list[m.PackLine]
) -> list[m.PackLine]:
    """The item's lines the scan may fill: those of its lot, when it names one."""
    if scan.lot:
        lot_id = await session.scalar(
            select(m.Lot.id).where(m.Lot.item_id == item.id, m.Lot.lot_number == scan.lot)
        )
        matching = [line for line in lines if lot_id is not None and line.lot_id == lot_id]
        if not matching:
            picked = sorted({line.lot_id for line in lines if line.lot_id})
            names = [
                (await session.get(m.Lot, lid)).lot_number  # type: ignore[union-attr]
                for lid in picked
            ]
            raise DomainError(
                ErrorCode.WRONG_LOT,
                f"Lot {scan.lot} was not picked for this order"
                + (f" (picked: {', '.join(names)})." if names else "."),
                "code",
            )
        return matching
    if item.tracking == m.Tracking.LOT:
        open_lots = {line.lot_id for line in lines if line.expected - line.packed - line.short > 0}
        if len(open_lots) > 1:
            raise DomainError(
                ErrorCode.LOT_REQUIRED,
                "Several lots of this item are on the order: scan the code with the lot.",
                "code",
            )
    return lines


async def _check_serial(
    session: AsyncSession,
    pack: m.PackSession,
    lines: list[m.PackLine],
    serial: str | None,
    units: int,
) -> None:
    """A serialised unit: one, with its serial, picked for this order, not packed yet."""
    if not serial:
        raise DomainError(ErrorCode.SERIAL_REQUIRED, "Scan the unit's serial number.", "code")
    if units != 1:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "A serial number is one unit.", "quantity")
    expected_serials = {s for line in lines for s in (line.serials or ())}
    if expected_serials and serial not in expected_serials:
        raise DomainError(
            ErrorCode.WRONG_SERIAL, f"Serial {serial} was not picked for this order.", "code"
        )
    already = await session.scalar(
        select(func.count())
        .select_from(m.CartonContent)
        .join(m.Carton, m.Carton.id == m.CartonContent.carton_id)
        .where(m.Carton.session_id == pack.id, m.CartonContent.serial == serial)
    )
    if already:
        raise DomainError(
            ErrorCode.SERIAL_ALREADY_PACKED, f"Serial {serial} is packed already.", "code"
        )


async def _carton_to_fill(session: AsyncSession, pack: m.PackSession) -> m.Carton:
    """The open carton, or a new one numbered after the last."""
    carton = await _open_carton(session, pack)
    if carton is not None:
        return carton
    last = await session.scalar(
        select(func.max(m.Carton.carton_no)).where(m.Carton.session_id == pack.id)
    )
    carton = m.Carton(
        session_id=pack.id,
        warehouse_id=pack.warehouse_id,
        order_id=pack.order_id,
        carton_no=(last or 0) + 1,
    )
    session.add(carton)
    await session.flush()
    return carton


def _fill(
    session: AsyncSession,
    carton: m.Carton,
    lines: list[m.PackLine],
    item: m.Item,
    units: int,
    serial: str | None,
    user_id: int | None,
) -> None:
    """Put ``units`` into the carton, line by line in order."""
    left = units
    for line in lines:
        take = min(left, line.expected - line.packed - line.short)
        if take <= 0:
            continue
        line.packed += take
        session.add(
            m.CartonContent(
                carton_id=carton.id,
                pack_line_id=line.id,
                item_id=item.id,
                lot_id=line.lot_id,
                serial=serial,
                quantity=take,
                packed_by=user_id,
            )
        )
        left -= take
        if left == 0:
            break


async def _lot_name(session: AsyncSession, scan: GS1Scan, lines: list[m.PackLine]) -> str | None:
    if scan.lot is not None or len({line.lot_id for line in lines}) != 1 or not lines[0].lot_id:
        return scan.lot
    lot_row = await session.get(m.Lot, lines[0].lot_id)
    return lot_row.lot_number if lot_row else None


async def pack_scan(
    uow: UnitOfWork,
    principal: Principal,
    session_id: int,
    code: str,
    quantity: int | None = None,
) -> PackScanOutcome:
    """One scan of an article into the open carton (a new one when none is open)."""
    session = uow.session
    pack = await _open_session(session, principal, session_id)
    scan = parse_scan(code)
    if not isinstance(scan, GS1Scan) or not scan.gtin:
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan the article's barcode.", "code")
    item, per_scan = await _scanned_item(session, scan)
    if quantity is not None:
        check_quantity(quantity)
    units = (quantity or 1) * per_scan
    check_quantity(units)
    all_lines = await _lines(session, pack.id)
    lines = [line for line in all_lines if line.item_id == item.id]
    if not lines:
        raise DomainError(
            ErrorCode.WRONG_ITEM, f"{item.sku} {item.name} is not on this order.", "code"
        )
    lines = await _lines_of_lot(session, item, scan, lines)
    if item.tracking == m.Tracking.SERIAL:
        await _check_serial(session, pack, lines, scan.serial, units)
    remaining = sum(line.expected - line.packed - line.short for line in lines)
    if units > remaining:
        raise DomainError(
            ErrorCode.OVER_PACK,
            f"Only {remaining} more of {item.sku} belong in this order; {units} scanned.",
            "quantity" if quantity else "code",
        )
    carton = await _carton_to_fill(session, pack)
    _fill(session, carton, lines, item, units, scan.serial, principal.user_id)
    await session.flush()
    return PackScanOutcome(
        view=await session_view(session, pack, all_lines),
        sku=item.sku,
        quantity=units,
        lot=await _lot_name(session, scan, lines),
        serial=scan.serial,
        carton_no=carton.carton_no,
    )


# -- close ------------------------------------------------------------------------


async def _shipping_bin(session: AsyncSession, warehouse_id: int) -> m.Bin:
    row = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(
            m.Bin.warehouse_id == warehouse_id,
            m.Zone.kind == m.ZoneKind.SHIPPING,
            m.Bin.blocked.is_(False),
        )
        .order_by(m.Bin.id)
        .limit(1)
    )
    if row is None:
        raise DomainError(
            ErrorCode.SHIPPING_BIN_NOT_FOUND,
            "This warehouse has no shipping-zone bin for packed cartons.",
        )
    return row


def _missing_message(view: PackSessionView) -> str:
    parts = [f"{line.missing} × {line.sku}" for line in view.lines if line.missing]
    return (
        "Units are missing: " + ", ".join(parts) + ". Pack them or ask a supervisor to short-ship."
    )


@dataclass(frozen=True)
class CloseOutcome:
    view: PackSessionView
    carton: CartonView
    order_packed: bool


def _carton_spec(
    specs: list[CartonSpec], goods: list[Goods], carton_type: str | None
) -> CartonSpec | None:
    """The carton type named, else the smallest the goods fit in (None: none fits)."""
    if not carton_type:
        return suggest_carton(specs, goods)
    spec = next((s for s in specs if s.code == carton_type.strip().upper()), None)
    if spec is None:
        raise DomainError(
            ErrorCode.CARTON_TYPE_NOT_FOUND, "No carton type with this code.", "cartonType"
        )
    return spec


def _check_weight(
    weight_g: int | None,
    expected: int,
    weights_known: bool,
    spec: CartonSpec | None,
    settings: ShippingSettings,
) -> None:
    """A scale reading must match the contents (when their weights are known) and the
    carton's limit."""
    if weight_g is None:
        return
    if weights_known and not weight_within_tolerance(
        weight_g, expected, settings.weight_tolerance_pct, settings.weight_tolerance_min_g
    ):
        raise DomainError(
            ErrorCode.WEIGHT_MISMATCH,
            f"The carton weighs {weight_g} g; {expected} g expected. Check its contents.",
            "weightGrams",
        )
    if spec is not None and weight_g > spec.max_weight_g:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Carton {spec.code} carries at most {spec.max_weight_g} g.",
            "cartonType",
        )


async def _move_to_dock(
    session: AsyncSession,
    pack: m.PackSession,
    contents: list[m.CartonContent],
    destination: m.Bin,
    user_id: int | None,
) -> None:
    """The carton's contents go from where they were picked to the shipping bin (PACK)."""
    lines = {line.id: line for line in await _lines(session, pack.id)}
    moved: dict[tuple[int, int | None, int, str], int] = defaultdict(int)
    for content in contents:
        line = lines[content.pack_line_id]
        moved[(content.item_id, content.lot_id, line.source_bin_id, line.source_status)] += (
            content.quantity
        )
    for (item_id, lot_id, bin_id, status), quantity in sorted(
        moved.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])
    ):
        await apply_move(
            session,
            MoveRequest(
                item_id=item_id,
                lot_id=lot_id,
                quantity=quantity,
                reason=m.MoveReason.PACK,
                source=Place(bin_id, status),
                destination=Place(destination.id),
                reference=pack.order_ref[:80],
                user_id=user_id,
            ),
        )


async def _seal(
    session: AsyncSession,
    carton: m.Carton,
    *,
    sscc: str,
    weight_g: int | None,
    expected: int | None,
    spec: CartonSpec | None,
    destination: m.Bin,
    user_id: int | None,
) -> None:
    carton.sscc = sscc
    carton.state = m.CartonState.CLOSED
    carton.weight_g = weight_g if weight_g is not None else expected
    carton.expected_weight_g = expected
    carton.bin_id = destination.id
    carton.closed_by = user_id
    carton.closed_at = utcnow()
    if spec is not None:
        carton.carton_type_id = await session.scalar(
            select(m.CartonType.id).where(m.CartonType.code == spec.code)
        )
    await session.flush()


async def close_carton(
    uow: UnitOfWork,
    principal: Principal,
    session_id: int,
    *,
    carton_type: str | None = None,
    weight_g: int | None = None,
    last_carton: bool = True,
    settings: ShippingSettings,
) -> CloseOutcome:
    """Close the open carton: checked, moved to the dock, given its SSCC. The last
    carton needs every unit packed (or short-shipped) and makes the order PACKED."""
    session = uow.session
    pack = await _open_session(session, principal, session_id)
    if weight_g is not None and not 0 < weight_g <= MAX_CARTON_WEIGHT_G:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY, "A carton weighs between 1 g and 1 t.", "weightGrams"
        )
    carton = await _open_carton(session, pack)
    contents = await _contents(session, carton.id) if carton else []
    if carton is None or not contents:
        raise DomainError(ErrorCode.CARTON_EMPTY, "Nothing has been packed into this carton.")
    before = await session_view(session, pack)
    if last_carton and not before.complete:
        raise DomainError(ErrorCode.PACK_INCOMPLETE, _missing_message(before), "sessionId")
    goods = await _goods(session, contents)
    spec = _carton_spec(await _carton_specs(session), goods, carton_type)
    expected = expected_weight(goods, spec)
    weights_known = all(g.weight_g > 0 for g in goods)
    _check_weight(weight_g, expected, weights_known, spec, settings)
    destination = await _shipping_bin(session, pack.warehouse_id)
    await _move_to_dock(session, pack, contents, destination, principal.user_id)
    await _seal(
        session,
        carton,
        sscc=await next_sscc(session, settings),
        weight_g=weight_g,
        expected=expected if weights_known else None,
        spec=spec,
        destination=destination,
        user_id=principal.user_id,
    )
    order_packed = before.complete
    if order_packed:
        await _finish(uow, pack)
    uow.emit(
        CartonClosed(
            pack.warehouse_id,
            "closed",
            CartonRef(carton.id, carton.sscc, pack.order_id),
            order_packed=order_packed,
        )
    )
    return CloseOutcome(
        view=await session_view(session, pack),
        carton=await carton_view(session, carton),
        order_packed=order_packed,
    )


async def _finish(uow: UnitOfWork, pack: m.PackSession) -> None:
    pack.state = m.PackState.PACKED
    pack.packed_at = utcnow()
    order = await orders.order_by_id(uow.session, pack.order_id)
    order_states.mark_packed(order)
    await uow.session.flush()
    uow.emit(OrderChanged(pack.warehouse_id, "packed", order.id, order.number))


# -- short ship --------------------------------------------------------------------


async def short_ship(
    uow: UnitOfWork, principal: Principal, session_id: int, reason: str
) -> PackSessionView:
    """Accept the missing units as short. The last carton can then be closed; if
    no carton is open, the order is packed with what was closed already, and if
    nothing at all was packed, nothing of the order ships: it is cancelled.

    The short units were picked and wait in the packing bin: a put-back task
    (PUTAWAY, see ``putback``) takes them back to storage, and whatever the
    order still holds reserved on the shelves is released, all in this
    transaction."""
    session = uow.session
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, "Give a reason of 1–200 characters.", "reason")
    pack = await _open_session(session, principal, session_id)
    lines = await _lines(session, pack.id)
    if all(line.expected - line.packed - line.short == 0 for line in lines):
        raise DomainError(ErrorCode.INVALID_STATE, "Nothing is missing.", "sessionId")
    order = await orders.order_by_id(session, pack.order_id)
    put_back: list[PutBackUnits] = []
    for line in lines:
        given_up = line.expected - line.packed - line.short
        line.short = line.expected - line.packed
        if given_up <= 0:
            continue
        put_back.append(
            PutBackUnits(
                line.item_id, line.lot_id, line.source_bin_id, line.source_status, given_up
            )
        )
        if line.order_line_id is not None:
            await orders.give_up_picked(session, line.order_line_id, given_up)
    await orders.release_order_reservations(session, order)
    await create_put_back(
        uow,
        warehouse_id=pack.warehouse_id,
        units=put_back,
        reference=pack.order_ref,
        why="short-shipped",
        created_by=principal.user_id,
    )
    pack.short_shipped_by = principal.user_id
    pack.short_reason = reason
    await session.flush()
    carton = await _open_carton(session, pack)
    has_open_contents = carton is not None and bool(await _contents(session, carton.id))
    closed = await session.scalar(
        select(func.count())
        .select_from(m.Carton)
        .where(m.Carton.session_id == pack.id, m.Carton.state != m.CartonState.OPEN)
    )
    if not has_open_contents:
        if carton is not None:
            await session.delete(carton)
        if closed:
            await _finish(uow, pack)
        else:
            pack.state = m.PackState.CANCELLED  # nothing at all was packed
            order_states.mark_cancelled(order)
            uow.emit(OrderChanged(pack.warehouse_id, "cancelled", order.id, order.number))
    await session.flush()
    return await session_view(session, pack)
