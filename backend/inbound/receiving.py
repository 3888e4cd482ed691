"""Scan-receiving: one scan, one call, one answer that says what comes next.

Every check runs before anything is written, so a refused scan changes
nothing (and an RFID batch can refuse one tag and keep the others).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import may_work_task
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inbound import pallets, purchasing
from backend.inbound.common import find_po, item_by_gtin, parse_id, text
from backend.inbound.putaway import tasks as putaway_flow
from backend.inbound.rfid import decode_sgtin96
from backend.inbound.settings import receiving_rules
from backend.inventory import serials
from backend.inventory.ledger import MoveRequest, Place, apply_move, check_quantity
from backend.scan import GS1Scan, InternalScan, parse_scan
from backend.tasks import engine
from backend.tasks.engine import NewTask, create_task

MAX_SERIAL = 40
MAX_LOT = 40


@dataclass(frozen=True)
class Received:
    line: m.ReceiptLine
    item: m.Item
    quantity: int  # base units
    lot_number: str | None
    expiry: date | None
    serial: str | None
    status: str


def receipt_reference(receipt: m.Receipt) -> str:
    return receipt_reference_for(receipt.id)


def receipt_reference_for(receipt_id: int) -> str:
    return f"RC-{receipt_id}"


async def start_receipt(
    uow: UnitOfWork,
    principal: Principal,
    *,
    po_code: str | None,
    kind: str,
    customer_code: str | None = None,
    source_warehouse_code: str | None = None,
    dock_bin_code: str | None = None,
    reference: str | None = None,
    warehouse_id: object | None = None,
) -> m.Receipt:
    session = uow.session
    if kind not in {k.value for k in m.ReceiptKind}:
        raise DomainError(ErrorCode.INVALID_INPUT, "Kind is PURCHASE, RETURN or TRANSFER.", "kind")
    po: m.PurchaseOrder | None = None
    customer_id = source_id = None
    if kind == m.ReceiptKind.PURCHASE:
        if not po_code:
            raise DomainError(ErrorCode.PO_NOT_FOUND, "Scan the purchase order.", "poCode")
        po = await _order_to_receive(session, principal, po_code)
        if po.state not in (m.PoState.APPROVED, m.PoState.PARTIALLY_RECEIVED):
            raise DomainError(
                ErrorCode.INVALID_STATE,
                f"Order {po.number} is {po.state.lower().replace('_', ' ')}: nothing to receive.",
                "poCode",
            )
        wid = po.warehouse_id
        # Scanning the order again resumes its open receipt.
        existing = await session.scalar(
            select(m.Receipt).where(
                m.Receipt.po_id == po.id, m.Receipt.state == m.ReceiptState.OPEN
            )
        )
        if existing is not None:
            await _claim_receive_task(uow, principal, po)
            return existing
    else:
        wid = acting_warehouse(principal, warehouse_id)
        if kind == m.ReceiptKind.RETURN:
            customer = await session.scalar(
                select(m.Customer).where(m.Customer.code == (customer_code or "").strip())
            )
            if customer is None:
                raise DomainError(
                    ErrorCode.CUSTOMER_NOT_FOUND, "A return names its customer.", "customerCode"
                )
            customer_id = customer.id
        else:
            source = await session.scalar(
                select(m.Warehouse).where(m.Warehouse.code == (source_warehouse_code or "").strip())
            )
            if source is None or source.id == wid:
                raise DomainError(
                    ErrorCode.NOT_FOUND,
                    "A transfer names the other warehouse it comes from.",
                    "sourceWarehouseCode",
                )
            source_id = source.id
    dock = await _dock_bin(uow, wid, dock_bin_code)
    receipt = m.Receipt(
        kind=kind,
        state=m.ReceiptState.OPEN,
        warehouse_id=wid,
        po_id=po.id if po else None,
        customer_id=customer_id,
        source_warehouse_id=source_id,
        reference=text(reference, "reference", 80),
        dock_bin_id=dock.id,
        # Returns and transfers have no order to hold them to.
        allow_unplanned=kind != m.ReceiptKind.PURCHASE,
        created_by=principal.user_id,
        created_at=utcnow(),
    )
    session.add(receipt)
    await session.flush()
    if po is not None:
        await _claim_receive_task(uow, principal, po)
    return receipt


async def _order_to_receive(
    session: AsyncSession, principal: Principal, code: str
) -> m.PurchaseOrder:
    """The order from its own barcode, or from the delivery's notice number or a pallet
    label when the supplier announced it (what the driver hands over at the dock)."""
    try:
        return await find_po(session, principal, code, lock=True)
    except DomainError as error:
        if error.code is not ErrorCode.PO_NOT_FOUND:
            raise
        announced = await pallets.order_of_notice(session, principal, code)
        if announced is None:
            raise
        return announced


async def _claim_receive_task(uow: UnitOfWork, principal: Principal, po: m.PurchaseOrder) -> None:
    if po.receive_task_id is None:
        return
    task = await uow.session.get(m.Task, po.receive_task_id)
    if task is None or task.state != m.TaskState.OPEN:
        return  # done, or someone else already works it: several people may unload one order
    if may_work_task(principal.roles, task.kind):
        await engine.claim(uow, principal, task.id)


async def _dock_bin(uow: UnitOfWork, warehouse_id: int, code: str | None) -> m.Bin:
    if code:
        scan = parse_scan(code)
        if not isinstance(scan, InternalScan) or scan.kind.value != "BIN":
            raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan a dock bin.", "dockBinCode")
        row = await uow.session.scalar(select(m.Bin).where(m.Bin.code == scan.code))
        if row is None or row.warehouse_id != warehouse_id:
            raise DomainError(ErrorCode.BIN_NOT_FOUND, "No such bin here.", "dockBinCode")
        zone = await uow.session.get(m.Zone, row.zone_id)
        if zone is None or zone.kind != m.ZoneKind.RECEIVING or row.blocked:
            raise DomainError(
                ErrorCode.WRONG_BIN, "Goods are received onto a receiving-dock bin.", "dockBinCode"
            )
        return row
    row = await purchasing.default_dock_bin(uow, warehouse_id)
    if row is None:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "This warehouse has no receiving dock bin.")
    return row


async def open_receipt(
    session: AsyncSession, principal: Principal, raw_id: object, *, lock: bool = True
) -> m.Receipt:
    receipt_id = parse_id(raw_id, "receiptId")
    stmt = select(m.Receipt).where(m.Receipt.id == receipt_id)
    if lock:
        stmt = stmt.with_for_update()
    receipt = await session.scalar(stmt.execution_options(populate_existing=True))
    return _still_open(principal, receipt)


def _still_open(principal: Principal, receipt: m.Receipt | None) -> m.Receipt:
    if receipt is None or not principal.in_scope(receipt.warehouse_id):
        raise DomainError(ErrorCode.RECEIPT_NOT_FOUND, "No such receipt.", "receiptId")
    if receipt.state != m.ReceiptState.OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, "This receipt is closed.", "receiptId")
    return receipt


async def _open_receipt_at_dock(
    session: AsyncSession, principal: Principal, raw_id: object
) -> tuple[m.Receipt, m.Bin]:
    """The receipt, locked, and its dock bin in the same read (the answer names the dock)."""
    receipt_id = parse_id(raw_id, "receiptId")
    row = (
        await session.execute(
            select(m.Receipt, m.Bin)
            .join(m.Bin, m.Bin.id == m.Receipt.dock_bin_id)
            .where(m.Receipt.id == receipt_id)
            .with_for_update(of=m.Receipt)
            .execution_options(populate_existing=True)
        )
    ).first()
    receipt = _still_open(principal, row[0] if row else None)
    assert row is not None
    return receipt, row[1]


@dataclass(frozen=True)
class Identified:
    item: m.Item
    pack_size: int  # base units in the unit the GTIN names
    lot: str | None
    expiry: date | None
    serial: str | None
    count: int | None


async def identify(session: AsyncSession, code: str) -> Identified:
    scan = parse_scan(code)
    if isinstance(scan, InternalScan):
        raise DomainError(
            ErrorCode.SCAN_WRONG_KIND, f"That is a {scan.kind.value} code; scan the goods.", "code"
        )
    assert isinstance(scan, GS1Scan)
    if scan.gtin is None:
        raise DomainError(
            ErrorCode.SCAN_WRONG_KIND,
            "This label carries no GTIN; scan the goods' own barcode.",
            "code",
        )
    return await identify_gtin(
        session, scan.gtin, lot=scan.lot, expiry=scan.expiry, serial=scan.serial, count=scan.count
    )


async def identify_gtin(
    session: AsyncSession,
    gtin: str,
    *,
    lot: str | None = None,
    expiry: date | None = None,
    serial: str | None = None,
    count: int | None = None,
) -> Identified:
    item, pack_size = await item_by_gtin(session, gtin)
    return Identified(item, pack_size, lot, expiry, serial, count)


@dataclass(frozen=True)
class ReceiptRows:
    """The receipt's rows as the scan left them, so the answer is built without
    reading them again: the dock, the order's lines with their items, and the
    receipt's lines with item and lot (in id order)."""

    dock: m.Bin | None
    po: m.PurchaseOrder | None
    po_lines: list[tuple[m.PurchaseOrderLine, m.Item]]
    lines: list[tuple[m.ReceiptLine, m.Item, m.Lot | None]]


