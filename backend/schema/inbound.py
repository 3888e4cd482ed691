# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Inbound in the schema: purchase orders, approval, scan-receiving, QC, putaway, reports.

Handheld mutations answer with what was done and what to scan next, so a
receiver with one free hand never has to look anything up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any

import strawberry
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inbound import purchasing, qc, receiving, reports, settings
from backend.inbound.common import find_po, item_by_sku, parse_id
from backend.inbound.putaway import Suggestion
from backend.inbound.putaway import tasks as putaway_flow
from backend.schema.context import Info
from backend.schema.errors import result_union, to_user_error
from backend.schema.mutation import execute, guarded
from backend.schema.pagination import Connection, Edge, encode_cursor, paginate

# ---------------------------------------------------------------- types


@strawberry.type
class PurchaseOrderLine:
    line_no: int
    item_sku: str
    item_name: str
    packaging: str | None
    ordered_units: int
    quantity: int  # base units
    received: int
    remaining: int
    unit_price_cents: int
    due_date: date | None


@strawberry.type
class ApprovalDecision:
    level: int
    decision: str
    username: str | None
    role: str | None
    comment: str
    at: datetime


@strawberry.type
class PurchaseOrder:
    id: strawberry.ID
    code: str
    number: str
    state: str
    warehouse_id: strawberry.ID
    supplier_code: str
    supplier_name: str
    total_cents: int
    note: str
    required_levels: list[int]
    created_at: datetime
    submitted_at: datetime | None
    approved_at: datetime | None
    receive_task_id: strawberry.ID | None
    lines: list[PurchaseOrderLine]
    decisions: list[ApprovalDecision]


@strawberry.type
class ExpectedLine:
    item_sku: str
    item_name: str
    tracking: str
    expiry_tracked: bool
    ordered: int
    received: int
    remaining: int


@strawberry.type
class ReceiptLine:
    id: strawberry.ID
    item_sku: str
    item_name: str
    lot_number: str | None
    expiry: date | None
    status: str
    quantity: int
    not_on_order: bool
    expired_on_arrival: bool
    qc_result: str | None
    qc_note: str


@strawberry.type
class Receipt:
    id: strawberry.ID
    kind: str
    state: str
    warehouse_id: strawberry.ID
    po_code: str | None
    po_number: str | None
    customer_code: str | None
    source_warehouse_code: str | None
    dock_bin_code: str
    allow_unplanned: bool
    qc_task_id: strawberry.ID | None
    created_at: datetime
    closed_at: datetime | None
    expected: list[ExpectedLine]
    lines: list[ReceiptLine]


@strawberry.type(
    description="What the receiver does next: SCAN_ITEM, SCAN_SERIAL or CLOSE_RECEIPT."
)
class NextStep:
    action: str
    message: str
    item_sku: str | None = None


@strawberry.type
class ReceivedGoods:
    line_id: strawberry.ID
    item_sku: str
    item_name: str
    quantity: int
    lot_number: str | None
    expiry: date | None
    serial_number: str | None
    status: str


@strawberry.type
class StartReceiptSuccess:
    receipt: Receipt
    next: NextStep


@strawberry.type(description="A pallet received with one scan of its SSCC.")
class ReceivedPallet:
    sscc: str
    reference: str
    announced: bool = strawberry.field(
        description="True when the supplier's notice listed it; false for a GS1 pallet label "
        "(content GTIN and count) received without one."
    )
    goods: list[ReceivedGoods]


@strawberry.type
class ScanReceiveSuccess:
    received: ReceivedGoods = strawberry.field(
        description="What the scan added; for a pallet, its last line (all are in pallet.goods)."
    )
    receipt: Receipt
    next: NextStep
    pallet: ReceivedPallet | None = None


@strawberry.type
class RfidTagResult:
    epc: str
    gtin: str | None
    serial_number: str | None
    item_sku: str | None
    accepted: bool
    code: str | None
    message: str


@strawberry.type
class ReceiveRfidSuccess:
    accepted: int
    refused: int
    tags: list[RfidTagResult]
    receipt: Receipt
    next: NextStep


@strawberry.type
class CloseReceiptSuccess:
    receipt: Receipt
    putaway_task_ids: list[strawberry.ID]
    qc_task_id: strawberry.ID | None


@strawberry.type
class ReceiptSuccess:
    receipt: Receipt


@strawberry.type
class ReturnToVendor:
    id: strawberry.ID
    code: str
    state: str
    supplier_code: str | None
    item_sku: str
    lot_number: str | None
    quantity: int
    reason: str
    created_at: datetime
    shipped_at: datetime | None


@strawberry.type
class RecordQcSuccess:
    line: ReceiptLine
    putaway_task_id: strawberry.ID | None
    return_to_vendor: ReturnToVendor | None


@strawberry.type
class ReturnToVendorSuccess:
    return_to_vendor: ReturnToVendor


@strawberry.type
class BinSuggestion:
    bin_id: strawberry.ID
    bin_code: str
    score: float
    reasons: list[str]


@strawberry.type
class PutawayPlan:
    task_id: strawberry.ID
    task_state: str
    item_sku: str
    item_name: str
    lot_number: str | None
    status: str
    from_bin_code: str
    quantity: int
    put_away: int
    remaining: int
    suggestions: list[BinSuggestion]


