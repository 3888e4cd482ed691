"""A realistic demo warehouse: layout, items with real check-digit GTINs, lots,
stock through the ledger, parties, one user per role, and open tasks."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Role
from backend.core.auth.service import create_user
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.printing.sscc import sscc18
from backend.scan import CodeKind, make_code


@dataclass(frozen=True)
class DemoSize:
    aisles: int
    bays: int
    levels: int
    items: int
    reserve_aisles: int


FULL = DemoSize(aisles=10, bays=45, levels=4, items=300, reserve_aisles=2)
SMALL = DemoSize(aisles=4, bays=10, levels=2, items=24, reserve_aisles=1)


@dataclass(frozen=True)
class Credential:
    username: str
    role: str
    badge: str
    pin: str
    password: str
    warehouse: str


def gtin13(company: str, reference: int) -> str:
    body = f"{company}{reference:0{12 - len(company)}d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


CATEGORIES = [
    ("Beverages", "AMBIENT", False),
    ("Dairy", "COLD", True),
    ("Frozen", "FROZEN", True),
    ("Snacks", "AMBIENT", True),
    ("Household", "AMBIENT", False),
    ("Cleaning", "HAZARDOUS", False),
    ("Personal care", "AMBIENT", True),
    ("Electronics", "AMBIENT", False),
]
NOUNS = [
    "Water",
    "Juice",
    "Yoghurt",
    "Milk",
    "Peas",
    "Crisps",
    "Soap",
    "Bleach",
    "Shampoo",
    "Cable",
    "Battery",
    "Tea",
    "Coffee",
    "Rice",
    "Pasta",
    "Sauce",
    "Cereal",
    "Cookies",
]
ADJECTIVES = ["Classic", "Organic", "Light", "Family", "Premium", "Fresh", "Mini", "Max"]


async def already_seeded(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(func.count()).select_from(m.Warehouse)))


async def seed(
    session: AsyncSession, size: DemoSize = FULL, seed_value: int = 7
) -> list[Credential]:
    """The demo site, in steps that draw from one random sequence in a fixed order (the
    same seed gives the same site)."""
    rng = random.Random(seed_value)
    wh = await _warehouse(session, size)
    zones = await _zones(session, wh)
    storage_bins, pick_bins = await _bins(session, wh, zones, size)
    items = await _items(session, size, rng)
    _partners(session, rng)
    await _opening_stock(session, rng, items, pick_bins, storage_bins)
    credentials = await _users(session, wh)
    _count_tasks(session, rng, wh, pick_bins)
    await session.flush()
    await seed_inbound(session)
    await seed_shipping(session)
    return credentials


async def _warehouse(session: AsyncSession, size: DemoSize) -> m.Warehouse:
    wh = m.Warehouse(
        code="W1",
        name="Demo DC Rotterdam",
        timezone="Europe/Amsterdam",
        address={"street": "Waalhaven 12", "city": "Rotterdam", "country": "NL"},
        n_aisles=size.aisles,
        cells_per_aisle=size.bays,
        cell_length_m=1.3,
        aisle_pitch_m=3.2,
        cross_aisle_width_m=3.0,
        n_blocks=1,
        depot_aisle=0,
    )
    session.add(wh)
    await session.flush()
    return wh


async def _zones(session: AsyncSession, wh: m.Warehouse) -> dict[str, m.Zone]:
    zones = {}
    for code, name, kind, storage in [
        ("RCV", "Receiving dock", m.ZoneKind.RECEIVING, "AMBIENT"),
        ("QC", "QC / quarantine", m.ZoneKind.QC, "AMBIENT"),
        ("RSV", "Reserve racking", m.ZoneKind.RESERVE, "AMBIENT"),
        ("PF", "Pick face", m.ZoneKind.PICK_FACE, "AMBIENT"),
        ("PACK", "Packing benches", m.ZoneKind.PACKING, "AMBIENT"),
        ("DOCK", "Shipping dock", m.ZoneKind.SHIPPING, "AMBIENT"),
    ]:
        zone = m.Zone(warehouse_id=wh.id, code=code, name=name, kind=kind, storage_class=storage)
        session.add(zone)
        zones[code] = zone
    await session.flush()
    return zones


async def _bins(
    session: AsyncSession, wh: m.Warehouse, zones: dict[str, m.Zone], size: DemoSize
) -> tuple[list[m.Bin], list[m.Bin]]:
    """Dock, QC, packing and shipping bins, then the racking: pick faces low in the
    front aisles, reserve above them and in the back aisles."""

    def add_bin(zone: m.Zone, label: str, **kw: object) -> m.Bin:
        row = m.Bin(
            warehouse_id=wh.id,
            zone_id=zone.id,
            label=label,
            code=make_code(CodeKind.BIN, f"{wh.code}-{label}"),
            **kw,
        )
        session.add(row)
        return row

    for n in range(1, 5):
        add_bin(zones["RCV"], f"RCV-{n:02d}", capacity_units=5000)
        add_bin(zones["QC"], f"QC-{n:02d}", capacity_units=2000)
        add_bin(zones["PACK"], f"PACK-{n:02d}", capacity_units=1000)
        add_bin(zones["DOCK"], f"DOCK-{n:02d}", capacity_units=10000)
    storage_bins: list[m.Bin] = []
    pick_bins: list[m.Bin] = []
    for aisle in range(size.aisles):
        reserve = aisle >= size.aisles - size.reserve_aisles
        # Cold and hazardous goods keep to their own aisles, as in a real building.
        klass = (
            "COLD" if aisle == 1 else "HAZARDOUS" if aisle == 2 and size.aisles > 4 else "AMBIENT"
        )
        for bay in range(size.bays):
            for level in range(1, size.levels + 1):
                side = "L" if bay % 2 == 0 else "R"
                label = f"A{aisle + 1:02d}-{bay + 1:03d}-{level}"
                row = add_bin(
                    zones["RSV"] if reserve or level > 2 else zones["PF"],
                    label,
                    aisle=aisle,
                    bay=bay // 2,
                    level=level,
                    side=side,
                    capacity_units=400 if reserve or level > 2 else 120,
                    capacity_volume_cm3=1_200_000,
                    capacity_weight_g=250_000,
                    storage_class=klass,
                )
                storage_bins.append(row)
                if not reserve and level <= 2:
                    pick_bins.append(row)
    await session.flush()
    return storage_bins, pick_bins


async def _items(session: AsyncSession, size: DemoSize, rng: random.Random) -> list[m.Item]:
    items: list[m.Item] = []
    for n in range(size.items):
        category, storage, expiry = CATEGORIES[n % len(CATEGORIES)]
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice([250, 500, 750, 1000])}"
        tracking = (
            m.Tracking.LOT
            if expiry
            else (
                m.Tracking.SERIAL if category == "Electronics" and n % 3 == 0 else m.Tracking.NONE
            )
        )
        item = m.Item(
            sku=f"SKU-{10000 + n}",
            name=name,
            specification=f"{category}, demo article",
            tracking=tracking,
            expiry_tracked=expiry,
            shelf_life_days=rng.choice([30, 90, 365]) if expiry else None,
            length_mm=rng.randint(50, 300),
            width_mm=rng.randint(50, 200),
            height_mm=rng.randint(30, 250),
            weight_g=rng.randint(100, 3000),
            abc_class="A" if n % 5 == 0 else "B" if n % 5 < 3 else "C",
            storage_class=storage if storage != "FROZEN" else "COLD",
            category=category,
            unit_cost_cents=rng.randint(50, 5000),
        )
        session.add(item)
        items.append(item)
    await session.flush()
    for n, item in enumerate(items):
        case = m.ItemPackaging(item_id=item.id, name="case", quantity=rng.choice([6, 12, 24]))
        session.add(case)
        await session.flush()
        session.add(m.ItemBarcode(item_id=item.id, gtin="0" + gtin13("871234", 10000 + n)))
        session.add(
            m.ItemBarcode(
                item_id=item.id,
                gtin="1"
                + gtin13("871234", 10000 + n)[:-1]
                + _gtin14_check("1" + gtin13("871234", 10000 + n)[:-1]),
                packaging_id=case.id,
            )
        )
    return items


def _partners(session: AsyncSession, rng: random.Random) -> None:
    """Suppliers, customers and carriers."""
    for code, name in [
        ("SUP-ACME", "Acme Foods BV"),
        ("SUP-NORD", "Nordic Dairy AB"),
        ("SUP-VOLT", "Volt Electronics GmbH"),
        ("SUP-CLEAN", "CleanCo Ltd"),
    ]:
        session.add(m.Supplier(code=code, name=name, lead_time_days=rng.randint(3, 21)))
    for code, name in [
        ("CUS-ALBA", "Alba Supermarkets"),
        ("CUS-BETA", "Beta Online Store"),
        ("CUS-CORA", "Cora Pharmacy"),
        ("CUS-DUNE", "Dune Hotels"),
    ]:
        session.add(
            m.Customer(
                code=code,
                name=name,
                min_shelf_life_days=rng.choice([0, 14, 30]),
                address={"city": rng.choice(["Utrecht", "Antwerp", "Cologne"])},
            )
        )
    session.add(
        m.Carrier(
            code="OWN",
            name="Own fleet",
            adapter="own_fleet",
            services={"services": ["SAME_DAY", "NEXT_DAY"]},
        )
    )
    session.add(
        m.Carrier(
            code="POST", name="National Post", adapter="manual", services={"services": ["STANDARD"]}
        )
    )


async def _opening_stock(
    session: AsyncSession,
    rng: random.Random,
    items: list[m.Item],
    pick_bins: list[m.Bin],
    storage_bins: list[m.Bin],
) -> None:
    # Stock enters through the ledger, like any receipt would.
    today = date.today()
    for item in items:
        bins = rng.sample(pick_bins if rng.random() < 0.8 else storage_bins, k=2)
        bins = [b for b in bins if b.storage_class in (item.storage_class, "AMBIENT")] or [
            pick_bins[0]
        ]
        for bin_row in bins:
            lot_id = None
            if item.tracking == m.Tracking.LOT:
                lot = m.Lot(
                    item_id=item.id,
                    lot_number=f"L{rng.randint(100000, 999999)}",
                    expiry=today + timedelta(days=rng.randint(5, 400))
                    if item.expiry_tracked
                    else None,
                )
                session.add(lot)
                await session.flush()
                lot_id = lot.id
            if item.tracking == m.Tracking.SERIAL:
                continue  # serial items arrive with their receipts
            await apply_move(
                session,
                MoveRequest(
                    item_id=item.id,
                    quantity=rng.randint(10, 100),
                    reason=m.MoveReason.OPENING,
                    lot_id=lot_id,
                    destination=Place(bin_row.id),
                    reference="demo-opening",
                ),
            )


async def _users(session: AsyncSession, wh: m.Warehouse) -> list[Credential]:
    """One user per role, with password, badge and PIN."""
    credentials: list[Credential] = []
    for index, role in enumerate(Role):
        username = f"{role.value}1"
        pin = f"{(index + 1) * 1111 % 10000:04d}"
        badge = make_code(CodeKind.BADGE, username.upper())
        await create_user(
            session,
            username=username,
            display_name=f"{role.value.title()} One",
            password=f"demo-{role.value}",
            roles=[role.value],
            warehouse_ids=[wh.id],
            badge_code=badge,
            pin=pin,
            locale="zh-CN" if role is Role.PACKER else "en",
        )
        credentials.append(
            Credential(username, role.value, badge, pin, f"demo-{role.value}", wh.code)
        )
    return credentials


def _count_tasks(
    session: AsyncSession, rng: random.Random, wh: m.Warehouse, pick_bins: list[m.Bin]
) -> None:
    for n, bin_row in enumerate(rng.sample(pick_bins, k=min(3, len(pick_bins)))):
        session.add(
            m.Task(
                warehouse_id=wh.id,
                kind=m.TaskKind.COUNT,
                role=Role.PICKER.value,
                title=f"Count {bin_row.label}",
                priority=5 + n,
                bin_id=bin_row.id,
                zone_id=bin_row.zone_id,
                created_at=utcnow(),
            )
        )


def _gtin14_check(body13: str) -> str:
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body13))
    return str((10 - total % 10) % 10)


# -- inbound: open purchase orders for the receiving dock ----------------------------


async def seed_inbound(session: AsyncSession) -> None:
    """A few suppliers' open orders: approved ones (with their RECEIVE tasks) and one
    waiting for a supervisor's approval under a demo rule."""
    wh = await session.scalar(select(m.Warehouse).order_by(m.Warehouse.id))
    if wh is None:
        return
    items = {i.sku: i for i in (await session.scalars(select(m.Item))).all()}
    suppliers = {s.code: s for s in (await session.scalars(select(m.Supplier))).all()}
    dock = await session.scalar(
        select(m.Bin)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Bin.warehouse_id == wh.id, m.Zone.kind == m.ZoneKind.RECEIVING)
        .order_by(m.Bin.id)
    )
    session.add(
        m.ApprovalRule(level=1, approver_role=Role.SUPERVISOR.value, min_amount_cents=50_000)
    )
    session.add(m.InboundSettings(warehouse_id=None, tolerance_percent=5))

    def by_tracking(tracking: str, count: int) -> list[m.Item]:
        found = [
            i for i in items.values() if i.tracking == tracking and i.storage_class == "AMBIENT"
        ]
        return sorted(found, key=lambda i: i.sku)[:count]

    plans = [
        ("SUP-ACME", m.PoState.APPROVED, by_tracking(m.Tracking.LOT, 2) + by_tracking("NONE", 1)),
        ("SUP-VOLT", m.PoState.APPROVED, by_tracking(m.Tracking.SERIAL, 1)),
        ("SUP-NORD", m.PoState.SUBMITTED, by_tracking(m.Tracking.LOT, 1)),
        ("SUP-CLEAN", m.PoState.APPROVED, by_tracking("NONE", 2)),
    ]
    for supplier_code, state, lines in plans:
        supplier = suppliers.get(supplier_code)
        if supplier is None or not lines:
            continue
        await _demo_purchase_order(session, wh, supplier, state, lines, dock)
    await session.flush()


