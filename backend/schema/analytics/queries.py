# mypy: disable-error-code="valid-type"
"""Analytics reads and `analyticsCsv` (the same figures as CSV text).

Reads never write: they read the aggregates as folded by the fold worker, the alert
cycle or reclassifyAbc (`backend/analytics/freshness.py`). Reports are bounded lists
rather than connections: they are computed, not paged.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from graphql import GraphQLError

from backend.analytics import reports
from backend.analytics.rollup import Worker
from backend.analytics.scope import warehouse_ids
from backend.core.auth.permissions import Perm
from backend.core.db.base import utcnow
from backend.schema.analytics.types import (
    AbcMeasureEnum,
    AbcRow,
    BucketEnum,
    CsvKindEnum,
    InventoryAccuracy,
    PickerProductivity,
    StockValueRow,
    TrendRow,
    TurnoverGroupEnum,
    TurnoverRow,
    ValueGroupEnum,
)
from backend.schema.context import Info
from backend.schema.control.queries import warehouses_read


def _days(days: int) -> int:
    if not 0 < days <= reports.MAX_DAYS:
        raise GraphQLError(
            f"days lies between 1 and {reports.MAX_DAYS}.",
            extensions={"code": "BAD_REQUEST", "field": "days"},
        )
    return days


async def _prepare(
    info: Info, warehouse_id: strawberry.ID | None, days: int = 1
) -> tuple[list[int], datetime]:
    """The caller's warehouses for a report (empty: the report is empty) and its now."""
    principal = await info.context.require(Perm.ANALYTICS_READ)
    _days(days)
    scope = warehouses_read(principal, warehouse_id)
    async with info.context.db() as session:
        return await warehouse_ids(session, scope), utcnow()


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
        scope, _ = await _prepare(info, warehouse_id)
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