@dataclass(frozen=True)
class ScanReceived:
    """What one scan put on the receipt: one line, or every line of a pallet."""

    receipt: m.Receipt
    received: list[Received]
    pallet: m.InboundPallet | None = None
    pallet_announced: bool = False  # the supplier's notice listed it
    rows: ReceiptRows | None = None  # a single scan's rows; None: read the receipt anew


async def scan_receive(
    uow: UnitOfWork,
    principal: Principal,
    *,
    receipt_id: object,
    code: str,
    quantity: int | None = None,
    lot_number: str | None = None,
    expiry: date | None = None,
    serial_number: str | None = None,
    damaged: bool = False,
) -> ScanReceived:
    receipt, dock = await _open_receipt_at_dock(uow.session, principal, receipt_id)
    scan = parse_scan(code)
    if isinstance(scan, GS1Scan) and scan.sscc is not None:
        if quantity is not None:
            raise DomainError(
                ErrorCode.INVALID_QUANTITY,
                "A pallet is received whole: scan its SSCC without a quantity.",
                "quantity",
            )
        return await _receive_pallet(uow, principal, receipt, scan, damaged=damaged)
    what = await identify(uow.session, code)
    checked = await _check_scan(
        uow.session,
        receipt,
        what,
        quantity=quantity,
        lot_number=lot_number,
        expiry=expiry,
        serial_number=serial_number,
    )
    received, lines = await _book(uow, principal, receipt, what.item, checked, damaged=damaged)
    rows = ReceiptRows(dock, checked.po, checked.po_rows, lines)
    return ScanReceived(receipt, [received], rows=rows)


