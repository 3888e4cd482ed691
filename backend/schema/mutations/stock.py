from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.inventory import requests
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
            outcome = await requests.reserve_by_sku(
                uow.session,
                principal,
                warehouse_id=acting_warehouse(principal, input.warehouse_id),
                item_sku=input.item_sku,
                quantity=input.quantity,
                reference=input.reference,
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
            reservation = await requests.release_in_scope(
                uow.session, principal, parse_id(input.reservation_id, "reservationId")
            )
            return ReleaseReservationSuccess(
                reservation_id=strawberry.ID(str(reservation.id)), quantity=reservation.quantity
            )

        return await execute(
            info, input, handle, audit_entity="reservation", audit_id=lambda r: r.reservation_id
        )
