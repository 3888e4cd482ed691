"""Receiving settings: tolerance and expired-lot policy per warehouse (or global), and
which items and suppliers are inspected on receipt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse, read_scope
from backend.inbound.common import item_by_sku, supplier_by_code


@dataclass(frozen=True)
class Effective:
    warehouse_id: int | None
    tolerance_percent: int
    expired_lot_policy: str


DEFAULT = Effective(None, 0, m.ExpiredLotPolicy.REFUSE)


async def effective_settings(session: AsyncSession, warehouse_id: int) -> Effective:
    """The warehouse's own row, else the global row, else no tolerance and refuse."""
    rows = (
        await session.scalars(
            select(m.InboundSettings).where(
                (m.InboundSettings.warehouse_id == warehouse_id)
                | m.InboundSettings.warehouse_id.is_(None)
            )
        )
    ).all()
    own = next((r for r in rows if r.warehouse_id == warehouse_id), None)
    row = own or next((r for r in rows if r.warehouse_id is None), None)
    if row is None:
        return DEFAULT
    return Effective(row.warehouse_id, row.tolerance_percent, row.expired_lot_policy)


async def settings_for(
    session: AsyncSession, principal: Principal, warehouse_id: object | None
) -> Effective:
    """What applies in the named warehouse, else in the lowest of the caller's; a
    warehouse outside the caller's shows the defaults, not its settings."""
    scoped = read_scope(principal, warehouse_id).ids(principal.warehouse_ids)
    return await effective_settings(session, scoped[0]) if scoped else DEFAULT


async def configure(
    uow: UnitOfWork,
    principal: Principal,
    warehouse_id: object | None,
    tolerance_percent: int,
    expired_lot_policy: str,
) -> Effective:
    """Set the settings of the named warehouse; omitted, the global default for an
    administrator, else the caller's own warehouse."""
    wid = (
        None
        if warehouse_id is None and principal.all_warehouses
        else acting_warehouse(principal, warehouse_id)
    )
    return await set_settings(uow, wid, tolerance_percent, expired_lot_policy)


async def set_settings(
    uow: UnitOfWork, warehouse_id: int | None, tolerance_percent: int, expired_lot_policy: str
) -> Effective:
    if not 0 <= tolerance_percent <= 100:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Tolerance is 0 to 100 percent.", "tolerancePercent"
        )
    if expired_lot_policy not in {p.value for p in m.ExpiredLotPolicy}:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "Policy is REFUSE or QUARANTINE.", "expiredLotPolicy"
        )
    stmt = select(m.InboundSettings).where(
        m.InboundSettings.warehouse_id.is_(None)
        if warehouse_id is None
        else m.InboundSettings.warehouse_id == warehouse_id
    )
    row = await uow.session.scalar(stmt)
    if row is None:
        row = m.InboundSettings(warehouse_id=warehouse_id)
        uow.session.add(row)
    row.tolerance_percent = tolerance_percent
    row.expired_lot_policy = expired_lot_policy
    await uow.session.flush()
    return Effective(warehouse_id, tolerance_percent, expired_lot_policy)


async def inspect_on_receipt(session: AsyncSession, item_id: int, supplier_id: int | None) -> bool:
    item_flag = await session.scalar(
        select(m.InboundItemSettings.inspect_on_receipt).where(
            m.InboundItemSettings.item_id == item_id
        )
    )
    if item_flag:
        return True
    if supplier_id is None:
        return False
    return bool(
        await session.scalar(
            select(m.InboundSupplierSettings.inspect_on_receipt).where(
                m.InboundSupplierSettings.supplier_id == supplier_id
            )
        )
    )


@dataclass(frozen=True)
class ReceivingRules:
    """What one scan of goods is judged by: the warehouse's tolerance and expired-lot
    policy, and whether this item or its supplier is inspected on receipt."""

    tolerance_percent: int
    expired_lot_policy: str
    inspect: bool


async def receiving_rules(
    session: AsyncSession, warehouse_id: int, item_id: int, supplier_id: int | None
) -> ReceivingRules:
    """The same answers as ``effective_settings`` and ``inspect_on_receipt``, in one
    statement of scalar subqueries (the handheld pays a round trip per statement)."""
    own_first = (
        select(m.InboundSettings)
        .where(
            (m.InboundSettings.warehouse_id == warehouse_id)
            | m.InboundSettings.warehouse_id.is_(None)
        )
        .order_by(m.InboundSettings.warehouse_id.is_(None))
        .limit(1)
    )
    supplier_flag = (
        select(m.InboundSupplierSettings.inspect_on_receipt)
        .where(m.InboundSupplierSettings.supplier_id == supplier_id)
        .scalar_subquery()
        if supplier_id is not None
        else literal(None)
    )
    row = (
        await session.execute(
            select(
                own_first.with_only_columns(m.InboundSettings.tolerance_percent).scalar_subquery(),
                own_first.with_only_columns(m.InboundSettings.expired_lot_policy).scalar_subquery(),
                select(m.InboundItemSettings.inspect_on_receipt)
                .where(m.InboundItemSettings.item_id == item_id)
                .scalar_subquery(),
                supplier_flag,
            )
        )
    ).one()
    tolerance, policy, item_flag, supplier_inspects = row
    if tolerance is None:
        tolerance, policy = DEFAULT.tolerance_percent, DEFAULT.expired_lot_policy
    return ReceivingRules(tolerance, policy, bool(item_flag) or bool(supplier_inspects))


async def set_item_inspection(uow: UnitOfWork, item_id: int, inspect: bool) -> None:
    row = await uow.session.get(m.InboundItemSettings, item_id)
    if row is None:
        uow.session.add(m.InboundItemSettings(item_id=item_id, inspect_on_receipt=inspect))
    else:
        row.inspect_on_receipt = inspect
    await uow.session.flush()


async def set_supplier_inspection(uow: UnitOfWork, supplier_id: int, inspect: bool) -> None:
    row = await uow.session.get(m.InboundSupplierSettings, supplier_id)
    if row is None:
        uow.session.add(
            m.InboundSupplierSettings(supplier_id=supplier_id, inspect_on_receipt=inspect)
        )
    else:
        row.inspect_on_receipt = inspect
    await uow.session.flush()


async def set_inspect_on_receipt(
    uow: UnitOfWork, *, item_sku: str | None, supplier_code: str | None, inspect: bool
) -> None:
    """Inspect (or stop inspecting) one item's or one supplier's goods on receipt."""
    if bool(item_sku) == bool(supplier_code):
        raise DomainError(ErrorCode.INVALID_INPUT, "Name either an item or a supplier.", "itemSku")
    if item_sku:
        item = await item_by_sku(uow.session, item_sku)
        await set_item_inspection(uow, item.id, inspect)
    else:
        supplier = await supplier_by_code(uow.session, supplier_code or "")
        await set_supplier_inspection(uow, supplier.id, inspect)