async def _receive_pallet(
    uow: UnitOfWork, principal: Principal, receipt: m.Receipt, scan: GS1Scan, *, damaged: bool
) -> ScanReceived:
    assert scan.sscc is not None
    announced, contents = await pallets.pallet_for_receipt(uow.session, receipt, scan)
    received = []
    for content in contents:
        received.append(
            await receive(
                uow,
                principal,
                receipt,
                Identified(
                    content.item, 1, content.lot_number, content.expiry, content.serial, None
                ),
                quantity=content.quantity,
                lot_number=None,
                expiry=None,
                serial_number=None,
                damaged=damaged,
            )
        )
    pallet = await pallets.mark_received(uow.session, principal, receipt, announced, scan.sscc)
    return ScanReceived(receipt, received, pallet, pallet_announced=announced is not None)


@dataclass(frozen=True)
class _Checked:
    """What the checks of one scan found; nothing is written until all have passed."""

    base: int  # base units
    lot: m.Lot | None  # an existing lot; a new one is created when writing
    lot_text: str | None
    expiry: date | None
    serial: str | None
    expired: bool
    inspect: bool  # the item or its supplier is inspected on receipt
    po: m.PurchaseOrder | None
    po_lines: list[m.PurchaseOrderLine]  # the order's lines of this item
    po_rows: list[tuple[m.PurchaseOrderLine, m.Item]]  # all the order's lines