@strawberry.type
class ScanPutawaySuccess:
    task_id: strawberry.ID
    bin_code: str
    quantity: int
    overridden: bool
    remaining: int
    task_done: bool
    # For the rest of the task, when some is left: where to go next.
    suggestions: list[BinSuggestion]


@strawberry.type
class PurchaseOrderSuccess:
    purchase_order: PurchaseOrder


@strawberry.type
class DecidePurchaseOrderSuccess:
    level: int
    purchase_order: PurchaseOrder


@strawberry.type
class ApprovalRule:
    id: strawberry.ID
    warehouse_id: strawberry.ID | None
    level: int
    approver_role: str
    min_amount_cents: int | None
    abc_class: str | None
    storage_class: str | None
    active: bool

    @classmethod
    def of(cls, row: m.ApprovalRule) -> ApprovalRule:
        return cls(
            id=strawberry.ID(str(row.id)),
            warehouse_id=None if row.warehouse_id is None else strawberry.ID(str(row.warehouse_id)),
            level=row.level,
            approver_role=row.approver_role,
            min_amount_cents=row.min_amount_cents,
            abc_class=row.abc_class,
            storage_class=row.storage_class,
            active=row.active,
        )


@strawberry.type
class ApprovalRuleSuccess:
    rule: ApprovalRule


@strawberry.type
class InboundSettings:
    warehouse_id: strawberry.ID | None
    tolerance_percent: int
    expired_lot_policy: str


@strawberry.type
class InboundSettingsSuccess:
    settings: InboundSettings


@strawberry.type
class InspectOnReceiptSuccess:
    item_sku: str | None
    supplier_code: str | None
    inspect: bool


@strawberry.type
class SupplierPerformance:
    supplier_code: str
    supplier_name: str
    receipt_lines: int
    on_time_rate: float | None
    quantity_accuracy: float | None
    qc_reject_rate: float | None


@strawberry.type
class ReceivingDiscrepancy:
    kind: str
    po_number: str | None
    receipt_id: strawberry.ID | None
    item_sku: str
    expected: int | None
    quantity: int


PurchaseOrderResult = result_union("PurchaseOrderResult", PurchaseOrderSuccess)
DecidePurchaseOrderResult = result_union("DecidePurchaseOrderResult", DecidePurchaseOrderSuccess)
ApprovalRuleResult = result_union("ApprovalRuleResult", ApprovalRuleSuccess)
InboundSettingsResult = result_union("InboundSettingsResult", InboundSettingsSuccess)
InspectOnReceiptResult = result_union("InspectOnReceiptResult", InspectOnReceiptSuccess)
StartReceiptResult = result_union("StartReceiptResult", StartReceiptSuccess)
ScanReceiveResult = result_union("ScanReceiveResult", ScanReceiveSuccess)
ReceiveRfidResult = result_union("ReceiveRfidResult", ReceiveRfidSuccess)
CloseReceiptResult = result_union("CloseReceiptResult", CloseReceiptSuccess)
ReceiptResult = result_union("ReceiptResult", ReceiptSuccess)
RecordQcResult = result_union("RecordQcResult", RecordQcSuccess)
ReturnToVendorResult = result_union("ReturnToVendorResult", ReturnToVendorSuccess)
ScanPutawayResult = result_union("ScanPutawayResult", ScanPutawaySuccess)
PutawaySuggestionResult = result_union("PutawaySuggestionResult", PutawayPlan)

# ---------------------------------------------------------------- views


