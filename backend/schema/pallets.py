# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Announced pallets (advance shipping notices) and the serial register in the schema."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError
from backend.inbound import pallets
from backend.inbound.common import find_po, item_by_sku
from backend.inbound.receiving import receipt_reference_for
from backend.inventory import serials
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded


@strawberry.type
class InboundPalletLine:
    line_no: int
    item_sku: str
    item_name: str
    quantity: int
    lot_number: str | None
    expiry: date | None
    serial_numbers: list[str]


@strawberry.type(description="A pallet a supplier announced by SSCC, or one received by SSCC.")
class InboundPallet:
    id: strawberry.ID
    sscc: str
    po_number: str | None
    reference: str
    state: str = strawberry.field(description="EXPECTED or RECEIVED.")
    receipt_id: strawberry.ID | None
    received_at: datetime | None
    lines: list[InboundPalletLine]


async def pallet_view(session: AsyncSession, pallet: m.InboundPallet) -> InboundPallet:
    rows = (
        await session.execute(
            select(m.InboundPalletLine, m.Item)
            .join(m.Item, m.Item.id == m.InboundPalletLine.item_id)
            .where(m.InboundPalletLine.pallet_id == pallet.id)
            .order_by(m.InboundPalletLine.line_no)
        )
    ).all()
    po = await session.get(m.PurchaseOrder, pallet.po_id) if pallet.po_id else None
    return InboundPallet(
        id=strawberry.ID(str(pallet.id)),
        sscc=pallet.sscc,
        po_number=po.number if po else None,
        reference=pallet.reference,
        state=pallet.state,
        receipt_id=strawberry.ID(str(pallet.receipt_id)) if pallet.receipt_id else None,
        received_at=pallet.received_at,
        lines=[
            InboundPalletLine(
                line_no=line.line_no,
                item_sku=item.sku,
                item_name=item.name,
                quantity=line.quantity,
                lot_number=line.lot_number,
                expiry=line.expiry,
                serial_numbers=list(line.serials or ()),
            )
            for line, item in rows
        ],
    )


@strawberry.type(description="Where a serialised unit came from and, once gone, how it left.")
class SerialNumberTrace:
    serial_number: str
    item_sku: str
    item_name: str
    state: str = strawberry.field(description="IN_STOCK, SHIPPED or RETURNED_TO_VENDOR.")
    received_at: datetime
    receipt_reference: str | None
    warehouse_id: strawberry.ID | None
    lot_number: str | None
    left_at: datetime | None
    left_reference: str | None = strawberry.field(
        description="The shipment's tracking number or the return-to-vendor code."
    )


@strawberry.input
class PalletLineInput:
    item_sku: str
    quantity: int = strawberry.field(description="Base units.")
    lot_number: str | None = None
    expiry: date | None = None
    serial_numbers: list[str] = strawberry.field(
        default_factory=list, description="One per unit for items tracked by serial."
    )


@strawberry.input
class PalletInput:
    sscc: str = strawberry.field(description="18 digits; a leading (00) is accepted.")
    lines: list[PalletLineInput]


@strawberry.input
class AnnouncePalletsInput:
    idempotency_key: str
    po_code: str
    reference: str | None = strawberry.field(
        default=None, description="The supplier's notice number."
    )
    pallets: list[PalletInput]


@strawberry.type
class AnnouncePalletsSuccess:
    po_number: str
    pallets: list[InboundPallet]


AnnouncePalletsResult = result_union("AnnouncePalletsResult", AnnouncePalletsSuccess)


@strawberry.type
class PalletMutations:
    @guarded(
        Perm.PURCHASE_MANAGE,
        description="Record a supplier's advance shipping notice: the pallets (by SSCC) coming "
        "for an order and what is on each. Scanning such an SSCC at the dock receives it whole.",
    )
    async def announce_pallets(
        self, info: Info, input: AnnouncePalletsInput
    ) -> AnnouncePalletsResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AnnouncePalletsSuccess:
            po, rows = await pallets.announce(
                uow,
                principal,
                po_code=input.po_code,
                reference=input.reference,
                pallets=[
                    pallets.PalletIn(
                        sscc=p.sscc,
                        lines=tuple(
                            pallets.PalletLineIn(
                                sku=line.item_sku,
                                quantity=line.quantity,
                                lot_number=line.lot_number,
                                expiry=line.expiry,
                                serials=tuple(line.serial_numbers),
                            )
                            for line in p.lines
                        ),
                    )
                    for p in input.pallets
                ],
            )
            views = [await pallet_view(uow.session, row) for row in rows]
            return AnnouncePalletsSuccess(po_number=po.number, pallets=views)

        return await execute(
            info,
            input,
            handle,
            audit_entity="purchase_order",
            audit_id=lambda r: r.po_number,
        )


@strawberry.type
class PalletQuery:
    @strawberry.field(description="Pallets announced for a purchase order, and their state.")
    async def inbound_pallets(
        self, info: Info, po_code: str, state: str | None = None
    ) -> list[InboundPallet]:
        principal = await info.context.require(Perm.TASK_READ)
        async with info.context.db() as session:
            try:
                po = await find_po(session, principal, po_code)
            except DomainError:
                return []
            stmt = select(m.InboundPallet).where(m.InboundPallet.po_id == po.id)
            if state:
                stmt = stmt.where(m.InboundPallet.state == state)
            rows = (await session.scalars(stmt.order_by(m.InboundPallet.id).limit(500))).all()
            return [await pallet_view(session, row) for row in rows]

    @strawberry.field(
        description="One serialised unit: in stock, shipped or returned, and where it came from."
    )
    async def serial_number(
        self, info: Info, item_sku: str, serial_number: str
    ) -> SerialNumberTrace | None:
        principal = await info.context.require(Perm.STOCK_READ)
        async with info.context.db() as session:
            try:
                item = await item_by_sku(session, item_sku)
            except DomainError:
                return None
            found = await serials.trace(session, item, serial_number)
            if found is None:
                return None
            if found.warehouse_id is not None and not principal.in_scope(found.warehouse_id):
                return None
            return SerialNumberTrace(
                serial_number=found.serial,
                item_sku=item.sku,
                item_name=item.name,
                state=found.state,
                received_at=found.received_at,
                receipt_reference=(
                    receipt_reference_for(found.receipt_id)
                    if found.receipt_id is not None
                    else None
                ),
                warehouse_id=(
                    strawberry.ID(str(found.warehouse_id)) if found.warehouse_id else None
                ),
                lot_number=found.lot_number,
                left_at=found.left_at,
                left_reference=found.left_reference,
            )