async def receive(
    uow: UnitOfWork,
    principal: Principal,
    receipt: m.Receipt,
    what: Identified,
    *,
    quantity: int | None,
    lot_number: str | None,
    expiry: date | None,
    serial_number: str | None,
    damaged: bool,
) -> Received:
    """Check one scan of goods against the item, the receipt and its order, then book it."""
    checked = await _check_scan(
        uow.session,
        receipt,
        what,
        quantity=quantity,
        lot_number=lot_number,
        expiry=expiry,
        serial_number=serial_number,
    )
    received, _lines = await _book(uow, principal, receipt, what.item, checked, damaged=damaged)
    return received


async def _check_scan(
    session: AsyncSession,
    receipt: m.Receipt,
    what: Identified,
    *,
    quantity: int | None,
    lot_number: str | None,
    expiry: date | None,
    serial_number: str | None,
) -> _Checked:
    item = what.item
    base = _base_units(what, quantity)
    # Whether the article belongs on this receipt at all comes first: a receiver must
    # not be asked for the lot of an article that is then refused.
    po, po_rows = await _order_lines(session, receipt, item)
    po_lines = [line for line, _item in po_rows if line.item_id == item.id]
    lot, lot_text, expiry = await _lot_and_expiry(session, item, what, lot_number, expiry)
    serial = await _serial_of(session, item, what, serial_number, base)
    rules = await receiving_rules(
        session, receipt.warehouse_id, item.id, po.supplier_id if po else None
    )
    expired = _expired(expiry, rules.expired_lot_policy)
    _within_tolerance(item, po_lines, base, rules.tolerance_percent)
    return _Checked(
        base, lot, lot_text, expiry, serial, expired, rules.inspect, po, po_lines, po_rows
    )


def _base_units(what: Identified, quantity: int | None) -> int:
    units = quantity if quantity is not None else (what.count or 1)
    check_quantity(units)
    base = units * what.pack_size
    check_quantity(base)
    return base


async def _lot_and_expiry(
    session: AsyncSession,
    item: m.Item,
    what: Identified,
    lot_number: str | None,
    expiry: date | None,
) -> tuple[m.Lot | None, str | None, date | None]:
    """The lot (if it exists yet), its number and the expiry. What the barcode carried
    wins over what was typed; an existing lot's expiry wins over both."""
    lot = None
    lot_text = (what.lot or lot_number or "").strip() or None
    expiry = what.expiry or expiry
    if item.tracking == m.Tracking.LOT:
        if lot_text is None:
            raise DomainError(ErrorCode.LOT_REQUIRED, f"Enter the lot of {item.sku}.", "lotNumber")
        if len(lot_text) > MAX_LOT:
            raise DomainError(ErrorCode.INVALID_INPUT, "Lot number too long.", "lotNumber")
        lot = await session.scalar(
            select(m.Lot).where(m.Lot.item_id == item.id, m.Lot.lot_number == lot_text)
        )
        if lot is not None and lot.expiry is not None:
            if expiry is not None and expiry != lot.expiry:
                raise DomainError(
                    ErrorCode.WRONG_LOT,
                    f"Lot {lot_text} is recorded with expiry {lot.expiry.isoformat()}.",
                    "expiry",
                )
            expiry = lot.expiry
    if item.expiry_tracked and expiry is None:
        raise DomainError(ErrorCode.EXPIRY_REQUIRED, f"Enter the expiry of {item.sku}.", "expiry")
    return lot, lot_text, expiry


async def _serial_of(
    session: AsyncSession, item: m.Item, what: Identified, serial_number: str | None, base: int
) -> str | None:
    if item.tracking != m.Tracking.SERIAL:
        return None
    serial = (what.serial or serial_number or "").strip() or None
    if serial is None:
        raise DomainError(
            ErrorCode.SERIAL_REQUIRED, f"Scan the serial number of {item.sku}.", "serialNumber"
        )
    if len(serial) > MAX_SERIAL:
        raise DomainError(ErrorCode.INVALID_INPUT, "Serial number too long.", "serialNumber")
    if base != 1:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY, "Serialised goods: one scan per unit.", "quantity"
        )
    await serials.check_receivable(session, item.id, serial)
    return serial


