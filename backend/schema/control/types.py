# mypy: disable-error-code="valid-type"
# (results are unions built by `result_union` at import time; mypy cannot see them as types)
"""Stock control's GraphQL types, inputs, and the views that map rows onto them.

Floor roles never see a book quantity here: the count sheet lists what to count, a
submitted count answers only that it was recorded, a whole-bin move answers with
quantities only to callers who may read stock anyway.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Union

import strawberry
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.control import counts, schedules
from backend.core.db import models as m
from backend.core.db.models.control import (
    Adjustment,
    AdjustmentReason,
    Count,
    CountLine,
    CountPlan,
    CountPlanKind,
    DispositionKind,
    StockDisposition,
    Transfer,
    TransferLine,
    VarianceCause,
)
from backend.schema.errors import InputError, NotFoundError, StateError, result_union

CountPlanKindEnum = strawberry.enum(CountPlanKind, name="CountPlanKind")
AdjustmentReasonEnum = strawberry.enum(AdjustmentReason, name="AdjustmentReason")
VarianceCauseEnum = strawberry.enum(
    VarianceCause, name="VarianceCause", description="Why a count found the book wrong."
)
DispositionKindEnum = strawberry.enum(DispositionKind, name="DispositionKind")


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
    due_at: datetime | None = None


@strawberry.type(description="Days between counts of a bin by the ABC class of its stock.")
class CountScheduleView:
    warehouse_id: strawberry.ID
    a_days: int
    b_days: int
    c_days: int
    due_days: int = strawberry.field(description="Days a due count may take before overdue.")
    configured: bool = strawberry.field(description="False: the defaults, none set here.")


@strawberry.type
class CountScheduleSuccess:
    schedule: CountScheduleView


@strawberry.type
class GenerateDueCountsSuccess:
    schedule: CountScheduleView
    created: list[CountTaskRef]
    already_open: int = strawberry.field(
        description="Bins due that a count holds already (never counted twice at once)."
    )


@strawberry.type
class RecountSuccess:
    count_id: strawberry.ID
    state: str
    recount: CountTaskRef


@strawberry.type
class CountPlanProgress:
    plan_id: strawberry.ID
    bins_total: int
    bins_counted: int
    variances_open: int
    overdue: int


@strawberry.type(description="Stock sent to rework or scrap; PENDING waits for a second person.")
class DispositionView:
    id: strawberry.ID
    kind: str
    bin_code: str
    item_sku: str
    lot_number: str | None
    status: str
    quantity: int
    reason: str
    value_cents: int
    state: str
    requested_by: strawberry.ID
    decided_by: strawberry.ID | None
    move_id: strawberry.ID | None
    created_at: datetime
    decided_at: datetime | None


@strawberry.type
class DispositionSuccess:
    disposition: DispositionView


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
    cause: str | None = None


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
CountScheduleResult = result_union("CountScheduleResult", CountScheduleSuccess)
GenerateDueCountsResult = result_union("GenerateDueCountsResult", GenerateDueCountsSuccess)
RecountResult = result_union("RecountResult", RecountSuccess)
DispositionResult = result_union("DispositionResult", DispositionSuccess)


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
    cause: VarianceCauseEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Required to approve variances worth more than the approval threshold.",
    )


@strawberry.input
class SetCountScheduleInput:
    a_days: int
    b_days: int
    c_days: int
    idempotency_key: str
    due_days: int = 7
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class GenerateDueCountsInput:
    idempotency_key: str
    warehouse_id: strawberry.ID | None = None
    limit: int | None = None


@strawberry.input
class CreateDispositionInput:
    kind: DispositionKindEnum  # type: ignore[valid-type]
    bin_code: str
    item_code: str
    quantity: int
    reason: str
    idempotency_key: str
    lot_number: str | None = None
    status: str = strawberry.field(default="AVAILABLE", description="The status taken from.")


@strawberry.input
class DispositionDecisionInput:
    disposition_id: strawberry.ID
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
        cause=row.cause,
    )


async def disposition_view(session: AsyncSession, row: StockDisposition) -> DispositionView:
    return DispositionView(
        id=strawberry.ID(str(row.id)),
        kind=row.kind,
        bin_code=await _bin_code(session, row.bin_id) or "",
        item_sku=await _sku(session, row.item_id),
        lot_number=await _lot_number(session, row.lot_id),
        status=row.status,
        quantity=row.quantity,
        reason=row.reason,
        value_cents=row.value_cents,
        state=row.state,
        requested_by=strawberry.ID(str(row.requested_by)),
        decided_by=_id(row.decided_by),
        move_id=_id(row.move_id),
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


def schedule_view(schedule: schedules.Schedule) -> CountScheduleView:
    return CountScheduleView(
        warehouse_id=strawberry.ID(str(schedule.warehouse_id)),
        a_days=schedule.a_days,
        b_days=schedule.b_days,
        c_days=schedule.c_days,
        due_days=schedule.due_days,
        configured=schedule.configured,
    )


def progress_view(progress: schedules.PlanProgress) -> CountPlanProgress:
    return CountPlanProgress(
        plan_id=strawberry.ID(str(progress.plan.id)),
        bins_total=progress.bins_total,
        bins_counted=progress.bins_counted,
        variances_open=progress.variances_open,
        overdue=progress.overdue,
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


async def task_ref(session: AsyncSession, count: Count) -> CountTaskRef:
    return CountTaskRef(
        count_id=strawberry.ID(str(count.id)),
        task_id=strawberry.ID(str(count.task_id)),
        bin_code=await _bin_code(session, count.bin_id) or "",
        due_at=count.due_at,
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
    cause: str | None = None
    due_at: datetime | None = None


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
        cause=count.cause,
        due_at=count.due_at,
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
