"""Stock status changes: freeze or release a lot, quarantine, damage; block and unblock bins.

Each change of status is a STATUS_CHANGE move on the ledger. Only free stock changes
status: reserved units stay AVAILABLE under their reservation, and the answer says
how many, so a supervisor can release those reservations first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import BinBlock
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inventory.ledger import MoveRequest, Place, check_quantity
from backend.inventory.lookup import ItemScan, bin_by_scan, item_by_scan

from .common import (
    StockRefused,
    lock_quants,
    lot_id_of,
    lot_number_of,
    take,
)
from .moves import MovedLine

STATUSES = set(m.StockStatus)


@dataclass(frozen=True)
class StatusOutcome:
    lines: list[tuple[m.Bin, MovedLine]]
    reserved_left: int


async def _change(
    uow: UnitOfWork,
    principal: Principal,
    quant: m.Quant,
    to_status: str,
    quantity: int,
    why: str,
    warehouse_id: int,
) -> None:
    await take(
        uow.session,
        MoveRequest(
            item_id=quant.item_id,
            quantity=quantity,
            reason=m.MoveReason.STATUS_CHANGE,
            lot_id=quant.lot_id,
            source=Place(quant.bin_id, quant.status),
            destination=Place(quant.bin_id, to_status),
            reference=why[:80],
            user_id=principal.user_id,
        ),
        warehouse_id,
    )


@dataclass(frozen=True)
class _Selection:
    """Which quants a status change reads, and where it happens."""

    conditions: list[object]
    warehouse_id: int
    bin_id: int | None


def _check_request(
    from_status: str, to_status: str, quantity: int | None, bin_code: str | None
) -> None:
    if from_status not in STATUSES or to_status not in STATUSES:
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown stock status.", "toStatus")
    if from_status == to_status:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose a different status.", "toStatus")
    if quantity is not None:
        check_quantity(quantity)
        if bin_code is None:
            raise DomainError(ErrorCode.INVALID_INPUT, "A quantity needs its bin.", "binCode")


async def _select(
    uow: UnitOfWork,
    principal: Principal,
    scanned: ItemScan,
    from_status: str,
    lot_number: str | None,
    bin_code: str | None,
    warehouse_id: int | None,
) -> _Selection:
    """The quants of the item (and lot) in `from_status` on the bin named, or on every
    bin of the warehouse the caller acts in."""
    session = uow.session
    lot_id = await lot_id_of(session, scanned.item, lot_number)
    conditions: list[object] = [
        m.Quant.item_id == scanned.item.id,
        m.Quant.status == from_status,
        m.Quant.on_hand > 0,
    ]
    if lot_number is not None:
        conditions.append(func.coalesce(m.Quant.lot_id, 0) == (lot_id or 0))
    if bin_code is not None:
        bin_row = await bin_by_scan(session, bin_code, principal)
        conditions.append(m.Quant.bin_id == bin_row.id)
        return _Selection(conditions, bin_row.warehouse_id, bin_row.id)
    wid = acting_warehouse(principal, warehouse_id)
    conditions.append(m.Quant.bin_id.in_(select(m.Bin.id).where(m.Bin.warehouse_id == wid)))
    return _Selection(conditions, wid, None)


async def _changed_line(
    uow: UnitOfWork, quant: m.Quant, sku: str, to_status: str, amount: int
) -> tuple[m.Bin, MovedLine]:
    where = await uow.session.get(m.Bin, quant.bin_id)
    lot = await uow.session.get(m.Lot, quant.lot_id) if quant.lot_id else None
    assert where is not None  # foreign key
    line = MovedLine(quant.item_id, sku, lot.lot_number if lot else None, to_status, amount)
    return where, line


async def change_stock_status(
    uow: UnitOfWork,
    principal: Principal,
    *,
    item_code: str,
    from_status: str,
    to_status: str,
    lot_number: str | None = None,
    bin_code: str | None = None,
    quantity: int | None = None,
    warehouse_id: int | None = None,
    reason: str | None = None,
) -> StatusOutcome:
    """Change the status of the free stock selected; without a bin, in every bin of the
    warehouse the caller acts in (`acting_warehouse`)."""
    _check_request(from_status, to_status, quantity, bin_code)
    scanned = await item_by_scan(uow.session, item_code)
    number = lot_number_of(scanned, lot_number)
    selection = await _select(uow, principal, scanned, from_status, number, bin_code, warehouse_id)
    quants = await lock_quants(uow.session, *selection.conditions)
    if quantity is not None and len({q.lot_id for q in quants}) > 1:
        raise DomainError(
            ErrorCode.LOT_REQUIRED, "Several lots lie here: name the lot.", "lotNumber"
        )
    why = (reason or "").strip() or f"{from_status}>{to_status}"
    lines: list[tuple[m.Bin, MovedLine]] = []
    reserved_left = 0
    for quant in quants:
        free = quant.on_hand - quant.reserved
        reserved_left += quant.reserved
        amount = free if quantity is None else quantity
        if amount <= 0:
            continue
        if amount > free:
            raise StockRefused(
                "Not that much free stock here.",
                "quantity",
                warehouse_id=selection.warehouse_id,
                bin_id=quant.bin_id,
                item_id=quant.item_id,
                quantity=amount,
            )
        await _change(uow, principal, quant, to_status, amount, why, selection.warehouse_id)
        lines.append(await _changed_line(uow, quant, scanned.item.sku, to_status, amount))
    if not lines:
        raise StockRefused(
            f"No free {from_status.lower()} stock of this item.",
            "itemCode",
            warehouse_id=selection.warehouse_id,
            bin_id=selection.bin_id,
            item_id=scanned.item.id,
            quantity=quantity or 0,
        )
    return StatusOutcome(lines, reserved_left)


async def block_bin(
    uow: UnitOfWork, principal: Principal, *, bin_code: str, reason: str | None = None
) -> tuple[m.Bin, BinBlock]:
    session = uow.session
    bin_row = await bin_by_scan(session, bin_code, principal)
    if bin_row.blocked:
        raise DomainError(ErrorCode.INVALID_STATE, "This bin is already blocked.", "binCode")
    text = (reason or "").strip()
    if len(text) > 200:
        raise DomainError(ErrorCode.INVALID_INPUT, "A reason of at most 200 characters.", "reason")
    quants = await lock_quants(
        session,
        m.Quant.bin_id == bin_row.id,
        m.Quant.status == m.StockStatus.AVAILABLE,
        m.Quant.on_hand > m.Quant.reserved,
    )
    moved: list[list[int | None]] = []
    for quant in quants:
        free = quant.on_hand - quant.reserved
        await _change(
            uow,
            principal,
            quant,
            m.StockStatus.BLOCKED,
            free,
            f"BLOCK {bin_row.label}",
            bin_row.warehouse_id,
        )
        moved.append([quant.item_id, quant.lot_id, free])
    bin_row.blocked = True
    block = BinBlock(
        bin_id=bin_row.id,
        reason=text,
        moved={"lines": moved},
        blocked_by=principal.user_id,
        blocked_at=utcnow(),
    )
    session.add(block)
    await session.flush()
    return bin_row, block


async def unblock_bin(
    uow: UnitOfWork, principal: Principal, *, bin_code: str
) -> tuple[m.Bin, BinBlock | None]:
    """Releases what the blocking moved to BLOCKED (as far as it is still there);
    stock blocked for other reasons (a frozen lot) stays blocked."""
    session = uow.session
    bin_row = await bin_by_scan(session, bin_code, principal)
    if not bin_row.blocked:
        raise DomainError(ErrorCode.INVALID_STATE, "This bin is not blocked.", "binCode")
    block = await session.scalar(
        select(BinBlock).where(BinBlock.bin_id == bin_row.id, BinBlock.released_at.is_(None))
    )
    if block is not None:
        for item_id, lot_id, quantity in block.moved.get("lines", []):
            quants = await lock_quants(
                session,
                m.Quant.bin_id == bin_row.id,
                m.Quant.item_id == item_id,
                func.coalesce(m.Quant.lot_id, 0) == (lot_id or 0),
                m.Quant.status == m.StockStatus.BLOCKED,
            )
            for quant in quants:
                back = min(int(quantity), quant.on_hand - quant.reserved)
                if back > 0:
                    await _change(
                        uow,
                        principal,
                        quant,
                        m.StockStatus.AVAILABLE,
                        back,
                        f"UNBLOCK {bin_row.label}",
                        bin_row.warehouse_id,
                    )
        block.released_by = principal.user_id
        block.released_at = utcnow()
    bin_row.blocked = False
    await session.flush()
    return bin_row, block