def _expired(expiry: date | None, policy: str) -> bool:
    """Whether the goods arrive expired; refused at the dock unless the policy quarantines."""
    expired = expiry is not None and expiry < date.today()
    if expired and policy == m.ExpiredLotPolicy.REFUSE:
        raise DomainError(
            ErrorCode.LOT_EXPIRED,
            f"Expired on {expiry.isoformat() if expiry else ''}: refuse it at the dock.",
            "expiry",
        )
    return expired


async def _order_lines(
    session: AsyncSession, receipt: m.Receipt, item: m.Item
) -> tuple[m.PurchaseOrder | None, list[tuple[m.PurchaseOrderLine, m.Item]]]:
    """The receipt's order (locked) and all its lines with their items (the answer
    shows them all); an article not on the order is refused unless the receipt
    allows unplanned articles."""
    if receipt.po_id is None:
        return None, []
    po = await session.get(m.PurchaseOrder, receipt.po_id, with_for_update=True)
    assert po is not None
    if po.state not in (m.PoState.APPROVED, m.PoState.PARTIALLY_RECEIVED):
        raise DomainError(ErrorCode.INVALID_STATE, f"Order {po.number} is {po.state}.")
    # populate_existing: a pallet or RFID batch reads them again after its own writes.
    po_rows = [
        (line, line_item)
        for line, line_item in (
            await session.execute(
                select(m.PurchaseOrderLine, m.Item)
                .join(m.Item, m.Item.id == m.PurchaseOrderLine.item_id)
                .where(m.PurchaseOrderLine.po_id == po.id)
                .order_by(m.PurchaseOrderLine.line_no)
                .execution_options(populate_existing=True)
            )
        )
    ]
    if not any(line.item_id == item.id for line, _ in po_rows) and not receipt.allow_unplanned:
        raise DomainError(
            ErrorCode.NOT_ON_ORDER,
            f"{item.sku} is not on order {po.number}. A supervisor may allow it.",
            "code",
        )
    return po, po_rows


def _within_tolerance(
    item: m.Item, po_lines: list[m.PurchaseOrderLine], base: int, tolerance_percent: int
) -> None:
    if not po_lines:
        return
    ordered = sum(line.quantity for line in po_lines)
    already = sum(line.received for line in po_lines)
    ceiling = ordered * (100 + tolerance_percent) // 100
    if already + base > ceiling:
        raise DomainError(
            ErrorCode.OVER_RECEIPT,
            f"{item.sku}: ordered {ordered}, received {already}; at most "
            f"{max(ceiling - already, 0)} more may be accepted.",
            "quantity",
        )


async def _book(
    uow: UnitOfWork,
    principal: Principal,
    receipt: m.Receipt,
    item: m.Item,
    checked: _Checked,
    *,
    damaged: bool,
) -> tuple[Received, list[tuple[m.ReceiptLine, m.Item, m.Lot | None]]]:
    """Everything checked: the lot, the order lines, the receipt line, the ledger entry
    and the serial, in this transaction. Also returns the receipt's lines as left."""
    session = uow.session
    po = checked.po
    lot = checked.lot
    if item.tracking == m.Tracking.LOT and lot is None:
        lot = m.Lot(item_id=item.id, lot_number=checked.lot_text or "", expiry=checked.expiry)
        session.add(lot)
        await session.flush()
    status = _stock_status(receipt, checked, damaged=damaged)
    _spread_over_order(checked.po_lines, checked.base)
    lines = await _receipt_lines(session, receipt)
    line = _line_for(session, lines, receipt, item, lot, status, checked.po_lines, checked.expired)
    line.quantity += checked.base
    await apply_move(
        session,
        MoveRequest(
            item_id=item.id,
            quantity=checked.base,
            reason=m.MoveReason.RECEIPT,
            lot_id=lot.id if lot else None,
            destination=Place(receipt.dock_bin_id, status),
            reference=receipt_reference(receipt),
            user_id=principal.user_id,
            task_id=po.receive_task_id if po else None,
        ),
    )
    if checked.serial is not None:
        await serials.register_received(session, item.id, checked.serial, line.id)
    if po is not None and po.state == m.PoState.APPROVED:
        po.state = m.PoState.PARTIALLY_RECEIVED
    await session.flush()
    if not any(known is line for known, _item, _lot in lines):
        lines.append((line, item, lot))  # new: the highest id, so last
    received = Received(
        line=line,
        item=item,
        quantity=checked.base,
        lot_number=lot.lot_number if lot else None,
        expiry=checked.expiry,
        serial=checked.serial,
        status=status,
    )
    return received, lines


