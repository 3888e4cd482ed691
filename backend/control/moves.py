"""Internal moves by scan (bin to bin, zone to zone) and transfers between warehouses.

Moves take free stock only: reserved units stay where they are, because a pick was
promised from that bin (the answer says how many stayed behind). In transit between
warehouses stock is off every bin: the shipping move has no destination, the receipt
no source, and `transfer_lines` say what travels; the quants still equal the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.models.control import Transfer, TransferLine, TransferState
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inventory.ledger import MoveRequest, Place, apply_move, check_quantity
from backend.inventory.lookup import bin_by_scan, item_by_scan

from .common import (
    StockRefused,
    lock_quants,
    lot_id_of,
    lot_number_of,
    refuse_if_counting,
    take,
)

MAX_TRANSFER_LINES = 200


@dataclass(frozen=True)
class MovedLine:
    item_id: int
    sku: str
    lot_number: str | None
    status: str
    quantity: int


@dataclass(frozen=True)
class MoveOutcome:
    from_bin: m.Bin
    to_bin: m.Bin
    lines: list[MovedLine]
    reserved_left: int


def refuse_blocked(bin_row: m.Bin, field: str) -> None:
    if bin_row.blocked:
        raise DomainError(ErrorCode.BIN_BLOCKED, f"Bin {bin_row.label} is blocked.", field)


async def _lot_number(uow: UnitOfWork, lot_id: int | None) -> str | None:
    if lot_id is None:
        return None
    lot = await uow.session.get(m.Lot, lot_id)
    return lot.lot_number if lot else None


async def single_lot(
    uow: UnitOfWork, bin_id: int, item: m.Item, status: str, field: str = "lotNumber"
) -> int | None:
    """The one lot of a lot-tracked item with free stock on a bin; refused if several."""
    lots = list(
        await uow.session.scalars(
            select(m.Quant.lot_id)
            .where(
                m.Quant.bin_id == bin_id,
                m.Quant.item_id == item.id,
                m.Quant.status == status,
                m.Quant.on_hand > m.Quant.reserved,
            )
            .distinct()
        )
    )
    if len(lots) > 1:
        raise DomainError(
            ErrorCode.LOT_REQUIRED, "Several lots of this item lie here: scan the lot.", field
        )
    return lots[0] if lots else None


async def _move_bins(
    uow: UnitOfWork, principal: Principal, from_code: str, to_code: str
) -> tuple[m.Bin, m.Bin]:
    """Two bins of one warehouse, neither blocked nor held by a count."""
    session = uow.session
    source = await bin_by_scan(session, from_code, principal, "fromBinCode")
    target = await bin_by_scan(session, to_code, principal, "toBinCode")
    if source.id == target.id:
        raise DomainError(ErrorCode.INVALID_INPUT, "Scan another bin to move to.", "toBinCode")
    if source.warehouse_id != target.warehouse_id:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            "The bins are in different warehouses: ship a transfer instead.",
            "toBinCode",
        )
    refuse_blocked(source, "fromBinCode")
    refuse_blocked(target, "toBinCode")
    await refuse_if_counting(session, source, "fromBinCode")
    await refuse_if_counting(session, target, "toBinCode")
    return source, target


# (item id, lot id, status, quantity) of one line a move takes
_PlanLine = tuple[int, int | None, str, int]


async def _move_plan(
    uow: UnitOfWork,
    source: m.Bin,
    item_code: str | None,
    lot_number: str | None,
    quantity: int | None,
    status: str,
) -> tuple[m.Item | None, list[m.Quant], list[_PlanLine]]:
    """What a move takes from the source bin, with the quants it locked."""
    session = uow.session
    if quantity is not None and item_code is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Scan the item to move a quantity.", "itemCode")
    if lot_number and item_code is None:
        raise DomainError(ErrorCode.INVALID_INPUT, "Scan the item of that lot.", "itemCode")
    conditions: list[object] = [m.Quant.bin_id == source.id, m.Quant.on_hand > 0]
    item = None
    lot_id = None
    if item_code is not None:
        scanned = await item_by_scan(session, item_code)
        item = scanned.item
        number = lot_number_of(scanned, lot_number)
        lot_id = await lot_id_of(session, item, number)
        conditions.append(m.Quant.item_id == item.id)
        if number is not None:
            conditions.append(func.coalesce(m.Quant.lot_id, 0) == (lot_id or 0))
    if quantity is not None and item is not None:
        # One quantity of one item (and lot) in one status.
        check_quantity(quantity)
        if status not in set(m.StockStatus):
            raise DomainError(ErrorCode.INVALID_INPUT, "Unknown stock status.", "status")
        if lot_id is None and item.tracking == m.Tracking.LOT:
            lot_id = await single_lot(uow, source.id, item, status)
        quants = await lock_quants(session, *conditions, m.Quant.status == status)
        return item, quants, [(item.id, lot_id, status, quantity)]
    # A whole bin, or all of one item (lot): every status, free stock only.
    quants = await lock_quants(session, *conditions)
    plan = [
        (q.item_id, q.lot_id, q.status, q.on_hand - q.reserved)
        for q in quants
        if q.on_hand > q.reserved
    ]
    return item, quants, plan


async def move_stock(
    uow: UnitOfWork,
    principal: Principal,
    *,
    from_code: str,
    to_code: str,
    item_code: str | None = None,
    lot_number: str | None = None,
    quantity: int | None = None,
    status: str = m.StockStatus.AVAILABLE,
) -> MoveOutcome:
    session = uow.session
    source, target = await _move_bins(uow, principal, from_code, to_code)
    item, quants, plan = await _move_plan(uow, source, item_code, lot_number, quantity, status)
    if not plan:
        raise StockRefused(
            "Nothing free to move here.",
            "fromBinCode",
            warehouse_id=source.warehouse_id,
            bin_id=source.id,
            item_id=item.id if item is not None else None,
            quantity=quantity or 0,
        )
    reference = f"MOVE {source.label}>{target.label}"[:80]
    lines: list[MovedLine] = []
    for item_id, lot, stat, qty in plan:
        await take(
            session,
            MoveRequest(
                item_id=item_id,
                quantity=qty,
                reason=m.MoveReason.MOVE,
                lot_id=lot,
                source=Place(source.id, stat),
                destination=Place(target.id, stat),
                reference=reference,
                user_id=principal.user_id,
            ),
            source.warehouse_id,
        )
        moved_item = item if item is not None else await session.get(m.Item, item_id)
        sku = moved_item.sku if moved_item is not None else str(item_id)
        lines.append(MovedLine(item_id, sku, await _lot_number(uow, lot), stat, qty))
    reserved_left = sum(q.reserved for q in quants)
    return MoveOutcome(source, target, lines, reserved_left)


@dataclass(frozen=True)
class TransferRequestLine:
    bin_code: str
    item_code: str
    quantity: int
    lot_number: str | None = None


async def _transfer_route(
    uow: UnitOfWork,
    principal: Principal,
    to_warehouse_code: str,
    lines: list[TransferRequestLine],
) -> tuple[int, m.Warehouse, list[m.Bin]]:
    """The source warehouse (one, the caller's), the destination (another) and each
    line's bin."""
    session = uow.session
    if not lines:
        raise DomainError(ErrorCode.INVALID_INPUT, "A transfer needs at least one line.", "lines")
    if len(lines) > MAX_TRANSFER_LINES:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"At most {MAX_TRANSFER_LINES} lines a transfer.", "lines"
        )
    destination = await session.scalar(
        select(m.Warehouse).where(m.Warehouse.code == to_warehouse_code.strip().upper())
    )
    if destination is None:
        raise DomainError(ErrorCode.NOT_FOUND, "No warehouse with this code.", "toWarehouseCode")
    bins = [await bin_by_scan(session, line.bin_code, principal, "lines") for line in lines]
    source_ids = {b.warehouse_id for b in bins}
    if len(source_ids) != 1:
        raise DomainError(ErrorCode.INVALID_INPUT, "Ship from one warehouse at a time.", "lines")
    source_id = source_ids.pop()
    if source_id == destination.id:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Within one warehouse, move stock instead.", "toWarehouseCode"
        )
    return source_id, destination, bins


