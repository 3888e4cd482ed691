"""Write the ABC classes proposed from picks to the items."""

from __future__ import annotations

from dataclasses import dataclass

from backend.analytics import reports
from backend.analytics.aggregates import refresh
from backend.analytics.scope import warehouse_ids
from backend.core.auth.principal import Principal
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import acting_warehouse, read_scope


@dataclass(frozen=True)
class Reclassification:
    changed: int
    per_class: dict[str, int]


async def reclassify_abc(
    uow: UnitOfWork,
    principal: Principal,
    *,
    warehouse_id: object | None,
    days: int,
    measure: reports.AbcMeasure,
) -> Reclassification:
    """Classes from the picks of the warehouse named (one the caller works in), else of
    all the caller's warehouses, over `days`; the ledger is folded in first."""
    if not 0 < days <= reports.MAX_DAYS:
        raise DomainError(ErrorCode.INVALID_INPUT, f"days: 1–{reports.MAX_DAYS}.", "days")
    if warehouse_id is not None:
        scope = [acting_warehouse(principal, warehouse_id)]
    else:
        scope = await warehouse_ids(uow.session, read_scope(principal))
    now = utcnow()
    await refresh(uow.session, now)
    rows = await reports.abc_analysis(uow.session, scope, now, days, measure)
    changed = await reports.reclassify_abc(uow.session, rows)
    per_class = {k: sum(1 for r in rows if r.proposed_class == k) for k in "ABC"}
    return Reclassification(changed, per_class)