def _stock_status(receipt: m.Receipt, checked: _Checked, *, damaged: bool) -> str:
    """Damaged goods are blocked; expired, returned or inspected goods wait for QC."""
    if damaged:
        return m.StockStatus.DAMAGED
    if checked.expired or receipt.kind == m.ReceiptKind.RETURN or checked.inspect:
        return m.StockStatus.QUARANTINE
    return m.StockStatus.AVAILABLE


def _spread_over_order(po_lines: list[m.PurchaseOrderLine], base: int) -> None:
    """Fill the order's lines for this item in turn; the last takes any over-receipt."""
    remaining = base
    for index, po_line in enumerate(po_lines):
        last = index == len(po_lines) - 1
        take = remaining if last else min(remaining, max(po_line.quantity - po_line.received, 0))
        po_line.received += take
        remaining -= take


async def _receipt_lines(
    session: AsyncSession, receipt: m.Receipt
) -> list[tuple[m.ReceiptLine, m.Item, m.Lot | None]]:
    """All the receipt's lines with item and lot, in id order: the line this scan adds
    to is among them, and the answer lists them all. The receipt row is locked, so
    no one else changes them meanwhile; populate_existing because a pallet or RFID
    batch reads them again after its own writes."""
    rows = await session.execute(
        select(m.ReceiptLine, m.Item, m.Lot)
        .join(m.Item, m.Item.id == m.ReceiptLine.item_id)
        .outerjoin(m.Lot, m.Lot.id == m.ReceiptLine.lot_id)
        .where(m.ReceiptLine.receipt_id == receipt.id)
        .order_by(m.ReceiptLine.id)
        .execution_options(populate_existing=True)
    )
    return [(line, item, lot) for line, item, lot in rows]


def _line_for(
    session: AsyncSession,
    lines: list[tuple[m.ReceiptLine, m.Item, m.Lot | None]],
    receipt: m.Receipt,
    item: m.Item,
    lot: m.Lot | None,
    status: str,
    po_lines: list[m.PurchaseOrderLine],
    expired: bool,
) -> m.ReceiptLine:
    """The open line of this item, lot and status (not yet judged by QC), else a new one."""
    lot_id = lot.id if lot else None
    line = next(
        (
            known
            for known, _item, _lot in lines
            if known.item_id == item.id
            and known.status == status
            and known.qc_result is None
            and known.lot_id == lot_id
        ),
        None,
    )
    if line is None:
        line = m.ReceiptLine(
            receipt_id=receipt.id,
            po_line_id=po_lines[0].id if po_lines else None,
            item_id=item.id,
            lot_id=lot.id if lot else None,
            status=status,
            quantity=0,
            not_on_order=receipt.po_id is not None and not po_lines,
            expired_on_arrival=expired,
            received_at=utcnow(),
        )
        session.add(line)
    return line


async def allow_unplanned(
    uow: UnitOfWork, principal: Principal, receipt_id: object, allow: bool
) -> m.Receipt:
    receipt = await open_receipt(uow.session, principal, receipt_id)
    receipt.allow_unplanned = allow
    receipt.allowed_by = principal.user_id if allow else None
    await uow.session.flush()
    return receipt


@dataclass(frozen=True)
class ClosedReceipt:
    receipt: m.Receipt
    putaway_task_ids: list[int]  # one per available line, in the order they were made


