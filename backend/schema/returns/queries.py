# mypy: disable-error-code="valid-type"
"""Customer return reads: one by id, a list, or the one a handheld scanned."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.ids import parse_id
from backend.core.scope import read_scope
from backend.inbound import returns
from backend.schema.context import Info
from backend.schema.returns.types import CustomerReturn, ReturnableShipment, ReturnStateEnum


@strawberry.type
class ReturnQuery:
    @strawberry.field(description="A customer return in the caller's warehouses.")
    async def customer_return(self, info: Info, id: strawberry.ID) -> CustomerReturn | None:
        principal = await info.context.require(Perm.TASK_READ)
        scope = read_scope(principal, None)
        async with info.context.db() as session:
            view = await returns.get_return(session, scope, parse_id(id, "id"))
        return CustomerReturn.of(view) if view else None

    @strawberry.field(
        description="Customer returns, newest first. `code` finds the one a handheld scanned: "
        "its RMA number (the label) or its order's number (the open return of that order)."
    )
    async def customer_returns(
        self,
        info: Info,
        states: list[ReturnStateEnum] | None = None,
        code: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        first: int = 100,
    ) -> list[CustomerReturn]:
        principal = await info.context.require(Perm.TASK_READ)
        scope = read_scope(principal, warehouse_id)
        async with info.context.db() as session:
            views = await returns.list_returns(
                session,
                scope,
                states=[str(getattr(s, "value", s)) for s in states] if states else None,
                code=code,
                limit=first,
            )
        return [CustomerReturn.of(v) for v in views]

    @strawberry.field(
        description="Shipments found by an order number, waybill, shipment id or tracking "
        "number, one entry per order carried, with each line's units still returnable."
    )
    async def returnable_shipments(
        self, info: Info, code: str, warehouse_id: strawberry.ID | None = None
    ) -> list[ReturnableShipment]:
        principal = await info.context.require(Perm.TASK_READ)
        scope = read_scope(principal, warehouse_id)
        async with info.context.db() as session:
            views = await returns.returnable_shipments(session, scope, code)
        return [ReturnableShipment.of(v) for v in views]
