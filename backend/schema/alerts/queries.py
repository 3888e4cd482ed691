# mypy: disable-error-code="valid-type"
"""Alert, replenishment and purchase-suggestion reads. Reads never write: purchase
suggestions read the demand aggregates as the fold worker left them
(`backend/analytics/freshness.py`)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.replenishment import commands
from backend.replenishment.suggestions import (
    DEFAULT_SERVICE_LEVEL,
    DEFAULT_WINDOW_DAYS,
    purchase_suggestions,
)
from backend.schema.alerts.types import (
    Alert,
    AlertRule,
    AlertStateEnum,
    PurchaseSuggestion,
    ReplenishmentSetting,
    ReplenishSource,
    ReplenishTask,
    ident,
)
from backend.schema.context import Info
from backend.schema.control.queries import read_id, warehouses_read
from backend.schema.pagination import Connection, paginate


@strawberry.type
class AlertQueries:
    @strawberry.field(description="Alert rules of the caller's warehouses.")
    async def alert_rules(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[AlertRule]:
        principal = await info.context.require(Perm.ALERT_MANAGE)
        scope = warehouses_read(principal, warehouse_id)
        stmt = select(m.AlertRule).where(scope.clause(m.AlertRule.warehouse_id))
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.AlertRule.id,
                AlertRule.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(description="Alerts, oldest first; by default the unresolved ones.")
    async def alerts(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
        state: AlertStateEnum | None = None,
        include_resolved: bool = False,
    ) -> Connection[Alert]:
        principal = await info.context.require(Perm.STOCK_READ)
        scope = warehouses_read(principal, warehouse_id)
        stmt = select(m.Alert).where(scope.clause(m.Alert.warehouse_id))
        if state is not None:
            stmt = stmt.where(m.Alert.state == m.AlertState(state).value)
        elif not include_resolved:
            stmt = stmt.where(m.Alert.state != m.AlertState.RESOLVED)
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.Alert.id,
                Alert.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field
    async def replenishment_settings(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[ReplenishmentSetting]:
        principal = await info.context.require(Perm.STOCK_READ)
        scope = warehouses_read(principal, warehouse_id)
        stmt = (
            select(m.ReplenishmentSetting)
            .join(m.Bin, m.Bin.id == m.ReplenishmentSetting.bin_id)
            .where(scope.clause(m.Bin.warehouse_id))
        )
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.ReplenishmentSetting.id,
                ReplenishmentSetting.of,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field(
        description="Items whose free stock is at or below the reorder point "
        "(SS = z·σd·√L, ROP = d̄·L + SS over the demand window), most urgent first."
    )
    async def purchase_suggestions(
        self,
        info: Info,
        warehouse_id: strawberry.ID,
        service_level: float = DEFAULT_SERVICE_LEVEL,
        window_days: int = DEFAULT_WINDOW_DAYS,
    ) -> list[PurchaseSuggestion]:
        principal = await info.context.require(Perm.ANALYTICS_READ)
        if not 0.5 < service_level < 1 or not 2 <= window_days <= 730:
            raise GraphQLError(
                "serviceLevel lies between 0.5 and 1, windowDays between 2 and 730.",
                extensions={"code": "BAD_REQUEST"},
            )
        wid = read_id(warehouse_id, "warehouseId")
        if not warehouses_read(principal, warehouse_id).allows(wid):
            return []
        async with info.context.db() as session:
            found = await purchase_suggestions(
                session, wid, utcnow(), window_days=window_days, service_level=service_level
            )
        found.sort(key=lambda s: (s.position - s.reorder_point, s.sku))
        return [
            PurchaseSuggestion(
                item_id=strawberry.ID(str(s.item_id)),
                sku=s.sku,
                name=s.name,
                supplier_id=ident(s.supplier_id),
                supplier_code=s.supplier_code,
                position=s.position,
                mean_daily_demand=s.mean_daily,
                stdev_daily_demand=s.stdev_daily,
                lead_time_days=s.lead_time_days,
                service_level=s.service_level,
                safety_stock=s.safety_stock,
                reorder_point=s.reorder_point,
                quantity=s.quantity,
            )
            for s in found
        ]


@strawberry.type
class ReplenishQuery:
    @strawberry.field(description="The details of a REPLENISH task; null for any other task.")
    async def replenish_task(self, info: Info, task_id: strawberry.ID) -> ReplenishTask | None:
        principal = await info.context.require(Perm.TASK_READ)
        try:
            wanted = parse_id(task_id, "taskId")
        except DomainError:
            return None  # a malformed id names no task
        async with info.context.db() as session:
            details = await commands.task_details(session, principal, wanted)
            if details is None:
                return None
            return ReplenishTask(
                task_id=strawberry.ID(str(details.task.id)),
                item_sku=details.item.sku,
                item_name=details.item.name,
                tracking=details.item.tracking,
                to_bin_code=details.face.code,
                to_bin_label=details.face.label,
                quantity=details.quantity,
                sources=[
                    ReplenishSource(
                        bin_code=s.bin.code,
                        bin_label=s.bin.label,
                        lot_number=s.lot.lot_number if s.lot else None,
                        expiry=s.lot.expiry if s.lot else None,
                        quantity=s.quantity,
                    )
                    for s in details.sources
                ],
            )