async def close_receipt(uow: UnitOfWork, principal: Principal, receipt_id: object) -> ClosedReceipt:
    """Close the receipt; its available stock gets putaway tasks, quarantined stock a QC task.

    Damaged stock stays on the dock, blocked from use, for a supervisor to decide.
    """
    session = uow.session
    receipt = await open_receipt(session, principal, receipt_id)
    lines = (
        await session.scalars(
            select(m.ReceiptLine)
            .where(m.ReceiptLine.receipt_id == receipt.id)
            .order_by(m.ReceiptLine.id)
        )
    ).all()
    task_ids = [
        (await putaway_flow.create_job(uow, principal, receipt, line)).task_id
        for line in lines
        if line.status == m.StockStatus.AVAILABLE
    ]
    quarantined = [line for line in lines if line.status == m.StockStatus.QUARANTINE]
    if quarantined:
        task = await create_task(
            uow,
            NewTask(
                warehouse_id=receipt.warehouse_id,
                kind=m.TaskKind.QC,
                title=f"Inspect {len(quarantined)} line(s) of {receipt_reference(receipt)}",
                priority=4,
                bin_id=receipt.dock_bin_id,
                reference=receipt_reference(receipt),
                payload={"receipt_id": receipt.id},
            ),
            principal.user_id,
        )
        receipt.qc_task_id = task.id
    receipt.state = m.ReceiptState.CLOSED
    receipt.closed_at = utcnow()
    if receipt.po_id is not None:
        po = await find_po_by_id(session, receipt.po_id)
        await purchasing.refresh_received_state(uow, po)
    await session.flush()
    return ClosedReceipt(receipt, task_ids)


def close_without_tasks(receipt: m.Receipt) -> None:
    """Close a customer return's receipt: its units are decided one by one on the return
    (backend/inbound/returns.py), so no QC or putaway task is made for them."""
    receipt.state = m.ReceiptState.CLOSED
    receipt.closed_at = utcnow()


async def find_po_by_id(session: AsyncSession, po_id: int) -> m.PurchaseOrder:
    po = await session.get(m.PurchaseOrder, po_id, with_for_update=True)
    assert po is not None
    return po


MAX_EPCS = 2000


@dataclass(frozen=True)
class TagOutcome:
    epc: str
    gtin: str | None
    serial: str | None
    item_sku: str | None
    code: str | None  # None: received; else the refusal's error code
    message: str


async def receive_rfid(
    uow: UnitOfWork,
    principal: Principal,
    *,
    receipt_id: object,
    epcs: list[str],
    lot_number: str | None = None,
    expiry: date | None = None,
) -> tuple[m.Receipt, list[TagOutcome]]:
    """A gate or handheld read of many tags at once: each tag is one unit with its serial.

    Tags are judged one by one (every check precedes every write), so a bad tag is
    refused alone; a tag read twice in the batch counts once.
    """
    receipt = await open_receipt(uow.session, principal, receipt_id)
    if not epcs:
        raise DomainError(ErrorCode.INVALID_INPUT, "No tags were read.", "epcs")
    if len(epcs) > MAX_EPCS:
        raise DomainError(ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_EPCS} tags.", "epcs")
    outcomes: list[TagOutcome] = []
    seen: set[str] = set()
    for raw in epcs:
        epc = raw.strip().upper()
        if epc in seen:
            continue
        seen.add(epc)
        gtin = serial = sku = None
        try:
            tag = decode_sgtin96(epc)
            gtin, serial = tag.gtin, tag.serial
            what = await identify_gtin(uow.session, tag.gtin, serial=tag.serial)
            sku = what.item.sku
            if what.item.tracking != m.Tracking.SERIAL:
                # A tag on a unit of an item not tracked by serial: count it, forget the serial.
                what = Identified(what.item, what.pack_size, None, None, None, None)
            await receive(
                uow,
                principal,
                receipt,
                what,
                quantity=1,
                lot_number=lot_number,
                expiry=expiry,
                serial_number=None,
                damaged=False,
            )
            outcomes.append(TagOutcome(epc, gtin, serial, sku, None, "Received."))
        except DomainError as error:
            outcomes.append(TagOutcome(epc, gtin, serial, sku, error.code.value, error.message))
    return receipt, outcomes
