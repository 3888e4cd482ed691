"""Stock control reads: count sheets, plans, reviews, adjustments, stock in transit.

Every list reads the warehouses `read_scope` allows: one named outside the caller's
gives an empty page, a malformed one is INVALID_INPUT.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.control import counts, schedules
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.models.control import (
    Adjustment,
    Count,
    CountPlan,
    CountState,
    StockDisposition,
    Transfer,
    TransferState,
    VarianceCause,
)
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import ReadScope, acting_warehouse, read_scope
from backend.schema.context import Info
from backend.schema.control.types import (
    AdjustmentView,
    CountPlanProgress,
    CountPlanView,
    CountReview,
    CountScheduleView,
    CountSheet,
    CountTaskSheetResult,
    DispositionView,
    TransferView,
    VarianceCauseEnum,
    adjustment_view,
    disposition_view,
    plan_view,
    progress_view,
    review_view,
    schedule_view,
    sheet_view,
    transfer_view,
)
from backend.schema.errors import to_user_error
from backend.schema.pagination import Connection, Edge, paginate

N = TypeVar("N")


def read_id(raw: strawberry.ID, field: str) -> int:
    """An id argument of a list read. Lists answer with a page, not a result union, so a
    malformed id is a GraphQL error carrying the code and field a mutation would give."""
    try:
        return parse_id(raw, field)
    except DomainError as error:
        raise GraphQLError(
            error.message, extensions={"code": error.code.value, "field": error.field}
        ) from None


def warehouses_read(principal: Principal, warehouse_id: strawberry.ID | None) -> ReadScope:
    """`read_scope` for a list read: a malformed warehouse id is INVALID_INPUT (as a
    GraphQL error with its field), one the caller does not work in an empty scope."""
    if warehouse_id is not None:
        read_id(warehouse_id, "warehouseId")
    return read_scope(principal, warehouse_id)


async def _page(
    info: Info,
    session: AsyncSession,
    stmt: Select[Any],
    key: Any,
    build: Callable[[AsyncSession, Any], Awaitable[N]],
    first: int,
    after: str | None,
) -> Connection[N]:
    """A page of rows whose nodes need the session to build (async views)."""
    page = await paginate(
        session,
        stmt,
        key,
        lambda row: row,
        first=first,
        after=after,
        max_page_size=info.context.app.settings.max_page_size,
    )
    nodes = [await build(session, edge.node) for edge in page.edges]
    return Connection(
        edges=[Edge(cursor=e.cursor, node=n) for e, n in zip(page.edges, nodes, strict=True)],
        page_info=page.page_info,
    )


async def _sheet_of(session: AsyncSession, count: Count) -> CountSheet:
    return sheet_view(await counts.sheet_of_count(session, count))


@strawberry.type
class ControlQuery:
    @strawberry.field(
        description="The blind sheet of a count task: the bin and what to count, no book."
    )
    async def count_task_sheet(self, info: Info, task_id: strawberry.ID) -> CountTaskSheetResult:
        principal = await info.context.require(Perm.COUNT)
        try:
            async with info.context.db() as session:
                sheet = await counts.count_task_sheet(
                    session, principal, parse_id(task_id, "taskId")
                )
                return sheet_view(sheet)
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]

    @strawberry.field(description="Printable count sheets (blind) of a plan's or all open counts.")
    async def count_sheets(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        plan_id: strawberry.ID | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[CountSheet]:
        principal = await info.context.require(Perm.TASK_MANAGE)
        stmt = select(Count).where(
            Count.state == CountState.OPEN,
            warehouses_read(principal, warehouse_id).clause(Count.warehouse_id),
        )
        if plan_id is not None:
            stmt = stmt.where(Count.plan_id == read_id(plan_id, "planId"))
        async with info.context.db() as session:
            return await _page(info, session, stmt, Count.id, _sheet_of, first, after)

    @strawberry.field
    async def count_plans(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[CountPlanView]:
        principal = await info.context.require(Perm.TASK_MANAGE)
        stmt = select(CountPlan).where(
            warehouses_read(principal, warehouse_id).clause(CountPlan.warehouse_id)
        )
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                CountPlan.id,
                plan_view,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="Submitted counts with book, counted and variance (supervisors).")
    async def count_reviews(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = "PENDING_APPROVAL",
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[CountReview]:
        principal = await info.context.require(Perm.COUNT_APPROVE)
        stmt = select(Count).where(
            warehouses_read(principal, warehouse_id).clause(Count.warehouse_id),
            Count.submitted_at.is_not(None),
        )
        if state:
            stmt = stmt.where(Count.state == state)
        async with info.context.db() as session:
            return await _page(info, session, stmt, Count.id, review_view, first, after)

    @strawberry.field(description="Adjustments, by default the ones waiting for approval.")
    async def adjustments(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = "PENDING",
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[AdjustmentView]:
        principal = await info.context.require(Perm.COUNT_APPROVE)
        stmt = select(Adjustment).where(
            warehouses_read(principal, warehouse_id).clause(Adjustment.warehouse_id)
        )
        if state:
            stmt = stmt.where(Adjustment.state == state)
        async with info.context.db() as session:
            return await _page(info, session, stmt, Adjustment.id, adjustment_view, first, after)

    @strawberry.field(
        description="Transfers shipped and not yet received, from or to these warehouses."
    )
    async def stock_in_transit(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[TransferView]:
        principal = await info.context.require(Perm.STOCK_READ)
        scope = warehouses_read(principal, warehouse_id)
        stmt = select(Transfer).where(
            Transfer.state == TransferState.IN_TRANSIT,
            or_(scope.clause(Transfer.from_warehouse_id), scope.clause(Transfer.to_warehouse_id)),
        )
        async with info.context.db() as session:
            return await _page(info, session, stmt, Transfer.id, transfer_view, first, after)

    @strawberry.field(description="A warehouse's count schedule (the defaults until one is set).")
    async def count_schedule(
        self, info: Info, warehouse_id: strawberry.ID | None = None
    ) -> CountScheduleView:
        principal = await info.context.require(Perm.TASK_MANAGE)
        if warehouse_id is not None:
            read_id(warehouse_id, "warehouseId")
        try:
            wid = acting_warehouse(principal, warehouse_id)
        except DomainError as error:
            raise GraphQLError(
                error.message, extensions={"code": error.code.value, "field": error.field}
            ) from None
        async with info.context.db() as session:
            return schedule_view(
                await schedules.count_schedule(session, wid, info.context.app.settings.control)
            )

    @strawberry.field(description="Bins counted of those a plan has sent, and variances open.")
    async def count_plan_progress(self, info: Info, plan_id: strawberry.ID) -> CountPlanProgress:
        principal = await info.context.require(Perm.TASK_MANAGE)
        try:
            async with info.context.db() as session:
                return progress_view(
                    await schedules.plan_progress(session, principal, read_id(plan_id, "planId"))
                )
        except DomainError as error:
            raise GraphQLError(
                error.message, extensions={"code": error.code.value, "field": error.field}
            ) from None

    @strawberry.field(description="The causes a count variance may be decided with.")
    async def variance_causes(self, info: Info) -> list[VarianceCauseEnum]:  # type: ignore[valid-type]
        await info.context.require(Perm.COUNT_APPROVE)
        return list(VarianceCause)

    @strawberry.field(description="Rework and scrap dispositions, by default those to approve.")
    async def dispositions(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = "PENDING",
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[DispositionView]:
        principal = await info.context.require(Perm.COUNT_APPROVE)
        stmt = select(StockDisposition).where(
            warehouses_read(principal, warehouse_id).clause(StockDisposition.warehouse_id)
        )
        if state:
            stmt = stmt.where(StockDisposition.state == state)
        async with info.context.db() as session:
            return await _page(
                info, session, stmt, StockDisposition.id, disposition_view, first, after
            )
