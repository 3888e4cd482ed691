# mypy: disable-error-code="valid-type"
"""Analytics GraphQL types: the report rows, and reclassifyAbc's input and result."""

from __future__ import annotations

from datetime import date

import strawberry

from backend.analytics import reports
from backend.schema.errors import result_union

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
