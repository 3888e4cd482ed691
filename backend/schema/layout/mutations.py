# mypy: disable-error-code="valid-type"
"""Warehouse, zone, bin and layout writes; each resolver calls one `backend.layout` function."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.core.scope import acting_warehouse
from backend.layout import generator, sites
from backend.schema.context import Info
from backend.schema.layout.types import (
    BinInput,
    BinResult,
    BinSuccess,
    LayoutInput,
    SaveLayoutResult,
    SaveLayoutSuccess,
    SetBinActiveInput,
    WarehouseInput,
    WarehouseResult,
    WarehouseSuccess,
    ZoneInput,
    ZoneResult,
    ZoneSuccess,
    geometry_view,
)
from backend.schema.mutation import execute, guarded
from backend.schema.types import Bin, Warehouse, Zone


def _warehouse_spec(input: WarehouseInput) -> sites.WarehouseSpec:
    address = {
        k: v
        for k, v in (
            ("street", input.street),
            ("city", input.city),
            ("postcode", input.postcode),
            ("country", input.country),
        )
        if v
    }
    return sites.WarehouseSpec(input.code, input.name, input.timezone, address, input.active)


@strawberry.type
class LayoutMutations:
    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Create a warehouse (admins see it at once).",
    )
    async def create_warehouse(self, info: Info, input: WarehouseInput) -> WarehouseResult:
        spec = _warehouse_spec(input)

        async def handle(uow: UnitOfWork, principal: Principal) -> WarehouseSuccess:
            row = await sites.save_warehouse(uow.session, spec, create=True)
            uow.warehouse_id = row.id
            return WarehouseSuccess(warehouse=Warehouse.of(row))

        return await execute(
            info, input, handle, audit_entity="warehouse", audit_id=lambda r: r.warehouse.id
        )

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Change a warehouse's name, zone or address (by code).",
    )
    async def update_warehouse(self, info: Info, input: WarehouseInput) -> WarehouseResult:
        spec = _warehouse_spec(input)

        async def handle(uow: UnitOfWork, principal: Principal) -> WarehouseSuccess:
            row = await sites.save_warehouse(
                uow.session, spec, create=False, visible=principal.in_scope
            )
            uow.warehouse_id = row.id
            return WarehouseSuccess(warehouse=Warehouse.of(row))

        return await execute(
            info, input, handle, audit_entity="warehouse", audit_id=lambda r: r.warehouse.id
        )

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Create or change a zone (by code).")
    async def save_zone(self, info: Info, input: ZoneInput) -> ZoneResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ZoneSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            uow.warehouse_id = wid
            spec = sites.ZoneSpec(
                wid,
                input.code,
                input.name,
                input.kind.strip().upper(),
                input.storage_class.strip().upper(),
            )
            return ZoneSuccess(zone=Zone.of(await sites.save_zone(uow.session, spec)))

        return await execute(info, input, handle, audit_entity="zone", audit_id=lambda r: r.zone.id)

    @guarded(
        Perm.MASTER_WRITE, idempotent=False, description="Create or change one bin (by label)."
    )
    async def save_bin(self, info: Info, input: BinInput) -> BinResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> BinSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            uow.warehouse_id = wid
            spec = sites.BinSpec(
                warehouse_id=wid,
                zone_code=input.zone_code,
                label=input.label,
                aisle=input.aisle,
                bay=input.bay,
                level=input.level,
                side=(input.side or "").strip().upper() or None,
                capacity_units=input.capacity_units,
                capacity_volume_cm3=input.capacity_volume_cm3,
                capacity_weight_g=input.capacity_weight_g,
                storage_class=input.storage_class.strip().upper(),
            )
            return BinSuccess(bin=Bin.of(await sites.save_bin(uow.session, spec)))

        return await execute(info, input, handle, audit_entity="bin", audit_id=lambda r: r.bin.code)

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Retire a bin (refused while it holds stock) or reinstate it.",
    )
    async def set_bin_active(self, info: Info, input: SetBinActiveInput) -> BinResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> BinSuccess:
            row = await sites.set_bin_active(uow.session, input.code, input.active)
            acting_warehouse(principal, row.warehouse_id)
            uow.warehouse_id = row.warehouse_id
            return BinSuccess(bin=Bin.of(row))

        return await execute(info, input, handle, audit_entity="bin", audit_id=lambda r: r.bin.code)

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Save a generated layout: zones, bins and the warehouse geometry, at once "
        "used by routing and putaway. Refused (LAYOUT_HOLDS_STOCK) when it would retire or "
        "move a bin that holds stock.",
    )
    async def save_layout(self, info: Info, input: LayoutInput) -> SaveLayoutResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SaveLayoutSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            uow.warehouse_id = wid
            saved = await generator.save_layout(uow.session, input.spec(wid))
            row = await sites.warehouse(uow.session, wid)
            return SaveLayoutSuccess(
                warehouse=Warehouse.of(row),
                created=saved.created,
                updated=saved.updated,
                retired=saved.retired,
                geometry=geometry_view(saved.plan),
            )

        return await execute(
            info, input, handle, audit_entity="warehouse", audit_id=lambda r: r.warehouse.id
        )
