"""The order pool: reserved orders waiting for a wave, filtered for the planner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, exists, literal, select

from backend.core.db import models as m
from backend.core.db.models.outbound import POOL_STATES
from backend.core.scope import ReadScope
from backend.outbound.allocation import line_reference


@dataclass(frozen=True)
class PoolFilter:
    scope: ReadScope
    carrier_code: str | None = None
    cutoff_before: datetime | None = None
    priority: int | None = None  # this priority or more urgent
    zone_code: str | None = None  # orders with reserved stock in this zone
    channel: str | None = None
    include_unreserved: bool = False  # NEW orders too (warehouses reserving at planning)


def pool_query(flt: PoolFilter) -> Select[Any]:
    states: list[str] = list(POOL_STATES)
    if flt.include_unreserved:
        states.append(m.OrderState.NEW)
    stmt = select(m.SalesOrder).where(
        flt.scope.clause(m.SalesOrder.warehouse_id),
        m.SalesOrder.state.in_(states),
        m.SalesOrder.wave_id.is_(None),
    )
    if flt.carrier_code:
        stmt = stmt.join(m.Carrier, m.Carrier.id == m.SalesOrder.carrier_id).where(
            m.Carrier.code == flt.carrier_code
        )
    if flt.cutoff_before is not None:
        stmt = stmt.where(m.SalesOrder.cutoff_at < flt.cutoff_before)
    if flt.priority is not None:
        stmt = stmt.where(m.SalesOrder.priority <= flt.priority)
    if flt.channel:
        stmt = stmt.where(m.SalesOrder.channel == flt.channel.strip().upper())
    if flt.zone_code:
        in_zone = (
            select(m.Reservation.id)
            .join(m.Quant, m.Quant.id == m.Reservation.quant_id)
            .join(m.Bin, m.Bin.id == m.Quant.bin_id)
            .join(m.Zone, m.Zone.id == m.Bin.zone_id)
            .join(m.SalesOrderLine, m.Reservation.reference == line_reference_sql())
            .where(
                m.SalesOrderLine.order_id == m.SalesOrder.id,
                m.Reservation.state == m.ReservationState.ACTIVE,
                m.Zone.code == flt.zone_code,
            )
        )
        stmt = stmt.where(exists(in_zone))
    return stmt


def line_reference_sql() -> Any:
    """``line_reference(line.id)`` as SQL, to join reservations to order lines."""
    prefix = line_reference(0)[:-1]  # "SOL-"
    return literal(prefix) + cast(m.SalesOrderLine.id, String)
