# mypy: disable-error-code="valid-type"
# (results are unions built by `result_union` at import time; mypy cannot see them as types)
"""Stock control writes: moves, transfers, counts, adjustments, status changes.

Each resolver parses its input, calls one function of `backend.control` and maps the
result; `execute` runs it in a unit of work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import SQLAlchemyError

from backend.alerts.signals import SignalKind, record_signal_now
from backend.control import adjustments, counts, dispositions, moves, schedules, status
from backend.control.common import StockRefused
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.models.control import AdjustmentReason, CountPlanKind
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.schema.context import Info
from backend.schema.control.types import (
    AdjustmentDecisionInput,
    AdjustmentResult,
    AdjustmentSuccess,
    AdjustStockInput,
    BinBlockResult,
    BinBlockSuccess,
    BlockBinInput,
    ChangeStockStatusInput,
    ConfirmRemainingInput,
    ConfirmRemainingResult,
    ConfirmRemainingSuccess,
    CountDecisionInput,
    CountDecisionResult,
    CountDecisionSuccess,
    CountPlanResult,
    CountPlanSuccess,
    CountScheduleResult,
    CountScheduleSuccess,
    CreateCountPlanInput,
    CreateDispositionInput,
    CreateTransferInput,
    DispositionDecisionInput,
    DispositionResult,
    DispositionSuccess,
    GenerateCountTasksInput,
    GenerateCountTasksResult,
    GenerateCountTasksSuccess,
    GenerateDueCountsInput,
    GenerateDueCountsResult,
    GenerateDueCountsSuccess,
    MovedStockLine,
    MoveStockInput,
    MoveStockResult,
    MoveStockSuccess,
    ReceiveTransferInput,
    RecountResult,
    RecountSuccess,
    RequestBinCountInput,
    RequestBinCountResult,
    RequestBinCountSuccess,
    SetCountScheduleInput,
    SkippedBin,
    StatusChangedLine,
    StatusChangeResult,
    StatusChangeSuccess,
    SubmitCountInput,
    SubmitCountResult,
    SubmitCountSuccess,
    TransferResult,
    TransferSuccess,
    UnblockBinInput,
    adjustment_view,
    disposition_view,
    plan_view,
    schedule_view,
    task_ref,
    transfer_view,
)
from backend.schema.errors import UserError
from backend.schema.mutation import Handler, execute, guarded

T = TypeVar("T")
log = logging.getLogger(__name__)


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
                uow,
                principal,
                parse_id(input.plan_id, "planId"),
                input.limit,
                settings=info.context.app.settings.control,
            )
            return GenerateCountTasksSuccess(
                plan_id=strawberry.ID(str(generation.plan.id)),
                created=[await task_ref(uow.session, c) for c in generation.counts],
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
            return RequestBinCountSuccess(count=await task_ref(uow.session, count))

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
                settings=info.context.app.settings.control,
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
            count, ids = await counts.approve_count_with_adjustments(
                uow,
                principal,
                parse_id(input.count_id, "countId"),
                settings=info.context.app.settings.control,
                cause=input.cause,
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
            count = await counts.reject_count(
                uow, principal, parse_id(input.count_id, "countId"), cause=input.cause
            )
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
                settings=info.context.app.settings.control,
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

    @guarded(
        Perm.COUNT_APPROVE,
        description="Count the bin again: the variances close as RECOUNTED, a recount task opens.",
    )
    async def recount_variance(self, info: Info, input: CountDecisionInput) -> RecountResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> RecountSuccess:
            count_id = parse_id(input.count_id, "countId")
            again = await counts.recount_variance(uow, principal, count_id)
            return RecountSuccess(
                count_id=strawberry.ID(str(count_id)),
                state="RECOUNTED",
                recount=await task_ref(uow.session, again),
            )

        return await _execute(
            info, input, handle, audit_entity="count", audit_id=lambda r: r.count_id
        )

    @guarded(Perm.TASK_MANAGE, description="Days between counts per ABC class, for one warehouse.")
    async def set_count_schedule(
        self, info: Info, input: SetCountScheduleInput
    ) -> CountScheduleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CountScheduleSuccess:
            schedule = await schedules.set_count_schedule(
                uow,
                principal,
                warehouse_id=acting_warehouse(principal, input.warehouse_id),
                a_days=input.a_days,
                b_days=input.b_days,
                c_days=input.c_days,
                due_days=input.due_days,
            )
            return CountScheduleSuccess(schedule=schedule_view(schedule))

        return await _execute(
            info,
            input,
            handle,
            audit_entity="count_schedule",
            audit_id=lambda r: r.schedule.warehouse_id,
        )

    @guarded(
        Perm.TASK_MANAGE,
        description="A count for every bin whose stock's class period has passed; "
        "bins a count holds are passed over, so a second run creates nothing.",
    )
    async def generate_due_counts(
        self, info: Info, input: GenerateDueCountsInput
    ) -> GenerateDueCountsResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> GenerateDueCountsSuccess:
            generation = await schedules.generate_due_counts(
                uow,
                principal,
                warehouse_id=acting_warehouse(principal, input.warehouse_id),
                settings=info.context.app.settings.control,
                limit=input.limit,
            )
            return GenerateDueCountsSuccess(
                schedule=schedule_view(generation.schedule),
                created=[await task_ref(uow.session, c) for c in generation.counts],
                already_open=generation.held,
            )

        return await _execute(
            info,
            input,
            handle,
            audit_entity="count_schedule",
            audit_id=lambda r: r.schedule.warehouse_id,
        )

    @guarded(
        Perm.STOCK_ADJUST,
        description="Send free stock to rework or scrap with a reason; costly ones wait for "
        "a second person's approval.",
    )
    async def create_disposition(
        self, info: Info, input: CreateDispositionInput
    ) -> DispositionResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DispositionSuccess:
            row = await dispositions.create_disposition(
                uow,
                principal,
                kind=input.kind,
                bin_code=input.bin_code,
                item_code=input.item_code,
                quantity=input.quantity,
                reason=input.reason,
                lot_number=input.lot_number,
                status=input.status,
                settings=info.context.app.settings.control,
            )
            return DispositionSuccess(disposition=await disposition_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="disposition", audit_id=lambda r: r.disposition.id
        )

    @guarded(Perm.COUNT_APPROVE, description="Approve a pending disposition: it is applied now.")
    async def approve_disposition(
        self, info: Info, input: DispositionDecisionInput
    ) -> DispositionResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DispositionSuccess:
            row = await dispositions.approve_disposition(
                uow, principal, parse_id(input.disposition_id, "dispositionId")
            )
            return DispositionSuccess(disposition=await disposition_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="disposition", audit_id=lambda r: r.disposition.id
        )

    @guarded(Perm.COUNT_APPROVE, description="Reject a pending disposition: the stock stays.")
    async def reject_disposition(
        self, info: Info, input: DispositionDecisionInput
    ) -> DispositionResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DispositionSuccess:
            row = await dispositions.reject_disposition(
                uow, principal, parse_id(input.disposition_id, "dispositionId")
            )
            return DispositionSuccess(disposition=await disposition_view(uow.session, row))

        return await _execute(
            info, input, handle, audit_entity="disposition", audit_id=lambda r: r.disposition.id
        )
