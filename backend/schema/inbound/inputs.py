"""Inbound's GraphQL inputs: what a mutation may be sent, parsed by strawberry."""

from __future__ import annotations

from datetime import date

import strawberry

from backend.replenishment.suggestions import DEFAULT_SERVICE_LEVEL, DEFAULT_WINDOW_DAYS


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


@strawberry.input
class PalletLineInput:
    item_sku: str
    quantity: int = strawberry.field(description="Base units.")
    lot_number: str | None = None
    expiry: date | None = None
    serial_numbers: list[str] = strawberry.field(
        default_factory=list, description="One per unit for items tracked by serial."
    )


@strawberry.input
class PalletInput:
    sscc: str = strawberry.field(description="18 digits; a leading (00) is accepted.")
    lines: list[PalletLineInput]


@strawberry.input
class AnnouncePalletsInput:
    idempotency_key: str
    po_code: str
    reference: str | None = strawberry.field(
        default=None, description="The supplier's notice number."
    )
    pallets: list[PalletInput]


@strawberry.input
class DraftPurchaseOrdersInput:
    idempotency_key: str
    warehouse_id: strawberry.ID | None = None
    supplier_code: str | None = strawberry.field(
        default=None, description="Only this supplier's items; all suppliers when left out."
    )
    service_level: float = DEFAULT_SERVICE_LEVEL
    window_days: int = DEFAULT_WINDOW_DAYS
