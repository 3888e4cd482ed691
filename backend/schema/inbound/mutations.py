# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Inbound's mutations: purchase orders and their approval, scan-receiving, QC, putaway,
announced pallets and drafted orders.

Each resolver turns its input into plain values, calls one function of
``backend.inbound`` inside ``execute`` and maps what it returns. Handheld mutations
answer with what was done and what to scan next, so a receiver with one free hand
never has to look anything up.
"""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.inbound import pallets, purchasing, qc, receiving, reorder, settings
from backend.inbound.putaway import tasks as putaway_flow
from backend.schema.context import Info
from backend.schema.inbound.inputs import (
    AddApprovalRuleInput,
    AllowUnplannedItemsInput,
    AnnouncePalletsInput,
    CancelPurchaseOrderInput,
    CreatePurchaseOrderInput,
    DecidePurchaseOrderInput,
    DraftPurchaseOrdersInput,
    PurchaseOrderCodeInput,
    ReceiptIdInput,
    ReceiveRfidInput,
    RecordQcInput,
    RetireApprovalRuleInput,
    ScanPutawayInput,
    ScanReceiveInput,
    SetInboundSettingsInput,
    SetInspectOnReceiptInput,
    ShipReturnToVendorInput,
    StartReceiptInput,
)
from backend.schema.inbound.types import (
    AnnouncePalletsResult,
    AnnouncePalletsSuccess,
    ApprovalRule,
    ApprovalRuleResult,
    ApprovalRuleSuccess,
    CloseReceiptResult,
    CloseReceiptSuccess,
    DecidePurchaseOrderResult,
    DecidePurchaseOrderSuccess,
    DraftPurchaseOrdersResult,
    DraftPurchaseOrdersSuccess,
    InboundSettingsResult,
    InboundSettingsSuccess,
    InspectOnReceiptResult,
    InspectOnReceiptSuccess,
    PurchaseOrderResult,
    PurchaseOrderSuccess,
    ReceiptResult,
    ReceiptSuccess,
    ReceivedPallet,
    ReceiveRfidResult,
    ReceiveRfidSuccess,
    RecordQcResult,
    RecordQcSuccess,
    ReturnToVendorResult,
    ReturnToVendorSuccess,
    RfidTagResult,
    ScanPutawayResult,
    ScanPutawaySuccess,
    ScanReceiveResult,
    ScanReceiveSuccess,
    SkippedSuggestion,
    StartReceiptResult,
    StartReceiptSuccess,
    goods_view,
    line_view,
    next_step,
    opt_id,
    pallet_view,
    po_view,
    receipt_view,
    rtv_view,
    settings_view,
    suggestions_view,
)
from backend.schema.mutation import execute, guarded


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
                warehouse_id=input.warehouse_id,
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
            rule = await purchasing.retire_rule(uow, principal, input.rule_id)
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
            done = await settings.configure(
                uow,
                principal,
                input.warehouse_id,
                input.tolerance_percent,
                input.expired_lot_policy,
            )
            return InboundSettingsSuccess(settings=settings_view(done))

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
            await settings.set_inspect_on_receipt(
                uow,
                item_sku=input.item_sku,
                supplier_code=input.supplier_code,
                inspect=input.inspect,
            )
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
            view = await receipt_view(uow.session, outcome.receipt, outcome.rows)
            goods = [goods_view(got) for got in outcome.received]
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
            closed = await receiving.close_receipt(uow, principal, input.receipt_id)
            return CloseReceiptSuccess(
                receipt=await receipt_view(uow.session, closed.receipt),
                putaway_task_ids=[strawberry.ID(str(t)) for t in closed.putaway_task_ids],
                qc_task_id=opt_id(closed.receipt.qc_task_id),
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
            done = await qc.record_qc(
                uow, principal, input.receipt_line_id, input.result, input.note
            )
            rtv = done.return_to_vendor
            return RecordQcSuccess(
                line=line_view(done.line, done.item, done.lot),
                putaway_task_id=opt_id(done.putaway_task_id),
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
            return ScanPutawaySuccess(
                task_id=strawberry.ID(str(done.task.id)),
                bin_code=done.bin.code,
                quantity=done.quantity,
                overridden=done.overridden,
                remaining=done.remaining,
                task_done=done.task.state == m.TaskState.DONE,
                suggestions=suggestions_view(done.next_suggestions),
            )

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)


@strawberry.type
class PalletMutations:
    @guarded(
        Perm.PURCHASE_MANAGE,
        description="Record a supplier's advance shipping notice: the pallets (by SSCC) coming "
        "for an order and what is on each. Scanning such an SSCC at the dock receives it whole.",
    )
    async def announce_pallets(
        self, info: Info, input: AnnouncePalletsInput
    ) -> AnnouncePalletsResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AnnouncePalletsSuccess:
            po, rows = await pallets.announce(
                uow,
                principal,
                po_code=input.po_code,
                reference=input.reference,
                pallets=[
                    pallets.PalletIn(
                        sscc=p.sscc,
                        lines=tuple(
                            pallets.PalletLineIn(
                                sku=line.item_sku,
                                quantity=line.quantity,
                                lot_number=line.lot_number,
                                expiry=line.expiry,
                                serials=tuple(line.serial_numbers),
                            )
                            for line in p.lines
                        ),
                    )
                    for p in input.pallets
                ],
            )
            views = [await pallet_view(uow.session, row) for row in rows]
            return AnnouncePalletsSuccess(po_number=po.number, pallets=views)

        return await execute(
            info,
            input,
            handle,
            audit_entity="purchase_order",
            audit_id=lambda r: r.po_number,
        )


@strawberry.type
class ReorderMutations:
    @guarded(
        Perm.PURCHASE_MANAGE,
        description="Turn the purchase suggestions into draft orders, one per supplier: what "
        "open orders (drafts included) already cover is netted out, the rest rounded up to "
        "whole cases. The buyer reviews and submits them.",
    )
    async def draft_purchase_orders(
        self, info: Info, input: DraftPurchaseOrdersInput
    ) -> DraftPurchaseOrdersResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DraftPurchaseOrdersSuccess:
            drafts = await reorder.draft_orders(
                uow,
                principal,
                utcnow(),
                warehouse_id=input.warehouse_id,
                supplier_code=input.supplier_code,
                service_level=input.service_level,
                window_days=input.window_days,
            )
            return DraftPurchaseOrdersSuccess(
                purchase_orders=[await po_view(uow.session, po) for po in drafts.orders],
                skipped=[
                    SkippedSuggestion(
                        sku=s.sku, suggested=s.suggested, on_order=s.on_order, reason=s.reason
                    )
                    for s in drafts.skipped
                ],
            )

        return await execute(info, input, handle, audit_entity="purchase_order")