async def _ship_line(
    uow: UnitOfWork,
    principal: Principal,
    transfer: Transfer,
    line: TransferRequestLine,
    bin_row: m.Bin,
) -> None:
    """One line leaves its bin (a MOVE with no destination) and travels on the transfer."""
    session = uow.session
    status = m.StockStatus.AVAILABLE
    check_quantity(line.quantity, "lines")
    refuse_blocked(bin_row, "lines")
    await refuse_if_counting(session, bin_row, "lines")
    scanned = await item_by_scan(session, line.item_code, "lines")
    number = lot_number_of(scanned, line.lot_number, "lines")
    lot_id = await lot_id_of(session, scanned.item, number, field="lines")
    if lot_id is None and scanned.item.tracking == m.Tracking.LOT:
        lot_id = await single_lot(uow, bin_row.id, scanned.item, status, "lines")
    out = await take(
        session,
        MoveRequest(
            item_id=scanned.item.id,
            quantity=line.quantity,
            reason=m.MoveReason.MOVE,
            lot_id=lot_id,
            source=Place(bin_row.id, status),
            reference=transfer.reference,
            user_id=principal.user_id,
        ),
        transfer.from_warehouse_id,
    )
    session.add(
        TransferLine(
            transfer_id=transfer.id,
            item_id=scanned.item.id,
            lot_id=lot_id,
            status=status,
            quantity=line.quantity,
            from_bin_id=bin_row.id,
            out_move_id=out.id,
        )
    )


