"""Items and their packaging hierarchy: create, update, retire; bulk for imports.

An item is counted in its base unit (each). Its packagings (inner, case, pallet)
hold a whole number of base units, strictly more at each level, and may carry
their own GTIN; the base unit's GTIN names the item itself. A GTIN names one item
or packaging in the whole catalogue. Items are retired, never deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import (
    UNITS,
    Problem,
    check_choice,
    check_code,
    check_range,
    normalize_gtin,
    raise_first,
)
from backend.core.db import bulk
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError, ErrorCode

LEVELS = ("INNER", "CASE", "PALLET")
TRACKINGS = ("NONE", "LOT", "SERIAL")
STORAGE_CLASSES = ("AMBIENT", "COLD", "FROZEN", "HAZARDOUS")
ABC = ("A", "B", "C")


@dataclass(frozen=True)
class PackagingSpec:
    level: str
    quantity: int
    gtin: str | None = None
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    weight_g: int = 0


@dataclass(frozen=True)
class ItemSpec:
    sku: str
    name: str
    specification: str = ""
    brand: str = ""
    category: str = ""
    base_unit: str = "EA"
    gtin: str | None = None
    tracking: str = "NONE"
    expiry_tracked: bool = False
    shelf_life_days: int | None = None
    min_remaining_life_days: int | None = None
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    weight_g: int = 0
    storage_class: str = "AMBIENT"
    abc_class: str = "C"
    unit_cost_cents: int = 0
    active: bool = True
    packagings: tuple[PackagingSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CheckedItem:
    spec: ItemSpec
    # GTIN (14 digits) per level: "EACH" for the base unit, then INNER/CASE/PALLET.
    gtins: dict[str, str]


def check_item(spec: ItemSpec) -> tuple[CheckedItem, list[Problem]]:
    """Everything that can be checked without the database."""
    problems: list[Problem] = []
    check_code(spec.sku, "sku", problems)
    check_code(spec.name, "name", problems, 200)
    if spec.base_unit not in UNITS:
        problems.append(
            Problem(
                "baseUnit",
                ErrorCode.UNKNOWN_UNIT,
                f"Unknown unit {spec.base_unit!r}; use one of {', '.join(sorted(UNITS))}.",
            )
        )
    check_choice(spec.tracking, "tracking", TRACKINGS, problems)
    check_choice(spec.storage_class, "storageClass", STORAGE_CLASSES, problems)
    check_choice(spec.abc_class, "abcClass", ABC, problems)
    check_range(spec.shelf_life_days, "shelfLifeDays", problems, 1, 36500)
    check_range(spec.min_remaining_life_days, "minRemainingLifeDays", problems, 0, 36500)
    if (
        spec.shelf_life_days is not None
        and spec.min_remaining_life_days is not None
        and spec.min_remaining_life_days > spec.shelf_life_days
    ):
        problems.append(
            Problem(
                "minRemainingLifeDays",
                ErrorCode.INVALID_INPUT,
                "The minimum remaining life cannot exceed the shelf life.",
            )
        )
    for name in ("length_mm", "width_mm", "height_mm", "weight_g", "unit_cost_cents"):
        check_range(getattr(spec, name), _camel(name), problems, 0, 10**9)
    gtins: dict[str, str] = {}
    if spec.gtin:
        found = normalize_gtin(spec.gtin, "gtin", problems)
        if found:
            gtins["EACH"] = found
    previous = 1
    seen_levels: set[str] = set()
    for pack in sorted(
        spec.packagings, key=lambda p: LEVELS.index(p.level) if p.level in LEVELS else 9
    ):
        where = f"packagings.{pack.level}"
        if pack.level not in LEVELS:
            problems.append(
                Problem(
                    "packagings",
                    ErrorCode.INVALID_INPUT,
                    f"Packaging level must be one of {', '.join(LEVELS)}.",
                )
            )
            continue
        if pack.level in seen_levels:
            problems.append(Problem(where, ErrorCode.DUPLICATE, f"Level {pack.level} given twice."))
            continue
        seen_levels.add(pack.level)
        if pack.quantity <= previous:
            problems.append(
                Problem(
                    f"{where}.quantity",
                    ErrorCode.INVALID_QUANTITY,
                    f"A {pack.level.lower()} must hold more than {previous} base units.",
                )
            )
        previous = max(previous, pack.quantity)
        for name in ("length_mm", "width_mm", "height_mm", "weight_g"):
            check_range(getattr(pack, name), f"{where}.{_camel(name)}", problems, 0, 10**9)
        if pack.gtin:
            found = normalize_gtin(pack.gtin, f"{where}.gtin", problems)
            if found:
                gtins[pack.level] = found
    if len(set(gtins.values())) != len(gtins):
        problems.append(Problem("gtin", ErrorCode.DUPLICATE, "One GTIN is given to two levels."))
    return CheckedItem(spec, gtins), problems


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def _columns(spec: ItemSpec) -> dict[str, object]:
    return {
        "sku": spec.sku.strip(),
        "name": spec.name.strip(),
        "specification": spec.specification,
        "brand": spec.brand,
        "category": spec.category,
        "base_unit": spec.base_unit,
        "tracking": spec.tracking,
        "expiry_tracked": spec.expiry_tracked,
        "shelf_life_days": spec.shelf_life_days,
        "min_remaining_life_days": spec.min_remaining_life_days,
        "length_mm": spec.length_mm,
        "width_mm": spec.width_mm,
        "height_mm": spec.height_mm,
        "weight_g": spec.weight_g,
        "storage_class": spec.storage_class,
        "abc_class": spec.abc_class,
        "unit_cost_cents": spec.unit_cost_cents,
        "active": spec.active,
        "retired_at": None if spec.active else utcnow(),
    }


async def gtin_owners(session: AsyncSession, gtins: Sequence[str]) -> dict[str, str]:
    """GTIN → SKU of the item that already holds it."""
    if not gtins:
        return {}
    rows = await session.execute(
        select(m.ItemBarcode.gtin, m.Item.sku)
        .join(m.Item, m.Item.id == m.ItemBarcode.item_id)
        .where(m.ItemBarcode.gtin.in_(sorted(set(gtins))))
    )
    return dict(rows.all())


async def existing_skus(session: AsyncSession, skus: Sequence[str]) -> dict[str, int]:
    if not skus:
        return {}
    rows = await session.execute(
        select(m.Item.sku, m.Item.id).where(m.Item.sku.in_(sorted(set(skus))))
    )
    return dict(rows.all())


def gtin_conflicts(checked: CheckedItem, owners: dict[str, str]) -> list[Problem]:
    problems = []
    for level, gtin in checked.gtins.items():
        owner = owners.get(gtin)
        if owner is not None and owner != checked.spec.sku.strip():
            where = "gtin" if level == "EACH" else f"packagings.{level}.gtin"
            problems.append(
                Problem(where, ErrorCode.DUPLICATE, f"GTIN {gtin} already names item {owner}.")
            )
    return problems


async def write_items(
    session: AsyncSession, checked: Sequence[CheckedItem], existing: dict[str, int]
) -> dict[str, int]:
    """Insert new items and update existing ones (by SKU), with packagings and GTINs.

    Statements are batched (executemany) so an import of 100,000 rows stays fast.
    Returns SKU → id for every written item.
    """
    ids = dict(existing)
    new = [c for c in checked if c.spec.sku.strip() not in existing]
    old = [c for c in checked if c.spec.sku.strip() in existing]
    if new:
        # COPY with ids from the sequence on PostgreSQL: an import of 100,000 items.
        rows = [_columns(c.spec) for c in new]
        created = await bulk.insert_returning_ids(session, _ITEMS, rows, ("sku",))
        ids.update({str(sku): item_id for (sku,), item_id in created.items()})
    if old:
        await _upsert_by_sku(session, [_columns(c.spec) for c in old])
        old_ids = [existing[c.spec.sku.strip()] for c in old]
        # Barcodes are re-laid from the row; packagings are kept by level (order lines name them).
        await session.execute(delete(m.ItemBarcode).where(m.ItemBarcode.item_id.in_(old_ids)))
    packs = (
        await session.execute(
            select(m.ItemPackaging.item_id, m.ItemPackaging.level, m.ItemPackaging.id).where(
                m.ItemPackaging.item_id.in_([ids[c.spec.sku.strip()] for c in old])
            )
        )
        if old
        else None
    )
    pack_ids = {(item_id, level): pid for item_id, level, pid in (packs.all() if packs else [])}
    new_packs = []
    for c in checked:
        item_id = ids[c.spec.sku.strip()]
        for pack in c.spec.packagings:
            values = {
                "name": pack.level.lower(),
                "quantity": pack.quantity,
                "level": pack.level,
                "length_mm": pack.length_mm,
                "width_mm": pack.width_mm,
                "height_mm": pack.height_mm,
                "weight_g": pack.weight_g,
            }
            pid = pack_ids.get((item_id, pack.level))
            if pid is None:
                new_packs.append({"item_id": item_id, **values})
            else:
                await session.execute(
                    update(m.ItemPackaging).where(m.ItemPackaging.id == pid).values(**values)
                )
    if new_packs:
        made = await bulk.insert_returning_ids(
            session, _PACKAGINGS, new_packs, ("item_id", "level")
        )
        pack_ids.update({(int(i), str(level)): pid for (i, level), pid in made.items()})
    barcodes = [
        {
            "item_id": ids[c.spec.sku.strip()],
            "gtin": gtin,
            "packaging_id": None if level == "EACH" else pack_ids[(ids[c.spec.sku.strip()], level)],
        }
        for c in checked
        for level, gtin in c.gtins.items()
    ]
    await bulk.insert_rows(session, _BARCODES, barcodes)
    return ids


_ITEMS = cast(Table, m.Item.__table__)
_PACKAGINGS = cast(Table, m.ItemPackaging.__table__)
_BARCODES = cast(Table, m.ItemBarcode.__table__)
# Items per upsert statement: about 20 parameters each, under SQLite's 32,766.
_UPSERT_ROWS = 500


async def _upsert_by_sku(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Existing items rewritten from their rows, a multi-row INSERT … ON CONFLICT (sku)
    DO UPDATE a slice, instead of one UPDATE an item."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert_of = pg_insert if dialect == "postgresql" else sqlite_insert
    for first in range(0, len(rows), _UPSERT_ROWS):
        stmt = insert_of(_ITEMS).values(rows[first : first + _UPSERT_ROWS])
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=[_ITEMS.c.sku],
                set_={key: stmt.excluded[key] for key in rows[0] if key != "sku"},
            )
        )


async def _checked_for_write(session: AsyncSession, spec: ItemSpec) -> CheckedItem:
    checked, problems = check_item(spec)
    raise_first(problems)
    raise_first(gtin_conflicts(checked, await gtin_owners(session, list(checked.gtins.values()))))
    return checked


async def create_item(session: AsyncSession, spec: ItemSpec) -> m.Item:
    checked = await _checked_for_write(session, spec)
    if await existing_skus(session, [spec.sku.strip()]):
        raise DomainError(ErrorCode.DUPLICATE, f"SKU {spec.sku} already exists.", "sku")
    ids = await write_items(session, [checked], {})
    return await _load(session, ids[spec.sku.strip()])


async def update_item(session: AsyncSession, spec: ItemSpec) -> m.Item:
    """Replace an item's data (by SKU); packaging levels left out are removed unless an
    order line still names them."""
    checked = await _checked_for_write(session, spec)
    existing = await existing_skus(session, [spec.sku.strip()])
    if not existing:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {spec.sku}.", "sku")
    item_id = existing[spec.sku.strip()]
    keep = {p.level for p in spec.packagings}
    dropped = list(
        await session.scalars(
            select(m.ItemPackaging.id).where(
                m.ItemPackaging.item_id == item_id,
                m.ItemPackaging.level.not_in(sorted(keep) or [""]),
            )
        )
    )
    if dropped:
        used = await session.scalar(
            select(m.PurchaseOrderLine.id)
            .where(m.PurchaseOrderLine.packaging_id.in_(dropped))
            .limit(1)
        )
        if used is not None:
            raise DomainError(
                ErrorCode.INVALID_STATE,
                "A packaging level you left out is named by purchase order lines; keep it.",
                "packagings",
            )
        await session.execute(delete(m.ItemBarcode).where(m.ItemBarcode.packaging_id.in_(dropped)))
        await session.execute(delete(m.ItemPackaging).where(m.ItemPackaging.id.in_(dropped)))
    await write_items(session, [checked], existing)
    return await _load(session, item_id)


async def set_item_active(session: AsyncSession, sku: str, active: bool) -> m.Item:
    """Retire (or reinstate) an item: it stays in the ledger and on old orders."""
    item = await session.scalar(select(m.Item).where(m.Item.sku == sku.strip()).with_for_update())
    if item is None:
        raise DomainError(ErrorCode.ITEM_NOT_FOUND, f"No item {sku}.", "sku")
    item.active = active
    item.retired_at = None if active else utcnow()
    await session.flush()
    return item


async def _load(session: AsyncSession, item_id: int) -> m.Item:
    item = await session.get(m.Item, item_id, populate_existing=True)
    assert item is not None
    return item
