"""Schema types for master data, stock and tasks, built from rows.

Types hold plain data, so a mutation's answer can be stored and replayed;
fields that need more data resolve it lazily through the request's session.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from sqlalchemy import select

from backend.catalog.parties import carrier_services
from backend.core.db import models as m
from backend.core.events import TaskSnapshot
from backend.schema.context import Info


@strawberry.type
class Zone:
    id: strawberry.ID
    code: str
    name: str
    kind: str
    storage_class: str

    @classmethod
    def of(cls, row: m.Zone) -> Zone:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            name=row.name,
            kind=row.kind,
            storage_class=row.storage_class,
        )


@strawberry.type
class Warehouse:
    id: strawberry.ID
    code: str
    name: str
    timezone: str
    n_aisles: int
    cells_per_aisle: int
    cell_length_m: float
    aisle_pitch_m: float
    cross_aisle_width_m: float
    n_blocks: int
    depot_aisle: int
    active: bool = True

    @classmethod
    def of(cls, row: m.Warehouse) -> Warehouse:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            name=row.name,
            timezone=row.timezone,
            n_aisles=row.n_aisles,
            cells_per_aisle=row.cells_per_aisle,
            cell_length_m=row.cell_length_m,
            aisle_pitch_m=row.aisle_pitch_m,
            cross_aisle_width_m=row.cross_aisle_width_m,
            n_blocks=row.n_blocks,
            depot_aisle=row.depot_aisle,
            active=row.active,
        )

    @strawberry.field
    async def zones(self, info: Info) -> list[Zone]:
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.Zone).where(m.Zone.warehouse_id == int(self.id)).order_by(m.Zone.id)
            )
            return [Zone.of(z) for z in rows]


@strawberry.type
class Bin:
    id: strawberry.ID
    code: str
    label: str
    warehouse_id: strawberry.ID
    zone_id: strawberry.ID
    aisle: int | None
    bay: int | None
    level: int | None
    side: str | None
    capacity_units: int
    capacity_volume_cm3: int
    capacity_weight_g: int
    storage_class: str
    blocked: bool
    needs_count: bool
    active: bool = True

    @classmethod
    def of(cls, row: m.Bin) -> Bin:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            label=row.label,
            warehouse_id=strawberry.ID(str(row.warehouse_id)),
            zone_id=strawberry.ID(str(row.zone_id)),
            aisle=row.aisle,
            bay=row.bay,
            level=row.level,
            side=row.side,
            capacity_units=row.capacity_units,
            capacity_volume_cm3=row.capacity_volume_cm3,
            capacity_weight_g=row.capacity_weight_g,
            storage_class=row.storage_class,
            blocked=row.blocked,
            needs_count=row.needs_count,
            active=row.active,
        )

    @strawberry.field
    async def zone(self, info: Info) -> Zone | None:
        async with info.context.db() as session:
            row = await session.get(m.Zone, int(self.zone_id))
            return Zone.of(row) if row else None


@strawberry.type
class Packaging:
    name: str
    quantity: int
    gtin: str | None
    level: str = "CASE"
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    weight_g: int = 0


@strawberry.type
class Item:
    id: strawberry.ID
    sku: str
    name: str
    specification: str
    base_unit: str
    tracking: str
    expiry_tracked: bool
    shelf_life_days: int | None
    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int
    abc_class: str
    storage_class: str
    category: str
    brand: str = ""
    min_remaining_life_days: int | None = None
    unit_cost_cents: int = 0
    active: bool = True
    retired_at: datetime | None = None

    @classmethod
    def of(cls, row: m.Item) -> Item:
        return cls(
            id=strawberry.ID(str(row.id)),
            sku=row.sku,
            name=row.name,
            specification=row.specification,
            base_unit=row.base_unit,
            tracking=row.tracking,
            expiry_tracked=row.expiry_tracked,
            shelf_life_days=row.shelf_life_days,
            length_mm=row.length_mm,
            width_mm=row.width_mm,
            height_mm=row.height_mm,
            weight_g=row.weight_g,
            abc_class=row.abc_class,
            storage_class=row.storage_class,
            category=row.category,
            brand=row.brand,
            min_remaining_life_days=row.min_remaining_life_days,
            unit_cost_cents=row.unit_cost_cents,
            active=row.active,
            retired_at=row.retired_at,
        )

    @strawberry.field(description="GTINs (14 digits) that name this item or its packagings.")
    async def gtins(self, info: Info) -> list[str]:
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.ItemBarcode.gtin)
                .where(m.ItemBarcode.item_id == int(self.id))
                .order_by(m.ItemBarcode.id)
            )
            return list(rows)

    @strawberry.field
    async def packagings(self, info: Info) -> list[Packaging]:
        async with info.context.db() as session:
            rows = await session.execute(
                select(m.ItemPackaging, m.ItemBarcode.gtin)
                .outerjoin(m.ItemBarcode, m.ItemBarcode.packaging_id == m.ItemPackaging.id)
                .where(m.ItemPackaging.item_id == int(self.id))
                .order_by(m.ItemPackaging.quantity)
            )
            return [
                Packaging(
                    name=p.name,
                    quantity=p.quantity,
                    gtin=g,
                    level=p.level,
                    length_mm=p.length_mm,
                    width_mm=p.width_mm,
                    height_mm=p.height_mm,
                    weight_g=p.weight_g,
                )
                for p, g in rows
            ]


@strawberry.type
class Lot:
    id: strawberry.ID
    item_id: strawberry.ID
    lot_number: str
    expiry: date | None
    production_date: date | None

    @classmethod
    def of(cls, row: m.Lot) -> Lot:
        return cls(
            id=strawberry.ID(str(row.id)),
            item_id=strawberry.ID(str(row.item_id)),
            lot_number=row.lot_number,
            expiry=row.expiry,
            production_date=row.production_date,
        )


@strawberry.type
class Quant:
    id: strawberry.ID
    status: str
    on_hand: int
    reserved: int
    available: int
    item: Item
    bin: Bin
    lot: Lot | None

    @classmethod
    def of(cls, quant: m.Quant, item: m.Item, bin_row: m.Bin, lot: m.Lot | None) -> Quant:
        return cls(
            id=strawberry.ID(str(quant.id)),
            status=quant.status,
            on_hand=quant.on_hand,
            reserved=quant.reserved,
            available=quant.on_hand - quant.reserved,
            item=Item.of(item),
            bin=Bin.of(bin_row),
            lot=Lot.of(lot) if lot else None,
        )


@strawberry.type
class StockMove:
    id: strawberry.ID
    at: datetime
    item_id: strawberry.ID
    lot_id: strawberry.ID | None
    quantity: int
    from_bin_id: strawberry.ID | None
    from_status: str | None
    to_bin_id: strawberry.ID | None
    to_status: str | None
    reason: str
    reference: str | None
    user_id: strawberry.ID | None

    @classmethod
    def of(cls, row: m.StockMove) -> StockMove:
        def ident(value: int | None) -> strawberry.ID | None:
            return None if value is None else strawberry.ID(str(value))

        return cls(
            id=strawberry.ID(str(row.id)),
            at=row.at,
            item_id=strawberry.ID(str(row.item_id)),
            lot_id=ident(row.lot_id),
            quantity=row.quantity,
            from_bin_id=ident(row.from_bin_id),
            from_status=row.from_status,
            to_bin_id=ident(row.to_bin_id),
            to_status=row.to_status,
            reason=row.reason,
            reference=row.reference,
            user_id=ident(row.user_id),
        )


@strawberry.type
class Party:
    """A supplier, customer or carrier; fields of another kind are null."""

    id: strawberry.ID
    code: str
    name: str
    kind: str = ""
    active: bool = True
    contact_name: str | None = None
    email: str | None = None
    phone: str | None = None
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = None
    payment_terms: str | None = None
    rating: int | None = None
    lead_time_days: int | None = None
    credit_limit_cents: int | None = None
    min_shelf_life_days: int | None = None
    exposure_cents: int | None = strawberry.field(
        default=None,
        description="Customers: what open orders are worth at unit cost, in cents.",
    )
    adapter: str | None = None
    services: list[str] | None = strawberry.field(
        default=None, description="Carriers: services as CODE:Name."
    )

    @classmethod
    def of(cls, row: Any, exposure: int | None = None) -> Party:
        kind = type(row).__name__.upper()
        if isinstance(row, m.Carrier):
            return cls(
                id=strawberry.ID(str(row.id)),
                code=row.code,
                name=row.name,
                kind=kind,
                active=row.active,
                adapter=row.adapter,
                services=[f"{c}:{n}" for c, n in carrier_services(row.services)],
            )
        address = row.address or {}
        customer = isinstance(row, m.Customer)
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            name=row.name,
            kind=kind,
            active=row.active,
            contact_name=row.contact_name,
            email=row.email,
            phone=row.phone,
            street=address.get("street"),
            city=address.get("city"),
            postcode=address.get("postcode"),
            country=address.get("country"),
            payment_terms=row.payment_terms,
            rating=row.rating,
            lead_time_days=None if customer else row.lead_time_days,
            credit_limit_cents=row.credit_limit_cents if customer else None,
            min_shelf_life_days=row.min_shelf_life_days if customer else None,
            exposure_cents=exposure if customer else None,
        )


@strawberry.type
class User:
    id: strawberry.ID
    username: str
    display_name: str
    roles: list[str]
    locale: str
    warehouse_ids: list[strawberry.ID]
    home_warehouse_id: strawberry.ID | None
    active: bool = True
    badge_code: str | None = strawberry.field(
        default=None, description="The printable badge code (BADGE-…); admins' lists only."
    )

    @strawberry.field
    async def warehouse(self, info: Info) -> Warehouse | None:
        if self.home_warehouse_id is None:
            return None
        async with info.context.db() as session:
            row = await session.get(m.Warehouse, int(self.home_warehouse_id))
            return Warehouse.of(row) if row else None


@strawberry.type
class Task:
    id: strawberry.ID
    warehouse_id: strawberry.ID
    kind: str
    state: str
    role: str
    title: str
    priority: int
    bin_code: str | None
    zone_code: str | None
    assignee_id: strawberry.ID | None
    reference: str | None
    version: int
    created_at: datetime

    @classmethod
    def of_view(cls, view: TaskSnapshot) -> Task:
        return cls(
            id=strawberry.ID(str(view.id)),
            warehouse_id=strawberry.ID(str(view.warehouse_id)),
            kind=view.kind,
            state=view.state,
            role=view.role,
            title=view.title,
            priority=view.priority,
            bin_code=view.bin_code,
            zone_code=view.zone_code,
            assignee_id=None if view.assignee_id is None else strawberry.ID(str(view.assignee_id)),
            reference=view.reference,
            version=view.version,
            created_at=datetime.fromisoformat(view.created_at),
        )


@strawberry.type
class TaskEvent:
    change: str
    task: Task


@strawberry.type
class AuditEntry:
    id: strawberry.ID
    at: datetime
    user_id: strawberry.ID | None
    device_id: str | None
    action: str
    entity: str | None
    entity_id: str | None
    warehouse_id: strawberry.ID | None = None
    detail: str = strawberry.field(
        default="{}", description="What was asked, as JSON (the mutation's input and key)."
    )
    user_name: str | None = strawberry.field(
        default=None, description="The user's display name (no user: system work)."
    )
