# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Draft purchase orders from the purchase suggestions, for a buyer to check and submit."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.inbound import reorder
from backend.replenishment.suggestions import DEFAULT_SERVICE_LEVEL, DEFAULT_WINDOW_DAYS
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.inbound import PurchaseOrder, po_view
from backend.schema.mutation import execute, guarded


@strawberry.input
class DraftPurchaseOrdersInput:
    idempotency_key: str
    warehouse_id: strawberry.ID | None = None
    supplier_code: str | None = strawberry.field(
        default=None, description="Only this supplier's items; all suppliers when left out."
    )
    service_level: float = DEFAULT_SERVICE_LEVEL
    window_days: int = DEFAULT_WINDOW_DAYS


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
