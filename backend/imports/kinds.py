"""What each importable kind looks like: its columns, how a row becomes a spec,
the database checks of a chunk of rows, how a chunk is written, and its export.

A kind never commits: the runner decides (dry run rolls back, apply commits only
when no row has a problem).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog import items as catalog
from backend.catalog import parties
from backend.catalog.checks import Problem
from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.imports import cells
from backend.imports.base import Context, Kind, Parsed, snake
from backend.imports.sales_orders import SalesOrders
from backend.inventory.ledger import MAX_MOVE_QUANTITY, MoveRequest, Place, book_in_many
from backend.layout import sites
from backend.users import admin

EXPORT_BATCH = 2000


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


async def _batches(session: AsyncSession, stmt: Any, id_column: Any) -> AsyncIterator[Any]:
    """Rows of `stmt` in id order, a batch at a time (flat memory for big tables)."""
    last = 0
    while True:
        rows = (
            await session.execute(
                stmt.where(id_column > last).order_by(id_column).limit(EXPORT_BATCH)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1][0].id if hasattr(rows[-1][0], "id") else rows[-1][0]


# --- items -----------------------------------------------------------------------

_LEVEL_COLUMNS = tuple(
    f"{level.lower()}_{suffix}"
    for level in catalog.LEVELS
    for suffix in ("qty", "gtin", "length_mm", "width_mm", "height_mm", "weight_g")
)


class Items(Kind):
    name = "items"
    grows = ("items", "item_barcodes", "item_packagings")
    columns = (
        "sku",
        "name",
        "specification",
        "brand",
        "category",
        "base_unit",
        "gtin",
        "tracking",
        "expiry_tracked",
        "shelf_life_days",
        "min_remaining_life_days",
        "length_mm",
        "width_mm",
        "height_mm",
        "weight_g",
        "storage_class",
        "abc_class",
        "unit_cost_cents",
        "active",
        *_LEVEL_COLUMNS,
    )
    required = frozenset({"sku", "name"})
    example = (
        "SKU-1001",
        "Green tea 500 g",
        "loose leaf",
        "Longjing",
        "Tea",
        "EA",
        "4006381333931",
        "LOT",
        "yes",
        "365",
        "90",
        "120",
        "80",
        "60",
        "520",
        "AMBIENT",
        "B",
        "450",
        "yes",
    )

    def column_of(self, problem_field: str) -> str:
        if problem_field.startswith("packagings."):
            parts = problem_field.split(".")
            if len(parts) == 3:
                suffix = {"quantity": "qty"}.get(parts[2], snake(parts[2]))
                return f"{parts[1].lower()}_{suffix}"
            return f"{parts[1].lower()}_qty" if len(parts) > 1 else "case_qty"
        return super().column_of(problem_field)

    def parse(self, values: dict[str, str], problems: list[Problem]) -> catalog.CheckedItem:
        packs = []
        for level in catalog.LEVELS:
            prefix = level.lower()
            qty = cells.integer(values, f"{prefix}_qty", problems)
            if qty is None:
                if cells.text(values, f"{prefix}_gtin"):
                    problems.append(
                        Problem(
                            f"{prefix}_qty",
                            ErrorCode.INVALID_INPUT,
                            f"A {prefix} GTIN needs a {prefix} quantity.",
                        )
                    )
                continue
            packs.append(
                catalog.PackagingSpec(
                    level=level,
                    quantity=qty,
                    gtin=cells.text(values, f"{prefix}_gtin") or None,
                    length_mm=cells.integer(values, f"{prefix}_length_mm", problems, 0) or 0,
                    width_mm=cells.integer(values, f"{prefix}_width_mm", problems, 0) or 0,
                    height_mm=cells.integer(values, f"{prefix}_height_mm", problems, 0) or 0,
                    weight_g=cells.integer(values, f"{prefix}_weight_g", problems, 0) or 0,
                )
            )
        spec = catalog.ItemSpec(
            sku=cells.text(values, "sku"),
            name=cells.text(values, "name"),
            specification=cells.text(values, "specification"),
            brand=cells.text(values, "brand"),
            category=cells.text(values, "category"),
            base_unit=cells.text(values, "base_unit", "EA").upper(),
            gtin=cells.text(values, "gtin") or None,
            tracking=cells.text(values, "tracking", "NONE").upper(),
            expiry_tracked=cells.boolean(values, "expiry_tracked", problems, False),
            shelf_life_days=cells.integer(values, "shelf_life_days", problems),
            min_remaining_life_days=cells.integer(values, "min_remaining_life_days", problems),
            length_mm=cells.integer(values, "length_mm", problems, 0) or 0,
            width_mm=cells.integer(values, "width_mm", problems, 0) or 0,
            height_mm=cells.integer(values, "height_mm", problems, 0) or 0,
            weight_g=cells.integer(values, "weight_g", problems, 0) or 0,
            storage_class=cells.text(values, "storage_class", "AMBIENT").upper(),
            abc_class=cells.text(values, "abc_class", "C").upper(),
            unit_cost_cents=cells.integer(values, "unit_cost_cents", problems, 0) or 0,
            active=cells.boolean(values, "active", problems, True),
            packagings=tuple(packs),
        )
        checked, found = catalog.check_item(spec)
        problems.extend(Problem(self.column_of(p.field), p.code, p.message) for p in found)
        return checked

    def keys(self, spec: catalog.CheckedItem) -> list[tuple[str, str]]:
        out = [("sku", "sku:" + spec.spec.sku)]
        for level, gtin in spec.gtins.items():
            out.append(("gtin" if level == "EACH" else f"{level.lower()}_gtin", "gtin:" + gtin))
        return out

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        owners = await catalog.gtin_owners(
            session, [g for p in chunk for g in p.spec.gtins.values()]
        )
        found: dict[int, list[Problem]] = {}
        for parsed in chunk:
            problems = catalog.gtin_conflicts(parsed.spec, owners)
            if problems:
                found[parsed.line] = [
                    Problem(self.column_of(p.field), p.code, p.message) for p in problems
                ]
        return found

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        specs = [p.spec for p in chunk]
        existing = await catalog.existing_skus(session, [c.spec.sku for c in specs])
        await catalog.write_items(session, specs, existing)

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        async for (item,) in _batches(session, select(m.Item), m.Item.id):
            packs = (
                await session.execute(
                    select(m.ItemPackaging, m.ItemBarcode.gtin)
                    .outerjoin(m.ItemBarcode, m.ItemBarcode.packaging_id == m.ItemPackaging.id)
                    .where(m.ItemPackaging.item_id == item.id)
                )
            ).all()
            each = await session.scalar(
                select(m.ItemBarcode.gtin).where(
                    m.ItemBarcode.item_id == item.id, m.ItemBarcode.packaging_id.is_(None)
                )
            )
            by_level = {p.level: (p, g) for p, g in packs}
            levels: list[str] = []
            for level in catalog.LEVELS:
                p, g = by_level.get(level, (None, None))
                levels += (
                    [
                        str(p.quantity),
                        g or "",
                        str(p.length_mm),
                        str(p.width_mm),
                        str(p.height_mm),
                        str(p.weight_g),
                    ]
                    if p
                    else [""] * 6
                )
            yield [
                item.sku,
                item.name,
                item.specification,
                item.brand,
                item.category,
                item.base_unit,
                each or "",
                item.tracking,
                _yes(item.expiry_tracked),
                _num(item.shelf_life_days),
                _num(item.min_remaining_life_days),
                str(item.length_mm),
                str(item.width_mm),
                str(item.height_mm),
                str(item.weight_g),
                item.storage_class,
                item.abc_class,
                str(item.unit_cost_cents),
                _yes(item.active),
                *levels,
            ]


# --- suppliers, customers, carriers ----------------------------------------------

_ADDRESS = ("street", "city", "postcode", "country")


class _Parties(Kind):
    party: ClassVar[parties.PartyKind]
    fields: ClassVar[dict[str, str]] = {
        "leadTimeDays": "lead_time_days",
        "creditLimitCents": "credit_limit_cents",
    }

    def parse(self, values: dict[str, str], problems: list[Problem]) -> parties.PartySpec:
        spec = parties.PartySpec(
            kind=self.party,
            code=cells.text(values, "code").upper(),
            name=cells.text(values, "name"),
            contact_name=cells.text(values, "contact_name"),
            email=cells.text(values, "email"),
            phone=cells.text(values, "phone"),
            address={k: cells.text(values, k) for k in _ADDRESS if cells.text(values, k)},
            payment_terms=cells.text(values, "payment_terms"),
            rating=cells.integer(values, "rating", problems),
            active=cells.boolean(values, "active", problems, True),
            lead_time_days=cells.integer(values, "lead_time_days", problems, 7) or 0,
            credit_limit_cents=cells.integer(values, "credit_limit_cents", problems),
            min_shelf_life_days=cells.integer(values, "min_shelf_life_days", problems, 0) or 0,
            adapter=cells.text(values, "adapter", "own_fleet").lower(),
            services=parties.parse_services(cells.listed(values, "services")),
        )
        problems.extend(
            Problem(self.column_of(p.field), p.code, p.message) for p in parties.check_party(spec)
        )
        return spec

    def keys(self, spec: parties.PartySpec) -> list[tuple[str, str]]:
        return [("code", "code:" + spec.code)]

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        specs = [p.spec for p in chunk]
        existing = await parties.existing_codes(session, self.party, [s.code for s in specs])
        await parties.write_parties(session, self.party, specs, existing)

    @abstractmethod
    def _row(self, row: Any) -> list[str]:
        """One exported row of this party kind."""

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        model = parties.MODELS[self.party]
        async for (row,) in _batches(session, select(model), model.id):
            yield self._row(row)


def _address(row: Any) -> list[str]:
    return [str((row.address or {}).get(k, "")) for k in _ADDRESS]


class Suppliers(_Parties):
    name = "suppliers"
    party = parties.PartyKind.SUPPLIER
    columns = (
        "code",
        "name",
        "contact_name",
        "email",
        "phone",
        *_ADDRESS,
        "payment_terms",
        "lead_time_days",
        "rating",
        "active",
    )
    required = frozenset({"code", "name"})
    example = (
        "SUP-ACME",
        "Acme Foods Ltd",
        "Li Wei",
        "orders@acme.example",
        "+86 21 5555 0101",
        "1 Harbour Rd",
        "Shanghai",
        "200000",
        "CN",
        "30 days",
        "10",
        "4",
        "yes",
    )

    def _row(self, row: m.Supplier) -> list[str]:
        return [
            row.code,
            row.name,
            row.contact_name,
            row.email,
            row.phone,
            *_address(row),
            row.payment_terms,
            str(row.lead_time_days),
            _num(row.rating),
            _yes(row.active),
        ]


class Customers(_Parties):
    name = "customers"
    party = parties.PartyKind.CUSTOMER
    columns = (
        "code",
        "name",
        "contact_name",
        "email",
        "phone",
        *_ADDRESS,
        "payment_terms",
        "credit_limit_cents",
        "min_shelf_life_days",
        "rating",
        "active",
    )
    required = frozenset({"code", "name"})
    example = (
        "CUS-0001",
        "Corner Shop",
        "Anna Berg",
        "buy@corner.example",
        "+49 30 5555 0199",
        "Hauptstr. 5",
        "Berlin",
        "10115",
        "DE",
        "14 days",
        "5000000",
        "30",
        "5",
        "yes",
    )

    def _row(self, row: m.Customer) -> list[str]:
        return [
            row.code,
            row.name,
            row.contact_name,
            row.email,
            row.phone,
            *_address(row),
            row.payment_terms,
            _num(row.credit_limit_cents),
            str(row.min_shelf_life_days),
            _num(row.rating),
            _yes(row.active),
        ]


class Carriers(_Parties):
    name = "carriers"
    party = parties.PartyKind.CARRIER
    columns = ("code", "name", "adapter", "services", "active")
    required = frozenset({"code", "name"})
    example = ("SF", "SF Express", "manual", "STD:Standard;EXP:Express", "yes")

    def _row(self, row: m.Carrier) -> list[str]:
        services = ";".join(f"{c}:{n}" for c, n in parties.carrier_services(row.services))
        return [row.code, row.name, row.adapter, services, _yes(row.active)]


# --- warehouses, zones, bins -----------------------------------------------------


class Warehouses(Kind):
    name = "warehouses"
    columns = ("code", "name", "timezone", "active")
    required = frozenset({"code", "name"})
    example = ("W2", "Second warehouse", "Asia/Shanghai", "yes")

    def parse(self, values: dict[str, str], problems: list[Problem]) -> sites.WarehouseSpec:
        spec = sites.WarehouseSpec(
            code=cells.text(values, "code").upper(),
            name=cells.text(values, "name"),
            timezone=cells.text(values, "timezone", "UTC"),
            active=cells.boolean(values, "active", problems, True),
        )
        problems.extend(sites.check_warehouse(spec))
        return spec

    def keys(self, spec: sites.WarehouseSpec) -> list[tuple[str, str]]:
        return [("code", spec.code)]

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        for parsed in chunk:
            exists = await session.scalar(
                select(m.Warehouse.id).where(m.Warehouse.code == parsed.spec.code)
            )
            await sites.save_warehouse(session, parsed.spec, create=exists is None)

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        async for (row,) in _batches(session, select(m.Warehouse), m.Warehouse.id):
            yield [row.code, row.name, row.timezone, _yes(row.active)]


class Zones(Kind):
    name = "zones"
    columns = ("code", "name", "kind", "storage_class")
    required = frozenset({"code", "name", "kind"})
    example = ("RCV", "Receiving dock", "RECEIVING", "AMBIENT")
    fields: ClassVar[dict[str, str]] = {"storageClass": "storage_class"}

    def parse(self, values: dict[str, str], problems: list[Problem]) -> sites.ZoneSpec:
        spec = sites.ZoneSpec(
            warehouse_id=0,
            code=cells.text(values, "code").upper(),
            name=cells.text(values, "name"),
            kind=cells.text(values, "kind").upper(),
            storage_class=cells.text(values, "storage_class", "AMBIENT").upper(),
        )
        if spec.kind not in sites.ZONE_KINDS:
            problems.append(
                Problem(
                    "kind",
                    ErrorCode.INVALID_INPUT,
                    f"kind is one of {', '.join(sites.ZONE_KINDS)}.",
                )
            )
        if spec.storage_class not in sites.STORAGE_CLASSES:
            problems.append(
                Problem("storage_class", ErrorCode.INVALID_INPUT, "Unknown storage class.")
            )
        return spec

    def keys(self, spec: sites.ZoneSpec) -> list[tuple[str, str]]:
        return [("code", spec.code)]

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        for parsed in chunk:
            spec = parsed.spec
            await sites.save_zone(
                session,
                sites.ZoneSpec(
                    ctx.warehouse_id, spec.code, spec.name, spec.kind, spec.storage_class
                ),
            )

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        stmt = select(m.Zone).where(m.Zone.warehouse_id == ctx.warehouse_id)
        async for (row,) in _batches(session, stmt, m.Zone.id):
            yield [row.code, row.name, row.kind, row.storage_class]


class Bins(Kind):
    name = "bins"
    columns = (
        "label",
        "zone",
        "aisle",
        "bay",
        "level",
        "side",
        "capacity_units",
        "capacity_volume_cm3",
        "capacity_weight_g",
        "storage_class",
        "active",
    )
    required = frozenset({"label", "zone"})
    example = ("A01-001-1L", "PF", "0", "0", "1", "L", "120", "1200000", "250000", "AMBIENT", "yes")
    fields: ClassVar[dict[str, str]] = {
        "zoneCode": "zone",
        "capacityUnits": "capacity_units",
        "capacityVolumeCm3": "capacity_volume_cm3",
        "capacityWeightG": "capacity_weight_g",
        "storageClass": "storage_class",
    }

    def parse(self, values: dict[str, str], problems: list[Problem]) -> tuple[sites.BinSpec, bool]:
        spec = sites.BinSpec(
            warehouse_id=0,
            zone_code=cells.text(values, "zone").upper(),
            label=cells.text(values, "label").upper(),
            aisle=cells.integer(values, "aisle", problems),
            bay=cells.integer(values, "bay", problems),
            level=cells.integer(values, "level", problems),
            side=cells.text(values, "side").upper() or None,
            capacity_units=cells.integer(values, "capacity_units", problems, 0) or 0,
            capacity_volume_cm3=cells.integer(values, "capacity_volume_cm3", problems, 0) or 0,
            capacity_weight_g=cells.integer(values, "capacity_weight_g", problems, 0) or 0,
            storage_class=cells.text(values, "storage_class", "AMBIENT").upper(),
        )
        problems.extend(
            Problem(self.column_of(p.field), p.code, p.message) for p in sites.check_bin(spec)
        )
        return spec, cells.boolean(values, "active", problems, True)

    def keys(self, spec: tuple[sites.BinSpec, bool]) -> list[tuple[str, str]]:
        return [("label", spec[0].label)]

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        found: dict[int, list[Problem]] = {}
        zones = set(
            await session.scalars(
                select(m.Zone.code).where(m.Zone.warehouse_id == ctx.warehouse_id)
            )
        )
        codes: dict[str, int] = {}
        for parsed in chunk:
            spec = parsed.spec[0]
            problems = found.setdefault(parsed.line, [])
            if spec.zone_code not in zones:
                problems.append(
                    Problem(
                        "zone",
                        ErrorCode.ZONE_NOT_FOUND,
                        f"No zone {spec.zone_code} in {ctx.warehouse_code}.",
                    )
                )
            try:
                codes[sites.bin_code(ctx.warehouse_code, spec.label)] = parsed.line
            except DomainError as error:
                problems.append(Problem("label", error.code, error.message))
        taken = await session.execute(
            select(m.Bin.code, m.Bin.warehouse_id).where(
                m.Bin.code.in_(sorted(codes)), m.Bin.warehouse_id != ctx.warehouse_id
            )
        )
        for code, _ in taken:
            found[codes[code]].append(
                Problem(
                    "label",
                    ErrorCode.BIN_CODE_COLLISION,
                    f"Bin code {code} belongs to another warehouse.",
                )
            )
        return {line: p for line, p in found.items() if p}

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        for parsed in chunk:
            spec, active = parsed.spec
            row = await sites.save_bin(
                session, sites.BinSpec(**{**spec.__dict__, "warehouse_id": ctx.warehouse_id})
            )
            if row.active != active:
                await sites.set_bin_active(session, row.code, active)

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        stmt = (
            select(m.Bin, m.Zone.code)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .where(m.Bin.warehouse_id == ctx.warehouse_id)
        )
        async for row, zone in _batches(session, stmt, m.Bin.id):
            yield [
                row.label,
                zone,
                _num(row.aisle),
                _num(row.bay),
                _num(row.level),
                row.side or "",
                str(row.capacity_units),
                str(row.capacity_volume_cm3),
                str(row.capacity_weight_g),
                row.storage_class,
                _yes(row.active),
            ]


# --- users -----------------------------------------------------------------------


class Users(Kind):
    name = "users"
    columns = (
        "username",
        "display_name",
        "roles",
        "warehouses",
        "locale",
        "password",
        "pin",
        "active",
    )
    required = frozenset({"username", "display_name", "roles"})
    permission = Perm.USER_MANAGE
    read_permission = Perm.USER_MANAGE
    example = ("li.na", "Li Na", "picker;receiver", "W1", "zh-CN", "change-me-now", "4711", "yes")

    def parse(
        self, values: dict[str, str], problems: list[Problem]
    ) -> tuple[admin.UserSpec, list[str], bool]:
        spec = admin.UserSpec(
            username=cells.text(values, "username"),
            display_name=cells.text(values, "display_name"),
            roles=tuple(r.lower() for r in cells.listed(values, "roles")),
            warehouse_ids=(),
            locale=cells.text(values, "locale", "en"),
            password=cells.text(values, "password") or None,
            pin=cells.text(values, "pin") or None,
        )
        try:
            admin._check(spec, creating=False)
        except DomainError as error:
            problems.append(
                Problem(self.column_of(error.field or "username"), error.code, error.message)
            )
        warehouses = [w.upper() for w in cells.listed(values, "warehouses")]
        return spec, warehouses, cells.boolean(values, "active", problems, True)

    def keys(self, spec: tuple[admin.UserSpec, list[str], bool]) -> list[tuple[str, str]]:
        return [("username", spec[0].username)]

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        codes = {w for p in chunk for w in p.spec[1]}
        known = (
            dict(
                (
                    await session.execute(
                        select(m.Warehouse.code, m.Warehouse.id).where(
                            m.Warehouse.code.in_(sorted(codes))
                        )
                    )
                ).all()
            )
            if codes
            else {}
        )
        names = [p.spec[0].username for p in chunk]
        existing = set(
            await session.scalars(select(m.User.username).where(m.User.username.in_(names)))
        )
        found: dict[int, list[Problem]] = {}
        for parsed in chunk:
            spec, warehouses, _ = parsed.spec
            missing = [w for w in warehouses if w not in known]
            if missing:
                found.setdefault(parsed.line, []).append(
                    Problem(
                        "warehouses", ErrorCode.WAREHOUSE_NOT_FOUND, f"No warehouse {missing[0]}."
                    )
                )
            if spec.username not in existing and not spec.password:
                found.setdefault(parsed.line, []).append(
                    Problem("password", ErrorCode.INVALID_INPUT, "A new user needs a password.")
                )
        ctx.seen.update({f"wh:{k}": v for k, v in known.items()})
        return found

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        for parsed in chunk:
            spec, warehouses, active = parsed.spec
            ids = tuple(ctx.seen[f"wh:{w}"] for w in warehouses)
            full = admin.UserSpec(**{**spec.__dict__, "warehouse_ids": ids})
            exists = await session.scalar(select(m.User.id).where(m.User.username == spec.username))
            user = await (
                admin.change_user(session, full) if exists else admin.add_user(session, full)
            )
            if user.active != active:
                await admin.set_user_active(session, user.username, active, ctx.user_id)

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        codes = dict((await session.execute(select(m.Warehouse.id, m.Warehouse.code))).all())
        async for (user,) in _batches(session, select(m.User), m.User.id):
            roles = await session.scalars(
                select(m.UserRole.role)
                .where(m.UserRole.user_id == user.id)
                .order_by(m.UserRole.role)
            )
            whs = await session.scalars(
                select(m.UserWarehouse.warehouse_id).where(m.UserWarehouse.user_id == user.id)
            )
            # Secrets are never exported: password and PIN stay empty.
            yield [
                user.username,
                user.display_name,
                ";".join(roles),
                ";".join(sorted(codes[w] for w in whs)),
                user.locale,
                "",
                "",
                _yes(user.active),
            ]


# --- opening stock ---------------------------------------------------------------


@dataclass(frozen=True)
class StockRow:
    bin: str
    sku: str
    quantity: int
    lot: str | None
    expiry: Any
    status: str


class OpeningStock(Kind):
    """Stock on bins on the first day, booked through the ledger (reason OPENING)."""

    name = "opening_stock"
    grows = ("quants", "lots")
    columns = ("bin", "sku", "quantity", "lot", "expiry", "status")
    required = frozenset({"bin", "sku", "quantity"})
    permission = Perm.STOCK_ADJUST
    read_permission = Perm.STOCK_READ
    example = ("A01-001-1L", "SKU-1001", "48", "L2026-11", "2027-11-30", "AVAILABLE")

    def parse(self, values: dict[str, str], problems: list[Problem]) -> StockRow:
        quantity = cells.integer(values, "quantity", problems, 0) or 0
        if not values.get("quantity", "").strip():
            problems.append(
                Problem("quantity", ErrorCode.INVALID_QUANTITY, "quantity is required.")
            )
        elif quantity <= 0:
            problems.append(
                Problem(
                    "quantity",
                    ErrorCode.INVALID_QUANTITY,
                    f"Quantity {quantity} must be at least 1.",
                )
            )
        elif quantity > MAX_MOVE_QUANTITY:
            problems.append(
                Problem(
                    "quantity", ErrorCode.QUANTITY_TOO_LARGE, f"Quantity {quantity} is implausible."
                )
            )
        status = cells.text(values, "status", "AVAILABLE").upper()
        if status not in {s.value for s in m.StockStatus}:
            problems.append(
                Problem(
                    "status",
                    ErrorCode.INVALID_INPUT,
                    f"status is one of {', '.join(s.value for s in m.StockStatus)}.",
                )
            )
        for column in ("bin", "sku"):
            if not cells.text(values, column):
                problems.append(Problem(column, ErrorCode.INVALID_INPUT, f"{column} is required."))
        return StockRow(
            bin=cells.text(values, "bin").upper(),
            sku=cells.text(values, "sku"),
            quantity=quantity,
            lot=cells.text(values, "lot") or None,
            expiry=cells.day(values, "expiry", problems),
            status=status,
        )

    async def _resolve(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> tuple[
        dict[str, tuple[int, bool]],
        dict[str, tuple[int, str, bool, bool]],
        dict[tuple[int, str], tuple[int, Any]],
    ]:
        """The chunk's bins (by code and label), items and known lots, in three reads."""
        named = sorted({p.spec.bin for p in chunk})
        bins: dict[str, tuple[int, bool]] = {}
        for code, label, bid, active in await session.execute(
            select(m.Bin.code, m.Bin.label, m.Bin.id, m.Bin.active).where(
                m.Bin.warehouse_id == ctx.warehouse_id,
                or_(m.Bin.code.in_(named), m.Bin.label.in_(named)),
            )
        ):
            bins[code] = bins[label] = (bid, active)
        rows = await session.execute(
            select(
                m.Item.sku, m.Item.id, m.Item.tracking, m.Item.expiry_tracked, m.Item.active
            ).where(m.Item.sku.in_(sorted({p.spec.sku for p in chunk})))
        )
        items = {
            sku: (iid, tracking, expiry, active) for sku, iid, tracking, expiry, active in rows
        }
        wanted = {
            (items[p.spec.sku][0], p.spec.lot) for p in chunk if p.spec.sku in items and p.spec.lot
        }
        lots: dict[tuple[int, str], tuple[int, Any]] = {}
        if wanted:
            found = await session.execute(
                select(m.Lot.item_id, m.Lot.lot_number, m.Lot.id, m.Lot.expiry).where(
                    m.Lot.item_id.in_(sorted({i for i, _ in wanted})),
                    m.Lot.lot_number.in_(sorted({n for _, n in wanted})),
                )
            )
            lots = {(i, n): (lid, exp) for i, n, lid, exp in found}
        return bins, items, lots

    @staticmethod
    def _problems(
        row: StockRow,
        ctx: Context,
        bins: dict[str, tuple[int, bool]],
        items: dict[str, tuple[int, str, bool, bool]],
        lots: dict[tuple[int, str], tuple[int, Any]],
    ) -> list[Problem]:
        problems: list[Problem] = []
        target = bins.get(row.bin)
        if target is None:
            problems.append(
                Problem(
                    "bin", ErrorCode.BIN_NOT_FOUND, f"No bin {row.bin} in {ctx.warehouse_code}."
                )
            )
        elif not target[1]:
            problems.append(Problem("bin", ErrorCode.BIN_BLOCKED, f"Bin {row.bin} is retired."))
        item = items.get(row.sku)
        if item is None:
            return [*problems, Problem("sku", ErrorCode.ITEM_NOT_FOUND, f"No item {row.sku}.")]
        item_id, tracking, expiry_tracked, active = item
        if not active:
            problems.append(Problem("sku", ErrorCode.INVALID_STATE, f"Item {row.sku} is retired."))
        if tracking == m.Tracking.SERIAL:
            problems.append(
                Problem(
                    "sku",
                    ErrorCode.SERIAL_REQUIRED,
                    f"{row.sku} is serial-tracked: receive it with its serials.",
                )
            )
        if tracking == m.Tracking.LOT and not row.lot:
            problems.append(
                Problem("lot", ErrorCode.LOT_REQUIRED, f"{row.sku} is lot-tracked: give its lot.")
            )
        if expiry_tracked and row.expiry is None:
            problems.append(
                Problem("expiry", ErrorCode.EXPIRY_REQUIRED, f"{row.sku} needs an expiry date.")
            )
        if row.lot:
            # One expiry per lot: the one on record, else the first this file gives.
            known = lots.get((item_id, row.lot))
            recorded = ctx.seen.setdefault("__expiry__", {})
            expected = known[1] if known and known[1] else recorded.get((item_id, row.lot))
            if row.expiry is not None and expected is not None and expected != row.expiry:
                problems.append(
                    Problem(
                        "expiry",
                        ErrorCode.WRONG_LOT,
                        f"Lot {row.lot} of {row.sku} expires {expected}, not {row.expiry}.",
                    )
                )
            elif expected is None and row.expiry is not None:
                recorded[(item_id, row.lot)] = row.expiry
        return problems

    async def check(
        self, session: AsyncSession, ctx: Context, chunk: list[Parsed]
    ) -> dict[int, list[Problem]]:
        """Resolves bins, items and lots for the chunk; lots new to the database are
        created on write. The resolved ids are kept on the context for `write`."""
        bins, items, lots = await self._resolve(session, ctx, chunk)
        found: dict[int, list[Problem]] = {}
        for parsed in chunk:
            problems = self._problems(parsed.spec, ctx, bins, items, lots)
            if problems:
                found[parsed.line] = problems
        ctx.seen["__bins__"] = {k: v[0] for k, v in bins.items()}
        ctx.seen["__items__"] = {k: v[0] for k, v in items.items()}
        ctx.seen["__lots__"] = {k: v[0] for k, v in lots.items()}
        return found

    async def write(self, session: AsyncSession, ctx: Context, chunk: list[Parsed]) -> None:
        bins: dict[str, int] = ctx.seen["__bins__"]
        items: dict[str, int] = ctx.seen["__items__"]
        lots: dict[tuple[int, str], int] = ctx.seen["__lots__"]
        new_lots = {}
        for parsed in chunk:
            row: StockRow = parsed.spec
            key = (items[row.sku], row.lot)
            if row.lot and key not in lots and (key not in new_lots or row.expiry is not None):
                new_lots[key] = {"item_id": key[0], "lot_number": row.lot, "expiry": row.expiry}
        if new_lots:
            created = await session.execute(
                insert(m.Lot).returning(m.Lot.id, m.Lot.item_id, m.Lot.lot_number),
                list(new_lots.values()),
            )
            lots.update({(i, n): lid for lid, i, n in created})
        await book_in_many(
            session,
            [
                MoveRequest(
                    item_id=items[p.spec.sku],
                    quantity=p.spec.quantity,
                    reason=m.MoveReason.OPENING,
                    lot_id=lots[(items[p.spec.sku], p.spec.lot)] if p.spec.lot else None,
                    destination=Place(bins[p.spec.bin], p.spec.status),
                    reference=ctx.reference,
                    user_id=ctx.user_id,
                )
                for p in chunk
            ],
        )

    async def export(self, session: AsyncSession, ctx: Context) -> AsyncIterator[list[str]]:
        stmt = (
            select(
                m.Quant.id,
                m.Bin.label,
                m.Item.sku,
                m.Quant.on_hand,
                m.Lot.lot_number,
                m.Lot.expiry,
                m.Quant.status,
            )
            .join(m.Bin, m.Bin.id == m.Quant.bin_id)
            .join(m.Item, m.Item.id == m.Quant.item_id)
            .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
            .where(m.Bin.warehouse_id == ctx.warehouse_id, m.Quant.on_hand > 0)
        )
        async for _, label, sku, qty, lot, expiry, status in _batches(session, stmt, m.Quant.id):
            yield [label, sku, str(qty), lot or "", expiry.isoformat() if expiry else "", status]


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Items(),
        Suppliers(),
        Customers(),
        Carriers(),
        Warehouses(),
        Zones(),
        Bins(),
        Users(),
        OpeningStock(),
        SalesOrders(),
    )
}


def kind_of(name: str) -> Kind:
    found = KINDS.get(name.strip().lower().replace("-", "_"))
    if found is None:
        raise DomainError(ErrorCode.INVALID_INPUT, f"Kinds are {', '.join(KINDS)}.", "kind")
    return found


def template_rows(kind: Kind) -> Sequence[list[str]]:
    example = list(kind.example) + [""] * (len(kind.columns) - len(kind.example))
    return [list(kind.columns), example]
