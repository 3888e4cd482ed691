"""Windows over the daily aggregates, read as whole months plus edge days.

A window of UTC days [start, stop) splits into the calendar months that lie
wholly inside it, read from the monthly rollups, and the days before the first
and after the last of them, read from the daily rows. Both tables hold the same
figures (a monthly row is rebuilt from its month's daily rows by every refresh
that touches it), so the sum over the split equals the sum over the days; a year
reads about twelve monthly rows per item instead of 365 daily ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import BigInteger, ColumnElement, Subquery, and_, cast, false, or_, select
from sqlalchemy import union_all as sql_union_all

from backend.core.db.models import (
    ItemDayFlow,
    ItemMonthFlow,
    PackerHour,
    PackerMonth,
    PickerHour,
    PickerMonth,
)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_ceiling(day: date) -> date:
    """The first month start on or after `day`."""
    return day if day.day == 1 else next_month(day)


@dataclass(frozen=True)
class Span:
    """[start, stop) as whole months [months_from, months_to) and the edge day ranges.
    `stop` and `months_to` of None mean open-ended (everything from start on)."""

    months_from: date | None
    months_to: date | None
    day_ranges: tuple[tuple[date, date | None], ...]

    @property
    def has_months(self) -> bool:
        return self.months_from is not None


def split(start: date, stop: date | None = None) -> Span:
    first = _month_ceiling(start)
    if stop is None:
        return Span(first, None, ((start, first),) if first > start else ())
    last = month_start(stop)  # whole months end where the month of `stop` begins
    if first >= last:
        return Span(None, None, ((start, stop),) if stop > start else ())
    edges: list[tuple[date, date | None]] = []
    if first > start:
        edges.append((start, first))
    if stop > last:
        edges.append((last, stop))
    return Span(first, last, tuple(edges))


def _day_filter(span: Span) -> ColumnElement[bool]:
    if not span.day_ranges:
        return false()
    return or_(
        *(
            and_(ItemDayFlow.day >= lo, ItemDayFlow.day < hi)
            if hi is not None
            else ItemDayFlow.day >= lo
            for lo, hi in span.day_ranges
        )
    )


def item_flows(
    warehouse_ids: Sequence[int],
    start: date,
    stop: date | None = None,
    item_ids: Sequence[int] | None = None,
) -> Subquery:
    """Rows (warehouse_id, item_id, receipt_qty, demand_qty, demand_lines, demand_sq,
    ship_qty, adjust_in_qty, adjust_out_qty, net_qty) whose sums over any grouping
    equal the daily rows' sums over the days [start, stop). `demand_sq` sums the
    squares of daily demand."""
    span = split(start, stop)
    parts = []
    if span.day_ranges:
        d = ItemDayFlow
        daily = select(
            d.warehouse_id,
            d.item_id,
            d.receipt_qty,
            d.demand_qty,
            d.demand_lines,
            (cast(d.demand_qty, BigInteger) * d.demand_qty).label("demand_sq"),
            d.ship_qty,
            d.adjust_in_qty,
            d.adjust_out_qty,
            d.net_qty,
        ).where(d.warehouse_id.in_(warehouse_ids), _day_filter(span))
        if item_ids is not None:
            daily = daily.where(d.item_id.in_(item_ids))
        parts.append(daily)
    if span.has_months:
        mo = ItemMonthFlow
        monthly = select(
            mo.warehouse_id,
            mo.item_id,
            mo.receipt_qty,
            mo.demand_qty,
            mo.demand_lines,
            mo.demand_sq,
            mo.ship_qty,
            mo.adjust_in_qty,
            mo.adjust_out_qty,
            mo.net_qty,
        ).where(mo.warehouse_id.in_(warehouse_ids), mo.month >= span.months_from)
        if span.months_to is not None:
            monthly = monthly.where(mo.month < span.months_to)
        if item_ids is not None:
            monthly = monthly.where(mo.item_id.in_(item_ids))
        parts.append(monthly)
    if len(parts) == 1:
        return parts[0].subquery("flows")
    return sql_union_all(*parts).subquery("flows")


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


class Worker(StrEnum):
    PICKER = "PICKER"
    PACKER = "PACKER"


_WORKER_MODELS: dict[
    Worker, tuple[type[PickerHour] | type[PackerHour], type[PickerMonth] | type[PackerMonth]]
] = {
    Worker.PICKER: (PickerHour, PickerMonth),
    Worker.PACKER: (PackerHour, PackerMonth),
}


def worker_figures(
    warehouse_ids: Sequence[int], since: datetime, worker: Worker = Worker.PICKER
) -> Subquery:
    """Rows (user_id, lines, units, active_hours) whose sums per picker (or packer)
    equal the hourly rows' from `since` on; `active_hours` counts hour rows (one per
    warehouse and hour with a pick)."""
    if since.tzinfo is None:
        raise ValueError("naive datetime given for an analytics window")  # hours are UTC
    since = since.astimezone(UTC)
    day = since.date()
    first = day if day.day == 1 and since == _utc_midnight(day) else next_month(day)
    cut = _utc_midnight(first)
    h, pm = _WORKER_MODELS[worker]
    hourly = select(
        h.user_id,
        h.lines.label("lines"),
        h.units.label("units"),
        cast(1, BigInteger).label("active_hours"),
    ).where(h.warehouse_id.in_(warehouse_ids), h.hour >= since, h.hour < cut)
    monthly = select(
        pm.user_id,
        pm.lines.label("lines"),
        pm.units.label("units"),
        cast(pm.active_hours, BigInteger).label("active_hours"),
    ).where(pm.warehouse_id.in_(warehouse_ids), pm.month >= first)
    return sql_union_all(hourly, monthly).subquery("picks")
