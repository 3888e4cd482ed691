"""What people ask of pick-face replenishment: set a face's min/max, look for faces to
refill, finish a refill as scanned, and read what a REPLENISH task asks for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse
from backend.inventory.lookup import bin_by_scan, item_by_scan
from backend.replenishment import pickface

MAX_FACE_QTY = 10_000_000


def _check_min_max(min_qty: int, max_qty: int) -> None:
    if min_qty < 0:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "The minimum is 0 or more.", "minQty")
    if max_qty <= min_qty:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY, "The maximum must be above the minimum.", "maxQty"
        )
    if max_qty > MAX_FACE_QTY:
        raise DomainError(ErrorCode.QUANTITY_TOO_LARGE, "Implausible maximum.", "maxQty")


async def _pick_face(uow: UnitOfWork, principal: Principal, bin_code: str) -> m.Bin:
    face = await uow.session.scalar(select(m.Bin).where(m.Bin.code == bin_code.strip().upper()))
    if face is None or not principal.in_scope(face.warehouse_id):
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "No bin with this code.", "binCode")
    zone = await uow.session.get(m.Zone, face.zone_id)
    if zone is None or zone.kind != m.ZoneKind.PICK_FACE:
        raise DomainError(ErrorCode.INVALID_INPUT, "Not a pick-face bin.", "binCode")
    return face


async def set_setting(
    uow: UnitOfWork,
    principal: Principal,
    *,
    item_sku: str,
    bin_code: str,
    min_qty: int,
    max_qty: int,
    active: bool = True,
) -> m.ReplenishmentSetting:
    """The min/max of an item on a pick face of the caller's warehouses, made or changed."""
    _check_min_max(min_qty, max_qty)
    item_id = await uow.session.scalar(select(m.Item.id).where(m.Item.sku == item_sku))
    if item_id is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    face = await _pick_face(uow, principal, bin_code)
    setting = await uow.session.scalar(
        select(m.ReplenishmentSetting).where(
            m.ReplenishmentSetting.item_id == item_id,
            m.ReplenishmentSetting.bin_id == face.id,
        )
    )
    if setting is None:
        setting = m.ReplenishmentSetting(item_id=item_id, bin_id=face.id)
        uow.session.add(setting)
    setting.min_qty, setting.max_qty, setting.active = min_qty, max_qty, active
    await uow.session.flush()
    return setting


async def evaluate(
    uow: UnitOfWork, principal: Principal, warehouse_id: object | None
) -> pickface.EvaluationResult:
    """REPLENISH tasks for the low pick faces of the warehouse the caller acts in."""
    wid = acting_warehouse(principal, warehouse_id)
    return await pickface.evaluate_replenishment(uow, wid, principal.user_id)


@dataclass(frozen=True)
class Completion:
    task: m.Task
    quantity: int


async def complete(
    uow: UnitOfWork,
    principal: Principal,
    task_id: int,
    *,
    to_bin_code: str | None = None,
    item_code: str | None = None,
    quantity: int | None = None,
) -> Completion:
    """Finish a REPLENISH task of the caller's warehouses with what was scanned."""
    task = await uow.session.get(m.Task, task_id, with_for_update=True, populate_existing=True)
    if task is None or not principal.in_scope(task.warehouse_id):
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such task.", "taskId")
    to_bin = (
        await bin_by_scan(uow.session, to_bin_code, principal, "toBinCode") if to_bin_code else None
    )
    item = (await item_by_scan(uow.session, item_code)).item if item_code else None
    moved = await pickface.complete_replenishment(
        uow, task, principal.user_id, to_bin=to_bin, item=item, quantity=quantity
    )
    return Completion(task, moved)


async def task_details(
    session: AsyncSession, principal: Principal, task_id: int
) -> pickface.ReplenishDetails | None:
    """What a REPLENISH task of the caller's warehouses asks for; None for any other task
    and for another warehouse's."""
    task = await session.get(m.Task, task_id)
    if task is None or not principal.in_scope(task.warehouse_id):
        return None
    try:
        return await pickface.replenish_details(session, task)
    except DomainError:
        return None
