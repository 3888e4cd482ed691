# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Inbound's GraphQL types and the mappers from domain rows and results to them.

The mappers read the related rows a view shows (supplier, items, lots); they never
write and never refuse: what may be shown was decided by the domain read.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.inbound import receiving, settings
from backend.inbound.putaway import Suggestion
from backend.inbound.putaway import tasks as putaway_flow
from backend.inbound.receiving import receipt_reference_for
from backend.inventory import serials
from backend.schema.errors import result_union

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


def opt_id(value: int | None) -> strawberry.ID | None:
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
        receive_task_id=opt_id(po.receive_task_id),
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


async def receipt_view(
    session: AsyncSession, receipt: m.Receipt, rows: receiving.ReceiptRows | None = None
) -> Receipt:
    """The receipt as the handheld shows it; from ``rows`` when the scan that changed it
    loaded them (its writes are in those objects already), else read afresh."""
    customer = await session.get(m.Customer, receipt.customer_id) if receipt.customer_id else None
    source = (
        await session.get(m.Warehouse, receipt.source_warehouse_id)
        if receipt.source_warehouse_id
        else None
    )
    if rows is None:
        rows = await _receipt_rows(session, receipt)
    po = rows.po
    expected: dict[int, ExpectedLine] = {}
    for line, item in rows.po_lines:
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
    return Receipt(
        id=strawberry.ID(str(receipt.id)),
        kind=receipt.kind,
        state=receipt.state,
        warehouse_id=strawberry.ID(str(receipt.warehouse_id)),
        po_code=po.code if po else None,
        po_number=po.number if po else None,
        customer_code=customer.code if customer else None,
        source_warehouse_code=source.code if source else None,
        dock_bin_code=rows.dock.code if rows.dock else "",
        allow_unplanned=receipt.allow_unplanned,
        qc_task_id=opt_id(receipt.qc_task_id),
        created_at=receipt.created_at,
        closed_at=receipt.closed_at,
        expected=list(expected.values()),
        lines=[line_view(line, item, lot) for line, item, lot in rows.lines],
    )


async def _receipt_rows(session: AsyncSession, receipt: m.Receipt) -> receiving.ReceiptRows:
    po = await session.get(m.PurchaseOrder, receipt.po_id) if receipt.po_id else None
    dock = await session.get(m.Bin, receipt.dock_bin_id)
    po_rows: list[tuple[m.PurchaseOrderLine, m.Item]] = []
    if po is not None:
        po_rows = [
            (line, item)
            for line, item in (
                await session.execute(
                    select(m.PurchaseOrderLine, m.Item)
                    .join(m.Item, m.Item.id == m.PurchaseOrderLine.item_id)
                    .where(m.PurchaseOrderLine.po_id == po.id)
                    .order_by(m.PurchaseOrderLine.line_no)
                    .execution_options(populate_existing=True)
                )
            )
        ]
    line_rows: list[tuple[m.ReceiptLine, m.Item, m.Lot | None]] = [
        (line, item, lot)
        for line, item, lot in (
            await session.execute(
                select(m.ReceiptLine, m.Item, m.Lot)
                .join(m.Item, m.Item.id == m.ReceiptLine.item_id)
                .outerjoin(m.Lot, m.Lot.id == m.ReceiptLine.lot_id)
                .where(m.ReceiptLine.receipt_id == receipt.id)
                .order_by(m.ReceiptLine.id)
                .execution_options(populate_existing=True)
            )
        )
    ]
    return receiving.ReceiptRows(dock, po, po_rows, line_rows)


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


def goods_view(got: receiving.Received) -> ReceivedGoods:
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


def suggestions_view(plan_suggestions: list[Suggestion]) -> list[BinSuggestion]:
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
        suggestions=suggestions_view(plan.suggestions),
    )


def settings_view(found: settings.Effective) -> InboundSettings:
    return InboundSettings(
        warehouse_id=opt_id(found.warehouse_id),
        tolerance_percent=found.tolerance_percent,
        expired_lot_policy=found.expired_lot_policy,
    )


