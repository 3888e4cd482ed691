"""QC of quarantined receipt lines: pass or concession releases the stock and sends it to
putaway; fail blocks it and opens a return-to-vendor document."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.inbound.common import parse_id, text
from backend.inbound.putaway import tasks as putaway_flow
from backend.inventory import serials
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.tasks import engine


@dataclass(frozen=True)
class QcRecorded:
    line: m.ReceiptLine
    item: m.Item
    lot: m.Lot | None
    putaway_task_id: int | None  # released stock goes to putaway
    return_to_vendor: m.ReturnToVendor | None  # failed stock goes back


async def record_qc(
    uow: UnitOfWork, principal: Principal, raw_line_id: object, result: str, note: str | None
) -> QcRecorded:
    session = uow.session
    line_id = parse_id(raw_line_id, "receiptLineId")
    line = await session.get(m.ReceiptLine, line_id, with_for_update=True, populate_existing=True)
    receipt = await session.get(m.Receipt, line.receipt_id) if line else None
    if line is None or receipt is None or not principal.in_scope(receipt.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such receipt line.", "receiptLineId")
    if result not in {r.value for r in m.QcResult}:
        raise DomainError(ErrorCode.INVALID_INPUT, "PASS, FAIL or CONCESSION.", "result")
    if line.status != m.StockStatus.QUARANTINE:
        raise DomainError(ErrorCode.INVALID_STATE, "This line is not in quarantine.")
    if line.qc_result is not None:
        raise DomainError(ErrorCode.INVALID_STATE, f"Already inspected: {line.qc_result}.")
    if receipt.state != m.ReceiptState.CLOSED:
        raise DomainError(ErrorCode.INVALID_STATE, "Close the receipt before inspecting it.")
    remark = text(note, "note")
    if result != m.QcResult.PASS and not remark:
        raise DomainError(ErrorCode.INVALID_INPUT, "Say what is wrong with it.", "note")
    released = result in (m.QcResult.PASS, m.QcResult.CONCESSION)
    to_status = m.StockStatus.AVAILABLE if released else m.StockStatus.BLOCKED
    await apply_move(
        session,
        MoveRequest(
            item_id=line.item_id,
            quantity=line.quantity,
            reason=m.MoveReason.STATUS_CHANGE,
            lot_id=line.lot_id,
            source=Place(receipt.dock_bin_id, m.StockStatus.QUARANTINE),
            destination=Place(receipt.dock_bin_id, to_status),
            reference=f"RC-{receipt.id}",
            user_id=principal.user_id,
            task_id=receipt.qc_task_id,
        ),
    )
    line.qc_result = result
    line.qc_note = remark
    line.qc_by = principal.user_id
    line.qc_at = utcnow()
    rtv = None
    task_id = None
    if released:
        job = await putaway_flow.create_job(uow, principal, receipt, line)
        assert job.status == m.StockStatus.AVAILABLE
        task_id = job.task_id
    else:
        supplier_id = None
        if receipt.po_id is not None:
            po = await session.get(m.PurchaseOrder, receipt.po_id)
            supplier_id = po.supplier_id if po else None
        rtv = m.ReturnToVendor(
            code="",
            warehouse_id=receipt.warehouse_id,
            supplier_id=supplier_id,
            receipt_line_id=line.id,
            item_id=line.item_id,
            lot_id=line.lot_id,
            bin_id=receipt.dock_bin_id,
            quantity=line.quantity,
            reason=remark,
        )
        session.add(rtv)
        await session.flush()
        rtv.code = f"RTV-{rtv.id:06d}"
    await session.flush()
    await _finish_qc_task_when_done(uow, receipt)
    item = await session.get(m.Item, line.item_id)
    lot = await session.get(m.Lot, line.lot_id) if line.lot_id else None
    assert item is not None
    return QcRecorded(line, item, lot, task_id, rtv)


async def _finish_qc_task_when_done(uow: UnitOfWork, receipt: m.Receipt) -> None:
    if receipt.qc_task_id is None:
        return
    open_lines = await uow.session.scalar(
        select(m.ReceiptLine.id).where(
            m.ReceiptLine.receipt_id == receipt.id,
            m.ReceiptLine.status == m.StockStatus.QUARANTINE,
            m.ReceiptLine.qc_result.is_(None),
        )
    )
    task = await uow.session.get(m.Task, receipt.qc_task_id)
    if open_lines is None and task is not None and task.state != m.TaskState.DONE:
        await engine.finish(uow, task)


async def ship_return(uow: UnitOfWork, principal: Principal, raw_id: object) -> m.ReturnToVendor:
    """The blocked goods leave for the supplier: out of the ledger."""
    session = uow.session
    rtv = await session.get(
        m.ReturnToVendor, parse_id(raw_id, "id"), with_for_update=True, populate_existing=True
    )
    if rtv is None or not principal.in_scope(rtv.warehouse_id):
        raise DomainError(ErrorCode.NOT_FOUND, "No such return-to-vendor document.", "id")
    if rtv.state != m.RtvState.OPEN:
        raise DomainError(ErrorCode.INVALID_STATE, "Already shipped.")
    await apply_move(
        session,
        MoveRequest(
            item_id=rtv.item_id,
            quantity=rtv.quantity,
            reason=m.MoveReason.SHIP,
            lot_id=rtv.lot_id,
            source=Place(rtv.bin_id, m.StockStatus.BLOCKED),
            reference=rtv.code,
            user_id=principal.user_id,
        ),
    )
    await serials.mark_receipt_line_left(
        session, rtv.receipt_line_id, m.SerialState.RETURNED_TO_VENDOR, rtv.code
    )
    rtv.state = m.RtvState.SHIPPED
    rtv.shipped_at = utcnow()
    await session.flush()
    return rtv