def _id(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


async def po_view(session: AsyncSession, po: m.PurchaseOrder) -> PurchaseOrder:
    supplier = await session.get(m.Supplier, po.supplier_id)
    assert supplier is not None
    rows = (
        await session.execute(
            select(m.PurchaseOrderLine, m.Item, m.ItemPackaging.name)
            .join(m.Item, m.Item.id == m.PurchaseOrderLine.item_id)
            .outerjoin(m.ItemPackaging, m.ItemPackaging.id == m.PurchaseOrderLine.packaging_id)
            .where(m.PurchaseOrderLine.po_id == po.id)
            .order_by(m.PurchaseOrderLine.line_no)
        )
    ).all()
    decisions = (
        await session.execute(
            select(m.ApprovalDecision, m.User.username)
            .outerjoin(m.User, m.User.id == m.ApprovalDecision.user_id)
            .where(m.ApprovalDecision.po_id == po.id)
            .order_by(m.ApprovalDecision.id)
        )
    ).all()
    return PurchaseOrder(
        id=strawberry.ID(str(po.id)),
        code=po.code,
        number=po.number,
        state=po.state,
        warehouse_id=strawberry.ID(str(po.warehouse_id)),
        supplier_code=supplier.code,
        supplier_name=supplier.name,
        total_cents=po.total_cents,
        note=po.note,
        required_levels=list(po.required_levels or []),
        created_at=po.created_at,
        submitted_at=po.submitted_at,
        approved_at=po.approved_at,
        receive_task_id=_id(po.receive_task_id),
        lines=[
            PurchaseOrderLine(
                line_no=line.line_no,
                item_sku=item.sku,
                item_name=item.name,
                packaging=packaging,
                ordered_units=line.ordered_units,
                quantity=line.quantity,
                received=line.received,
                remaining=max(line.quantity - line.received, 0),
                unit_price_cents=line.unit_price_cents,
                due_date=line.due_date,
            )
            for line, item, packaging in rows
        ],
        decisions=[
            ApprovalDecision(
                level=d.level,
                decision=d.decision,
                username=username,
                role=d.role,
                comment=d.comment,
                at=d.at,
            )
            for d, username in decisions
        ],
    )


async def receipt_view(session: AsyncSession, receipt: m.Receipt) -> Receipt:
    po = await session.get(m.PurchaseOrder, receipt.po_id) if receipt.po_id else None
    dock = await session.get(m.Bin, receipt.dock_bin_id)
    customer = await session.get(m.Customer, receipt.customer_id) if receipt.customer_id else None
    source = (
        await session.get(m.Warehouse, receipt.source_warehouse_id)
        if receipt.source_warehouse_id
        else None
    )
    expected: dict[int, ExpectedLine] = {}
    if po is not None:
        po_rows = (
            await session.execute(
                select(m.PurchaseOrderLine, m.Item)
                .join(m.Item, m.Item.id == m.PurchaseOrderLine.item_id)
                .where(m.PurchaseOrderLine.po_id == po.id)
                .order_by(m.PurchaseOrderLine.line_no)
                .execution_options(populate_existing=True)
            )
        ).all()
        for line, item in po_rows:
            known = expected.get(item.id)
            ordered = line.quantity + (known.ordered if known else 0)
            got = line.received + (known.received if known else 0)
            expected[item.id] = ExpectedLine(
                item_sku=item.sku,
                item_name=item.name,
                tracking=item.tracking,
                expiry_tracked=item.expiry_tracked,
                ordered=ordered,
                received=got,
                remaining=max(ordered - got, 0),
            )
    line_rows = (
        await session.execute(
            select(m.ReceiptLine, m.Item, m.Lot)
            .join(m.Item, m.Item.id == m.ReceiptLine.item_id)
            .outerjoin(m.Lot, m.Lot.id == m.ReceiptLine.lot_id)
            .where(m.ReceiptLine.receipt_id == receipt.id)
            .order_by(m.ReceiptLine.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    return Receipt(
        id=strawberry.ID(str(receipt.id)),
        kind=receipt.kind,
        state=receipt.state,
        warehouse_id=strawberry.ID(str(receipt.warehouse_id)),
        po_code=po.code if po else None,
        po_number=po.number if po else None,
        customer_code=customer.code if customer else None,
        source_warehouse_code=source.code if source else None,
        dock_bin_code=dock.code if dock else "",
        allow_unplanned=receipt.allow_unplanned,
        qc_task_id=_id(receipt.qc_task_id),
        created_at=receipt.created_at,
        closed_at=receipt.closed_at,
        expected=list(expected.values()),
        lines=[line_view(line, item, lot) for line, item, lot in line_rows],
    )


def line_view(line: m.ReceiptLine, item: m.Item, lot: m.Lot | None) -> ReceiptLine:
    return ReceiptLine(
        id=strawberry.ID(str(line.id)),
        item_sku=item.sku,
        item_name=item.name,
        lot_number=lot.lot_number if lot else None,
        expiry=lot.expiry if lot else None,
        status=line.status,
        quantity=line.quantity,
        not_on_order=line.not_on_order,
        expired_on_arrival=line.expired_on_arrival,
        qc_result=line.qc_result,
        qc_note=line.qc_note,
    )


def _goods(got: receiving.Received) -> ReceivedGoods:
    return ReceivedGoods(
        line_id=strawberry.ID(str(got.line.id)),
        item_sku=got.item.sku,
        item_name=got.item.name,
        quantity=got.quantity,
        lot_number=got.lot_number,
        expiry=got.expiry,
        serial_number=got.serial,
        status=got.status,
    )


def next_step(
    receipt: Receipt, last: ReceivedGoods | None = None, serial: bool = False
) -> NextStep:
    if last is not None and serial:
        left = next((e for e in receipt.expected if e.item_sku == last.item_sku), None)
        if left is not None and left.remaining > 0:
            return NextStep(
                action="SCAN_SERIAL",
                message=f"Scan the next {last.item_sku}: {left.remaining} still expected.",
                item_sku=last.item_sku,
            )
    open_lines = [e for e in receipt.expected if e.remaining > 0]
    if open_lines or not receipt.expected:
        still = ", ".join(f"{e.remaining} × {e.item_sku}" for e in open_lines[:3])
        return NextStep(
            action="SCAN_ITEM",
            message=f"Scan the next item. Still expected: {still}." if still else "Scan an item.",
            item_sku=open_lines[0].item_sku if open_lines else None,
        )
    return NextStep(action="CLOSE_RECEIPT", message="Everything ordered is here: close it.")


async def rtv_view(session: AsyncSession, rtv: m.ReturnToVendor) -> ReturnToVendor:
    supplier = await session.get(m.Supplier, rtv.supplier_id) if rtv.supplier_id else None
    item = await session.get(m.Item, rtv.item_id)
    lot = await session.get(m.Lot, rtv.lot_id) if rtv.lot_id else None
    assert item is not None
    return ReturnToVendor(
        id=strawberry.ID(str(rtv.id)),
        code=rtv.code,
        state=rtv.state,
        supplier_code=supplier.code if supplier else None,
        item_sku=item.sku,
        lot_number=lot.lot_number if lot else None,
        quantity=rtv.quantity,
        reason=rtv.reason,
        created_at=rtv.created_at,
        shipped_at=rtv.shipped_at,
    )


def _suggestions(plan_suggestions: list[Suggestion]) -> list[BinSuggestion]:
    return [
        BinSuggestion(
            bin_id=strawberry.ID(str(s.bin_id)),
            bin_code=s.bin_code,
            score=s.score,
            reasons=list(s.reasons),
        )
        for s in plan_suggestions
    ]


def plan_view(plan: putaway_flow.Plan) -> PutawayPlan:
    return PutawayPlan(
        task_id=strawberry.ID(str(plan.task.id)),
        task_state=plan.task.state,
        item_sku=plan.item.sku,
        item_name=plan.item.name,
        lot_number=plan.lot.lot_number if plan.lot else None,
        status=plan.job.status,
        from_bin_code=plan.from_bin.code,
        quantity=plan.job.quantity,
        put_away=plan.job.put_away,
        remaining=plan.remaining,
        suggestions=_suggestions(plan.suggestions),
    )


# ---------------------------------------------------------------- inputs


@strawberry.input
class PurchaseOrderLineInput:
    item_sku: str
    quantity: int = strawberry.field(description="In `packaging` units (base unit if omitted).")
    unit_price_cents: int = strawberry.field(description="Per `packaging` unit.")
    packaging: str | None = None
    due_date: date | None = None


@strawberry.input
class CreatePurchaseOrderInput:
    supplier_code: str
    lines: list[PurchaseOrderLineInput]
    warehouse_id: strawberry.ID | None = None
    note: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class PurchaseOrderCodeInput:
    po_code: str = strawberry.field(description="PO-W1-000007-K, PO-W1-000007 or W1-000007.")
    idempotency_key: str | None = None


@strawberry.input
class CancelPurchaseOrderInput:
    po_code: str
    reason: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class DecidePurchaseOrderInput:
    po_code: str
    approve: bool
    comment: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class AddApprovalRuleInput:
    level: int
    approver_role: str
    min_amount_cents: int | None = None
    abc_class: str | None = None
    storage_class: str | None = None
    warehouse_id: strawberry.ID | None = None
    idempotency_key: str | None = None


@strawberry.input
class RetireApprovalRuleInput:
    rule_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class SetInboundSettingsInput:
    tolerance_percent: int
    expired_lot_policy: str = strawberry.field(description="REFUSE or QUARANTINE.")
    warehouse_id: strawberry.ID | None = strawberry.field(
        default=None, description="Omitted: global (administrators) or your own warehouse."
    )
    idempotency_key: str | None = None


@strawberry.input
class SetInspectOnReceiptInput:
    inspect: bool
    item_sku: str | None = None
    supplier_code: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class StartReceiptInput:
    idempotency_key: str
    po_code: str | None = strawberry.field(
        default=None,
        description="Typed or scanned (PO-…-C), or for an announced delivery its notice "
        "number or a pallet's SSCC. Needed for kind PURCHASE.",
    )
    kind: str = strawberry.field(default="PURCHASE", description="PURCHASE, RETURN or TRANSFER.")
    customer_code: str | None = None
    source_warehouse_code: str | None = None
    dock_bin_code: str | None = None
    reference: str | None = None
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class ScanReceiveInput:
    receipt_id: strawberry.ID
    code: str = strawberry.field(
        description="The raw scan: a GTIN, GS1-128/DataMatrix data, or a pallet's SSCC."
    )
    idempotency_key: str
    quantity: int | None = strawberry.field(
        default=None,
        description="How many of the scanned unit (a case GTIN counts cases); default one.",
    )
    lot_number: str | None = None
    expiry: date | None = None
    serial_number: str | None = None
    damaged: bool = False


@strawberry.input
class ReceiveRfidInput:
    receipt_id: strawberry.ID
    epcs: list[str] = strawberry.field(description="SGTIN-96 EPCs in hex, as the reader gives.")
    idempotency_key: str
    lot_number: str | None = None
    expiry: date | None = None


@strawberry.input
class ReceiptIdInput:
    receipt_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class AllowUnplannedItemsInput:
    receipt_id: strawberry.ID
    allow: bool
    idempotency_key: str | None = None


@strawberry.input
class RecordQcInput:
    receipt_line_id: strawberry.ID
    result: str = strawberry.field(description="PASS, FAIL or CONCESSION.")
    idempotency_key: str
    note: str | None = None


@strawberry.input
class ShipReturnToVendorInput:
    id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input
class ScanPutawayInput:
    task_id: strawberry.ID
    bin_code: str
    idempotency_key: str
    quantity: int | None = strawberry.field(default=None, description="Default: all that is left.")
    override_reason: str | None = None


# ---------------------------------------------------------------- mutations


def _po_audit(result: PurchaseOrderSuccess) -> str:
    return str(result.purchase_order.id)


@strawberry.type
class InboundMutations:
    @guarded(
        Perm.PURCHASE_MANAGE,
        idempotent=False,
        description="A draft purchase order; quantities in any packaging unit.",
    )
    async def create_purchase_order(
        self, info: Info, input: CreatePurchaseOrderInput
    ) -> PurchaseOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PurchaseOrderSuccess:
            po = await purchasing.create_order(
                uow,
                principal,
                supplier_code=input.supplier_code,
                warehouse_id=input.warehouse_id,
                note=input.note,
                lines=[
                    purchasing.NewLine(
                        item_sku=line.item_sku,
                        quantity=line.quantity,
                        unit_price_cents=line.unit_price_cents,
                        packaging=line.packaging,
                        due_date=line.due_date,
                    )
                    for line in input.lines
                ],
            )
            return PurchaseOrderSuccess(purchase_order=await po_view(uow.session, po))

        return await execute(info, input, handle, audit_entity="purchase_order", audit_id=_po_audit)

    @guarded(
        Perm.PURCHASE_MANAGE,
        idempotent=False,
        description="Send a draft for approval; approved at once when no rule applies.",
    )
    async def submit_purchase_order(
        self, info: Info, input: PurchaseOrderCodeInput
    ) -> PurchaseOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PurchaseOrderSuccess:
            po = await purchasing.submit_order(uow, principal, input.po_code)
            return PurchaseOrderSuccess(purchase_order=await po_view(uow.session, po))

        return await execute(info, input, handle, audit_entity="purchase_order", audit_id=_po_audit)

    @guarded(
        Perm.PURCHASE_APPROVE,
        idempotent=False,
        description="Approve or reject the next open approval level (a rejection needs a comment).",
    )
    async def decide_purchase_order(
        self, info: Info, input: DecidePurchaseOrderInput
    ) -> DecidePurchaseOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DecidePurchaseOrderSuccess:
            po, level = await purchasing.decide_order(
                uow, principal, input.po_code, approve=input.approve, comment=input.comment
            )
            return DecidePurchaseOrderSuccess(
                level=level, purchase_order=await po_view(uow.session, po)
            )

        return await execute(
            info,
            input,
            handle,
            audit_entity="purchase_order",
            audit_id=lambda r: str(r.purchase_order.id),
        )

    @guarded(
        Perm.PURCHASE_MANAGE, idempotent=False, description="Cancel an order not yet received."
    )
    async def cancel_purchase_order(
        self, info: Info, input: CancelPurchaseOrderInput
    ) -> PurchaseOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PurchaseOrderSuccess:
            po = await purchasing.cancel_order(uow, principal, input.po_code, input.reason)
            return PurchaseOrderSuccess(purchase_order=await po_view(uow.session, po))

        return await execute(info, input, handle, audit_entity="purchase_order", audit_id=_po_audit)

    @guarded(
        Perm.PURCHASE_MANAGE,
        idempotent=False,
        description="Close an order: nothing more is expected (short-close).",
    )
    async def close_purchase_order(
        self, info: Info, input: PurchaseOrderCodeInput
    ) -> PurchaseOrderResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PurchaseOrderSuccess:
            po = await purchasing.close_order(uow, principal, input.po_code)
            return PurchaseOrderSuccess(purchase_order=await po_view(uow.session, po))

        return await execute(info, input, handle, audit_entity="purchase_order", audit_id=_po_audit)

    @guarded(
        Perm.PURCHASE_APPROVE,
        idempotent=False,
        description="An approval level an order needs from a role, by amount and/or item class.",
    )
    async def add_approval_rule(
        self, info: Info, input: AddApprovalRuleInput
    ) -> ApprovalRuleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ApprovalRuleSuccess:
            rule = await purchasing.set_rule(
                uow,
                principal,
                level=input.level,
                approver_role=input.approver_role,
                min_amount_cents=input.min_amount_cents,
                abc_class=input.abc_class,
                storage_class=input.storage_class,
                warehouse_id=None
                if input.warehouse_id is None
                else parse_id(input.warehouse_id, "warehouseId"),
            )
            return ApprovalRuleSuccess(rule=ApprovalRule.of(rule))

        return await execute(
            info, input, handle, audit_entity="po_approval_rule", audit_id=lambda r: r.rule.id
        )

    @guarded(Perm.PURCHASE_APPROVE, idempotent=False, description="Stop applying a rule.")
    async def retire_approval_rule(
        self, info: Info, input: RetireApprovalRuleInput
    ) -> ApprovalRuleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ApprovalRuleSuccess:
            rule = await purchasing.retire_rule(uow, principal, parse_id(input.rule_id, "ruleId"))
            return ApprovalRuleSuccess(rule=ApprovalRule.of(rule))

        return await execute(
            info, input, handle, audit_entity="po_approval_rule", audit_id=lambda r: r.rule.id
        )

    @guarded(
        Perm.PURCHASE_APPROVE,
        idempotent=False,
        description="Over/under-receipt tolerance and expired-lot policy, per warehouse or global.",
    )
    async def set_inbound_settings(
        self, info: Info, input: SetInboundSettingsInput
    ) -> InboundSettingsResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> InboundSettingsSuccess:
            # Omitted: the global default for an administrator, else the caller's warehouse.
            wid = (
                None
                if input.warehouse_id is None and principal.all_warehouses
                else acting_warehouse(principal, input.warehouse_id)
            )
            done = await settings.set_settings(
                uow, wid, input.tolerance_percent, input.expired_lot_policy
            )
            return InboundSettingsSuccess(
                settings=InboundSettings(
                    warehouse_id=_id(done.warehouse_id),
                    tolerance_percent=done.tolerance_percent,
                    expired_lot_policy=done.expired_lot_policy,
                )
            )

        return await execute(info, input, handle, audit_entity="inbound_settings")

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Receive an item's or a supplier's goods into quarantine for QC.",
    )
    async def set_inspect_on_receipt(
        self, info: Info, input: SetInspectOnReceiptInput
    ) -> InspectOnReceiptResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> InspectOnReceiptSuccess:
            if bool(input.item_sku) == bool(input.supplier_code):
                raise DomainError(
                    ErrorCode.INVALID_INPUT, "Name either an item or a supplier.", "itemSku"
                )
            if input.item_sku:
                item = await item_by_sku(uow.session, input.item_sku)
                await settings.set_item_inspection(uow, item.id, input.inspect)
            else:
                supplier = await uow.session.scalar(
                    select(m.Supplier).where(m.Supplier.code == (input.supplier_code or "").strip())
                )
                if supplier is None:
                    raise DomainError(
                        ErrorCode.SUPPLIER_NOT_FOUND, "No such supplier.", "supplierCode"
                    )
                await settings.set_supplier_inspection(uow, supplier.id, input.inspect)
            return InspectOnReceiptSuccess(
                item_sku=input.item_sku, supplier_code=input.supplier_code, inspect=input.inspect
            )

        return await execute(info, input, handle, audit_entity="inbound_item_settings")

    @guarded(
        Perm.RECEIVE,
        description="Start (or resume) receiving: scan the PO, or name a return's customer "
        "or a transfer's source warehouse.",
    )
    async def start_receipt(self, info: Info, input: StartReceiptInput) -> StartReceiptResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> StartReceiptSuccess:
            receipt = await receiving.start_receipt(
                uow,
                principal,
                po_code=input.po_code,
                kind=input.kind,
                customer_code=input.customer_code,
                source_warehouse_code=input.source_warehouse_code,
                dock_bin_code=input.dock_bin_code,
                reference=input.reference,
                warehouse_id=input.warehouse_id,
            )
            view = await receipt_view(uow.session, receipt)
            return StartReceiptSuccess(receipt=view, next=next_step(view))

        return await execute(
            info, input, handle, audit_entity="receipt", audit_id=lambda r: r.receipt.id
        )

    @guarded(
        Perm.RECEIVE,
        description="One scan of goods onto the receipt. LOT_REQUIRED, EXPIRY_REQUIRED or "
        "SERIAL_REQUIRED ask for that field: send the scan again with it. A pallet's SSCC "
        "receives everything announced on it (or its GS1 label's content GTIN and count) at "
        "once.",
    )
    async def scan_receive(self, info: Info, input: ScanReceiveInput) -> ScanReceiveResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ScanReceiveSuccess:
            outcome = await receiving.scan_receive(
                uow,
                principal,
                receipt_id=input.receipt_id,
                code=input.code,
                quantity=input.quantity,
                lot_number=input.lot_number,
                expiry=input.expiry,
                serial_number=input.serial_number,
                damaged=input.damaged,
            )
            view = await receipt_view(uow.session, outcome.receipt)
            goods = [_goods(got) for got in outcome.received]
            pallet = None
            if outcome.pallet is not None:
                pallet = ReceivedPallet(
                    sscc=outcome.pallet.sscc,
                    reference=outcome.pallet.reference,
                    announced=outcome.pallet_announced,
                    goods=goods,
                )
            last = goods[-1]
            return ScanReceiveSuccess(
                received=last,
                receipt=view,
                next=next_step(view, last, serial=last.serial_number is not None),
                pallet=pallet,
            )

        return await execute(
            info, input, handle, audit_entity="receipt", audit_id=lambda r: r.receipt.id
        )

    @guarded(
        Perm.RECEIVE,
        description="A batch of RFID reads (SGTIN-96): each tag one unit; bad tags refused alone.",
    )
    async def receive_rfid(self, info: Info, input: ReceiveRfidInput) -> ReceiveRfidResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReceiveRfidSuccess:
            receipt, outcomes = await receiving.receive_rfid(
                uow,
                principal,
                receipt_id=input.receipt_id,
                epcs=input.epcs,
                lot_number=input.lot_number,
                expiry=input.expiry,
            )
            view = await receipt_view(uow.session, receipt)
            tags = [
                RfidTagResult(
                    epc=o.epc,
                    gtin=o.gtin,
                    serial_number=o.serial,
                    item_sku=o.item_sku,
                    accepted=o.code is None,
                    code=o.code,
                    message=o.message,
                )
                for o in outcomes
            ]
            accepted = sum(1 for t in tags if t.accepted)
            return ReceiveRfidSuccess(
                accepted=accepted,
                refused=len(tags) - accepted,
                tags=tags,
                receipt=view,
                next=next_step(view),
            )

        return await execute(
            info, input, handle, audit_entity="receipt", audit_id=lambda r: r.receipt.id
        )

    @guarded(
        Perm.RECEIVE,
        description="Finish unloading: available stock gets putaway tasks, quarantine a QC task.",
    )
    async def close_receipt(self, info: Info, input: ReceiptIdInput) -> CloseReceiptResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CloseReceiptSuccess:
            receipt = await receiving.close_receipt(uow, principal, input.receipt_id)
            task_ids = (
                await uow.session.scalars(
                    select(m.PutawayJob.task_id)
                    .join(m.ReceiptLine, m.ReceiptLine.id == m.PutawayJob.receipt_line_id)
                    .where(m.ReceiptLine.receipt_id == receipt.id)
                    .order_by(m.PutawayJob.id)
                )
            ).all()
            return CloseReceiptSuccess(
                receipt=await receipt_view(uow.session, receipt),
                putaway_task_ids=[strawberry.ID(str(t)) for t in task_ids],
                qc_task_id=_id(receipt.qc_task_id),
            )

        return await execute(
            info, input, handle, audit_entity="receipt", audit_id=lambda r: r.receipt.id
        )

    @guarded(
        Perm.PURCHASE_APPROVE,
        idempotent=False,
        description="Let this receipt take items that are not on its order.",
    )
    async def allow_unplanned_items(
        self, info: Info, input: AllowUnplannedItemsInput
    ) -> ReceiptResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReceiptSuccess:
            receipt = await receiving.allow_unplanned(uow, principal, input.receipt_id, input.allow)
            return ReceiptSuccess(receipt=await receipt_view(uow.session, receipt))

        return await execute(
            info, input, handle, audit_entity="receipt", audit_id=lambda r: r.receipt.id
        )

    @guarded(
        Perm.QC_INSPECT,
        description="Inspect a quarantined receipt line: PASS or CONCESSION release it to "
        "putaway, FAIL blocks it and opens a return to vendor.",
    )
    async def record_qc(self, info: Info, input: RecordQcInput) -> RecordQcResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> RecordQcSuccess:
            line, rtv = await qc.record_qc(
                uow, principal, input.receipt_line_id, input.result, input.note
            )
            item = await uow.session.get(m.Item, line.item_id)
            lot = await uow.session.get(m.Lot, line.lot_id) if line.lot_id else None
            assert item is not None
            job_task = await uow.session.scalar(
                select(m.PutawayJob.task_id).where(m.PutawayJob.receipt_line_id == line.id)
            )
            return RecordQcSuccess(
                line=line_view(line, item, lot),
                putaway_task_id=_id(job_task),
                return_to_vendor=await rtv_view(uow.session, rtv) if rtv else None,
            )

        return await execute(
            info, input, handle, audit_entity="receipt_line", audit_id=lambda r: r.line.id
        )

    @guarded(
        Perm.SHIP,
        idempotent=False,
        description="Failed goods leave for the supplier: the document is shipped.",
    )
    async def ship_return_to_vendor(
        self, info: Info, input: ShipReturnToVendorInput
    ) -> ReturnToVendorResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReturnToVendorSuccess:
            rtv = await qc.ship_return(uow, principal, input.id)
            return ReturnToVendorSuccess(return_to_vendor=await rtv_view(uow.session, rtv))

        return await execute(
            info,
            input,
            handle,
            audit_entity="return_to_vendor",
            audit_id=lambda r: r.return_to_vendor.id,
        )

    @guarded(
        Perm.TASK_WORK,
        description="Scan the bin to put received stock away. Another bin than the suggested "
        "ones needs `overrideReason` and must pass the bin's rules.",
    )
    async def scan_putaway(self, info: Info, input: ScanPutawayInput) -> ScanPutawayResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ScanPutawaySuccess:
            done = await putaway_flow.scan_putaway(
                uow,
                principal,
                task_id=input.task_id,
                bin_code=input.bin_code,
                quantity=input.quantity,
                override_reason=input.override_reason,
            )
            remaining = done.job.quantity - done.job.put_away
            after = (
                await putaway_flow.plan(uow.session, principal, done.task.id)
                if remaining > 0
                else None
            )
            return ScanPutawaySuccess(
                task_id=strawberry.ID(str(done.task.id)),
                bin_code=done.bin.code,
                quantity=done.quantity,
                overridden=done.overridden,
                remaining=remaining,
                task_done=done.task.state == m.TaskState.DONE,
                suggestions=_suggestions(after.suggestions) if after else [],
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)


# ---------------------------------------------------------------- queries


def _scoped(principal: Principal, warehouse_id: strawberry.ID | None) -> list[int]:
    if warehouse_id is not None:
        try:
            wid = int(warehouse_id)
        except ValueError:
            return []
        return [wid] if principal.in_scope(wid) else []
    return sorted(principal.warehouse_ids)


async def _connection(
    session: AsyncSession,
    stmt: Select[Any],
    key: Any,
    build: Callable[[AsyncSession, Any], Awaitable[Any]],
    *,
    first: int,
    after: str | None,
    max_page_size: int,
) -> Connection[Any]:
    page = await paginate(
        session, stmt, key, lambda row: row, first=first, after=after, max_page_size=max_page_size
    )
    edges = [
        Edge(cursor=encode_cursor(edge.node.id), node=await build(session, edge.node))
        for edge in page.edges
    ]
    return Connection(edges=edges, page_info=page.page_info)


@strawberry.type
class InboundQuery:
    @strawberry.field(description="Purchase orders, newest last; filter by state.")
    async def purchase_orders(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[PurchaseOrder]:
        principal = await info.context.require(Perm.TASK_READ)
        stmt = select(m.PurchaseOrder).where(
            m.PurchaseOrder.warehouse_id.in_(_scoped(principal, warehouse_id))
        )
        if state:
            stmt = stmt.where(m.PurchaseOrder.state == state)
        async with info.context.db() as session:
            return await _connection(
                session,
                stmt,
                m.PurchaseOrder.id,
                po_view,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="One purchase order by its code, barcode or number.")
    async def purchase_order(self, info: Info, code: str) -> PurchaseOrder | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            try:
                po = await find_po(session, principal, code)
            except DomainError:
                return None
            return await po_view(session, po)

    @strawberry.field(description="Open purchase orders: approved or partly received.")
    async def open_purchase_orders(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> list[PurchaseOrder]:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.PurchaseOrder)
                .where(
                    m.PurchaseOrder.warehouse_id.in_(_scoped(principal, warehouse_id)),
                    m.PurchaseOrder.state.in_(
                        [m.PoState.SUBMITTED, m.PoState.APPROVED, m.PoState.PARTIALLY_RECEIVED]
                    ),
                )
                .order_by(m.PurchaseOrder.id)
                .limit(500)
            )
            return [await po_view(session, po) for po in rows.all()]

    @strawberry.field
    async def receipt(self, info: Info, id: strawberry.ID) -> Receipt | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            try:
                row = await session.get(m.Receipt, parse_id(id, "id"))
            except DomainError:
                return None
            if row is None or not principal.in_scope(row.warehouse_id):
                return None
            return await receipt_view(session, row)

    @strawberry.field
    async def receipts(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[Receipt]:
        principal = await info.context.require(Perm.TASK_READ)
        stmt = select(m.Receipt).where(m.Receipt.warehouse_id.in_(_scoped(principal, warehouse_id)))
        if state:
            stmt = stmt.where(m.Receipt.state == state)
        async with info.context.db() as session:
            return await _connection(
                session,
                stmt,
                m.Receipt.id,
                receipt_view,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="Over, under, damaged, not on order, expired, failed QC.")
    async def receiving_discrepancies(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> list[ReceivingDiscrepancy]:
        principal = await info.context.require(Perm.STOCK_READ)
        async with info.context.db() as session:
            found = await reports.discrepancies(session, _scoped(principal, warehouse_id))
        return [
            ReceivingDiscrepancy(
                kind=d.kind,
                po_number=d.po_number,
                receipt_id=_id(d.receipt_id),
                item_sku=d.item_sku,
                expected=d.expected,
                quantity=d.quantity,
            )
            for d in found
        ]

    @strawberry.field(description="On-time rate, quantity accuracy and QC reject rate.")
    async def supplier_performance(
        self,
        info: Info,
        since: datetime | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> list[SupplierPerformance]:
        principal = await info.context.require(Perm.ANALYTICS_READ)
        async with info.context.db() as session:
            figures = await reports.supplier_performance(
                session, _scoped(principal, warehouse_id), since
            )
        return [
            SupplierPerformance(
                supplier_code=f.supplier_code,
                supplier_name=f.supplier_name,
                receipt_lines=f.receipt_lines,
                on_time_rate=f.on_time_rate,
                quantity_accuracy=f.quantity_accuracy,
                qc_reject_rate=f.qc_reject_rate,
            )
            for f in figures
        ]

    @strawberry.field
    async def approval_rules(self, info: Info) -> list[ApprovalRule]:
        await info.context.require(Perm.STOCK_READ)
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.ApprovalRule)
                .where(m.ApprovalRule.active.is_(True))
                .order_by(m.ApprovalRule.level, m.ApprovalRule.id)
            )
            return [ApprovalRule.of(r) for r in rows]

    @strawberry.field
    async def inbound_settings(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> InboundSettings:
        principal = await info.context.require(Perm.TASK_READ)
        scoped = _scoped(principal, warehouse_id)
        async with info.context.db() as session:
            found = (
                await settings.effective_settings(session, scoped[0])
                if scoped
                else settings.DEFAULT
            )
        return InboundSettings(
            warehouse_id=_id(found.warehouse_id),
            tolerance_percent=found.tolerance_percent,
            expired_lot_policy=found.expired_lot_policy,
        )

    @strawberry.field
    async def returns_to_vendor(
        self, info: Info, state: str | None = None, warehouse_id: strawberry.ID | None = None
    ) -> list[ReturnToVendor]:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            stmt = select(m.ReturnToVendor).where(
                m.ReturnToVendor.warehouse_id.in_(_scoped(principal, warehouse_id))
            )
            if state:
                stmt = stmt.where(m.ReturnToVendor.state == state)
            rows = await session.scalars(stmt.order_by(m.ReturnToVendor.id).limit(500))
            return [await rtv_view(session, r) for r in rows.all()]

    @strawberry.field(description="Where to put a putaway task's stock: the best bins first.")
    async def putaway_suggestion(
        self, info: Info, task_id: strawberry.ID
    ) -> PutawaySuggestionResult:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            try:
                return plan_view(await putaway_flow.plan(session, principal, task_id))
            except DomainError as error:
                return to_user_error(error)