async def _demo_purchase_order(
    session: AsyncSession,
    wh: m.Warehouse,
    supplier: m.Supplier,
    state: str,
    lines: list[m.Item],
    dock: m.Bin | None,
) -> None:
    """One purchase order with its lines (in cases where the item has them); an approved
    one gets its RECEIVE task at the dock."""
    supplier_code = supplier.code
    today = date.today()
    po = m.PurchaseOrder(
        code="",
        number="",
        warehouse_id=wh.id,
        supplier_id=supplier.id,
        state=state,
        submitted_at=utcnow(),
        approved_at=utcnow() if state == m.PoState.APPROVED else None,
        required_levels=[] if state == m.PoState.APPROVED else [1],
    )
    session.add(po)
    await session.flush()
    po.number = f"{wh.code}-{po.id:06d}"
    po.code = make_code(CodeKind.PO, po.number)
    total = 0
    for line_no, item in enumerate(lines, start=1):
        case = await session.scalar(
            select(m.ItemPackaging).where(m.ItemPackaging.item_id == item.id)
        )
        serial = item.tracking == m.Tracking.SERIAL
        units = 5 if serial or case is None else 4
        size = 1 if serial or case is None else case.quantity
        price = item.unit_cost_cents * size
        total += units * price
        session.add(
            m.PurchaseOrderLine(
                po_id=po.id,
                line_no=line_no,
                item_id=item.id,
                packaging_id=None if size == 1 or case is None else case.id,
                ordered_units=units,
                quantity=units * size,
                unit_price_cents=price,
                due_date=today + timedelta(days=line_no),
            )
        )
    if supplier_code == "SUP-CLEAN":
        # This supplier announces its delivery: one pallet (a GS1 company prefix of
        # the supplier's) with every line on it, received at the dock with one scan.
        await _announce_demo_pallet(session, po)
    # The approved orders are under the demo rule's amount or were approved already.
    po.total_cents = total if state == m.PoState.APPROVED else max(total, 60_000)
    if state == m.PoState.APPROVED:
        task = m.Task(
            warehouse_id=wh.id,
            kind=m.TaskKind.RECEIVE,
            role=Role.RECEIVER.value,
            title=f"Receive {po.number} from {supplier.name}",
            priority=5,
            bin_id=dock.id if dock else None,
            zone_id=dock.zone_id if dock else None,
            reference=po.code,
            payload={"po_code": po.code, "po_id": po.id},
            created_at=utcnow(),
        )
        session.add(task)
        await session.flush()
        po.receive_task_id = task.id


