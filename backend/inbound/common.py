"""Lookups and checks the inbound modules share."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id as parse_id  # re-exported for this package
from backend.scan import InternalScan, parse_scan
from backend.scan.internal import CodeKind

MAX_TEXT = 400


def text(value: str | None, field: str, limit: int = MAX_TEXT) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise DomainError(ErrorCode.INVALID_INPUT, f"At most {limit} characters.", field)
    return cleaned


def po_number(raw: str) -> str:
    """The order number from what was typed or scanned: "PO-W1-000007-K" (the printed
    barcode, check character verified), "PO-W1-000007" or "W1-000007"."""
    cleaned = raw.strip().upper()
    if not cleaned:
        raise DomainError(ErrorCode.PO_NOT_FOUND, "No purchase order given.", "poCode")
    try:
        scan = parse_scan(cleaned)
    except DomainError:
        scan = None
    if isinstance(scan, InternalScan):
        if scan.kind != CodeKind.PO:
            raise DomainError(
                ErrorCode.SCAN_WRONG_KIND, f"This is a {scan.kind.value} code, not an order."
            )
        return scan.body
    return cleaned.removeprefix("PO-")


async def find_po(
    session: AsyncSession, principal: Principal, raw: str, *, lock: bool = False
) -> m.PurchaseOrder:
    stmt = select(m.PurchaseOrder).where(m.PurchaseOrder.number == po_number(raw))
    if lock:
        stmt = stmt.with_for_update()
    po = await session.scalar(stmt.execution_options(populate_existing=True))
    if po is None or not principal.in_scope(po.warehouse_id):
        raise DomainError(ErrorCode.PO_NOT_FOUND, f"No purchase order {raw.strip()!r}.", "poCode")
    return po


async def item_by_sku(session: AsyncSession, sku: str, field: str = "itemSku") -> m.Item:
    item = await session.scalar(select(m.Item).where(m.Item.sku == sku.strip()))
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {sku!r}.", field)
    return item


async def supplier_by_code(
    session: AsyncSession, code: str, field: str = "supplierCode"
) -> m.Supplier:
    supplier = await session.scalar(select(m.Supplier).where(m.Supplier.code == code.strip()))
    if supplier is None:
        raise DomainError(ErrorCode.SUPPLIER_NOT_FOUND, "No such supplier.", field)
    return supplier


async def item_by_gtin(session: AsyncSession, gtin: str, field: str = "code") -> tuple[m.Item, int]:
    """The item a GTIN names and how many base units that unit holds (a case GTIN
    names a packaging of several); barcode, item and packaging in one read."""
    row = (
        await session.execute(
            select(m.Item, m.ItemPackaging.quantity)
            .select_from(m.ItemBarcode)
            .join(m.Item, m.Item.id == m.ItemBarcode.item_id)
            .outerjoin(m.ItemPackaging, m.ItemPackaging.id == m.ItemBarcode.packaging_id)
            .where(m.ItemBarcode.gtin == gtin)
        )
    ).first()
    if row is None:
        raise DomainError(ErrorCode.SCAN_UNKNOWN_CODE, f"GTIN {gtin} is not a known item.", field)
    item, pack_size = row
    return item, pack_size or 1
