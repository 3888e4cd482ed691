"""Supervisor figures straight from the tables: supplier performance and discrepancies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.scope import ReadScope


@dataclass(frozen=True)
class SupplierFigures:
    supplier_id: int
    supplier_code: str
    supplier_name: str
    receipt_lines: int
    # None when there is nothing to measure yet (no due dates, no finished orders, no QC).
    on_time_rate: float | None
    quantity_accuracy: float | None
    qc_reject_rate: float | None


async def supplier_performance(
    session: AsyncSession, scope: ReadScope, since: datetime | None = None
) -> list[SupplierFigures]:
    suppliers = (await session.scalars(select(m.Supplier).order_by(m.Supplier.code))).all()
    lines_q = (
        select(m.ReceiptLine, m.PurchaseOrderLine.due_date, m.PurchaseOrder.supplier_id)
        .join(m.Receipt, m.Receipt.id == m.ReceiptLine.receipt_id)
        .join(m.PurchaseOrder, m.PurchaseOrder.id == m.Receipt.po_id)
        .outerjoin(m.PurchaseOrderLine, m.PurchaseOrderLine.id == m.ReceiptLine.po_line_id)
        .where(scope.clause(m.Receipt.warehouse_id))
    )
    if since is not None:
        lines_q = lines_q.where(m.ReceiptLine.received_at >= since)
    received = (await session.execute(lines_q)).all()
    finished_q = (
        select(m.PurchaseOrderLine, m.PurchaseOrder.supplier_id)
        .join(m.PurchaseOrder, m.PurchaseOrder.id == m.PurchaseOrderLine.po_id)
        .where(
            scope.clause(m.PurchaseOrder.warehouse_id),
            m.PurchaseOrder.state.in_([m.PoState.RECEIVED, m.PoState.CLOSED]),
        )
    )
    if since is not None:
        finished_q = finished_q.where(m.PurchaseOrder.created_at >= since)
    finished = (await session.execute(finished_q)).all()
    figures = []
    for supplier in suppliers:
        mine = [(line, due) for line, due, sid in received if sid == supplier.id]
        dated = [(line, due) for line, due in mine if due is not None]
        on_time = (
            sum(1 for line, due in dated if line.received_at.date() <= due) / len(dated)
            if dated
            else None
        )
        ordered = [line for line, sid in finished if sid == supplier.id]
        accuracy = (
            sum(max(0.0, 1 - abs(o.received - o.quantity) / o.quantity) for o in ordered)
            / len(ordered)
            if ordered
            else None
        )
        inspected = [line for line, _ in mine if line.qc_result is not None]
        inspected_qty = sum(line.quantity for line in inspected)
        rejected = sum(line.quantity for line in inspected if line.qc_result == m.QcResult.FAIL)
        figures.append(
            SupplierFigures(
                supplier_id=supplier.id,
                supplier_code=supplier.code,
                supplier_name=supplier.name,
                receipt_lines=len(mine),
                on_time_rate=on_time,
                quantity_accuracy=accuracy,
                qc_reject_rate=rejected / inspected_qty if inspected_qty else None,
            )
        )
    return figures


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # OVER, UNDER, DAMAGED, NOT_ON_ORDER, EXPIRED, QC_FAILED
    po_number: str | None
    receipt_id: int | None
    item_sku: str
    expected: int | None
    quantity: int


async def discrepancies(session: AsyncSession, scope: ReadScope) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    po_rows = (
        await session.execute(
            select(m.PurchaseOrderLine, m.PurchaseOrder.number, m.PurchaseOrder.state, m.Item.sku)
            .join(m.PurchaseOrder, m.PurchaseOrder.id == m.PurchaseOrderLine.po_id)
            .join(m.Item, m.Item.id == m.PurchaseOrderLine.item_id)
            .where(
                scope.clause(m.PurchaseOrder.warehouse_id),
                m.PurchaseOrder.state.in_(
                    [m.PoState.PARTIALLY_RECEIVED, m.PoState.RECEIVED, m.PoState.CLOSED]
                ),
            )
            .order_by(m.PurchaseOrder.id, m.PurchaseOrderLine.line_no)
        )
    ).all()
    for line, number, state, sku in po_rows:
        if line.received > line.quantity:
            found.append(Discrepancy("OVER", number, None, sku, line.quantity, line.received))
        elif line.received < line.quantity and state != m.PoState.RECEIVED:
            found.append(Discrepancy("UNDER", number, None, sku, line.quantity, line.received))
    receipt_rows = (
        await session.execute(
            select(m.ReceiptLine, m.Receipt.id, m.PurchaseOrder.number, m.Item.sku)
            .join(m.Receipt, m.Receipt.id == m.ReceiptLine.receipt_id)
            .outerjoin(m.PurchaseOrder, m.PurchaseOrder.id == m.Receipt.po_id)
            .join(m.Item, m.Item.id == m.ReceiptLine.item_id)
            .where(scope.clause(m.Receipt.warehouse_id))
            .order_by(m.ReceiptLine.id)
        )
    ).all()
    for got, receipt_id, number, sku in receipt_rows:
        for kind, applies in (
            ("DAMAGED", got.status == m.StockStatus.DAMAGED),
            ("NOT_ON_ORDER", got.not_on_order),
            ("EXPIRED", got.expired_on_arrival),
            ("QC_FAILED", got.qc_result == m.QcResult.FAIL),
        ):
            if applies:
                found.append(Discrepancy(kind, number, receipt_id, sku, None, got.quantity))
    return found