DEMO_SUPPLIER_GS1_PREFIX = "8800001"


async def _announce_demo_pallet(session: AsyncSession, po: m.PurchaseOrder) -> None:
    await session.flush()
    pallet = m.InboundPallet(
        sscc=sscc18(0, DEMO_SUPPLIER_GS1_PREFIX, po.id),
        warehouse_id=po.warehouse_id,
        po_id=po.id,
        reference=f"ASN-{po.number}",
        state=m.PalletState.EXPECTED,
    )
    session.add(pallet)
    await session.flush()
    lines = await session.scalars(
        select(m.PurchaseOrderLine)
        .where(m.PurchaseOrderLine.po_id == po.id)
        .order_by(m.PurchaseOrderLine.line_no)
    )
    for line in lines:
        session.add(
            m.InboundPalletLine(
                pallet_id=pallet.id,
                line_no=line.line_no,
                item_id=line.item_id,
                quantity=line.quantity,
            )
        )


# -- shipping: the packing bench's carton types --------------------------------------


async def seed_shipping(session: AsyncSession) -> None:
    for code, name, dims, max_g, tare_g in [
        ("BOX-S", "Small box", (250, 180, 120), 5_000, 180),
        ("BOX-M", "Medium box", (400, 300, 250), 15_000, 420),
        ("BOX-L", "Large box", (600, 400, 400), 25_000, 900),
        ("BOX-XL", "Extra large box", (800, 600, 500), 30_000, 1_400),
    ]:
        length, width, height = dims
        session.add(
            m.CartonType(
                code=code,
                name=name,
                length_mm=length,
                width_mm=width,
                height_mm=height,
                max_weight_g=max_g,
                tare_weight_g=tare_g,
            )
        )
    await session.flush()
