# mypy: disable-error-code="valid-type"
"""Stock age and stock level history over GraphQL. Each report carries its own
`csv`: the same rows the screen shows, as a file, so the two cannot disagree."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry

from backend.analytics import stock_reports as sr
from backend.analytics.scope import warehouse_ids
from backend.core.auth.permissions import Perm
from backend.core.db.base import utcnow
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import read_scope
from backend.schema.context import Info
from backend.schema.errors import result_union, to_user_error


@strawberry.type
class StockAgeBucket:
    from_days: int
    to_days: int | None = strawberry.field(description="Null for the oldest, open-ended bucket.")
    quantity: int
    value_cents: int

    @classmethod
    def of(cls, b: sr.AgeBucket) -> StockAgeBucket:
        return cls(
            from_days=b.from_days, to_days=b.to_days, quantity=b.quantity, value_cents=b.value_cents
        )


@strawberry.type
class StockAgeRow:
    item_id: strawberry.ID
    sku: str
    name: str
    warehouse_code: str
    on_hand: int
    value_cents: int
    buckets: list[StockAgeBucket]


@strawberry.type(description="On hand aged first-in first-out by the dates it came in.")
class StockAge:
    as_of: datetime
    edges: list[int]
    totals: list[StockAgeBucket]
    rows: list[StockAgeRow]
    report: strawberry.Private[sr.StockAge]

    @strawberry.field(description="The rows as CSV with a header line.")
    def csv(self) -> str:
        return sr.stock_age_csv(self.report)

    @classmethod
    def of(cls, r: sr.StockAge) -> StockAge:
        return cls(
            as_of=r.as_of,
            edges=list(r.edges),
            totals=[StockAgeBucket.of(b) for b in r.totals],
            rows=[
                StockAgeRow(
                    item_id=strawberry.ID(str(x.item_id)),
                    sku=x.sku,
                    name=x.name,
                    warehouse_code=x.warehouse_code,
                    on_hand=x.on_hand,
                    value_cents=x.value_cents,
                    buckets=[StockAgeBucket.of(b) for b in x.buckets],
                )
                for x in r.rows
            ],
            report=r,
        )


@strawberry.type
class StockLevelDay:
    day: date
    received: int
    issued: int
    on_hand: int = strawberry.field(description="At the end of the UTC day.")


@strawberry.type(description="End-of-day on hand of one item in one warehouse.")
class StockLevelHistory:
    item_id: strawberry.ID
    sku: str
    warehouse_code: str
    opening: int = strawberry.field(description="On hand when the first day began.")
    days: list[StockLevelDay]
    levels: strawberry.Private[sr.StockLevels]

    @strawberry.field(description="The days as CSV with a header line.")
    def csv(self) -> str:
        return sr.stock_levels_csv(self.levels)

    @classmethod
    def of(cls, x: sr.StockLevels) -> StockLevelHistory:
        return cls(
            item_id=strawberry.ID(str(x.item_id)),
            sku=x.sku,
            warehouse_code=x.warehouse_code,
            opening=x.opening,
            days=[StockLevelDay(**vars(d)) for d in x.days],
            levels=x,
        )


StockAgeResult = result_union("StockAgeResult", StockAge)
StockLevelHistoryResult = result_union("StockLevelHistoryResult", StockLevelHistory)


@strawberry.type
class StockReportQueries:
    @strawberry.field(
        description="On hand per item and warehouse in buckets of days since it came in "
        "(edges in days, default 30, 60, 90, 180, 365), with value at unit cost."
    )
    async def stock_age(
        self,
        info: Info,
        warehouse_id: strawberry.ID | None = None,
        item_id: strawberry.ID | None = None,
        edges: list[int] | None = None,
        limit: int = 500,
    ) -> StockAgeResult:
        principal = await info.context.require(Perm.ANALYTICS_READ)
        try:
            wid = None if warehouse_id is None else parse_id(warehouse_id, "warehouseId")
            iid = None if item_id is None else parse_id(item_id, "itemId")
            bucket_edges = sr.check_edges(sr.DEFAULT_EDGES if edges is None else edges)
            async with info.context.db() as session:
                scope = await warehouse_ids(session, read_scope(principal, wid))
                report = await sr.stock_age(
                    session, scope, utcnow(), bucket_edges, iid, max(1, min(limit, 10_000))
                )
        except DomainError as error:
            return to_user_error(error)
        return StockAge.of(report)

    @strawberry.field(
        description="End-of-day (UTC) on hand of an item in a warehouse for each day from "
        "`from` to `to`, from the ledger: the balance before `from`, then each day's moves."
    )
    async def stock_level_history(
        self,
        info: Info,
        item_id: strawberry.ID,
        warehouse_id: strawberry.ID,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> StockLevelHistoryResult:
        principal = await info.context.require(Perm.ANALYTICS_READ)
        try:
            iid = parse_id(item_id, "itemId")
            wid = parse_id(warehouse_id, "warehouseId")
            async with info.context.db() as session:
                readable = await warehouse_ids(session, read_scope(principal, wid))
                levels = await sr.stock_levels(session, readable, iid, wid, from_, to)
        except DomainError as error:
            return to_user_error(error)
        return StockLevelHistory.of(levels)