async def create_transfer(
    uow: UnitOfWork,
    principal: Principal,
    *,
    to_warehouse_code: str,
    lines: list[TransferRequestLine],
    reference: str | None = None,
) -> Transfer:
    session = uow.session
    source_id, destination, bins = await _transfer_route(uow, principal, to_warehouse_code, lines)
    text = (reference or "").strip()
    if len(text) > 60:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A reference of at most 60 characters.", "reference"
        )
    transfer = Transfer(
        from_warehouse_id=source_id,
        to_warehouse_id=destination.id,
        reference=text,
        state=TransferState.IN_TRANSIT,
        shipped_by=principal.user_id,
        shipped_at=utcnow(),
    )
    session.add(transfer)
    await session.flush()
    if not text:
        transfer.reference = f"TRF-{transfer.id}"
    for line, bin_row in zip(lines, bins, strict=True):
        await _ship_line(uow, principal, transfer, line, bin_row)
    await session.flush()
    return transfer


async def transfer_by_reference(
    session: AsyncSession, principal: Principal, reference: str | None
) -> int:
    """The transfer in transit to one of the user's warehouses with this reference."""
    text = (reference or "").strip()
    if not text:
        raise DomainError(ErrorCode.INVALID_INPUT, "Scan the transfer's reference.", "reference")
    found = [
        transfer_id
        for transfer_id, to_warehouse in await session.execute(
            select(Transfer.id, Transfer.to_warehouse_id).where(
                func.upper(Transfer.reference) == text.upper(),
                Transfer.state == TransferState.IN_TRANSIT,
            )
        )
        if principal.in_scope(to_warehouse)
    ]
    if not found:
        raise DomainError(
            ErrorCode.NOT_FOUND, f"No transfer {text} is on its way here.", "reference"
        )
    if len(found) > 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"Several transfers on their way here carry {text}: receive by id.",
            "reference",
        )
    return found[0]


async def receive_transfer(
    uow: UnitOfWork, principal: Principal, *, transfer_id: int, bin_code: str
) -> Transfer:
    session = uow.session
    transfer = await session.get(
        Transfer, transfer_id, with_for_update=True, populate_existing=True
    )
    if transfer is None or not (
        principal.in_scope(transfer.to_warehouse_id)
        or principal.in_scope(transfer.from_warehouse_id)
    ):
        raise DomainError(ErrorCode.NOT_FOUND, "No such transfer.", "transferId")
    if transfer.state != TransferState.IN_TRANSIT:
        raise DomainError(
            ErrorCode.INVALID_STATE, "This transfer was already received.", "transferId"
        )
    target = await bin_by_scan(session, bin_code, principal)
    if target.warehouse_id != transfer.to_warehouse_id:
        raise DomainError(ErrorCode.WRONG_BIN, "Receive into a bin of the destination.", "binCode")
    refuse_blocked(target, "binCode")
    await refuse_if_counting(session, target, "binCode")
    lines = await session.scalars(
        select(TransferLine)
        .where(TransferLine.transfer_id == transfer.id)
        .order_by(TransferLine.id)
    )
    for line in lines:
        received = await apply_move(
            session,
            MoveRequest(
                item_id=line.item_id,
                quantity=line.quantity,
                reason=m.MoveReason.MOVE,
                lot_id=line.lot_id,
                destination=Place(target.id, line.status),
                reference=transfer.reference,
                user_id=principal.user_id,
            ),
        )
        line.to_bin_id = target.id
        line.in_move_id = received.id
    transfer.state = TransferState.RECEIVED
    transfer.received_by = principal.user_id
    transfer.received_at = utcnow()
    await session.flush()
    return transfer
