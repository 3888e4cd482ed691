"""Reorder policies: where an item is bought for a warehouse and how safe its stock is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.replenishment.suggestions import DEFAULT_SERVICE_LEVEL


@dataclass(frozen=True)
class PolicyRequest:
    item_sku: str
    warehouse_id: int
    supplier_code: str | None = None
    lead_time_days: int | None = None
    service_level: float = DEFAULT_SERVICE_LEVEL
    order_cycle_days: int = 14


def _check(request: PolicyRequest) -> None:
    if not 0.5 < request.service_level < 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "A service level lies between 0.5 and 1.", "serviceLevel"
        )
    if request.lead_time_days is not None and not 0 < request.lead_time_days <= 365:
        raise DomainError(ErrorCode.INVALID_INPUT, "Lead time: 1–365 days.", "leadTimeDays")
    if not 0 < request.order_cycle_days <= 365:
        raise DomainError(ErrorCode.INVALID_INPUT, "Order cycle: 1–365 days.", "orderCycleDays")


async def set_reorder_policy(uow: UnitOfWork, request: PolicyRequest) -> m.ReorderPolicy:
    """The item's policy in the warehouse (the caller's acting one), made or replaced."""
    _check(request)
    item_id = await uow.session.scalar(select(m.Item.id).where(m.Item.sku == request.item_sku))
    if item_id is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    supplier_id = None
    if request.supplier_code:
        supplier_id = await uow.session.scalar(
            select(m.Supplier.id).where(m.Supplier.code == request.supplier_code)
        )
        if supplier_id is None:
            raise DomainError(ErrorCode.NOT_FOUND, "No such supplier.", "supplierCode")
    policy = await uow.session.scalar(
        select(m.ReorderPolicy).where(
            m.ReorderPolicy.item_id == item_id, m.ReorderPolicy.warehouse_id == request.warehouse_id
        )
    )
    if policy is None:
        policy = m.ReorderPolicy(item_id=item_id, warehouse_id=request.warehouse_id)
        uow.session.add(policy)
    policy.supplier_id = supplier_id
    policy.lead_time_days = request.lead_time_days
    policy.service_level = request.service_level
    policy.order_cycle_days = request.order_cycle_days
    await uow.session.flush()
    return policy
