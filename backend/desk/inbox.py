"""The exception inbox: everything waiting for a person's decision, in one list.

Each kind is read straight from the table that owns it (no copy to keep in step);
an item names its entity (`kind` + `id`, the link to its detail) and the mutations
the caller's role may use on it. Someone who asked for an adjustment, or counted a
bin, is not offered the approval: the domain would refuse it as SELF_APPROVAL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.models.control import Adjustment, AdjustmentState, Count, CountState
from backend.core.scope import ReadScope

MAX_ITEMS = 500
Rows = Select[*tuple[Any, ...]]  # a select of several columns, whatever they are


class ExceptionKind(StrEnum):
    ADJUSTMENT = "ADJUSTMENT"  # an adjustment above the approval threshold
    COUNT_VARIANCE = "COUNT_VARIANCE"  # a count whose variances wait for a decision
    COUNT_OVERDUE = "COUNT_OVERDUE"  # a count still open after its due date
    SHORT_PICK = "SHORT_PICK"  # a pick line found short on an order still open
    BACKORDER = "BACKORDER"  # an order waiting for stock
    RECEIPT_DISCREPANCY = "RECEIPT_DISCREPANCY"  # not on the order, or expired on arrival
    QC_HOLD = "QC_HOLD"  # received into quarantine, not yet inspected
    EXPIRED_STOCK = "EXPIRED_STOCK"  # a lot past its expiry still on a bin
    BLOCKED_STOCK = "BLOCKED_STOCK"  # stock in BLOCKED status on a bin
    PRINT_FAILED = "PRINT_FAILED"  # a print job that gave up
    WEBHOOK_FAILED = "WEBHOOK_FAILED"  # a shipment webhook that gave up
    CREDIT_HOLD = "CREDIT_HOLD"  # an order over its customer's credit limit


# The mutations each kind offers, with the permission each needs.
ACTIONS: dict[ExceptionKind, tuple[tuple[str, Perm], ...]] = {
    ExceptionKind.ADJUSTMENT: (
        ("approveAdjustment", Perm.COUNT_APPROVE),
        ("rejectAdjustment", Perm.COUNT_APPROVE),
    ),
    ExceptionKind.COUNT_VARIANCE: (
        ("approveCountVariance", Perm.COUNT_APPROVE),
        ("rejectCountVariance", Perm.COUNT_APPROVE),
    ),
    ExceptionKind.COUNT_OVERDUE: (),  # a reminder: the task is on the floor already
    ExceptionKind.SHORT_PICK: (("requestBinCount", Perm.TASK_MANAGE),),
    ExceptionKind.BACKORDER: (
        ("retryBackorders", Perm.ORDER_MANAGE),
        ("cancelSalesOrder", Perm.ORDER_MANAGE),
    ),
    ExceptionKind.RECEIPT_DISCREPANCY: (("recordQc", Perm.QC_INSPECT),),
    ExceptionKind.QC_HOLD: (("recordQc", Perm.QC_INSPECT),),
    ExceptionKind.EXPIRED_STOCK: (
        ("adjustStock", Perm.STOCK_ADJUST),
        ("changeStockStatus", Perm.STOCK_ADJUST),
    ),
    ExceptionKind.BLOCKED_STOCK: (
        ("unblockBin", Perm.STOCK_ADJUST),
        ("changeStockStatus", Perm.STOCK_ADJUST),
    ),
    ExceptionKind.PRINT_FAILED: (("retryPrintJob", Perm.PRINT),),
    ExceptionKind.WEBHOOK_FAILED: (),
    ExceptionKind.CREDIT_HOLD: (
        ("approveCreditHold", Perm.ORDER_CREDIT_APPROVE),
        ("rejectCreditHold", Perm.ORDER_CREDIT_APPROVE),
    ),
}
# Approvals the domain refuses to the person who asked (SELF_APPROVAL).
SELF_APPROVALS = {
    "approveAdjustment",
    "rejectAdjustment",
    "approveCountVariance",
    "rejectCountVariance",
    "approveCreditHold",
    "rejectCreditHold",
}


@dataclass(frozen=True)
class ExceptionItem:
    kind: ExceptionKind
    id: int  # of the entity the kind names (adjustment, count, pick line, order, …)
    warehouse_id: int
    title: str
    raised_at: datetime | None
    item_sku: str | None = None
    bin_code: str | None = None
    quantity: int | None = None
    reference: str | None = None  # order number, receipt id, document, …
    owner_id: int | None = None  # who asked or counted (no self-approval)
    actions: tuple[str, ...] = ()
    owner_name: str | None = None  # the owner's display name, for the desk


@dataclass
class ExceptionInbox:
    items: list[ExceptionItem]
    counts: dict[ExceptionKind, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _at(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(0), tzinfo=UTC)


@dataclass(frozen=True)
class _Source:
    """How one kind is read: its rows (newest first) and how a row becomes an item."""

    select: Callable[[ReadScope, date], Rows]
    item: Callable[[Any], ExceptionItem]


def _adjustments(scope: ReadScope, today: date) -> Rows:
    return (
        select(Adjustment, m.Item.sku, m.Bin.label)
        .join(m.Item, m.Item.id == Adjustment.item_id)
        .join(m.Bin, m.Bin.id == Adjustment.bin_id)
        .where(Adjustment.state == AdjustmentState.PENDING, scope.clause(Adjustment.warehouse_id))
        .order_by(Adjustment.id.desc())
    )


def _adjustment_item(row: Any) -> ExceptionItem:
    adj, sku, label = row
    return ExceptionItem(
        ExceptionKind.ADJUSTMENT,
        adj.id,
        adj.warehouse_id,
        f"Adjust {sku} by {adj.quantity:+d} ({adj.reason})",
        adj.created_at,
        sku,
        label,
        adj.quantity,
        adj.note or None,
        adj.requested_by,
    )


def _counts(scope: ReadScope, today: date) -> Rows:
    return (
        select(Count, m.Bin.label)
        .join(m.Bin, m.Bin.id == Count.bin_id)
        .where(Count.state == CountState.PENDING_APPROVAL, scope.clause(Count.warehouse_id))
        .order_by(Count.id.desc())
    )


def _count_item(row: Any) -> ExceptionItem:
    count, label = row
    return ExceptionItem(
        ExceptionKind.COUNT_VARIANCE,
        count.id,
        count.warehouse_id,
        f"Count of {label}: variances to decide",
        count.submitted_at or count.created_at,
        bin_code=label,
        owner_id=count.counted_by,
    )


def _overdue_counts(scope: ReadScope, today: date) -> Rows:
    return (
        select(Count, m.Bin.label)
        .join(m.Bin, m.Bin.id == Count.bin_id)
        .where(
            Count.state == CountState.OPEN,
            Count.due_at < _at(today),  # due before today began
            scope.clause(Count.warehouse_id),
        )
        .order_by(Count.id.desc())
    )


def _overdue_item(row: Any) -> ExceptionItem:
    count, label = row
    return ExceptionItem(
        ExceptionKind.COUNT_OVERDUE,
        count.id,
        count.warehouse_id,
        f"Count of {label} overdue since {count.due_at:%Y-%m-%d}",
        count.due_at,
        bin_code=label,
        reference=f"TASK-{count.task_id}",
    )


OPEN_ORDER_STATES = (
    m.OrderState.NEW,
    m.OrderState.RESERVED,
    m.OrderState.PARTIALLY_RESERVED,
    m.OrderState.BACKORDERED,
    m.OrderState.RELEASED,
    m.OrderState.PICKING,
    m.OrderState.PICKED,
)


def _short_picks(scope: ReadScope, today: date) -> Rows:
    return (
        select(m.PickLine, m.SalesOrder.number, m.SalesOrder.warehouse_id, m.Item.sku, m.Bin.label)
        .join(m.SalesOrder, m.SalesOrder.id == m.PickLine.order_id)
        .join(m.Item, m.Item.id == m.PickLine.item_id)
        .join(m.Bin, m.Bin.id == m.PickLine.bin_id)
        .where(
            m.PickLine.state == m.PickLineState.SHORT,
            m.SalesOrder.state.in_(OPEN_ORDER_STATES),
            scope.clause(m.SalesOrder.warehouse_id),
        )
        .order_by(m.PickLine.id.desc())
    )


def _short_item(row: Any) -> ExceptionItem:
    line, number, wid, sku, label = row
    return ExceptionItem(
        ExceptionKind.SHORT_PICK,
        line.id,
        wid,
        f"{number}: {sku} short by {line.quantity - line.picked} on {label}",
        None,
        sku,
        label,
        line.quantity - line.picked,
        number,
    )


def _backorders(scope: ReadScope, today: date) -> Rows:
    return (
        select(m.SalesOrder)
        .where(
            m.SalesOrder.state.in_((m.OrderState.BACKORDERED, m.OrderState.PARTIALLY_RESERVED)),
            scope.clause(m.SalesOrder.warehouse_id),
        )
        .order_by(m.SalesOrder.id.desc())
    )


def _backorder_item(row: Any) -> ExceptionItem:
    (order,) = row
    return ExceptionItem(
        ExceptionKind.BACKORDER,
        order.id,
        order.warehouse_id,
        f"{order.number}: waiting for stock ({order.state.lower().replace('_', ' ')})",
        order.created_at,
        reference=order.number,
    )


def _receipt_lines(scope: ReadScope, condition: Any) -> Rows:
    return (
        select(m.ReceiptLine, m.Receipt.warehouse_id, m.Receipt.reference, m.Item.sku)
        .join(m.Receipt, m.Receipt.id == m.ReceiptLine.receipt_id)
        .join(m.Item, m.Item.id == m.ReceiptLine.item_id)
        .where(condition, scope.clause(m.Receipt.warehouse_id))
        .order_by(m.ReceiptLine.id.desc())
    )


def _discrepancies(scope: ReadScope, today: date) -> Rows:
    return _receipt_lines(
        scope,
        and_(
            m.ReceiptLine.qc_result.is_(None),
            or_(m.ReceiptLine.not_on_order.is_(True), m.ReceiptLine.expired_on_arrival.is_(True)),
        ),
    )


def _discrepancy_item(row: Any) -> ExceptionItem:
    line, wid, reference, sku = row
    why = "not on the order" if line.not_on_order else "expired on arrival"
    return ExceptionItem(
        ExceptionKind.RECEIPT_DISCREPANCY,
        line.id,
        wid,
        f"Receipt {line.receipt_id}: {line.quantity} × {sku} {why}",
        line.received_at,
        sku,
        quantity=line.quantity,
        reference=reference or str(line.receipt_id),
    )


def _qc_holds(scope: ReadScope, today: date) -> Rows:
    return _receipt_lines(
        scope,
        and_(
            m.ReceiptLine.qc_result.is_(None),
            m.ReceiptLine.status == m.StockStatus.QUARANTINE,
            m.ReceiptLine.not_on_order.is_(False),
            m.ReceiptLine.expired_on_arrival.is_(False),
        ),
    )


def _qc_item(row: Any) -> ExceptionItem:
    line, wid, reference, sku = row
    return ExceptionItem(
        ExceptionKind.QC_HOLD,
        line.id,
        wid,
        f"Receipt {line.receipt_id}: {line.quantity} × {sku} waits for inspection",
        line.received_at,
        sku,
        quantity=line.quantity,
        reference=reference or str(line.receipt_id),
    )


def _quants(scope: ReadScope, condition: Any) -> Rows:
    return (
        select(m.Quant, m.Bin.warehouse_id, m.Bin.label, m.Item.sku, m.Lot.lot_number, m.Lot.expiry)
        .join(m.Bin, m.Bin.id == m.Quant.bin_id)
        .join(m.Item, m.Item.id == m.Quant.item_id)
        .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
        .where(m.Quant.on_hand > 0, condition, scope.clause(m.Bin.warehouse_id))
        .order_by(m.Quant.id.desc())
    )


def _expired(scope: ReadScope, today: date) -> Rows:
    return _quants(scope, m.Lot.expiry < today)


def _expired_item(row: Any) -> ExceptionItem:
    quant, wid, label, sku, lot, expiry = row
    return ExceptionItem(
        ExceptionKind.EXPIRED_STOCK,
        quant.id,
        wid,
        f"{sku} lot {lot} expired {expiry.isoformat()} ({quant.on_hand} on {label}, {quant.status})",
        _at(expiry),
        sku,
        label,
        quant.on_hand,
        lot,
    )


def _blocked(scope: ReadScope, today: date) -> Rows:
    return _quants(scope, m.Quant.status == m.StockStatus.BLOCKED)


def _blocked_item(row: Any) -> ExceptionItem:
    quant, wid, label, sku, lot, _ = row
    return ExceptionItem(
        ExceptionKind.BLOCKED_STOCK,
        quant.id,
        wid,
        f"{quant.on_hand} × {sku}{f' lot {lot}' if lot else ''} blocked on {label}",
        None,
        sku,
        label,
        quant.on_hand,
        lot,
    )


def _prints(scope: ReadScope, today: date) -> Rows:
    return (
        select(m.PrintJob)
        .where(m.PrintJob.state == m.PrintJobState.FAILED, scope.clause(m.PrintJob.warehouse_id))
        .order_by(m.PrintJob.id.desc())
    )


def _print_item(row: Any) -> ExceptionItem:
    (job,) = row
    return ExceptionItem(
        ExceptionKind.PRINT_FAILED,
        job.id,
        job.warehouse_id,
        f"{job.document_kind} {job.target} did not print: {job.last_error or 'failed'}"[:200],
        job.finished_at or job.created_at,
        reference=f"{job.document_kind}:{job.target}",
        owner_id=job.created_by,
    )


def _webhooks(scope: ReadScope, today: date) -> Rows:
    # A shipment's event, or a shop order's state change (the outbox carries both).
    warehouse = func.coalesce(m.Shipment.warehouse_id, m.SalesOrder.warehouse_id)
    return (
        select(m.ShipmentWebhook, warehouse, m.SalesOrder.number)
        .outerjoin(m.Shipment, m.Shipment.id == m.ShipmentWebhook.shipment_id)
        .outerjoin(m.SalesOrder, m.SalesOrder.id == m.ShipmentWebhook.order_id)
        .where(m.ShipmentWebhook.state == m.WebhookState.FAILED, scope.clause(warehouse))
        .order_by(m.ShipmentWebhook.id.desc())
    )


def _webhook_item(row: Any) -> ExceptionItem:
    hook, wid, order_number = row
    subject = f"Order {order_number}" if order_number else f"Shipment {hook.shipment_id}"
    return ExceptionItem(
        ExceptionKind.WEBHOOK_FAILED,
        hook.id,
        wid,
        f"{subject} not told to {hook.url}: {hook.last_error or 'failed'}"[:200],
        hook.created_at,
        reference=order_number or str(hook.shipment_id),
    )


def _credit_holds(scope: ReadScope, today: date) -> Rows:
    return (
        select(m.SalesOrder, m.Customer.code)
        .join(m.Customer, m.Customer.id == m.SalesOrder.customer_id)
        .where(
            m.SalesOrder.state == m.OrderState.CREDIT_HOLD,
            scope.clause(m.SalesOrder.warehouse_id),
        )
        .order_by(m.SalesOrder.id.desc())
    )


def _credit_item(row: Any) -> ExceptionItem:
    order, customer = row
    return ExceptionItem(
        ExceptionKind.CREDIT_HOLD,
        order.id,
        order.warehouse_id,
        f"{order.number}: over {customer}'s credit limit",
        order.created_at,
        reference=order.number,
        owner_id=order.created_by,
    )


SOURCES: dict[ExceptionKind, _Source] = {
    ExceptionKind.ADJUSTMENT: _Source(_adjustments, _adjustment_item),
    ExceptionKind.COUNT_VARIANCE: _Source(_counts, _count_item),
    ExceptionKind.COUNT_OVERDUE: _Source(_overdue_counts, _overdue_item),
    ExceptionKind.SHORT_PICK: _Source(_short_picks, _short_item),
    ExceptionKind.BACKORDER: _Source(_backorders, _backorder_item),
    ExceptionKind.RECEIPT_DISCREPANCY: _Source(_discrepancies, _discrepancy_item),
    ExceptionKind.QC_HOLD: _Source(_qc_holds, _qc_item),
    ExceptionKind.EXPIRED_STOCK: _Source(_expired, _expired_item),
    ExceptionKind.BLOCKED_STOCK: _Source(_blocked, _blocked_item),
    ExceptionKind.PRINT_FAILED: _Source(_prints, _print_item),
    ExceptionKind.WEBHOOK_FAILED: _Source(_webhooks, _webhook_item),
    ExceptionKind.CREDIT_HOLD: _Source(_credit_holds, _credit_item),
}


def actions_for(principal: Principal, item: ExceptionItem) -> tuple[str, ...]:
    return tuple(
        name
        for name, perm in ACTIONS[item.kind]
        if principal.can(perm)
        and not (name in SELF_APPROVALS and item.owner_id == principal.user_id)
    )


async def exception_inbox(
    session: AsyncSession,
    principal: Principal,
    scope: ReadScope,
    *,
    kinds: list[ExceptionKind] | None = None,
    limit: int = 100,
    today: date | None = None,
) -> ExceptionInbox:
    """The counts of every kind asked for (all by default) and up to `limit` items,
    newest first; items without a time of their own (stock states) come last."""
    today = today or datetime.now(UTC).date()
    limit = max(1, min(limit, MAX_ITEMS))
    wanted = kinds or list(ExceptionKind)
    inbox = ExceptionInbox(items=[])
    if scope.empty:
        inbox.counts = {k: 0 for k in wanted}
        return inbox
    for kind in wanted:
        source = SOURCES[kind]
        stmt = source.select(scope, today)
        inbox.counts[kind] = int(
            await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
            or 0
        )
        if inbox.counts[kind]:
            rows = (await session.execute(stmt.limit(limit))).all()
            for row in rows:
                item = source.item(row)
                inbox.items.append(
                    ExceptionItem(**{**vars(item), "actions": actions_for(principal, item)})
                )
    floor = datetime.min.replace(tzinfo=UTC)
    inbox.items.sort(key=lambda i: (i.raised_at or floor, i.kind, i.id), reverse=True)
    del inbox.items[limit:]
    inbox.items = await _with_owner_names(session, inbox.items)
    return inbox


async def _with_owner_names(
    session: AsyncSession, items: list[ExceptionItem]
) -> list[ExceptionItem]:
    """People are shown by name, not id: one read for every owner on the page."""
    ids = {i.owner_id for i in items if i.owner_id is not None}
    if not ids:
        return items
    rows = await session.execute(select(m.User.id, m.User.display_name).where(m.User.id.in_(ids)))
    names = {uid: name for uid, name in rows}
    return [
        replace(i, owner_name=names.get(i.owner_id)) if i.owner_id is not None else i for i in items
    ]
