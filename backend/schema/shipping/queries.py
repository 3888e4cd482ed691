# mypy: disable-error-code="valid-type"
"""Packing, dock, shipment and printer reads. Reads never write; rows out of scope are none."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import read_scope
from backend.documents import queue as print_queue
from backend.outbound.packing import service as packing
from backend.outbound.shipping import dock
from backend.outbound.shipping import service as shipping
from backend.schema.context import Info
from backend.schema.errors import to_user_error
from backend.schema.pagination import Connection, Edge, paginate
from backend.schema.shipping.types import (
    CartonType,
    DockOrderResult,
    PackedOrder,
    PackSession,
    Printer,
    PrintJob,
    Shipment,
)


def _parsed(raw: strawberry.ID) -> int | None:
    try:
        return parse_id(raw, "id")
    except DomainError:
        return None


@strawberry.type
class ShippingQuery:
    @strawberry.field(description="A packing session with its lines and cartons.")
    async def pack_session(self, info: Info, id: strawberry.ID) -> PackSession | None:
        principal = await info.context.require(Perm.PACK)
        session_id = _parsed(id)
        if session_id is None:
            return None
        async with info.context.db() as session:
            row = await session.get(m.PackSession, session_id)
            if row is None or not read_scope(principal).allows(row.warehouse_id):
                return None
            return PackSession.of(await packing.session_view(session, row))

    @strawberry.field
    async def carton_types(self, info: Info, include_inactive: bool = False) -> list[CartonType]:
        await info.context.require(Perm.MASTER_READ)
        stmt = select(m.CartonType).order_by(m.CartonType.code)
        if not include_inactive:
            stmt = stmt.where(m.CartonType.active.is_(True))
        async with info.context.db() as session:
            return [CartonType.of(row) for row in await session.scalars(stmt)]

    @strawberry.field(description="Packed orders waiting at the dock, oldest first.")
    async def ready_to_ship(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        carrier_code: str | None = None,
    ) -> Connection[PackedOrder]:
        principal = await info.context.require(Perm.SHIP)
        stmt = dock.ready_statement(read_scope(principal, warehouse_id), carrier_code)
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.PackSession.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            views = await dock.dock_orders(session, [edge.node for edge in page.edges])
        return Connection(
            edges=[
                Edge(cursor=e.cursor, node=PackedOrder.of(v))
                for e, v in zip(page.edges, views, strict=True)
            ],
            page_info=page.page_info,
        )

    @strawberry.field(
        description="The packed order a dock scan names: a carton's SSCC label, the order's "
        "code or number, or its tote."
    )
    async def dock_order(self, info: Info, code: str) -> DockOrderResult:
        principal = await info.context.require(Perm.SHIP)
        async with info.context.db() as session:
            try:
                return PackedOrder.of(await dock.find_for_dock(session, principal, code))
            except DomainError as error:
                return to_user_error(error)

    @strawberry.field
    async def shipment(self, info: Info, id: strawberry.ID) -> Shipment | None:
        principal = await info.context.require(Perm.SHIP)
        shipment_id = _parsed(id)
        if shipment_id is None:
            return None
        async with info.context.db() as session:
            row = await session.get(m.Shipment, shipment_id)
            if row is None or not read_scope(principal).allows(row.warehouse_id):
                return None
            return Shipment.of(await shipping.shipment_view(session, row))

    @strawberry.field(description="Shipments, newest last (keyset pages by id).")
    async def shipments(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Shipment]:
        principal = await info.context.require(Perm.SHIP)
        stmt = select(m.Shipment).where(read_scope(principal).clause(m.Shipment.warehouse_id))
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.Shipment.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            for edge in page.edges:
                edge.node = Shipment.of(await shipping.shipment_view(session, edge.node))
            return page  # type: ignore[return-value]

    @strawberry.field
    async def printers(self, info: Info, station: str | None = None) -> list[Printer]:
        principal = await info.context.require(Perm.PRINT)
        stmt = select(m.PrinterRow).where(read_scope(principal).clause(m.PrinterRow.warehouse_id))
        if station:
            stmt = stmt.where(m.PrinterRow.station == station.strip())
        async with info.context.db() as session:
            return [
                Printer.of(row) for row in await session.scalars(stmt.order_by(m.PrinterRow.id))
            ]

    @strawberry.field(description="Print jobs with their status, oldest first.")
    async def print_jobs(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = None,
        printer_id: strawberry.ID | None = None,
    ) -> Connection[PrintJob]:
        principal = await info.context.require(Perm.PRINT)
        stmt = select(m.PrintJob).where(read_scope(principal).clause(m.PrintJob.warehouse_id))
        if state:
            stmt = stmt.where(m.PrintJob.state == state.strip().upper())
        if printer_id is not None:
            stmt = stmt.where(m.PrintJob.printer_id == _parsed(printer_id))
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.PrintJob.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            for edge in page.edges:
                edge.node = PrintJob.of(await print_queue.job_view(session, edge.node))
            return page  # type: ignore[return-value]
