"""What a scan names, as rows: a bin by its label, an item by SKU, GTIN or GS1 barcode.
Shared by stock control and replenishment (which must not import each other)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.scan import CodeKind, GS1Scan, InternalScan, parse_scan

__all__ = ["ItemScan", "bin_by_scan", "item_by_scan"]


async def bin_by_scan(
    session: AsyncSession, raw: str, principal: Principal, field: str = "binCode"
) -> m.Bin:
    scan = parse_scan(raw)
    if not isinstance(scan, InternalScan) or scan.kind is not CodeKind.BIN:
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan a bin label.", field)
    row = await session.scalar(select(m.Bin).where(m.Bin.code == scan.code))
    if row is None:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "No bin with this code.", field)
    if not principal.in_scope(row.warehouse_id):
        raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", field)
    return row


@dataclass(frozen=True)
class ItemScan:
    item: m.Item
    lot_number: str | None  # from the barcode (GS1 AI 10), when it carries one


async def item_by_scan(session: AsyncSession, raw: str, field: str = "itemCode") -> ItemScan:
    """An item by its SKU, or by a GTIN / GS1 barcode (which may also carry the lot)."""
    text = raw.strip()
    if not text:
        raise DomainError(ErrorCode.SCAN_EMPTY, "Scan the item.", field)
    by_sku = await session.scalar(select(m.Item).where(m.Item.sku == text))
    if by_sku is not None:
        return ItemScan(by_sku, None)
    scan = parse_scan(text)
    if not isinstance(scan, GS1Scan) or not (scan.gtin or scan.content_gtin):
        raise DomainError(ErrorCode.SCAN_WRONG_KIND, "Scan the item's barcode.", field)
    gtin = scan.gtin or scan.content_gtin
    item = await session.scalar(
        select(m.Item)
        .join(m.ItemBarcode, m.ItemBarcode.item_id == m.Item.id)
        .where(m.ItemBarcode.gtin == gtin)
    )
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this barcode.", field)
    return ItemScan(item, scan.lot)
