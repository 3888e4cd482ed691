# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Inbound's queries: each asks ``backend.inbound.reads`` (which applies the caller's
warehouses) and maps the rows it gets."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.inbound import reads, settings
from backend.inbound.putaway import tasks as putaway_flow
from backend.schema.context import Info
from backend.schema.errors import to_user_error
from backend.schema.inbound.types import (
    ApprovalRule,
    InboundPallet,
    InboundSettings,
    PurchaseOrder,
    PutawaySuggestionResult,
    Receipt,
    ReceivingDiscrepancy,
    ReturnToVendor,
    SerialNumberTrace,
    SupplierPerformance,
    opt_id,
    pallet_view,
    plan_view,
    po_view,
    receipt_view,
    rtv_view,
    serial_trace_view,
    settings_view,
)
from backend.schema.pagination import Connection, Edge, encode_cursor, paginate


@asynccontextmanager
async def _read(info: Info) -> AsyncIterator[AsyncSession]:
    """The request's read session. Lists answer with a page, not a result union, so a
    refusal (a malformed warehouse id) is a GraphQL error with the code and field a
    mutation would give."""
    try:
        async with info.context.db() as session:
            yield session
    except DomainError as error:
        raise GraphQLError(
            error.message, extensions={"code": error.code.value, "field": error.field}
        ) from None


async def _connection(
    info: Info,
    session: AsyncSession,
    stmt: Select[Any],
    key: Any,
    build: Callable[[AsyncSession, Any], Awaitable[Any]],
    *,
    first: int,
    after: str | None,
) -> Connection[Any]:
    page = await paginate(
        session,
        stmt,
        key,
        lambda row: row,
        first=first,
        after=after,
        max_page_size=info.context.app.settings.max_page_size,
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
        async with _read(info) as session:
            stmt = reads.purchase_orders(principal, warehouse_id, state)
            return await _connection(
                info, session, stmt, m.PurchaseOrder.id, po_view, first=first, after=after
            )

    @strawberry.field(description="One purchase order by its code, barcode or number.")
    async def purchase_order(self, info: Info, code: str) -> PurchaseOrder | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            po = await reads.purchase_order(session, principal, code)
            return await po_view(session, po) if po is not None else None

    @strawberry.field(description="Open purchase orders: approved or partly received.")
    async def open_purchase_orders(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> list[PurchaseOrder]:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            rows = await reads.open_purchase_orders(session, principal, warehouse_id)
            return [await po_view(session, po) for po in rows]

    @strawberry.field
    async def receipt(self, info: Info, id: strawberry.ID) -> Receipt | None:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            row = await reads.receipt(session, principal, id)
            return await receipt_view(session, row) if row is not None else None

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
        async with _read(info) as session:
            stmt = reads.receipts(principal, warehouse_id, state)
            return await _connection(
                info, session, stmt, m.Receipt.id, receipt_view, first=first, after=after
            )

    @strawberry.field(description="Over, under, damaged, not on order, expired, failed QC.")
    async def receiving_discrepancies(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> list[ReceivingDiscrepancy]:
        principal = await info.context.require(Perm.STOCK_READ)
        async with _read(info) as session:
            found = await reads.discrepancies(session, principal, warehouse_id)
        return [
            ReceivingDiscrepancy(
                kind=d.kind,
                po_number=d.po_number,
                receipt_id=opt_id(d.receipt_id),
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
        async with _read(info) as session:
            figures = await reads.supplier_performance(session, principal, warehouse_id, since)
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
        principal = await info.context.require(Perm.STOCK_READ)
        async with _read(info) as session:
            return [ApprovalRule.of(r) for r in await reads.approval_rules(session, principal)]

    @strawberry.field
    async def inbound_settings(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> InboundSettings:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            return settings_view(await settings.settings_for(session, principal, warehouse_id))

    @strawberry.field
    async def returns_to_vendor(
        self, info: Info, state: str | None = None, warehouse_id: strawberry.ID | None = None
    ) -> list[ReturnToVendor]:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            rows = await reads.returns_to_vendor(session, principal, warehouse_id, state)
            return [await rtv_view(session, r) for r in rows]

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


@strawberry.type
class PalletQuery:
    @strawberry.field(description="Pallets announced for a purchase order, and their state.")
    async def inbound_pallets(
        self, info: Info, po_code: str, state: str | None = None
    ) -> list[InboundPallet]:
        principal = await info.context.require(Perm.TASK_READ)
        async with _read(info) as session:
            rows = await reads.pallets_of_order(session, principal, po_code, state)
            return [await pallet_view(session, row) for row in rows]

    @strawberry.field(
        description="One serialised unit: in stock, shipped or returned, and where it came from."
    )
    async def serial_number(
        self, info: Info, item_sku: str, serial_number: str
    ) -> SerialNumberTrace | None:
        principal = await info.context.require(Perm.STOCK_READ)
        async with _read(info) as session:
            found = await reads.serial_trace(session, principal, item_sku, serial_number)
            # Mapped inside: leaving the read session expires the rows it loaded.
            return serial_trace_view(found) if found is not None else None
