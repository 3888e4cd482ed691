"""Pallets by SSCC: a supplier announces them, the dock receives each with one scan.

Two kinds of pallet label are understood:

- an **announced** pallet: the supplier's advance shipping notice listed the
  SSCC and what is on it (several items, lots, serials); scanning the SSCC
  receives every line.
- a **homogeneous** pallet not announced: a GS1 logistic label carrying the
  SSCC (00), the content GTIN (02), the count (37) and often lot (10) and
  expiry (17); scanning it receives that count of that GTIN.

Either way each line goes through `receiving.receive`, so tolerances, the
expired-lot policy, serial uniqueness and QC flags apply exactly as they do to
single scans; one refused line refuses the whole pallet and nothing is written.
A pallet is received once: its row records the receipt, and a second scan of the
same SSCC is refused with PALLET_ALREADY_RECEIVED.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.common import find_po, item_by_gtin, item_by_sku, text
from backend.inventory.ledger import check_quantity
from backend.printing.sscc import is_valid_sscc
from backend.scan import GS1Scan, parse_scan

MAX_PALLETS = 200  # one notice; a full truck holds about 33 pallets
MAX_LINES = 200
MAX_LOT = 40
MAX_SERIAL = 40


@dataclass(frozen=True)
class PalletLineIn:
    sku: str
    quantity: int
    lot_number: str | None = None
    expiry: date | None = None
    serials: tuple[str, ...] = ()


@dataclass(frozen=True)
class PalletIn:
    sscc: str
    lines: tuple[PalletLineIn, ...]


def normalise_sscc(raw: str, field: str = "sscc") -> str:
    """18 digits with a valid GS1 check digit; "(00)" or "00" in front is accepted."""
    digits = raw.strip().replace(" ", "")
    if digits.startswith("(00)"):
        digits = digits[4:]
    elif len(digits) == 20 and digits.startswith("00"):
        digits = digits[2:]
    if not is_valid_sscc(digits):
        raise DomainError(
            ErrorCode.SCAN_BAD_CHECK_DIGIT,
            f"{raw.strip()!r} is not an SSCC (18 digits with a valid check digit).",
            field,
        )
    return digits


async def announce(
    uow: UnitOfWork,
    principal: Principal,
    *,
    po_code: str,
    reference: str | None,
    pallets: list[PalletIn],
) -> tuple[m.PurchaseOrder, list[m.InboundPallet]]:
    """Record an advance shipping notice: the pallets a supplier is sending for an order."""
    session = uow.session
    po = await find_po(session, principal, po_code, lock=True)
    if po.state not in (
        m.PoState.SUBMITTED,
        m.PoState.APPROVED,
        m.PoState.PARTIALLY_RECEIVED,
    ):
        raise DomainError(
            ErrorCode.INVALID_STATE,
            f"Order {po.number} is {po.state.lower().replace('_', ' ')}: no deliveries expected.",
            "poCode",
        )
    if not pallets:
        raise DomainError(ErrorCode.INVALID_INPUT, "A notice lists at least one pallet.", "pallets")
    if len(pallets) > MAX_PALLETS:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_PALLETS} pallets a notice.", "pallets"
        )
    ref = text(reference, "reference", 80)
    ssccs = [normalise_sscc(p.sscc, "pallets.sscc") for p in pallets]
    if len(set(ssccs)) != len(ssccs):
        raise DomainError(ErrorCode.DUPLICATE, "An SSCC appears twice in the notice.", "pallets")
    taken = (
        await session.scalars(select(m.InboundPallet.sscc).where(m.InboundPallet.sscc.in_(ssccs)))
    ).all()
    if taken:
        raise DomainError(
            ErrorCode.DUPLICATE, f"Pallet {taken[0]} was announced already.", "pallets.sscc"
        )

    rows: list[m.InboundPallet] = []
    for pallet, sscc in zip(pallets, ssccs, strict=True):
        lines = await _checked_lines(session, pallet)
        row = m.InboundPallet(
            sscc=sscc,
            warehouse_id=po.warehouse_id,
            po_id=po.id,
            reference=ref,
            state=m.PalletState.EXPECTED,
            created_by=principal.user_id,
            created_at=utcnow(),
        )
        session.add(row)
        await session.flush()
        for line_no, (item, line) in enumerate(lines, start=1):
            session.add(
                m.InboundPalletLine(
                    pallet_id=row.id,
                    line_no=line_no,
                    item_id=item.id,
                    quantity=line.quantity,
                    lot_number=line.lot_number,
                    expiry=line.expiry,
                    serials=list(line.serials),
                )
            )
        rows.append(row)
    await session.flush()
    return po, rows


async def _checked_lines(
    session: AsyncSession, pallet: PalletIn
) -> list[tuple[m.Item, PalletLineIn]]:
    if not pallet.lines:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"Pallet {pallet.sscc} lists no goods.", "pallets.lines"
        )
    if len(pallet.lines) > MAX_LINES:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE, f"At most {MAX_LINES} lines a pallet.", "pallets.lines"
        )
    checked: list[tuple[m.Item, PalletLineIn]] = []
    for line in pallet.lines:
        item = await item_by_sku(session, line.sku, "pallets.lines.sku")
        check_quantity(line.quantity)
        lot = (line.lot_number or "").strip() or None
        if lot is not None and len(lot) > MAX_LOT:
            raise DomainError(ErrorCode.INVALID_INPUT, "Lot number too long.", "lotNumber")
        serials = tuple(s.strip() for s in line.serials)
        if item.tracking == m.Tracking.SERIAL:
            # Serials may come later, scanned one by one at the dock, but if the
            # notice lists them it lists one per unit.
            if serials and len(serials) != line.quantity:
                raise DomainError(
                    ErrorCode.INVALID_QUANTITY,
                    f"{item.sku}: {line.quantity} units but {len(serials)} serials.",
                    "pallets.lines.serials",
                )
            if len(set(serials)) != len(serials) or any(
                not s or len(s) > MAX_SERIAL for s in serials
            ):
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    f"{item.sku}: serials must be distinct and 1–{MAX_SERIAL} characters.",
                    "pallets.lines.serials",
                )
        elif serials:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                f"{item.sku} is not tracked by serial number.",
                "pallets.lines.serials",
            )
        checked.append((item, PalletLineIn(item.sku, line.quantity, lot, line.expiry, serials)))
    return checked


async def order_of_notice(
    session: AsyncSession, principal: Principal, raw: str
) -> m.PurchaseOrder | None:
    """The purchase order a delivery was announced for, found from what the driver hands
    over: the notice number (the supplier's ASN reference) or one pallet's SSCC."""
    text_in = raw.strip()
    if not text_in:
        return None
    try:
        scan = parse_scan(text_in)
    except DomainError:
        scan = None
    if isinstance(scan, GS1Scan) and scan.sscc is not None:
        stmt = select(m.InboundPallet.po_id).where(m.InboundPallet.sscc == scan.sscc)
    else:
        stmt = select(m.InboundPallet.po_id).where(
            func.upper(m.InboundPallet.reference) == text_in.upper()
        )
    po_ids = sorted(
        {po_id for po_id in await session.scalars(stmt.distinct()) if po_id is not None}
    )
    if not po_ids:
        return None
    if len(po_ids) > 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Notice {text_in} covers several purchase orders: scan the order itself.",
            "poCode",
        )
    po = await session.get(m.PurchaseOrder, po_ids[0], with_for_update=True, populate_existing=True)
    if po is None or not principal.in_scope(po.warehouse_id):
        return None
    return po


@dataclass(frozen=True)
class PalletContent:
    """One receivable unit of work: `quantity` base units, or one serial."""

    item: m.Item
    quantity: int
    lot_number: str | None
    expiry: date | None
    serial: str | None


async def pallet_for_receipt(
    session: AsyncSession, receipt: m.Receipt, scan: GS1Scan
) -> tuple[m.InboundPallet | None, list[PalletContent]]:
    """What the scanned pallet label brings to this receipt, checked against it.

    Returns the announced pallet row (locked) with its contents, or None and the
    contents of a homogeneous label; the caller receives them and then calls
    `mark_received`.
    """
    assert scan.sscc is not None
    pallet = await session.scalar(
        select(m.InboundPallet)
        .where(m.InboundPallet.sscc == scan.sscc)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if pallet is not None:
        if pallet.state == m.PalletState.RECEIVED:
            raise DomainError(
                ErrorCode.PALLET_ALREADY_RECEIVED,
                f"Pallet {pallet.sscc} was received already.",
                "code",
            )
        if pallet.po_id != receipt.po_id:
            raise DomainError(
                ErrorCode.PALLET_OTHER_ORDER,
                f"Pallet {pallet.sscc} was announced for another purchase order.",
                "code",
            )
        lines = (
            await session.scalars(
                select(m.InboundPalletLine)
                .where(m.InboundPalletLine.pallet_id == pallet.id)
                .order_by(m.InboundPalletLine.line_no)
            )
        ).all()
        contents: list[PalletContent] = []
        for line in lines:
            item = await session.get(m.Item, line.item_id)
            assert item is not None
            _serials_known(item, line.quantity, len(line.serials), pallet.sscc)
            if line.serials:
                contents.extend(
                    PalletContent(item, 1, line.lot_number, line.expiry, s) for s in line.serials
                )
            else:
                contents.append(
                    PalletContent(item, line.quantity, line.lot_number, line.expiry, None)
                )
        return pallet, contents

    if scan.content_gtin is None or scan.count is None:
        raise DomainError(
            ErrorCode.PALLET_NOT_FOUND,
            f"Pallet {scan.sscc} was not announced and its label lists no contents: "
            "receive its cartons one by one.",
            "code",
        )
    item, pack_size = await item_by_gtin(session, scan.content_gtin)
    check_quantity(scan.count)
    _serials_known(item, scan.count * pack_size, 1 if scan.serial else 0, scan.sscc)
    return None, [PalletContent(item, scan.count * pack_size, scan.lot, scan.expiry, scan.serial)]


def _serials_known(item: m.Item, units: int, serials: int, sscc: str) -> None:
    """Serialised goods are received by serial: the pallet must say which ones."""
    if item.tracking == m.Tracking.SERIAL and serials != units:
        # Not SERIAL_REQUIRED: that asks the handheld for one serial for this scan,
        # and a pallet's units each need their own.
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Pallet {sscc} holds {item.sku} without its serial numbers: "
            "receive those units one scan each.",
            "code",
        )


async def mark_received(
    session: AsyncSession,
    principal: Principal,
    receipt: m.Receipt,
    pallet: m.InboundPallet | None,
    sscc: str,
) -> m.InboundPallet:
    """Close the pallet: an unannounced one gets its row now, so it too is received once."""
    now = utcnow()
    if pallet is None:
        pallet = m.InboundPallet(
            sscc=sscc,
            warehouse_id=receipt.warehouse_id,
            po_id=receipt.po_id,
            reference=receipt.reference,
            created_by=principal.user_id,
            created_at=now,
        )
        try:
            # Two docks scanning the same label at once: the SSCC is unique, so the
            # second insert fails (on PostgreSQL after waiting for the first to commit).
            async with session.begin_nested():
                session.add(pallet)
                await session.flush()
        except IntegrityError as error:
            raise DomainError(
                ErrorCode.PALLET_ALREADY_RECEIVED, f"Pallet {sscc} was received already.", "code"
            ) from error
    pallet.state = m.PalletState.RECEIVED
    pallet.receipt_id = receipt.id
    pallet.received_by = principal.user_id
    pallet.received_at = now
    await session.flush()
    return pallet
