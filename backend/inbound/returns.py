"""Customer returns (RMA): authorise, receive on the handheld, decide every unit, credit.

Authorising checks the return against what the shipment carried for that order:
never more units of an item (and lot) than shipped, counting earlier returns, and
for serialised goods exactly the serials that left in it and have not come back.

Receiving reuses RETURN receipts (backend/inbound/receiving.py): the goods land
quarantined on the dock through the ledger, and a returned serial is back in the
register. Each unit then gets one disposition (restock to a bin, quarantine, scrap,
return to vendor), a ledger move in the same transaction. When every authorised
unit has arrived and been decided, the return is credited: its credit reference
goes out by the shipment webhook outbox, signed, after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import ReturnCredited
from backend.core.scope import ReadScope
from backend.inbound import receiving
from backend.inbound.common import text
from backend.inventory import serials
from backend.inventory.ledger import MoveRequest, Place, apply_move, check_quantity
from backend.inventory.lookup import bin_by_scan
from backend.outbound.orders import release_backorders
from backend.outbound.shipping import webhooks
from backend.outbound.shipping.numbers import Series, next_value
from backend.outbound.shipping.settings import ShippingSettings

MAX_LINES = 200
# Units are decided one by one; a return of more than this is a bulk credit, not an RMA.
MAX_UNITS_PER_LINE = 1000
OPEN_STATES = (m.ReturnState.AUTHORISED, m.ReturnState.RECEIVING)


@dataclass(frozen=True)
class ReturnLineRequest:
    sku: str
    quantity: int
    lot_number: str | None = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReturnLineView:
    id: int
    line_no: int
    item_id: int
    sku: str
    lot_number: str | None
    quantity: int
    received: int
    serials: tuple[str, ...]


@dataclass(frozen=True)
class ReturnUnitView:
    id: int
    line_id: int
    sku: str
    lot_number: str | None
    serial: str | None
    bin_code: str
    status: str
    disposition: str | None
    to_bin_code: str | None
    note: str
    decided_by: int | None


@dataclass(frozen=True)
class ReturnView:
    id: int
    number: str
    warehouse_id: int
    shipment_id: int
    tracking_number: str
    order_id: int
    order_number: str
    customer_code: str
    state: str
    reason: str
    receipt_id: int | None
    credit_reference: str | None
    created_by: int | None
    created_at: Any
    credited_at: Any
    lines: tuple[ReturnLineView, ...]
    units: tuple[ReturnUnitView, ...]


# --- authorise ---------------------------------------------------------------------------


async def _shipment_and_order(
    session: AsyncSession, principal: Principal, shipment_id: int, order_id: int | None
) -> tuple[m.Shipment, m.SalesOrder]:
    shipment = await session.get(m.Shipment, shipment_id)
    if shipment is None or not principal.in_scope(shipment.warehouse_id):
        raise DomainError(ErrorCode.SHIPMENT_NOT_FOUND, "No such shipment.", "shipmentId")
    order_ids = list(
        await session.scalars(
            select(m.ShipmentOrder.order_id)
            .where(m.ShipmentOrder.shipment_id == shipment.id)
            .order_by(m.ShipmentOrder.order_id)
        )
    )
    if order_id is None:
        if len(order_ids) != 1:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "This shipment carried several orders: name the one the return is for.",
                "orderId",
            )
        order_id = order_ids[0]
    if order_id not in order_ids:
        raise DomainError(
            ErrorCode.ORDER_NOT_FOUND, "That order was not in this shipment.", "orderId"
        )
    order = await session.get(m.SalesOrder, order_id)
    assert order is not None
    return shipment, order


async def _shipped(
    session: AsyncSession, shipment_id: int, order_id: int
) -> tuple[dict[tuple[int, int | None], int], dict[int, set[str]]]:
    """Units per (item, lot) and serials per item the shipment carried for the order."""
    rows = await session.execute(
        select(
            m.CartonContent.item_id,
            m.CartonContent.lot_id,
            m.CartonContent.serial,
            m.CartonContent.quantity,
        )
        .join(m.Carton, m.Carton.id == m.CartonContent.carton_id)
        .where(m.Carton.shipment_id == shipment_id, m.Carton.order_id == order_id)
    )
    units: dict[tuple[int, int | None], int] = defaultdict(int)
    shipped_serials: dict[int, set[str]] = defaultdict(set)
    for item_id, lot_id, serial, quantity in rows:
        units[(item_id, lot_id)] += quantity
        if serial:
            shipped_serials[item_id].add(serial)
    return units, shipped_serials


async def _already_authorised(
    session: AsyncSession, order_id: int
) -> tuple[dict[tuple[int, int | None], int], set[tuple[int, str]]]:
    rows = await session.execute(
        select(
            m.CustomerReturnLine.item_id,
            m.CustomerReturnLine.lot_id,
            m.CustomerReturnLine.quantity,
            m.CustomerReturnLine.serials,
        )
        .join(m.CustomerReturn, m.CustomerReturn.id == m.CustomerReturnLine.return_id)
        .where(
            m.CustomerReturn.order_id == order_id,
            m.CustomerReturn.state != m.ReturnState.CANCELLED,
        )
    )
    units: dict[tuple[int, int | None], int] = defaultdict(int)
    taken: set[tuple[int, str]] = set()
    for item_id, lot_id, quantity, line_serials in rows:
        units[(item_id, lot_id)] += quantity
        taken.update((item_id, s) for s in line_serials or ())
    return units, taken


async def _item_and_lot(
    session: AsyncSession, request: ReturnLineRequest, field: str
) -> tuple[m.Item, m.Lot | None]:
    item = await session.scalar(select(m.Item).where(m.Item.sku == request.sku.strip()))
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {request.sku}.", f"{field}.sku")
    lot = None
    if request.lot_number:
        lot = await session.scalar(
            select(m.Lot).where(
                m.Lot.item_id == item.id, m.Lot.lot_number == request.lot_number.strip()
            )
        )
        if lot is None:
            raise DomainError(
                ErrorCode.LOT_NOT_FOUND, f"No lot {request.lot_number} of {item.sku}.", field
            )
    return item, lot


async def _check_serials(
    session: AsyncSession,
    item: m.Item,
    request: ReturnLineRequest,
    shipped: set[str],
    taken: set[tuple[int, str]],
    field: str,
) -> list[str]:
    wanted = [s.strip() for s in request.serials if s.strip()]
    if item.tracking != m.Tracking.SERIAL:
        if wanted:
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"{item.sku} is not tracked by serial.", f"{field}.serials"
            )
        return []
    if len(wanted) != request.quantity or len(set(wanted)) != len(wanted):
        raise DomainError(
            ErrorCode.SERIAL_REQUIRED,
            f"{item.sku} is serialised: name each returned unit's serial once.",
            f"{field}.serials",
        )
    states = dict(
        (
            await session.execute(
                select(m.SerialNumber.serial, m.SerialNumber.state).where(
                    m.SerialNumber.item_id == item.id, m.SerialNumber.serial.in_(wanted)
                )
            )
        ).all()
    )
    for serial in wanted:
        if serial not in shipped or states.get(serial) != m.SerialState.SHIPPED:
            raise DomainError(
                ErrorCode.SERIAL_NOT_SHIPPED,
                f"Serial {serial} of {item.sku} did not leave in this shipment.",
                f"{field}.serials",
            )
        if (item.id, serial) in taken:
            raise DomainError(
                ErrorCode.DUPLICATE,
                f"Serial {serial} is already on a return.",
                f"{field}.serials",
            )
    return wanted


async def authorise_return(
    uow: UnitOfWork,
    principal: Principal,
    *,
    shipment_id: int,
    order_id: int | None,
    lines: Sequence[ReturnLineRequest],
    reason: str | None,
) -> ReturnView:
    session = uow.session
    if not lines or len(lines) > MAX_LINES:
        raise DomainError(ErrorCode.INVALID_INPUT, f"A return has 1 to {MAX_LINES} lines.", "lines")
    shipment, order = await _shipment_and_order(session, principal, shipment_id, order_id)
    # One return at a time per order, so two clerks cannot both authorise the last unit.
    await session.get(m.SalesOrder, order.id, with_for_update=True)
    shipped, shipped_serials = await _shipped(session, shipment.id, order.id)
    authorised, taken = await _already_authorised(session, order.id)
    planned: list[tuple[m.Item, m.Lot | None, int, list[str]]] = []
    for index, request in enumerate(lines):
        field = f"lines.{index}"
        check_quantity(request.quantity, f"{field}.quantity")
        if request.quantity > MAX_UNITS_PER_LINE:
            raise DomainError(
                ErrorCode.QUANTITY_TOO_LARGE,
                f"At most {MAX_UNITS_PER_LINE} units a line.",
                f"{field}.quantity",
            )
        item, lot = await _item_and_lot(session, request, field)
        key = (item.id, lot.id if lot else None)
        if lot is None and not any(k[0] == item.id and k[1] is None for k in shipped):
            # No lot named: the item's shipped lots together.
            ship_total = sum(q for (i, _), q in shipped.items() if i == item.id)
            earlier = sum(q for (i, _), q in authorised.items() if i == item.id)
        else:
            ship_total, earlier = shipped.get(key, 0), authorised.get(key, 0)
        if earlier + request.quantity > ship_total:
            raise DomainError(
                ErrorCode.RETURN_EXCEEDS_SHIPPED,
                f"{item.sku}: {ship_total} shipped, {earlier} already on returns; at most "
                f"{max(ship_total - earlier, 0)} more may come back.",
                f"{field}.quantity",
            )
        authorised[key] += request.quantity
        line_serials = await _check_serials(
            session, item, request, shipped_serials.get(item.id, set()), taken, field
        )
        taken.update((item.id, s) for s in line_serials)
        planned.append((item, lot, request.quantity, line_serials))
    rma = m.CustomerReturn(
        number=f"RMA-{await next_value(session, Series.CUSTOMER_RETURN):06d}",
        warehouse_id=shipment.warehouse_id,
        shipment_id=shipment.id,
        order_id=order.id,
        customer_id=order.customer_id,
        state=m.ReturnState.AUTHORISED,
        reason=text(reason, "reason", 400),
        created_by=principal.user_id,
        created_at=utcnow(),
    )
    session.add(rma)
    await session.flush()
    for line_no, (item, lot, quantity, line_serials) in enumerate(planned, start=1):
        session.add(
            m.CustomerReturnLine(
                return_id=rma.id,
                line_no=line_no,
                item_id=item.id,
                lot_id=lot.id if lot else None,
                quantity=quantity,
                received=0,
                serials=line_serials,
            )
        )
    await session.flush()
    uow.warehouse_id = rma.warehouse_id
    return await return_view(session, rma)


# --- receive -------------------------------------------------------------------------------


async def _locked_return(
    session: AsyncSession, principal: Principal, return_id: int
) -> m.CustomerReturn:
    rma = await session.get(
        m.CustomerReturn, return_id, with_for_update=True, populate_existing=True
    )
    if rma is None or not principal.in_scope(rma.warehouse_id):
        raise DomainError(ErrorCode.RETURN_NOT_FOUND, "No such return.", "returnId")
    return rma


async def find_return(
    session: AsyncSession, scope: ReadScope, code: str
) -> m.CustomerReturn | None:
    """The return a handheld scanned: its number (the label), or its order's number
    (the open return of that order with units still to come)."""
    wanted = code.strip().upper()
    if not wanted:
        return None
    rma = await session.scalar(select(m.CustomerReturn).where(m.CustomerReturn.number == wanted))
    if rma is None:
        rma = await session.scalar(
            select(m.CustomerReturn)
            .join(m.SalesOrder, m.SalesOrder.id == m.CustomerReturn.order_id)
            .where(
                func.upper(m.SalesOrder.number) == wanted,
                m.CustomerReturn.state.in_(OPEN_STATES),
            )
            .order_by(m.CustomerReturn.id)
            .limit(1)
        )
    if rma is None or not scope.allows(rma.warehouse_id):
        return None
    return rma


@dataclass(frozen=True)
class ReturnReceived:
    view: ReturnView
    quantity: int
    sku: str
    serial: str | None
    status: str


async def _receipt_of(uow: UnitOfWork, principal: Principal, rma: m.CustomerReturn) -> m.Receipt:
    if rma.receipt_id is not None:
        return await receiving.open_receipt(uow.session, principal, rma.receipt_id)
    customer = await uow.session.get(m.Customer, rma.customer_id)
    assert customer is not None
    receipt = await receiving.start_receipt(
        uow,
        principal,
        po_code=None,
        kind=m.ReceiptKind.RETURN,
        customer_code=customer.code,
        reference=rma.number,
        warehouse_id=rma.warehouse_id,
    )
    rma.receipt_id = receipt.id
    return receipt


async def _line_for_scan(
    session: AsyncSession, rma: m.CustomerReturn, what: receiving.Identified, lot_number: str | None
) -> m.CustomerReturnLine:
    lines = list(
        await session.scalars(
            select(m.CustomerReturnLine)
            .where(
                m.CustomerReturnLine.return_id == rma.id,
                m.CustomerReturnLine.item_id == what.item.id,
            )
            .order_by(m.CustomerReturnLine.line_no)
            .with_for_update()
        )
    )
    if not lines:
        raise DomainError(
            ErrorCode.NOT_ON_RETURN, f"{what.item.sku} is not on return {rma.number}.", "code"
        )
    scanned_lot = (what.lot or lot_number or "").strip() or None
    for line in lines:
        if line.received >= line.quantity:
            continue
        if line.lot_id is not None and scanned_lot is not None:
            lot = await session.get(m.Lot, line.lot_id)
            if lot is None or lot.lot_number != scanned_lot:
                continue
        return line
    raise DomainError(
        ErrorCode.OVER_RECEIPT,
        f"Every authorised unit of {what.item.sku} on {rma.number} has arrived.",
        "code",
    )


async def receive_return(
    uow: UnitOfWork,
    principal: Principal,
    *,
    return_id: int,
    code: str,
    quantity: int | None = None,
    lot_number: str | None = None,
    serial_number: str | None = None,
    damaged: bool = False,
) -> ReturnReceived:
    """One scan of returned goods: checked against the authorisation, then received
    (quarantined on the dock) and listed unit by unit for a disposition."""
    session = uow.session
    rma = await _locked_return(session, principal, return_id)
    uow.warehouse_id = rma.warehouse_id
    if rma.state not in OPEN_STATES:
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"Return {rma.number} is {rma.state.lower()}: nothing more to receive.",
            "returnId",
        )
    what = await receiving.identify(session, code)
    line = await _line_for_scan(session, rma, what, lot_number)
    units = (quantity if quantity is not None else (what.count or 1)) * what.pack_size
    check_quantity(units)
    if line.received + units > line.quantity:
        raise DomainError(
            ErrorCode.OVER_RECEIPT,
            f"{what.item.sku}: {line.quantity} authorised, {line.received} arrived; at most "
            f"{line.quantity - line.received} more.",
            "quantity",
        )
    _check_serial(rma, line, what, serial_number)
    lot_text = lot_number
    if line.lot_id is not None and not (what.lot or lot_number):
        lot = await session.get(m.Lot, line.lot_id)
        lot_text = lot.lot_number if lot else None
    receipt = await _receipt_of(uow, principal, rma)
    received = await receiving.receive(
        uow,
        principal,
        receipt,
        what,
        quantity=quantity,
        lot_number=lot_text,
        expiry=None,
        serial_number=serial_number,
        damaged=damaged,
    )
    _add_units(session, principal, rma, line, receipt, received)
    await session.flush()
    await _after_receipt(session, rma, receipt)
    return ReturnReceived(
        view=await return_view(session, rma),
        quantity=received.quantity,
        sku=what.item.sku,
        serial=received.serial,
        status=received.status,
    )


def _check_serial(
    rma: m.CustomerReturn,
    line: m.CustomerReturnLine,
    what: receiving.Identified,
    serial_number: str | None,
) -> None:
    serial = (what.serial or serial_number or "").strip() or None
    if not line.serials:
        return
    if serial is None:
        raise DomainError(
            ErrorCode.SERIAL_REQUIRED, f"Scan the serial of {what.item.sku}.", "serialNumber"
        )
    if serial not in line.serials:
        raise DomainError(
            ErrorCode.WRONG_SERIAL,
            f"Serial {serial} is not authorised on {rma.number}.",
            "serialNumber",
        )


def _add_units(
    session: AsyncSession,
    principal: Principal,
    rma: m.CustomerReturn,
    line: m.CustomerReturnLine,
    receipt: m.Receipt,
    received: receiving.Received,
) -> None:
    """One row per arrived unit, each to be decided on its own."""
    now = utcnow()
    session.add_all(
        m.ReturnUnit(
            return_id=rma.id,
            line_id=line.id,
            receipt_line_id=received.line.id,
            item_id=received.item.id,
            lot_id=received.line.lot_id,
            serial=received.serial,
            bin_id=receipt.dock_bin_id,
            status=received.status,
            received_at=now,
            received_by=principal.user_id,
            note="",
        )
        for _ in range(received.quantity)
    )
    line.received += received.quantity


async def _after_receipt(session: AsyncSession, rma: m.CustomerReturn, receipt: m.Receipt) -> None:
    outstanding = await session.scalar(
        select(
            func.coalesce(
                func.sum(m.CustomerReturnLine.quantity - m.CustomerReturnLine.received), 0
            )
        ).where(m.CustomerReturnLine.return_id == rma.id)
    )
    if outstanding:
        rma.state = m.ReturnState.RECEIVING
        return
    rma.state = m.ReturnState.RECEIVED
    # The units' dispositions replace the receipt's QC and putaway tasks.
    receiving.close_without_tasks(receipt)


# --- decide --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    view: ReturnView
    unit: ReturnUnitView
    credited: bool


async def decide_unit(
    uow: UnitOfWork,
    principal: Principal,
    *,
    unit_id: int,
    disposition: m.Disposition,
    bin_code: str | None = None,
    note: str | None = None,
    settings: ShippingSettings,
) -> Decided:
    """One returned unit's fate, once: restock to a bin, quarantine (on the dock or a
    bin), scrap, or return to vendor; a ledger move in the same transaction."""
    session = uow.session
    unit = await session.get(m.ReturnUnit, unit_id)
    if unit is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No such returned unit.", "unitId")
    rma = await _locked_return(session, principal, unit.return_id)
    uow.warehouse_id = rma.warehouse_id
    await session.refresh(unit)
    if unit.disposition is not None:
        raise DomainError(
            ErrorCode.ALREADY_DECIDED,
            f"This unit was already decided: {unit.disposition.lower().replace('_', ' ')}.",
            "unitId",
        )
    target: m.Bin | None = None
    if bin_code:
        target = await bin_by_scan(session, bin_code, principal)
        if target.warehouse_id != rma.warehouse_id:
            raise DomainError(ErrorCode.WRONG_BIN, "That bin is in another warehouse.", "binCode")
    elif disposition == m.Disposition.RESTOCK:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "Scan the bin to restock to.", "binCode")
    await _move_unit(session, principal, rma, unit, disposition, target)
    unit.disposition = disposition
    unit.to_bin_id = target.id if target else None
    unit.note = text(note, "note", 400)
    unit.decided_by = principal.user_id
    unit.decided_at = utcnow()
    await session.flush()
    credited = await _credit_when_done(uow, rma, settings)
    view = await return_view(session, rma)
    decided = next(u for u in view.units if u.id == unit.id)
    return Decided(view, decided, credited)


async def _move_unit(
    session: AsyncSession,
    principal: Principal,
    rma: m.CustomerReturn,
    unit: m.ReturnUnit,
    disposition: m.Disposition,
    target: m.Bin | None,
) -> None:
    source = Place(unit.bin_id, unit.status)
    request: MoveRequest | None
    base = dict(
        item_id=unit.item_id,
        lot_id=unit.lot_id,
        quantity=1,
        source=source,
        reference=rma.number,
        user_id=principal.user_id,
    )
    if disposition == m.Disposition.RESTOCK:
        assert target is not None
        request = MoveRequest(
            **base,  # type: ignore[arg-type]
            reason=m.MoveReason.PUTAWAY,
            destination=Place(target.id, m.StockStatus.AVAILABLE),
        )
    elif disposition == m.Disposition.QUARANTINE:
        where = Place(target.id if target else unit.bin_id, m.StockStatus.QUARANTINE)
        request = (
            None
            if where == source
            else MoveRequest(
                **base,  # type: ignore[arg-type]
                reason=m.MoveReason.MOVE
                if where.bin_id != source.bin_id
                else m.MoveReason.STATUS_CHANGE,
                destination=where,
            )
        )
    elif disposition == m.Disposition.SCRAP:
        request = MoveRequest(**base, reason=m.MoveReason.SCRAP)  # type: ignore[arg-type]
    else:
        request = MoveRequest(**base, reason=m.MoveReason.SHIP)  # type: ignore[arg-type]
    if request is not None:
        await apply_move(session, request)
    if disposition == m.Disposition.RESTOCK:
        await release_backorders(session, rma.warehouse_id, [unit.item_id], principal.user_id)
    if unit.serial is not None and disposition in (
        m.Disposition.SCRAP,
        m.Disposition.RETURN_TO_VENDOR,
    ):
        state = (
            m.SerialState.SCRAPPED
            if disposition == m.Disposition.SCRAP
            else m.SerialState.RETURNED_TO_VENDOR
        )
        await serials.mark_left(session, unit.item_id, [unit.serial], state, rma.number)


async def _credit_when_done(
    uow: UnitOfWork, rma: m.CustomerReturn, settings: ShippingSettings
) -> bool:
    """Every authorised unit arrived and was decided: the customer is credited, and the
    shop hears of it through the signed webhook outbox."""
    session = uow.session
    if rma.state != m.ReturnState.RECEIVED:
        return False
    undecided = await session.scalar(
        select(func.count(m.ReturnUnit.id)).where(
            m.ReturnUnit.return_id == rma.id, m.ReturnUnit.disposition.is_(None)
        )
    )
    if undecided:
        return False
    rma.state = m.ReturnState.CREDITED
    rma.credit_reference = f"CR-{rma.number.removeprefix('RMA-')}"
    rma.credited_at = utcnow()
    await session.flush()
    view = await return_view(session, rma)
    event = credited_event(view)
    uow.emit(ReturnCredited(rma.warehouse_id, "credited", event["return"]))
    webhooks.enqueue(session, settings, rma.shipment_id, event)
    return True


def credited_event(view: ReturnView) -> dict[str, Any]:
    per_line: dict[int, dict[str, int]] = {line.id: defaultdict(int) for line in view.lines}
    for unit in view.units:
        per_line[unit.line_id][unit.disposition or "UNDECIDED"] += 1
    return {
        "type": "return",
        "change": "credited",
        "return": {
            "id": view.id,
            "number": view.number,
            "creditReference": view.credit_reference,
            "orderId": view.order_id,
            "order": view.order_number,
            "customer": view.customer_code,
            "shipmentId": view.shipment_id,
            "trackingNumber": view.tracking_number,
            "creditedAt": view.credited_at.isoformat() if view.credited_at else None,
            "lines": [
                {
                    "sku": line.sku,
                    "lot": line.lot_number,
                    "authorised": line.quantity,
                    "received": line.received,
                    "serials": list(line.serials),
                    "dispositions": dict(sorted(per_line[line.id].items())),
                }
                for line in view.lines
            ],
        },
    }


# --- reads ---------------------------------------------------------------------------------


async def _line_views(session: AsyncSession, return_id: int) -> tuple[ReturnLineView, ...]:
    rows = (
        await session.execute(
            select(m.CustomerReturnLine, m.Item.sku, m.Lot.lot_number)
            .join(m.Item, m.Item.id == m.CustomerReturnLine.item_id)
            .outerjoin(m.Lot, m.Lot.id == m.CustomerReturnLine.lot_id)
            .where(m.CustomerReturnLine.return_id == return_id)
            .order_by(m.CustomerReturnLine.line_no)
            .execution_options(populate_existing=True)
        )
    ).all()
    return tuple(
        ReturnLineView(
            id=line.id,
            line_no=line.line_no,
            item_id=line.item_id,
            sku=sku,
            lot_number=lot_number,
            quantity=line.quantity,
            received=line.received,
            serials=tuple(line.serials or ()),
        )
        for line, sku, lot_number in rows
    )


async def _unit_views(session: AsyncSession, return_id: int) -> tuple[ReturnUnitView, ...]:
    to_bin = m.Bin.__table__.alias("to_bin")
    rows = (
        await session.execute(
            select(m.ReturnUnit, m.Item.sku, m.Lot.lot_number, m.Bin.code, to_bin.c.code)
            .join(m.Item, m.Item.id == m.ReturnUnit.item_id)
            .outerjoin(m.Lot, m.Lot.id == m.ReturnUnit.lot_id)
            .join(m.Bin, m.Bin.id == m.ReturnUnit.bin_id)
            .outerjoin(to_bin, to_bin.c.id == m.ReturnUnit.to_bin_id)
            .where(m.ReturnUnit.return_id == return_id)
            .order_by(m.ReturnUnit.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    return tuple(
        ReturnUnitView(
            id=unit.id,
            line_id=unit.line_id,
            sku=sku,
            lot_number=lot_number,
            serial=unit.serial,
            bin_code=bin_code,
            status=unit.status,
            disposition=unit.disposition,
            to_bin_code=to_code,
            note=unit.note,
            decided_by=unit.decided_by,
        )
        for unit, sku, lot_number, bin_code, to_code in rows
    )


async def return_view(session: AsyncSession, rma: m.CustomerReturn) -> ReturnView:
    shipment = await session.get(m.Shipment, rma.shipment_id)
    order = await session.get(m.SalesOrder, rma.order_id)
    customer = await session.get(m.Customer, rma.customer_id)
    assert shipment is not None and order is not None and customer is not None
    return ReturnView(
        id=rma.id,
        number=rma.number,
        warehouse_id=rma.warehouse_id,
        shipment_id=rma.shipment_id,
        tracking_number=shipment.tracking_number,
        order_id=order.id,
        order_number=order.number,
        customer_code=customer.code,
        state=rma.state,
        reason=rma.reason,
        receipt_id=rma.receipt_id,
        credit_reference=rma.credit_reference,
        created_by=rma.created_by,
        created_at=rma.created_at,
        credited_at=rma.credited_at,
        lines=await _line_views(session, rma.id),
        units=await _unit_views(session, rma.id),
    )


async def get_return(session: AsyncSession, scope: ReadScope, return_id: int) -> ReturnView | None:
    rma = await session.get(m.CustomerReturn, return_id)
    if rma is None or not scope.allows(rma.warehouse_id):
        return None
    return await return_view(session, rma)


async def list_returns(
    session: AsyncSession,
    scope: ReadScope,
    *,
    states: Sequence[str] | None = None,
    code: str | None = None,
    limit: int = 100,
) -> list[ReturnView]:
    if code:
        found = await find_return(session, scope, code)
        return [await return_view(session, found)] if found else []
    stmt = (
        select(m.CustomerReturn)
        .where(scope.clause(m.CustomerReturn.warehouse_id))
        .order_by(m.CustomerReturn.id.desc())
        .limit(max(1, min(limit, 500)))
    )
    if states:
        stmt = stmt.where(m.CustomerReturn.state.in_(list(states)))
    return [await return_view(session, rma) for rma in await session.scalars(stmt)]


# --- what may still come back --------------------------------------------------------------

MAX_RETURNABLE_SHIPMENTS = 20


@dataclass(frozen=True)
class ReturnableLine:
    sku: str
    item_name: str
    lot_number: str | None
    shipped: int
    authorised: int  # already on returns (not cancelled)
    serials: tuple[str, ...]  # shipped serials not yet on a return

    @property
    def returnable(self) -> int:
        return max(self.shipped - self.authorised, 0)


@dataclass(frozen=True)
class ReturnableShipment:
    shipment_id: int
    warehouse_id: int
    tracking_number: str
    waybill_no: str
    shipped_at: Any
    order_id: int
    order_number: str
    customer_code: str
    lines: tuple[ReturnableLine, ...]


async def _returnable_lines(
    session: AsyncSession, shipment_id: int, order_id: int
) -> tuple[ReturnableLine, ...]:
    shipped, shipped_serials = await _shipped(session, shipment_id, order_id)
    authorised, taken = await _already_authorised(session, order_id)
    if not shipped:
        return ()
    item_ids = {i for i, _ in shipped}
    lot_ids = {lot for _, lot in shipped if lot is not None}
    items = {i.id: i for i in await session.scalars(select(m.Item).where(m.Item.id.in_(item_ids)))}
    lots = (
        {lot.id: lot for lot in await session.scalars(select(m.Lot).where(m.Lot.id.in_(lot_ids)))}
        if lot_ids
        else {}
    )
    lines = []
    for (item_id, lot_id), quantity in sorted(
        shipped.items(), key=lambda kv: (items[kv[0][0]].sku, kv[0][1] or 0)
    ):
        item = items[item_id]
        # A return authorised without a lot counts against the item's shipped lots together.
        earlier = authorised.get((item_id, lot_id), 0)
        if lot_id is not None and (item_id, None) in authorised:
            earlier += authorised[(item_id, None)]
        left = sorted(s for s in shipped_serials.get(item_id, ()) if (item_id, s) not in taken)
        lines.append(
            ReturnableLine(
                sku=item.sku,
                item_name=item.name,
                lot_number=lots[lot_id].lot_number if lot_id in lots else None,
                shipped=quantity,
                authorised=min(earlier, quantity),
                serials=tuple(left),
            )
        )
    return tuple(lines)


async def returnable_shipments(
    session: AsyncSession, scope: ReadScope, code: str
) -> list[ReturnableShipment]:
    """Shipments (with each order they carried) found by an order number, a waybill or
    shipment number, or a tracking number, with what each line may still return."""
    wanted = code.strip()
    if not wanted or scope.empty:
        return []
    upper = wanted.upper()
    by_order = (
        select(m.ShipmentOrder.shipment_id)
        .join(m.SalesOrder, m.SalesOrder.id == m.ShipmentOrder.order_id)
        .where(func.upper(m.SalesOrder.number) == upper)
    )
    matches = [
        m.Shipment.id.in_(by_order),
        func.upper(m.Shipment.tracking_number) == upper,
        func.upper(m.Shipment.waybill_no) == upper,
    ]
    if wanted.isdigit():
        matches.append(m.Shipment.id == int(wanted))
    rows = (
        await session.execute(
            select(m.Shipment, m.SalesOrder, m.Customer.code)
            .join(m.ShipmentOrder, m.ShipmentOrder.shipment_id == m.Shipment.id)
            .join(m.SalesOrder, m.SalesOrder.id == m.ShipmentOrder.order_id)
            .join(m.Customer, m.Customer.id == m.SalesOrder.customer_id)
            .where(or_(*matches), scope.clause(m.Shipment.warehouse_id))
            .order_by(m.Shipment.id.desc(), m.SalesOrder.id)
            .limit(MAX_RETURNABLE_SHIPMENTS)
        )
    ).all()
    return [
        ReturnableShipment(
            shipment_id=shipment.id,
            warehouse_id=shipment.warehouse_id,
            tracking_number=shipment.tracking_number,
            waybill_no=shipment.waybill_no,
            shipped_at=shipment.shipped_at,
            order_id=order.id,
            order_number=order.number,
            customer_code=customer_code,
            lines=await _returnable_lines(session, shipment.id, order.id),
        )
        for shipment, order, customer_code in rows
    ]