# ---------------------------------------------------------------- pallets and serials


@strawberry.type
class InboundPalletLine:
    line_no: int
    item_sku: str
    item_name: str
    quantity: int
    lot_number: str | None
    expiry: date | None
    serial_numbers: list[str]


@strawberry.type(description="A pallet a supplier announced by SSCC, or one received by SSCC.")
class InboundPallet:
    id: strawberry.ID
    sscc: str
    po_number: str | None
    reference: str
    state: str = strawberry.field(description="EXPECTED or RECEIVED.")
    receipt_id: strawberry.ID | None
    received_at: datetime | None
    lines: list[InboundPalletLine]


async def pallet_view(session: AsyncSession, pallet: m.InboundPallet) -> InboundPallet:
    rows = (
        await session.execute(
            select(m.InboundPalletLine, m.Item)
            .join(m.Item, m.Item.id == m.InboundPalletLine.item_id)
            .where(m.InboundPalletLine.pallet_id == pallet.id)
            .order_by(m.InboundPalletLine.line_no)
        )
    ).all()
    po = await session.get(m.PurchaseOrder, pallet.po_id) if pallet.po_id else None
    return InboundPallet(
        id=strawberry.ID(str(pallet.id)),
        sscc=pallet.sscc,
        po_number=po.number if po else None,
        reference=pallet.reference,
        state=pallet.state,
        receipt_id=strawberry.ID(str(pallet.receipt_id)) if pallet.receipt_id else None,
        received_at=pallet.received_at,
        lines=[
            InboundPalletLine(
                line_no=line.line_no,
                item_sku=item.sku,
                item_name=item.name,
                quantity=line.quantity,
                lot_number=line.lot_number,
                expiry=line.expiry,
                serial_numbers=list(line.serials or ()),
            )
            for line, item in rows
        ],
    )


@strawberry.type(description="Where a serialised unit came from and, once gone, how it left.")
class SerialNumberTrace:
    serial_number: str
    item_sku: str
    item_name: str
    state: str = strawberry.field(description="IN_STOCK, SHIPPED, RETURNED_TO_VENDOR or SCRAPPED.")
    received_at: datetime
    receipt_reference: str | None
    warehouse_id: strawberry.ID | None
    lot_number: str | None
    left_at: datetime | None
    left_reference: str | None = strawberry.field(
        description="The shipment's tracking number or the return-to-vendor code."
    )


def serial_trace_view(found: serials.SerialTrace) -> SerialNumberTrace:
    return SerialNumberTrace(
        serial_number=found.serial,
        item_sku=found.item.sku,
        item_name=found.item.name,
        state=found.state,
        received_at=found.received_at,
        receipt_reference=(
            receipt_reference_for(found.receipt_id) if found.receipt_id is not None else None
        ),
        warehouse_id=opt_id(found.warehouse_id) if found.warehouse_id else None,
        lot_number=found.lot_number,
        left_at=found.left_at,
        left_reference=found.left_reference,
    )


@strawberry.type
class AnnouncePalletsSuccess:
    po_number: str
    pallets: list[InboundPallet]


AnnouncePalletsResult = result_union("AnnouncePalletsResult", AnnouncePalletsSuccess)


# ---------------------------------------------------------------- drafted orders


@strawberry.type(description="A suggestion that did not become an order line, and why.")
class SkippedSuggestion:
    sku: str
    suggested: int
    on_order: int
    reason: str = strawberry.field(description="NO_SUPPLIER, ON_ORDER or OTHER_SUPPLIER.")


@strawberry.type
class DraftPurchaseOrdersSuccess:
    purchase_orders: list[PurchaseOrder]
    skipped: list[SkippedSuggestion]


DraftPurchaseOrdersResult = result_union("DraftPurchaseOrdersResult", DraftPurchaseOrdersSuccess)
