# mypy: disable-error-code="valid-type"
"""Analytics queries, `analyticsCsv` (the same figures as CSV text) and the
`reclassifyAbc` mutation.

Each read first folds new ledger moves into the aggregates (a short write
transaction, or a single lookup when nothing is new), then reads them.
Reports are bounded lists rather than connections: they are computed, not paged.
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from graphql import GraphQLError
from sqlalchemy import func, select

from backend.analytics import reports
from backend.analytics.aggregates import LEDGER_MARK, refresh
from backend.analytics.rollup import Worker
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.schema.alerts import _scope
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded

ValueGroupEnum = strawberry.enum(reports.ValueGroup, name="StockValueGroup")
TurnoverGroupEnum = strawberry.enum(reports.TurnoverGroup, name="TurnoverGroup")
BucketEnum = strawberry.enum(reports.Bucket, name="TrendBucket")
AbcMeasureEnum = strawberry.enum(reports.AbcMeasure, name="AbcMeasure")
CsvKindEnum = strawberry.enum(reports.CsvKind, name="AnalyticsCsvKind")


@strawberry.type
class StockValueRow:
    key: str
    quantity: int
    value_cents: int
    items: int


@strawberry.type
class TurnoverRow:
    key: str = strawberry.field(description="SKU or category.")
    demand: int
    on_hand: int
    average_on_hand: float
    turns: float | None
    annual_turns: float | None
    days_of_supply: float | None


@strawberry.type
class AbcRow:
    item_id: strawberry.ID
    sku: str
    lines: int
    units: int
    measure: float
    share: float
    cumulative_share: float
    proposed_class: str
    current_class: str


@strawberry.type
class TrendRow:
    period: date = strawberry.field(description="The day, or the Monday of the ISO week.")
    received: int
    shipped: int
    demand: int
    demand_lines: int


@strawberry.type
class InventoryAccuracy:
    counts: int
    counts_with_variance: int
    accuracy: float | None
    units_adjusted: int


@strawberry.type
class PickerProductivity:
    user_id: strawberry.ID
    username: str
    lines: int
    units: int
    active_hours: int
    lines_per_hour: float
    units_per_hour: float
    metres_walked: float = strawberry.field(
        description="Route metres of the pick tasks finished in the window (packers: 0)."
    )


@strawberry.input
class ReclassifyAbcInput:
    warehouse_id: strawberry.ID | None = None
    days: int = 90
    measure: AbcMeasureEnum = reports.AbcMeasure.LINES


@strawberry.type
class ReclassifyAbcSuccess:
    changed: int
    a_items: int
    b_items: int
    c_items: int


ReclassifyAbcResult = result_union("ReclassifyAbcResult", ReclassifyAbcSuccess)


def _days(days: int) -> int:
    if not 0 < days <= reports.MAX_DAYS:
        raise GraphQLError(
            f"days lies between 1 and {reports.MAX_DAYS}.",
            extensions={"code": "BAD_REQUEST", "field": "days"},
        )
    return days


async def _fresh(info: Info, now: datetime) -> None:
    """Fold new ledger moves in, unless the mark already is the newest move."""
    async with info.context.db() as session:
        newest = await session.scalar(select(func.max(m.StockMove.id)))
        mark = await session.scalar(
            select(m.AnalyticsWatermark.last_move_id).where(
                m.AnalyticsWatermark.name == LEDGER_MARK
            )
        )
    if newest is None or (mark is not None and mark >= newest):
        return
    async with info.context.app.unit_of_work() as uow:
        await refresh(uow.session, now)
        await uow.commit()


async def _prepare(
    info: Info, warehouse_id: strawberry.ID | None, days: int = 1
) -> tuple[list[int], datetime]:
    principal = await info.context.require(Perm.ANALYTICS_READ)
    _days(days)
    now = utcnow()
    scope = _scope(principal, warehouse_id)
    if scope:
        await _fresh(info, now)
    return scope, now


async def _productivity(
    info: Info, days: int, warehouse_id: strawberry.ID | None, worker: Worker
) -> list[PickerProductivity]:
    scope, now = await _prepare(info, warehouse_id, days)
    if not scope:
        return []
    async with info.context.db() as session:
        rows = await reports.worker_productivity(session, scope, now, days, worker)
    return [
        PickerProductivity(**{**vars(r), "user_id": strawberry.ID(str(r.user_id))}) for r in rows
    ]


@strawberry.type
class AnalyticsQueries:
    @strawberry.field(
        description="Units on hand and their value (unit cost) by category, warehouse or status."
    )
    async def stock_value(
        self,
        info: Info,
        group_by: ValueGroupEnum = reports.ValueGroup.CATEGORY,
        warehouse_id: strawberry.ID | None = None,
    ) -> list[StockValueRow]:
        principal = await info.context.require(Perm.ANALYTICS_READ)
        scope = _scope(principal, warehouse_id)
        if not scope:
            return []
        async with info.context.db() as session:
            rows = await reports.stock_value(session, scope, reports.ValueGroup(group_by))
        return [StockValueRow(**vars(r)) for r in rows]

    @strawberry.field(description="Turns and days of supply per item or category, by demand.")
    async def turnover(
        self,
        info: Info,
        days: int = 90,
        group_by: TurnoverGroupEnum = reports.TurnoverGroup.ITEM,
        warehouse_id: strawberry.ID | None = None,
        limit: int = 100,
    ) -> list[TurnoverRow]:
        scope, now = await _prepare(info, warehouse_id, days)
        if not scope:
            return []
        limit = max(1, min(limit, info.context.app.settings.max_page_size * 20))
        async with info.context.db() as session:
            rows = await reports.turnover(
                session, scope, now, days, reports.TurnoverGroup(group_by), limit
            )
        return [TurnoverRow(**vars(r)) for r in rows]

    @strawberry.field(description="ABC classes proposed from picks over the window.")
    async def abc_analysis(
        self,
        info: Info,
        days: int = 90,
        measure: AbcMeasureEnum = reports.AbcMeasure.LINES,
        warehouse_id: strawberry.ID | None = None,
        limit: int = 100,
    ) -> list[AbcRow]:
        scope, now = await _prepare(info, warehouse_id, days)
        if not scope:
            return []
        async with info.context.db() as session:
            rows = await reports.abc_analysis(
                session, scope, now, days, reports.AbcMeasure(measure)
            )
        return [
            AbcRow(**{**vars(r), "item_id": strawberry.ID(str(r.item_id))})
            for r in rows[: max(1, min(limit, 10_000))]
        ]

    @strawberry.field(description="Units received, shipped and demanded per day or ISO week.")
    async def movement_trends(
        self,
        info: Info,
        days: int = 90,
        bucket: BucketEnum = reports.Bucket.DAY,
        warehouse_id: strawberry.ID | None = None,
    ) -> list[TrendRow]:
        scope, now = await _prepare(info, warehouse_id, days)
        if not scope:
            return []
        async with info.context.db() as session:
            rows = await reports.movement_trends(session, scope, now, days, reports.Bucket(bucket))
        return [TrendRow(**vars(r)) for r in rows]

    @strawberry.field(description="Counts that matched the book, from finished COUNT tasks.")
    async def inventory_accuracy(
        self, info: Info, days: int = 90, warehouse_id: strawberry.ID | None = None
    ) -> InventoryAccuracy:
        scope, now = await _prepare(info, warehouse_id, days)
        if not scope:
            return InventoryAccuracy(
                counts=0, counts_with_variance=0, accuracy=None, units_adjusted=0
            )
        async with info.context.db() as session:
            figure = await reports.inventory_accuracy(session, scope, now, days)
        return InventoryAccuracy(**vars(figure))

    @strawberry.field(
        description="Pick lines and units per picker and per active hour, and the metres "
        "of the pick routes each finished."
    )
    async def picker_productivity(
        self, info: Info, days: int = 30, warehouse_id: strawberry.ID | None = None
    ) -> list[PickerProductivity]:
        return await _productivity(info, days, warehouse_id, Worker.PICKER)

    @strawberry.field(
        description="Packed lines and units per packer (the contents of the cartons they "
        "closed) and per active hour."
    )
    async def packer_productivity(
        self, info: Info, days: int = 30, warehouse_id: strawberry.ID | None = None
    ) -> list[PickerProductivity]:
        return await _productivity(info, days, warehouse_id, Worker.PACKER)

    @strawberry.field(description="One of the reports above as CSV text with a header line.")
    async def analytics_csv(
        self,
        info: Info,
        kind: CsvKindEnum,
        days: int = 90,
        warehouse_id: strawberry.ID | None = None,
        value_group: ValueGroupEnum = reports.ValueGroup.CATEGORY,
        turnover_group: TurnoverGroupEnum = reports.TurnoverGroup.ITEM,
        bucket: BucketEnum = reports.Bucket.DAY,
    ) -> str:
        scope, now = await _prepare(info, warehouse_id, days)
        async with info.context.db() as session:
            return await reports.analytics_csv(
                session,
                reports.CsvKind(kind),
                scope,
                now,
                days,
                value_group=reports.ValueGroup(value_group),
                turnover_group=reports.TurnoverGroup(turnover_group),
                bucket=reports.Bucket(bucket),
            )


@strawberry.type
class AnalyticsMutations:
    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Write the ABC classes proposed from picks to the items.",
    )
    async def reclassify_abc(self, info: Info, input: ReclassifyAbcInput) -> ReclassifyAbcResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReclassifyAbcSuccess:
            if not 0 < input.days <= reports.MAX_DAYS:
                raise DomainError(ErrorCode.INVALID_INPUT, "days: 1–730.", "days")
            if input.warehouse_id is not None:
                try:
                    wid = int(input.warehouse_id)
                except ValueError:
                    raise DomainError(
                        ErrorCode.INVALID_INPUT, "Malformed id.", "warehouseId"
                    ) from None
                if not principal.in_scope(wid):
                    raise DomainError(
                        ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "warehouseId"
                    )
                scope = [wid]
            else:
                scope = sorted(principal.warehouse_ids)
            now = utcnow()
            await refresh(uow.session, now)
            rows = await reports.abc_analysis(
                uow.session, scope, now, input.days, reports.AbcMeasure(input.measure)
            )
            changed = await reports.reclassify_abc(uow.session, rows)
            count = {k: sum(1 for r in rows if r.proposed_class == k) for k in "ABC"}
            return ReclassifyAbcSuccess(
                changed=changed, a_items=count["A"], b_items=count["B"], c_items=count["C"]
            )

        return await execute(info, input, handle, audit_entity="items")
