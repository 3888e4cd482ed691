"""What the inbound screens read, each limited by ``core.scope`` to the caller's warehouses.

A row asked for by id or code from a warehouse the caller does not work in reads as
missing (None, or an empty list); a list never shows another warehouse's rows. A
malformed warehouse id is refused with ``INVALID_INPUT`` (``read_scope``). Nothing
here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.core.scope import read_scope
from backend.inbound import reports
from backend.inbound.common import find_po, item_by_sku, parse_id
from backend.inventory import serials

LIST_LIMIT = 500
OPEN_PO_STATES = (m.PoState.SUBMITTED, m.PoState.APPROVED, m.PoState.PARTIALLY_RECEIVED)


def purchase_orders(
    principal: Principal, warehouse_id: object | None, state: str | None
) -> Select[Any]:
    """Purchase orders in scope, optionally of one state: a statement to page through."""
    stmt = select(m.PurchaseOrder).where(
        read_scope(principal, warehouse_id).clause(m.PurchaseOrder.warehouse_id)
    )
    return stmt.where(m.PurchaseOrder.state == state) if state else stmt


async def purchase_order(
    session: AsyncSession, principal: Principal, code: str
) -> m.PurchaseOrder | None:
    try:
        return await find_po(session, principal, code)
    except DomainError:
        return None  # unknown, malformed or another warehouse's: nothing to show


async def open_purchase_orders(
    session: AsyncSession, principal: Principal, warehouse_id: object | None
) -> Sequence[m.PurchaseOrder]:
    rows = await session.scalars(
        select(m.PurchaseOrder)
        .where(
            read_scope(principal, warehouse_id).clause(m.PurchaseOrder.warehouse_id),
            m.PurchaseOrder.state.in_(OPEN_PO_STATES),
        )
        .order_by(m.PurchaseOrder.id)
        .limit(LIST_LIMIT)
    )
    return rows.all()


async def receipt(session: AsyncSession, principal: Principal, raw_id: object) -> m.Receipt | None:
    try:
        receipt_id = parse_id(raw_id, "id")
    except DomainError:
        return None
    row = await session.get(m.Receipt, receipt_id)
    if row is None or not read_scope(principal).allows(row.warehouse_id):
        return None
    return row


def receipts(principal: Principal, warehouse_id: object | None, state: str | None) -> Select[Any]:
    """Receipts in scope, optionally of one state: a statement to page through."""
    stmt = select(m.Receipt).where(
        read_scope(principal, warehouse_id).clause(m.Receipt.warehouse_id)
    )
    return stmt.where(m.Receipt.state == state) if state else stmt


async def returns_to_vendor(
    session: AsyncSession, principal: Principal, warehouse_id: object | None, state: str | None
) -> Sequence[m.ReturnToVendor]:
    stmt = select(m.ReturnToVendor).where(
        read_scope(principal, warehouse_id).clause(m.ReturnToVendor.warehouse_id)
    )
    if state:
        stmt = stmt.where(m.ReturnToVendor.state == state)
    return (await session.scalars(stmt.order_by(m.ReturnToVendor.id).limit(LIST_LIMIT))).all()


async def approval_rules(session: AsyncSession, principal: Principal) -> Sequence[m.ApprovalRule]:
    """Active rules that apply to the caller's warehouses: the global ones and those of a
    warehouse in scope (another warehouse's rules are its own business)."""
    scope = read_scope(principal)
    rows = await session.scalars(
        select(m.ApprovalRule)
        .where(
            m.ApprovalRule.active.is_(True),
            m.ApprovalRule.warehouse_id.is_(None) | scope.clause(m.ApprovalRule.warehouse_id),
        )
        .order_by(m.ApprovalRule.level, m.ApprovalRule.id)
    )
    return rows.all()


async def discrepancies(
    session: AsyncSession, principal: Principal, warehouse_id: object | None
) -> list[reports.Discrepancy]:
    return await reports.discrepancies(session, read_scope(principal, warehouse_id))


async def supplier_performance(
    session: AsyncSession,
    principal: Principal,
    warehouse_id: object | None,
    since: datetime | None,
) -> list[reports.SupplierFigures]:
    return await reports.supplier_performance(session, read_scope(principal, warehouse_id), since)


async def pallets_of_order(
    session: AsyncSession, principal: Principal, po_code: str, state: str | None
) -> Sequence[m.InboundPallet]:
    po = await purchase_order(session, principal, po_code)
    if po is None:
        return []
    stmt = select(m.InboundPallet).where(m.InboundPallet.po_id == po.id)
    if state:
        stmt = stmt.where(m.InboundPallet.state == state)
    return (await session.scalars(stmt.order_by(m.InboundPallet.id).limit(LIST_LIMIT))).all()


async def serial_trace(
    session: AsyncSession, principal: Principal, item_sku: str, serial: str
) -> serials.SerialTrace | None:
    """One serialised unit's history. A unit received in another warehouse reads as
    unknown; one with no receipt on record (registered before receiving existed) has
    no warehouse to hide it by."""
    try:
        item = await item_by_sku(session, item_sku)
    except DomainError:
        return None
    found = await serials.trace(session, item, serial)
    if found is None:
        return None
    if found.warehouse_id is not None and not read_scope(principal).allows(found.warehouse_id):
        return None
    return found
