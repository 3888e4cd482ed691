"""Warehouses, zones and single bins: create, update, retire (never delete).

A bin holding stock cannot be retired, nor moved to a zone of another warehouse;
retiring keeps its history and blocks it, so putaway and allocation pass it by.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem, check_choice, check_code, check_range, raise_first
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.layout.geometry import layout_changed
from backend.scan import CodeKind, make_code

ZONE_KINDS = tuple(k.value for k in m.ZoneKind)
STORAGE_CLASSES = ("AMBIENT", "COLD", "FROZEN", "HAZARDOUS")


@dataclass(frozen=True)
class WarehouseSpec:
    code: str
    name: str
    timezone: str = "UTC"
    address: dict[str, Any] = field(default_factory=dict)
    active: bool = True


@dataclass(frozen=True)
class ZoneSpec:
    warehouse_id: int
    code: str
    name: str
    kind: str
    storage_class: str = "AMBIENT"


@dataclass(frozen=True)
class BinSpec:
    warehouse_id: int
    zone_code: str
    label: str
    aisle: int | None = None
    bay: int | None = None
    level: int | None = None
    side: str | None = None
    capacity_units: int = 0
    capacity_volume_cm3: int = 0
    capacity_weight_g: int = 0
    storage_class: str = "AMBIENT"


def check_warehouse(spec: WarehouseSpec) -> list[Problem]:
    problems: list[Problem] = []
    check_code(spec.code, "code", problems, 16)
    check_code(spec.name, "name", problems, 200)
    if not spec.code.strip().isalnum():
        problems.append(
            Problem("code", ErrorCode.INVALID_INPUT, "A warehouse code is letters and digits.")
        )
    return problems


async def save_warehouse(
    session: AsyncSession,
    spec: WarehouseSpec,
    *,
    create: bool,
    visible: Callable[[int], bool] = lambda _: True,
) -> m.Warehouse:
    """Create a warehouse, or update one the caller may see (others are not found:
    a warehouse outside the caller's scope is not revealed)."""
    raise_first(check_warehouse(spec))
    code = spec.code.strip().upper()
    row = await session.scalar(select(m.Warehouse).where(m.Warehouse.code == code))
    if create and row is not None:
        raise DomainError(ErrorCode.DUPLICATE, f"Warehouse {code} exists.", "code")
    if not create and (row is None or not visible(row.id)):
        raise DomainError(ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {code}.", "code")
    if row is None:
        row = m.Warehouse(code=code, name=spec.name.strip(), n_aisles=0, cells_per_aisle=0)
        session.add(row)
    row.name, row.timezone, row.address, row.active = (
        spec.name.strip(),
        spec.timezone,
        dict(spec.address),
        spec.active,
    )
    await session.flush()
    return row


async def warehouse(session: AsyncSession, warehouse_id: int) -> m.Warehouse:
    row = await session.get(m.Warehouse, warehouse_id)
    if row is None:
        raise DomainError(
            ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {warehouse_id}.", "warehouseId"
        )
    return row


async def save_zone(session: AsyncSession, spec: ZoneSpec) -> m.Zone:
    """Create the zone, or update its name, kind and class when the code exists."""
    problems: list[Problem] = []
    check_code(spec.code, "code", problems, 16)
    check_code(spec.name, "name", problems, 120)
    check_choice(spec.kind, "kind", ZONE_KINDS, problems)
    check_choice(spec.storage_class, "storageClass", STORAGE_CLASSES, problems)
    raise_first(problems)
    await warehouse(session, spec.warehouse_id)
    code = spec.code.strip().upper()
    row = await session.scalar(
        select(m.Zone).where(m.Zone.warehouse_id == spec.warehouse_id, m.Zone.code == code)
    )
    if row is None:
        row = m.Zone(warehouse_id=spec.warehouse_id, code=code)
        session.add(row)
    row.name, row.kind, row.storage_class = spec.name.strip(), spec.kind, spec.storage_class
    await session.flush()
    layout_changed(session.get_bind(), spec.warehouse_id)
    return row


async def zone_by_code(session: AsyncSession, warehouse_id: int, code: str) -> m.Zone:
    row = await session.scalar(
        select(m.Zone).where(
            m.Zone.warehouse_id == warehouse_id, m.Zone.code == code.strip().upper()
        )
    )
    if row is None:
        raise DomainError(
            ErrorCode.ZONE_NOT_FOUND, f"No zone {code} in this warehouse.", "zoneCode"
        )
    return row


def check_bin(spec: BinSpec) -> list[Problem]:
    problems: list[Problem] = []
    check_code(spec.label, "label", problems, 32)
    check_choice(spec.storage_class, "storageClass", STORAGE_CLASSES, problems)
    for name in ("aisle", "bay", "level"):
        check_range(getattr(spec, name), name, problems, 0, 9999)
    for name, camel in (
        ("capacity_units", "capacityUnits"),
        ("capacity_volume_cm3", "capacityVolumeCm3"),
        ("capacity_weight_g", "capacityWeightG"),
    ):
        check_range(getattr(spec, name), camel, problems, 0, 10**12)
    if spec.side not in (None, "", "L", "R"):
        problems.append(Problem("side", ErrorCode.INVALID_INPUT, "side is L, R or empty."))
    if (spec.aisle is None) != (spec.bay is None):
        problems.append(
            Problem("bay", ErrorCode.INVALID_INPUT, "A rack bin has both an aisle and a bay.")
        )
    return problems


def bin_code(warehouse_code: str, label: str) -> str:
    return make_code(CodeKind.BIN, f"{warehouse_code}-{label.strip().upper()}")


async def stock_on(session: AsyncSession, bin_ids: list[int]) -> dict[int, int]:
    """Units on hand per bin, for the bins that hold any."""
    if not bin_ids:
        return {}
    rows = await session.execute(
        select(m.Quant.bin_id, func.sum(m.Quant.on_hand))
        .where(m.Quant.bin_id.in_(bin_ids), m.Quant.on_hand > 0)
        .group_by(m.Quant.bin_id)
    )
    return {bid: int(q) for bid, q in rows.all()}


async def save_bin(session: AsyncSession, spec: BinSpec) -> m.Bin:
    """Create the bin (its code made from warehouse and label) or update it."""
    raise_first(check_bin(spec))
    wh = await warehouse(session, spec.warehouse_id)
    zone = await zone_by_code(session, spec.warehouse_id, spec.zone_code)
    code = bin_code(wh.code, spec.label)
    row = await session.scalar(select(m.Bin).where(m.Bin.code == code))
    if row is not None and row.warehouse_id != spec.warehouse_id:
        raise DomainError(ErrorCode.BIN_CODE_COLLISION, f"Bin code {code} is taken.", "label")
    if row is None:
        row = m.Bin(warehouse_id=spec.warehouse_id, code=code, label=spec.label.strip().upper())
        session.add(row)
    row.zone_id = zone.id
    row.aisle, row.bay, row.level, row.side = spec.aisle, spec.bay, spec.level, spec.side or None
    row.capacity_units = spec.capacity_units
    row.capacity_volume_cm3 = spec.capacity_volume_cm3
    row.capacity_weight_g = spec.capacity_weight_g
    row.storage_class = spec.storage_class
    await session.flush()
    layout_changed(session.get_bind(), spec.warehouse_id)
    return row


async def set_bin_active(session: AsyncSession, code: str, active: bool) -> m.Bin:
    row = await session.scalar(
        select(m.Bin).where(m.Bin.code == code.strip().upper()).with_for_update()
    )
    if row is None:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, f"No bin {code}.", "code")
    if not active:
        held = await stock_on(session, [row.id])
        if held:
            raise DomainError(
                ErrorCode.LAYOUT_HOLDS_STOCK,
                f"Bin {row.label} holds {held[row.id]} units: move them out first.",
                "code",
            )
    row.active = active
    row.blocked = not active
    await session.flush()
    layout_changed(session.get_bind(), row.warehouse_id)
    return row
