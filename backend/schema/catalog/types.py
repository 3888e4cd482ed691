"""Inputs and answers of the catalogue mutations."""

from __future__ import annotations

from enum import Enum

import strawberry

from backend.catalog.items import ItemSpec, PackagingSpec
from backend.catalog.parties import PartyKind as PartyKindValue
from backend.catalog.parties import PartySpec, parse_services
from backend.schema.errors import result_union
from backend.schema.types import Item, Party

PartyKind = PartyKindValue
strawberry.enum(PartyKindValue, name="PartyKind")


@strawberry.enum
class PackagingLevel(Enum):
    INNER = "INNER"
    CASE = "CASE"
    PALLET = "PALLET"


@strawberry.input(description="One packaging level: how many base units, its GTIN and size.")
class PackagingInput:
    level: PackagingLevel
    quantity: int
    gtin: str | None = None
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    weight_g: int = 0


@strawberry.input(
    description="An item: the base unit (each) with its GTIN and size, and its packagings. "
    "updateItem replaces everything given (packaging levels left out are removed)."
)
class ItemInput:
    sku: str
    name: str
    specification: str = ""
    brand: str = ""
    category: str = ""
    base_unit: str = strawberry.field(
        default="EA", description="EA, PCS, PR, SET, PK, BOX, KG, G, L, ML, M, CM"
    )
    gtin: str | None = strawberry.field(
        default=None, description="GTIN-8/12/13/14 of one base unit."
    )
    tracking: str = strawberry.field(default="NONE", description="NONE, LOT or SERIAL")
    expiry_tracked: bool = False
    shelf_life_days: int | None = None
    min_remaining_life_days: int | None = None
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    weight_g: int = 0
    storage_class: str = strawberry.field(
        default="AMBIENT", description="AMBIENT, COLD, FROZEN, HAZARDOUS"
    )
    abc_class: str = "C"
    unit_cost_cents: int = 0
    active: bool = True
    packagings: list[PackagingInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = None

    def spec(self) -> ItemSpec:
        return ItemSpec(
            sku=self.sku,
            name=self.name,
            specification=self.specification,
            brand=self.brand,
            category=self.category,
            base_unit=self.base_unit.strip().upper(),
            gtin=self.gtin,
            tracking=self.tracking.strip().upper(),
            expiry_tracked=self.expiry_tracked,
            shelf_life_days=self.shelf_life_days,
            min_remaining_life_days=self.min_remaining_life_days,
            length_mm=self.length_mm,
            width_mm=self.width_mm,
            height_mm=self.height_mm,
            weight_g=self.weight_g,
            storage_class=self.storage_class.strip().upper(),
            abc_class=self.abc_class.strip().upper(),
            unit_cost_cents=self.unit_cost_cents,
            active=self.active,
            packagings=tuple(
                PackagingSpec(
                    level=p.level.value,
                    quantity=p.quantity,
                    gtin=p.gtin,
                    length_mm=p.length_mm,
                    width_mm=p.width_mm,
                    height_mm=p.height_mm,
                    weight_g=p.weight_g,
                )
                for p in self.packagings
            ),
        )


@strawberry.input
class SetItemActiveInput:
    sku: str
    active: bool
    idempotency_key: str | None = None


@strawberry.type
class ItemSuccess:
    item: Item


@strawberry.input(description="A supplier, customer or carrier; fields of other kinds are ignored.")
class PartyInput:
    kind: PartyKind
    code: str
    name: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    payment_terms: str = ""
    rating: int | None = strawberry.field(default=None, description="1 (poor) to 5 (excellent)")
    active: bool = True
    lead_time_days: int = 7
    credit_limit_cents: int | None = None
    min_shelf_life_days: int = 0
    adapter: str = strawberry.field(default="own_fleet", description="Carriers: the adapter")
    services: list[str] = strawberry.field(default_factory=list, description="Carriers: CODE:Name")
    idempotency_key: str | None = None

    def spec(self) -> PartySpec:
        address = {
            k: v
            for k, v in (
                ("street", self.street),
                ("city", self.city),
                ("postcode", self.postcode),
                ("country", self.country),
            )
            if v
        }
        return PartySpec(
            kind=PartyKindValue(self.kind),
            code=self.code.strip().upper(),
            name=self.name,
            contact_name=self.contact_name,
            email=self.email,
            phone=self.phone,
            address=address,
            payment_terms=self.payment_terms,
            rating=self.rating,
            active=self.active,
            lead_time_days=self.lead_time_days,
            credit_limit_cents=self.credit_limit_cents,
            min_shelf_life_days=self.min_shelf_life_days,
            adapter=self.adapter,
            services=parse_services(self.services),
        )


@strawberry.input
class SetPartyActiveInput:
    kind: PartyKind
    code: str
    active: bool
    idempotency_key: str | None = None


@strawberry.type
class PartySuccess:
    party: Party


ItemResult = result_union("ItemResult", ItemSuccess)
PartyResult = result_union("PartyResult", PartySuccess)
