# mypy: disable-error-code="valid-type"
# (results are unions built by `result_union` at import time; mypy cannot see them as types)
"""Stock control over GraphQL: moves, transfers, cycle counts, adjustments, status changes.

Floor roles never see a book quantity here: the count sheet lists what to count, a
submitted count answers only that it was recorded, a whole-bin move answers with
quantities only to callers who may read stock anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar, Union

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.alerts.signals import SignalKind, record_signal_now
from backend.control import adjustments, counts, moves, status
from backend.control.common import StockRefused
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.models.control import (
    Adjustment,
    AdjustmentReason,
    Count,
    CountLine,
    CountPlan,
    CountPlanKind,
    CountState,
    Transfer,
    TransferLine,
    TransferState,
)
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.schema.context import Info
from backend.schema.errors import (
    InputError,
    NotFoundError,
    StateError,
    UserError,
    result_union,
    to_user_error,
)
from backend.schema.mutation import Handler, execute, guarded
from backend.schema.pagination import Connection, Edge, paginate

CountPlanKindEnum = strawberry.enum(CountPlanKind, name="CountPlanKind")
AdjustmentReasonEnum = strawberry.enum(AdjustmentReason, name="AdjustmentReason")

N = TypeVar("N")
T = TypeVar("T")
log = logging.getLogger(__name__)


def _id(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


# ---------------------------------------------------------------- plain result types


@strawberry.type
class MovedStockLine:
    item_sku: str
    lot_number: str | None
    status: str
    quantity: int | None = strawberry.field(
        description="Null on a whole-bin or whole-item move when the caller may not read stock."
    )


@strawberry.type
class MoveStockSuccess:
    from_bin_code: str
    to_bin_code: str
    lines: list[MovedStockLine]
    reserved_left: int | None = strawberry.field(
        description="Reserved units that stayed on the source bin (null without stock.read)."
    )


@strawberry.type
class TransferLineView:
    item_sku: str
    lot_number: str | None
    status: str
    quantity: int
    from_bin_code: str
    to_bin_code: str | None


@strawberry.type
class TransferView:
    id: strawberry.ID
    reference: str
    state: str
    from_warehouse_code: str
    to_warehouse_code: str
    shipped_at: datetime
    received_at: datetime | None
    lines: list[TransferLineView]


@strawberry.type
class TransferSuccess:
    transfer: TransferView


@strawberry.type
class CountPlanView:
    id: strawberry.ID
    warehouse_id: strawberry.ID
    name: str
    kind: str
    abc_class: str | None
    zone_id: strawberry.ID | None
    interval_days: int | None
    bin_count: int
    last_generated_at: datetime | None


@strawberry.type
class CountPlanSuccess:
    plan: CountPlanView


@strawberry.type
class CountTaskRef:
    count_id: strawberry.ID
    task_id: strawberry.ID
    bin_code: str


@strawberry.type
class SkippedBin:
    bin_code: str
    code: str


@strawberry.type
class GenerateCountTasksSuccess:
    plan_id: strawberry.ID
    created: list[CountTaskRef]
    skipped: list[SkippedBin]


@strawberry.type
class RequestBinCountSuccess:
    count: CountTaskRef


@strawberry.type
class SubmitCountSuccess:
    """Only that the count was recorded: nothing here tells the counter the book."""

    count_id: strawberry.ID
    task_id: strawberry.ID
    lines_counted: int


@strawberry.type
class CountDecisionSuccess:
    count_id: strawberry.ID
    state: str
    adjustment_ids: list[strawberry.ID]


@strawberry.type
class ConfirmRemainingSuccess:
    """Recorded; whether it matched the book is not told (a mismatch opens a count task)."""

    bin_code: str
    item_sku: str
    recorded: bool


@strawberry.type
class AdjustmentView:
    id: strawberry.ID
    bin_code: str
    item_sku: str
    lot_number: str | None
    status: str
    quantity: int
    reason: str
    note: str
    value_cents: int
    state: str
    requested_by: strawberry.ID
    decided_by: strawberry.ID | None
    count_id: strawberry.ID | None
    move_id: strawberry.ID | None
    created_at: datetime
    decided_at: datetime | None


@strawberry.type
class AdjustmentSuccess:
    adjustment: AdjustmentView


@strawberry.type
class StatusChangedLine:
    bin_code: str
    item_sku: str
    lot_number: str | None
    status: str
    quantity: int


@strawberry.type
class StatusChangeSuccess:
    lines: list[StatusChangedLine]
    reserved_left: int = strawberry.field(
        description="Reserved units that kept their status (release the reservations first)."
    )


@strawberry.type
class BinBlockSuccess:
    bin_code: str
    blocked: bool
    units_changed: int


MoveStockResult = result_union("MoveStockResult", MoveStockSuccess)
TransferResult = result_union("TransferResult", TransferSuccess)
CountPlanResult = result_union("CountPlanResult", CountPlanSuccess)
GenerateCountTasksResult = result_union("GenerateCountTasksResult", GenerateCountTasksSuccess)
RequestBinCountResult = result_union("RequestBinCountResult", RequestBinCountSuccess)
SubmitCountResult = result_union("SubmitCountResult", SubmitCountSuccess)
CountDecisionResult = result_union("CountDecisionResult", CountDecisionSuccess)
ConfirmRemainingResult = result_union("ConfirmRemainingResult", ConfirmRemainingSuccess)
AdjustmentResult = result_union("AdjustmentResult", AdjustmentSuccess)
StatusChangeResult = result_union("StatusChangeResult", StatusChangeSuccess)
BinBlockResult = result_union("BinBlockResult", BinBlockSuccess)


# ---------------------------------------------------------------- inputs


@strawberry.input
class MoveStockInput:
    from_bin_code: str
    to_bin_code: str
    idempotency_key: str
    item_code: str | None = strawberry.field(
        default=None, description="SKU, GTIN or GS1 scan; omitted: the whole bin."
    )
    lot_number: str | None = None
    quantity: int | None = strawberry.field(
        default=None, description="Omitted: all free stock of the item (or bin)."
    )
    status: str = strawberry.field(
        default="AVAILABLE", description="The status moved when a quantity is given."
    )


@strawberry.input
class TransferLineInput:
    bin_code: str
    item_code: str
    quantity: int
    lot_number: str | None = None


@strawberry.input
class CreateTransferInput:
    to_warehouse_code: str
    lines: list[TransferLineInput]
    idempotency_key: str
    reference: str | None = None


@strawberry.input
class ReceiveTransferInput:
    bin_code: str
    idempotency_key: str
    transfer_id: strawberry.ID | None = None
    reference: str | None = strawberry.field(
        default=None,
        description="Instead of the id: the reference on the delivery note (TRF-12), as "
        "scanned or typed at the destination.",
    )


@strawberry.input
class CreateCountPlanInput:
    name: str
    kind: CountPlanKindEnum  # type: ignore[valid-type]
    idempotency_key: str
    abc_class: str | None = None
    zone_code: str | None = None
    interval_days: int | None = strawberry.field(
        default=None, description="Skip bins counted more recently; default per ABC class."
    )
    bin_codes: list[str] | None = None
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class GenerateCountTasksInput:
    plan_id: strawberry.ID
    idempotency_key: str
    limit: int | None = None


@strawberry.input
class RequestBinCountInput:
    bin_code: str
    idempotency_key: str


@strawberry.input
class CountedLineInput:
    item_code: str
    quantity: int
    lot_number: str | None = None


@strawberry.input
class SubmitCountInput:
    task_id: strawberry.ID
    lines: list[CountedLineInput]
    idempotency_key: str


@strawberry.input
class CountDecisionInput:
    count_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class ConfirmRemainingInput:
    bin_code: str
    item_code: str
    quantity: int
    idempotency_key: str
    lot_number: str | None = None


@strawberry.input
class AdjustStockInput:
    bin_code: str
    item_code: str
    quantity: int = strawberry.field(description="Signed: + for FOUND, - for the others.")
    reason_code: AdjustmentReasonEnum  # type: ignore[valid-type]
    idempotency_key: str
    lot_number: str | None = None
    note: str | None = None
    status: str = "AVAILABLE"


@strawberry.input
class AdjustmentDecisionInput:
    adjustment_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class ChangeStockStatusInput:
    item_code: str
    from_status: str
    to_status: str
    idempotency_key: str
    lot_number: str | None = None
    bin_code: str | None = strawberry.field(
        default=None, description="Omitted: every bin of the warehouse (freeze a lot)."
    )
    quantity: int | None = None
    warehouse_id: strawberry.ID | None = None
    reason: str | None = None


@strawberry.input
class BlockBinInput:
    bin_code: str
    idempotency_key: str
    reason: str | None = None


@strawberry.input
class UnblockBinInput:
    bin_code: str
    idempotency_key: str


# ---------------------------------------------------------------- views from rows


async def _bin_code(session: AsyncSession, bin_id: int | None) -> str | None:
    if bin_id is None:
        return None
    row = await session.get(m.Bin, bin_id)
    return row.code if row else None


async def _lot_number(session: AsyncSession, lot_id: int | None) -> str | None:
    if lot_id is None:
        return None
    row = await session.get(m.Lot, lot_id)
    return row.lot_number if row else None


async def _sku(session: AsyncSession, item_id: int) -> str:
    row = await session.get(m.Item, item_id)
    return row.sku if row else str(item_id)


async def transfer_view(session: AsyncSession, transfer: Transfer) -> TransferView:
    lines = await session.scalars(
        select(TransferLine)
        .where(TransferLine.transfer_id == transfer.id)
        .order_by(TransferLine.id)
    )
    source = await session.get(m.Warehouse, transfer.from_warehouse_id)
    target = await session.get(m.Warehouse, transfer.to_warehouse_id)
    return TransferView(
        id=strawberry.ID(str(transfer.id)),
        reference=transfer.reference,
        state=transfer.state,
        from_warehouse_code=source.code if source else "",
        to_warehouse_code=target.code if target else "",
        shipped_at=transfer.shipped_at,
        received_at=transfer.received_at,
        lines=[
            TransferLineView(
                item_sku=await _sku(session, line.item_id),
                lot_number=await _lot_number(session, line.lot_id),
                status=line.status,
                quantity=line.quantity,
                from_bin_code=await _bin_code(session, line.from_bin_id) or "",
                to_bin_code=await _bin_code(session, line.to_bin_id),
            )
            for line in lines
        ],
    )


async def adjustment_view(session: AsyncSession, row: Adjustment) -> AdjustmentView:
    return AdjustmentView(
        id=strawberry.ID(str(row.id)),
        bin_code=await _bin_code(session, row.bin_id) or "",
        item_sku=await _sku(session, row.item_id),
        lot_number=await _lot_number(session, row.lot_id),
        status=row.status,
        quantity=row.quantity,
        reason=row.reason,
        note=row.note,
        value_cents=row.value_cents,
        state=row.state,
        requested_by=strawberry.ID(str(row.requested_by)),
        decided_by=_id(row.decided_by),
        count_id=_id(row.count_id),
        move_id=_id(row.move_id),
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


def plan_view(plan: CountPlan) -> CountPlanView:
    return CountPlanView(
        id=strawberry.ID(str(plan.id)),
        warehouse_id=strawberry.ID(str(plan.warehouse_id)),
        name=plan.name,
        kind=plan.kind,
        abc_class=plan.abc_class,
        zone_id=_id(plan.zone_id),
        interval_days=plan.interval_days,
        bin_count=len(plan.bin_ids.get("bins", [])),
        last_generated_at=plan.last_generated_at,
    )


async def _task_ref(session: AsyncSession, count: Count) -> CountTaskRef:
    return CountTaskRef(
        count_id=strawberry.ID(str(count.id)),
        task_id=strawberry.ID(str(count.task_id)),
        bin_code=await _bin_code(session, count.bin_id) or "",
    )


# ---------------------------------------------------------------- read types


@strawberry.type
class CountSheetLine:
    item_sku: str
    item_name: str
    base_unit: str
    tracking: str
    lot_number: str | None
    expiry: date | None


@strawberry.type(description="What to count on one bin. Blind: never the book quantity.")
class CountSheet:
    task_id: strawberry.ID
    count_id: strawberry.ID | None
    task_state: str
    title: str
    bin_code: str
    bin_label: str
    zone_code: str
    aisle: int | None
    bay: int | None
    level: int | None
    lines: list[CountSheetLine]


CountTaskSheetResult = Annotated[
    Union[CountSheet, NotFoundError, StateError, InputError],  # noqa: UP007
    strawberry.union("CountTaskSheetResult"),
]


def sheet_view(sheet: counts.Sheet) -> CountSheet:
    return CountSheet(
        task_id=strawberry.ID(str(sheet.task.id)),
        count_id=_id(sheet.count.id) if sheet.count else None,
        task_state=sheet.task.state,
        title=sheet.task.title,
        bin_code=sheet.bin.code,
        bin_label=sheet.bin.label,
        zone_code=sheet.zone_code,
        aisle=sheet.bin.aisle,
        bay=sheet.bin.bay,
        level=sheet.bin.level,
        lines=[
            CountSheetLine(
                item_sku=line.sku,
                item_name=line.name,
                base_unit=line.base_unit,
                tracking=line.tracking,
                lot_number=line.lot_number,
                expiry=line.expiry,  # type: ignore[arg-type]
            )
            for line in sheet.lines
        ],
    )


@strawberry.type
class VarianceLine:
    item_sku: str
    lot_number: str | None
    book: int
    counted: int
    variance: int
    value_cents: int
    state: str


@strawberry.type(description="A submitted count with its book, counted and variance per line.")
class CountReview:
    count_id: strawberry.ID
    task_id: strawberry.ID
    bin_code: str
    state: str
    origin: str
    counted_by: strawberry.ID | None
    submitted_at: datetime | None
    recount_of_id: strawberry.ID | None
    decided_by: strawberry.ID | None
    lines: list[VarianceLine]


async def review_view(session: AsyncSession, count: Count) -> CountReview:
    rows = await session.execute(
        select(CountLine, m.Item)
        .join(m.Item, m.Item.id == CountLine.item_id)
        .where(CountLine.count_id == count.id)
        .order_by(CountLine.id)
    )
    return CountReview(
        count_id=strawberry.ID(str(count.id)),
        task_id=strawberry.ID(str(count.task_id)),
        bin_code=await _bin_code(session, count.bin_id) or "",
        state=count.state,
        origin=count.origin,
        counted_by=_id(count.counted_by),
        submitted_at=count.submitted_at,
        recount_of_id=_id(count.recount_of_id),
        decided_by=_id(count.decided_by),
        lines=[
            VarianceLine(
                item_sku=item.sku,
                lot_number=await _lot_number(session, line.lot_id),
                book=line.book,
                counted=line.counted,
                variance=line.variance,
                value_cents=abs(line.variance) * item.unit_cost_cents,
                state=line.state,
            )
            for line, item in rows
        ],
    )


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
            Count.state == CountState.OPEN, Count.warehouse_id.in_(_scope(principal, warehouse_id))
        )
        if plan_id is not None:
            stmt = stmt.where(Count.plan_id == _read_id(plan_id, "planId"))
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
        stmt = select(CountPlan).where(CountPlan.warehouse_id.in_(_scope(principal, warehouse_id)))
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
            Count.warehouse_id.in_(_scope(principal, warehouse_id)),
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
            Adjustment.warehouse_id.in_(_scope(principal, warehouse_id))
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
        scope = _scope(principal, warehouse_id)
        stmt = select(Transfer).where(
            Transfer.state == TransferState.IN_TRANSIT,
            or_(Transfer.from_warehouse_id.in_(scope), Transfer.to_warehouse_id.in_(scope)),
        )
        async with info.context.db() as session:
            return await _page(info, session, stmt, Transfer.id, transfer_view, first, after)


def _read_id(raw: strawberry.ID, field: str) -> int:
    """An id argument of a list read. Lists answer with a page, not a result union, so a
    malformed id is a GraphQL error carrying the code and field a mutation would give."""
    try:
        return parse_id(raw, field)
    except DomainError as error:
        raise GraphQLError(
            error.message, extensions={"code": error.code.value, "field": error.field}
        ) from None


def _scope(principal: Principal, warehouse_id: strawberry.ID | None) -> list[int]:
    """The warehouse asked for if the caller works there (else nothing), or all theirs."""
    if warehouse_id is not None:
        wid = _read_id(warehouse_id, "warehouseId")
        return [wid] if principal.in_scope(wid) else []
    return sorted(principal.warehouse_ids)


# ---------------------------------------------------------------- mutations


async def _execute(
    info: Info,
    data: Any,
    handler: Handler[T],
    *,
    audit_entity: str | None = None,
    audit_id: Callable[[T], object] | None = None,
) -> T | UserError:
    """`execute`, and a take refused for lack of stock reported to the alert rules
    (NEGATIVE_AVAILABILITY) in a transaction of its own, since the refused unit of work
    rolled back everything it wrote."""
    refused: list[tuple[StockRefused, int]] = []

    async def watched(uow: UnitOfWork, principal: Principal) -> T:
        try:
            return await handler(uow, principal)
        except StockRefused as error:
            refused.append((error, principal.user_id))
            raise

    result = await execute(info, data, watched, audit_entity=audit_entity, audit_id=audit_id)
    if refused:
        error, user_id = refused[-1]  # a retried unit of work refuses the same take again
        try:
            await record_signal_now(
                info.context.app.sessions,
                SignalKind.INSUFFICIENT_STOCK,
                warehouse_id=error.warehouse_id,
                item_id=error.item_id,
                bin_id=error.bin_id,
                quantity=error.quantity,
                reference=info.field_name,
                user_id=user_id,
            )
        except SQLAlchemyError:
            # The caller's answer is the refusal either way; a lost signal only weakens a rule.
            log.warning("could not record the refused %s as an alert signal", info.field_name)
    return result


@strawberry.type
class ControlMutation:
    @guarded(
        Perm.STOCK_MOVE,
        description="Move free stock bin to bin (whole bin, item, lot or quantity).",
    )
    async def move_stock(self, info: Info, input: MoveStockInput) -> MoveStockResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> MoveStockSuccess:
            outcome = await moves.move_stock(
                uow,
                principal,
                from_code=input.from_bin_code,
                to_code=input.to_bin_code,
                item_code=input.item_code,
                lot_number=input.lot_number,
                quantity=input.quantity,
                status=input.status,
            )
            # Whole-bin moves would otherwise tell a floor role the book quantity.
            sees_stock = principal.can(Perm.STOCK_READ) or input.quantity is not None
            return MoveStockSuccess(
                from_bin_code=outcome.from_bin.code,
                to_bin_code=outcome.to_bin.code,
                lines=[
                    MovedStockLine(
                        item_sku=line.sku,
                        lot_number=line.lot_number,
                        status=line.status,
                        quantity=line.quantity if sees_stock else None,
                    )
                    for line in outcome.lines
                ],
                reserved_left=outcome.reserved_left if principal.can(Perm.STOCK_READ) else None,
            )

        return await _execute(
            info, input, handle, audit_entity="bin", audit_id=lambda r: r.from_bin_code
        )

    @guarded(
        Perm.STOCK_ADJUST,
        description="Ship stock to another warehouse; it is in transit until received.",
    )
    async def create_transfer(self, info: Info, input: CreateTransferInput) -> TransferResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TransferSuccess:
            transfer = await moves.create_transfer(
                uow,
                principal,
                to_warehouse_code=input.to_warehouse_code,
                lines=[
                    moves.TransferRequestLine(
                        bin_code=line.bin_code,
                        item_code=line.item_code,
                        quantity=line.quantity,
                        lot_number=line.lot_number,
                    )
                    for line in input.lines
                ],
                reference=input.reference,
            )
            return TransferSuccess(transfer=await transfer_view(uow.session, transfer))

        return await _execute(
            info, input, handle, audit_entity="transfer", audit_id=lambda r: r.transfer.id
        )

    @guarded(
        Perm.RECEIVE, description="Receive a transfer into a bin of the destination warehouse."
    )
    async def receive_transfer(self, info: Info, input: ReceiveTransferInput) -> TransferResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> TransferSuccess:
            transfer_id = (
                parse_id(input.transfer_id, "transferId")
                if input.transfer_id is not None
                else await moves.transfer_by_reference(uow.session, principal, input.reference)
            )
            transfer = await moves.receive_transfer(
                uow, principal, transfer_id=transfer_id, bin_code=input.bin_code
            )
            return TransferSuccess(transfer=await transfer_view(uow.session, transfer))

        return await _execute(
            info, input, handle, audit_entity="transfer", audit_id=lambda r: r.transfer.id
        )

    @guarded(
        Perm.TASK_MANAGE, description="A count plan: by ABC class, zone, flagged bins or a list."
    )
    async def create_count_plan(self, info: Info, input: CreateCountPlanInput) -> CountPlanResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CountPlanSuccess:
            plan = await counts.create_plan(
                uow,
                principal,
                warehouse_id=acting_warehouse(principal, input.warehouse_id),
                name=input.name,
                kind=CountPlanKind(input.kind),
                abc_class=input.abc_class,
                zone_code=input.zone_code,
                interval_days=input.interval_days,
                bin_codes=input.bin_codes,
            )
            return CountPlanSuccess(plan=plan_view(plan))

        return await _execute(
            info, input, handle, audit_entity="count_plan", audit_id=lambda r: r.plan.id
        )

    @guarded(
        Perm.TASK_MANAGE,
        description="One COUNT task per bin the plan selects; held bins are skipped.",
    )
    async def generate_count_tasks(
        self, info: Info, input: GenerateCountTasksInput
    ) -> GenerateCountTasksResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> GenerateCountTasksSuccess:
            generation = await counts.generate_tasks(
                uow, principal, parse_id(input.plan_id, "planId"), input.limit
            )
            return GenerateCountTasksSuccess(
                plan_id=strawberry.ID(str(generation.plan.id)),
                created=[await _task_ref(uow.session, c) for c in generation.counts],
                skipped=[SkippedBin(bin_code=s.bin_code, code=s.code) for s in generation.skipped],
            )

        return await _execute(
            info, input, handle, audit_entity="count_plan", audit_id=lambda r: r.plan_id
        )

    @guarded(
        Perm.TASK_MANAGE, description="Count one bin now; COUNT_IN_PROGRESS if a count holds it."
    )
    async def request_bin_count(
        self, info: Info, input: RequestBinCountInput
    ) -> RequestBinCountResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> RequestBinCountSuccess:
            count = await counts.request_bin_count(uow, principal, input.bin_code)
            return RequestBinCountSuccess(count=await _task_ref(uow.session, count))

        return await _execute(
            info, input, handle, audit_entity="count", audit_id=lambda r: r.count.count_id
        )

    @guarded(Perm.COUNT, description="Submit a blind count; lines not listed count as zero.")
    async def submit_count(self, info: Info, input: SubmitCountInput) -> SubmitCountResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SubmitCountSuccess:
            submission = await counts.submit_count(
                uow,
                principal,
                parse_id(input.task_id, "taskId"),
                [
                    counts.CountedLine(
                        item_code=line.item_code, quantity=line.quantity, lot_number=line.lot_number
                    )
                    for line in input.lines
                ],
            )
            return SubmitCountSuccess(
                count_id=strawberry.ID(str(submission.count.id)),
                task_id=strawberry.ID(str(submission.task.id)),
                lines_counted=submission.lines_counted,
            )

        return await _execute(
            info, input, handle, audit_entity="count", audit_id=lambda r: r.count_id
        )

    @guarded(Perm.COUNT_APPROVE, description="Turn a count's variances into applied adjustments.")
    async def approve_count_variance(
        self, info: Info, input: CountDecisionInput
    ) -> CountDecisionResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CountDecisionSuccess:
            count = await counts.approve_count(uow, principal, parse_id(input.count_id, "countId"))
            ids = await uow.session.scalars(
                select(Adjustment.id).where(Adjustment.count_id == count.id).order_by(Adjustment.id)
            )
            return CountDecisionSuccess(
                count_id=strawberry.ID(str(count.id)),
                state=count.state,
                adjustment_ids=[strawberry.ID(str(i)) for i in ids],
            )

        return await _execute(
            info, input, handle, audit_entity="count", audit_id=lambda r: r.count_id
        )

    @guarded(Perm.COUNT_APPROVE, description="Keep the book: the count's variances are rejected.")
    async def reject_count_variance(
        self, info: Info, input: CountDecisionInput
    ) -> CountDecisionResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CountDecisionSuccess:
            count = await counts.reject_count(uow, principal, parse_id(input.count_id, "countId"))
            return CountDecisionSuccess(
                count_id=strawberry.ID(str(count.id)), state=count.state, adjustment_ids=[]
            )

        return await _execute(
            info, input, handle, audit_entity="count", audit_id=lambda r: r.count_id
        )

    @guarded(Perm.COUNT, description="Say what is left on a bin; a mismatch opens a count task.")
    async def confirm_remaining(
        self, info: Info, input: ConfirmRemainingInput
    ) -> ConfirmRemainingResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ConfirmRemainingSuccess:
            bin_row, item, _ = await counts.confirm_remaining(
                uow,
                principal,
                bin_code=input.bin_code,
                item_code=input.item_code,
                quantity=input.quantity,
                lot_number=input.lot_number,
            )
            return ConfirmRemainingSuccess(bin_code=bin_row.code, item_sku=item.sku, recorded=True)

        return await _execute(
            info, input, handle, audit_entity="bin", audit_id=lambda r: r.bin_code
        )

    @guarded(
        Perm.STOCK_ADJUST,
        description="Correct the book with a reason; costly ones wait for approval.",
    )
    async def adjust_stock(self, info: Info, input: AdjustStockInput) -> AdjustmentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AdjustmentSuccess:
            row = await adjustments.adjust_stock(
                uow,
                principal,
                bin_code=input.bin_code,
                item_code=input.item_code,
                quantity=input.quantity,
                reason=AdjustmentReason(input.reason_code),
                lot_number=input.lot_number,
                note=input.note,
                status=input.status,
            )
            return AdjustmentSuccess(adjustment=await adjustment_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="adjustment", audit_id=lambda r: r.adjustment.id
        )

    @guarded(Perm.COUNT_APPROVE, description="Approve a pending adjustment: it is applied now.")
    async def approve_adjustment(
        self, info: Info, input: AdjustmentDecisionInput
    ) -> AdjustmentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AdjustmentSuccess:
            row = await adjustments.approve_adjustment(
                uow, principal, parse_id(input.adjustment_id, "adjustmentId")
            )
            return AdjustmentSuccess(adjustment=await adjustment_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="adjustment", audit_id=lambda r: r.adjustment.id
        )

    @guarded(Perm.COUNT_APPROVE, description="Reject a pending adjustment: the book stays.")
    async def reject_adjustment(
        self, info: Info, input: AdjustmentDecisionInput
    ) -> AdjustmentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AdjustmentSuccess:
            row = await adjustments.reject_adjustment(
                uow, principal, parse_id(input.adjustment_id, "adjustmentId")
            )
            return AdjustmentSuccess(adjustment=await adjustment_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="adjustment", audit_id=lambda r: r.adjustment.id
        )

    @guarded(
        Perm.STOCK_ADJUST,
        description="Change the status of free stock: freeze a lot, release quarantine.",
    )
    async def change_stock_status(
        self, info: Info, input: ChangeStockStatusInput
    ) -> StatusChangeResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> StatusChangeSuccess:
            outcome = await status.change_stock_status(
                uow,
                principal,
                item_code=input.item_code,
                from_status=input.from_status,
                to_status=input.to_status,
                lot_number=input.lot_number,
                bin_code=input.bin_code,
                quantity=input.quantity,
                warehouse_id=None
                if input.warehouse_id is None
                else parse_id(input.warehouse_id, "warehouseId"),
                reason=input.reason,
            )
            return StatusChangeSuccess(
                lines=[
                    StatusChangedLine(
                        bin_code=bin_row.code,
                        item_sku=line.sku,
                        lot_number=line.lot_number,
                        status=line.status,
                        quantity=line.quantity,
                    )
                    for bin_row, line in outcome.lines
                ],
                reserved_left=outcome.reserved_left,
            )

        return await _execute(info, input, handle, audit_entity="item")

    @guarded(
        Perm.STOCK_ADJUST, description="Block a bin: its free available stock becomes BLOCKED."
    )
    async def block_bin(self, info: Info, input: BlockBinInput) -> BinBlockResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> BinBlockSuccess:
            bin_row, block = await status.block_bin(
                uow, principal, bin_code=input.bin_code, reason=input.reason
            )
            units = sum(int(line[2]) for line in block.moved.get("lines", []))
            return BinBlockSuccess(bin_code=bin_row.code, blocked=True, units_changed=units)

        return await _execute(
            info, input, handle, audit_entity="bin", audit_id=lambda r: r.bin_code
        )

    @guarded(
        Perm.STOCK_ADJUST,
        description="Unblock a bin: what its blocking blocked is available again.",
    )
    async def unblock_bin(self, info: Info, input: UnblockBinInput) -> BinBlockResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> BinBlockSuccess:
            bin_row, block = await status.unblock_bin(uow, principal, bin_code=input.bin_code)
            units = sum(int(line[2]) for line in block.moved.get("lines", [])) if block else 0
            return BinBlockSuccess(bin_code=bin_row.code, blocked=False, units_changed=units)

        return await _execute(
            info, input, handle, audit_entity="bin", audit_id=lambda r: r.bin_code
        )
