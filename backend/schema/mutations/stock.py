from __future__ import annotations

import strawberry
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.inventory import reservations
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded


@strawberry.type
class ReservedLine:
    reservation_id: strawberry.ID
    bin_id: strawberry.ID
    lot_id: strawberry.ID | None
    quantity: int


@strawberry.type
class ReserveStockSuccess:
    requested: int
    reserved: int
    lines: list[ReservedLine]


@strawberry.type
class ReleaseReservationSuccess:
    reservation_id: strawberry.ID
    quantity: int


ReserveStockResult = result_union("ReserveStockResult", ReserveStockSuccess)
ReleaseReservationResult = result_union("ReleaseReservationResult", ReleaseReservationSuccess)


@strawberry.input
class ReserveStockInput:
    item_sku: str
    quantity: int
    reference: str
    idempotency_key: str
    warehouse_id: strawberry.ID | None = None
    allow_partial: bool = False


@strawberry.input
class ReleaseReservationInput:
    reservation_id: strawberry.ID
    idempotency_key: str


@strawberry.type
class StockMutations:
    @guarded(
        Perm.STOCK_RESERVE, description="Promise stock to a demand: FEFO/FIFO, never oversold."
    )
    async def reserve_stock(self, info: Info, input: ReserveStockInput) -> ReserveStockResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReserveStockSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            reference = input.reference.strip()
            if not reference or len(reference) > 80:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, "A reference of 1–80 characters.", "reference"
                )
            item_id = await uow.session.scalar(
                select(m.Item.id).where(m.Item.sku == input.item_sku)
            )
            if item_id is None:
                raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
            outcome = await reservations.reserve(
                uow.session,
                item_id=item_id,
                warehouse_id=wid,
                quantity=input.quantity,
                reference=reference,
                user_id=principal.user_id,
                allow_partial=input.allow_partial,
            )
            return ReserveStockSuccess(
                requested=outcome.requested,
                reserved=outcome.reserved,
                lines=[
                    ReservedLine(
                        reservation_id=strawberry.ID(str(a.reservation_id)),
                        bin_id=strawberry.ID(str(a.bin_id)),
                        lot_id=None if a.lot_id is None else strawberry.ID(str(a.lot_id)),
                        quantity=a.quantity,
                    )
                    for a in outcome.allocations
                ],
            )

        return await execute(info, input, handle, audit_entity="item")

    @guarded(Perm.STOCK_RESERVE, description="Give reserved stock back.")
    async def release_reservation(
        self, info: Info, input: ReleaseReservationInput
    ) -> ReleaseReservationResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReleaseReservationSuccess:
            reservation_id = parse_id(input.reservation_id, "reservationId")
            warehouse_id = await uow.session.scalar(
                select(m.Bin.warehouse_id)
                .join(m.Quant, m.Quant.bin_id == m.Bin.id)
                .join(m.Reservation, m.Reservation.quant_id == m.Quant.id)
                .where(m.Reservation.id == reservation_id)
            )
            if warehouse_id is not None and not principal.in_scope(warehouse_id):
                raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.")
            reservation = await reservations.release(uow.session, reservation_id)
            return ReleaseReservationSuccess(
                reservation_id=strawberry.ID(str(reservation.id)), quantity=reservation.quantity
            )

        return await execute(
            info, input, handle, audit_entity="reservation", audit_id=lambda r: r.reservation_id
        )
