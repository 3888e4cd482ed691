"""Reads go straight to the database, scoped to the caller's warehouses."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Union

import strawberry
from sqlalchemy import Select, or_, select

from backend.catalog.parties import customer_exposure
from backend.core.audit_trail import AuditFilter, audit_csv, audit_query, user_names
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import read_scope
from backend.scan import GS1Scan, InternalScan, parse_scan
from backend.schema.context import Info
from backend.schema.errors import ScanError, to_user_error
from backend.schema.pagination import Connection, Edge, paginate
from backend.schema.types import (
    AuditEntry,
    Bin,
    Item,
    Lot,
    Party,
    Quant,
    StockMove,
    Task,
    User,
    Warehouse,
)
from backend.tasks.engine import task_view, visible_tasks_query


def user_of(principal: Principal) -> User:
    return User(
        id=strawberry.ID(str(principal.user_id)),
        username=principal.username,
        display_name=principal.display_name,
        roles=sorted(principal.roles),
        locale=principal.locale,
        warehouse_ids=[strawberry.ID(str(w)) for w in sorted(principal.warehouse_ids)],
        home_warehouse_id=None
        if principal.home_warehouse_id is None
        else strawberry.ID(str(principal.home_warehouse_id)),
    )


@strawberry.type
class ScanResolved:
    kind: str
    normalized: str
    label: str
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    sscc: str | None = None


ResolveScanResult = Annotated[Union[ScanResolved, ScanError], strawberry.union("ResolveScanResult")]  # noqa: UP007


async def _resolve_label(info: Info, scan: InternalScan | GS1Scan) -> ScanResolved:
    async with info.context.db() as session:
        if isinstance(scan, InternalScan):
            label = scan.code
            if scan.kind.value == "BIN":
                row = await session.scalar(select(m.Bin).where(m.Bin.code == scan.code))
                label = row.label if row else scan.code
            return ScanResolved(kind=scan.kind.value, normalized=scan.code, label=label)
        label = scan.gtin or scan.sscc or scan.raw
        if scan.gtin:
            item = await session.scalar(
                select(m.Item)
                .join(m.ItemBarcode, m.ItemBarcode.item_id == m.Item.id)
                .where(m.ItemBarcode.gtin == scan.gtin)
            )
            label = f"{item.sku} {item.name}" if item else scan.gtin
        return ScanResolved(
            kind="SSCC" if scan.sscc and not scan.gtin else "GS1",
            normalized=scan.gtin or scan.sscc or scan.raw,
            label=label,
            gtin=scan.gtin,
            lot=scan.lot,
            serial=scan.serial,
            sscc=scan.sscc,
        )


@strawberry.type
class Query:
    @strawberry.field(description="The signed-in user.")
    async def me(self, info: Info) -> User:
        return user_of(await info.context.require_principal())

    @strawberry.field
    async def warehouses(self, info: Info) -> list[Warehouse]:
        principal = await info.context.require(Perm.MASTER_READ)
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.Warehouse)
                .where(read_scope(principal).clause(m.Warehouse.id))
                .order_by(m.Warehouse.id)
            )
            return [Warehouse.of(w) for w in rows]

    @strawberry.field
    async def items(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        search: str | None = None,
        abc_class: str | None = None,
    ) -> Connection[Item]:
        await info.context.require(Perm.MASTER_READ)
        stmt = select(m.Item)
        if search:
            pattern = f"%{search.strip()}%"
            stmt = stmt.where(or_(m.Item.sku.ilike(pattern), m.Item.name.ilike(pattern)))
        if abc_class:
            stmt = stmt.where(m.Item.abc_class == abc_class)
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.Item.id,
                Item.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="An item by SKU or by any of its GTINs.")
    async def item(
        self, info: Info, sku: str | None = None, gtin: str | None = None
    ) -> Item | None:
        await info.context.require(Perm.MASTER_READ)
        async with info.context.db() as session:
            if sku is not None:
                row = await session.scalar(select(m.Item).where(m.Item.sku == sku))
            elif gtin is not None:
                row = await session.scalar(
                    select(m.Item)
                    .join(m.ItemBarcode, m.ItemBarcode.item_id == m.Item.id)
                    .where(m.ItemBarcode.gtin == gtin.zfill(14))
                )
            else:
                return None
            return Item.of(row) if row else None

    @strawberry.field
    async def bins(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        zone_code: str | None = None,
        aisle: int | None = None,
    ) -> Connection[Bin]:
        principal = await info.context.require(Perm.MASTER_READ)
        stmt = select(m.Bin).where(read_scope(principal, warehouse_id).clause(m.Bin.warehouse_id))
        if zone_code:
            stmt = stmt.join(m.Zone, m.Zone.id == m.Bin.zone_id).where(m.Zone.code == zone_code)
        if aisle is not None:
            stmt = stmt.where(m.Bin.aisle == aisle)
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.Bin.id,
                Bin.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field
    async def bin(self, info: Info, code: str) -> Bin | None:
        principal = await info.context.require(Perm.MASTER_READ)
        async with info.context.db() as session:
            row = await session.scalar(select(m.Bin).where(m.Bin.code == code.strip().upper()))
            return Bin.of(row) if row and principal.in_scope(row.warehouse_id) else None

    @strawberry.field
    async def lots(
        self, info: Info, item_sku: str, first: int = 50, after: str | None = None
    ) -> Connection[Lot]:
        await info.context.require(Perm.STOCK_READ)
        stmt = select(m.Lot).join(m.Item, m.Item.id == m.Lot.item_id).where(m.Item.sku == item_sku)
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.Lot.id,
                Lot.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="Stock on bins by item, bin, lot and status.")
    async def stock(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        item_sku: str | None = None,
        bin_code: str | None = None,
        lot_number: str | None = None,
        status: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[Quant]:
        principal = await info.context.require(Perm.STOCK_READ)
        stmt: Select = (  # type: ignore[type-arg]
            select(m.Quant, m.Item, m.Bin, m.Lot)
            .join(m.Item, m.Item.id == m.Quant.item_id)
            .join(m.Bin, m.Bin.id == m.Quant.bin_id)
            .outerjoin(m.Lot, m.Lot.id == m.Quant.lot_id)
            .where(
                read_scope(principal, warehouse_id).clause(m.Bin.warehouse_id),
                m.Quant.on_hand > 0,
            )
        )
        if item_sku:
            stmt = stmt.where(m.Item.sku == item_sku)
        if bin_code:
            stmt = stmt.where(m.Bin.code == bin_code.strip().upper())
        if lot_number:
            stmt = stmt.where(m.Lot.lot_number == lot_number)
        if status:
            stmt = stmt.where(m.Quant.status == status)
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.Quant.id,
                lambda row: Quant.of(*row),
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
                scalars=False,
            )

    @strawberry.field(description="The stock ledger, newest last.")
    async def stock_moves(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        item_sku: str | None = None,
        bin_code: str | None = None,
    ) -> Connection[StockMove]:
        principal = await info.context.require(Perm.STOCK_READ)
        # A move is shown where one of its ends lies in a warehouse the caller reads.
        in_scope = select(m.Bin.id).where(read_scope(principal).clause(m.Bin.warehouse_id))
        stmt = select(m.StockMove).where(
            or_(m.StockMove.from_bin_id.in_(in_scope), m.StockMove.to_bin_id.in_(in_scope))
        )
        if item_sku:
            stmt = stmt.join(m.Item, m.Item.id == m.StockMove.item_id).where(m.Item.sku == item_sku)
        if bin_code:
            bin_ids = select(m.Bin.id).where(m.Bin.code == bin_code.strip().upper())
            stmt = stmt.where(
                or_(m.StockMove.from_bin_id.in_(bin_ids), m.StockMove.to_bin_id.in_(bin_ids))
            )
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.StockMove.id,
                StockMove.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field
    async def suppliers(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Party]:
        return await _parties(info, m.Supplier, first, after)

    @strawberry.field
    async def customers(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Party]:
        return await _parties(info, m.Customer, first, after)

    @strawberry.field
    async def carriers(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Party]:
        return await _parties(info, m.Carrier, first, after)

    @strawberry.field
    async def users(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[User]:
        await info.context.require(Perm.USER_MANAGE)
        async with info.context.db() as session:
            roles: dict[int, list[str]] = {}
            for user_id, role in await session.execute(select(m.UserRole.user_id, m.UserRole.role)):
                roles.setdefault(user_id, []).append(role)
            scopes: dict[int, list[strawberry.ID]] = {}
            for user_id, wid in await session.execute(
                select(m.UserWarehouse.user_id, m.UserWarehouse.warehouse_id)
            ):
                scopes.setdefault(user_id, []).append(strawberry.ID(str(wid)))

            def to_user(row: m.User) -> User:
                return User(
                    id=strawberry.ID(str(row.id)),
                    username=row.username,
                    display_name=row.display_name,
                    roles=sorted(roles.get(row.id, [])),
                    locale=row.locale,
                    warehouse_ids=scopes.get(row.id, []),
                    home_warehouse_id=None
                    if row.home_warehouse_id is None
                    else strawberry.ID(str(row.home_warehouse_id)),
                    active=row.active,
                    badge_code=row.badge_code,
                )

            return await paginate(
                session,
                select(m.User),
                m.User.id,
                to_user,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(
        description="Open tasks the caller may work on and the ones they hold, in id order."
    )
    async def my_tasks(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Task]:
        principal = await info.context.require(Perm.TASK_READ)

        stmt = visible_tasks_query(principal)
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.Task.id,
                lambda t: t,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            tasks = [Task.of_view(await task_view(session, edge.node)) for edge in page.edges]
        return Connection(
            edges=[Edge(cursor=e.cursor, node=t) for e, t in zip(page.edges, tasks, strict=True)],
            page_info=page.page_info,
        )

    @strawberry.field(description="What a scanned code is, without changing anything.")
    async def resolve_scan(self, info: Info, code: str) -> ResolveScanResult:
        await info.context.require_principal()
        try:
            scan = parse_scan(code)
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return await _resolve_label(info, scan)

    @strawberry.field(
        description="The audit trail, oldest first: who did what, when, from which device; "
        "every filter narrows it. Scoped to the caller's warehouses."
    )
    async def audit_entries(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        user_id: strawberry.ID | None = None,
        username: str | None = None,
        action: str | None = None,
        device_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[AuditEntry]:
        principal = await info.context.require(Perm.AUDIT_READ)
        wanted = AuditFilter(
            entity=entity,
            entity_id=entity_id,
            user_id=None if user_id is None else parse_id(user_id, "userId"),
            username=username,
            action=action,
            device_id=device_id,
            since=since,
            until=until,
            warehouse_id=warehouse_id,
        )
        stmt = audit_query(principal, wanted)

        def to_entry(row: m.AuditEntry) -> AuditEntry:
            return AuditEntry(
                id=strawberry.ID(str(row.id)),
                at=row.at,
                user_id=None if row.user_id is None else strawberry.ID(str(row.user_id)),
                device_id=row.device_id,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                warehouse_id=None
                if row.warehouse_id is None
                else strawberry.ID(str(row.warehouse_id)),
                detail=json.dumps(row.detail or {}, sort_keys=True, default=str),
            )

        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.AuditEntry.id,
                to_entry,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            names = await user_names(
                session, {int(e.node.user_id) for e in page.edges if e.node.user_id is not None}
            )
        for edge in page.edges:
            if edge.node.user_id is not None:
                edge.node.user_name = names.get(int(edge.node.user_id))
        return page

    @strawberry.field(
        description="The entries `auditEntries` lists for the same filters, as CSV text "
        "with a header line (at most 50,000; narrow the time window for more)."
    )
    async def audit_csv(
        self,
        info: Info,
        entity: str | None = None,
        entity_id: str | None = None,
        user_id: strawberry.ID | None = None,
        username: str | None = None,
        action: str | None = None,
        device_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> str:
        principal = await info.context.require(Perm.AUDIT_READ)
        wanted = AuditFilter(
            entity=entity,
            entity_id=entity_id,
            user_id=None if user_id is None else parse_id(user_id, "userId"),
            username=username,
            action=action,
            device_id=device_id,
            since=since,
            until=until,
            warehouse_id=warehouse_id,
        )
        async with info.context.db() as session:
            return await audit_csv(session, principal, wanted)


async def _parties(
    info: Info,
    model: type[m.Supplier] | type[m.Customer] | type[m.Carrier],
    first: int,
    after: str | None,
) -> Connection[Party]:
    await info.context.require(Perm.MASTER_READ)

    async with info.context.db() as session:
        page = await paginate(
            session,
            select(model),
            model.id,
            lambda row: row,
            first=first,
            after=after,  # type: ignore[arg-type]
            max_page_size=info.context.app.settings.max_page_size,
        )
        exposure = (
            await customer_exposure(session, [e.node.id for e in page.edges])
            if model is m.Customer
            else {}
        )
        # Mapped inside the session: its rows expire when the read ends.
        return Connection(
            edges=[
                Edge(cursor=e.cursor, node=Party.of(e.node, exposure.get(e.node.id)))
                for e in page.edges
            ],
            page_info=page.page_info,
        )
