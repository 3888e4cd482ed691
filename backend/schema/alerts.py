# mypy: disable-error-code="valid-type"
"""Alert rules and alerts; pick-face replenishment; purchase suggestions.

Alerts reach screens on `warehouseEvents` (type "alert", after commit), and by
e-mail and webhook from the scheduler (`backend/alerts/scheduler.py`).
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from graphql import GraphQLError
from sqlalchemy import select

from backend.alerts.evaluator import alert_view
from backend.alerts.rules import (
    Combine,
    Condition,
    ConditionKind,
    validate_conditions,
    validate_quiet_hours,
    validate_repeat,
)
from backend.analytics.aggregates import refresh
from backend.control.common import bin_by_scan, item_by_scan
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import warehouse_channel
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.replenishment import pickface
from backend.replenishment.suggestions import (
    DEFAULT_SERVICE_LEVEL,
    DEFAULT_WINDOW_DAYS,
    purchase_suggestions,
)
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.mutation import execute, guarded
from backend.schema.pagination import Connection, paginate
from backend.schema.types import Task
from backend.tasks import engine

AlertConditionKind = strawberry.enum(ConditionKind, name="AlertConditionKind")
AlertCombine = strawberry.enum(Combine, name="AlertCombine")
AlertSeverityEnum = strawberry.enum(m.AlertSeverity, name="AlertSeverity")
AlertStateEnum = strawberry.enum(m.AlertState, name="AlertState")


def _scope(principal: Principal, warehouse_id: strawberry.ID | None) -> list[int]:
    """Warehouses a read covers: the one asked for if the caller works there, else all theirs."""
    if warehouse_id is not None:
        try:
            wid = int(warehouse_id)
        except ValueError:
            raise GraphQLError(
                "Malformed warehouse id.", extensions={"code": "BAD_REQUEST"}
            ) from None
        return [wid] if principal.in_scope(wid) else []
    return sorted(principal.warehouse_ids)


def _ident(value: int | None) -> strawberry.ID | None:
    return None if value is None else strawberry.ID(str(value))


@strawberry.type
class AlertCondition:
    kind: AlertConditionKind
    threshold: int | None
    days: int | None


@strawberry.type
class AlertRule:
    id: strawberry.ID
    warehouse_id: strawberry.ID
    name: str
    item_id: strawberry.ID | None
    category: str | None
    abc_class: str | None
    storage_class: str | None
    combine: AlertCombine
    conditions: list[AlertCondition]
    severity: AlertSeverityEnum
    repeat_minutes: int
    quiet_start_minute: int | None
    quiet_end_minute: int | None
    email_to: list[str]
    webhook_url: str
    active: bool

    @classmethod
    def of(cls, row: m.AlertRule) -> AlertRule:
        return cls(
            id=strawberry.ID(str(row.id)),
            warehouse_id=strawberry.ID(str(row.warehouse_id)),
            name=row.name,
            item_id=_ident(row.item_id),
            category=row.category,
            abc_class=row.abc_class,
            storage_class=row.storage_class,
            combine=Combine(row.combine),
            conditions=[
                AlertCondition(kind=c.kind, threshold=c.threshold, days=c.days)
                for c in map(Condition.from_json, row.conditions)
            ],
            severity=m.AlertSeverity(row.severity),
            repeat_minutes=row.repeat_minutes,
            quiet_start_minute=row.quiet_start_minute,
            quiet_end_minute=row.quiet_end_minute,
            email_to=[a for a in row.email_to.split(",") if a],
            webhook_url=row.webhook_url,
            active=row.active,
        )


@strawberry.type
class NotificationAttempt:
    channel: str
    target: str
    attempt: int
    ok: bool
    status_code: int | None
    error: str
    at: datetime


@strawberry.type
class Alert:
    id: strawberry.ID
    rule_id: strawberry.ID
    warehouse_id: strawberry.ID
    item_id: strawberry.ID | None
    subject: str
    state: AlertStateEnum
    severity: AlertSeverityEnum
    message: str
    raised_at: datetime
    last_notified_at: datetime | None
    notify_count: int
    acknowledged_by: strawberry.ID | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None

    @classmethod
    def of(cls, row: m.Alert) -> Alert:
        return cls(
            id=strawberry.ID(str(row.id)),
            rule_id=strawberry.ID(str(row.rule_id)),
            warehouse_id=strawberry.ID(str(row.warehouse_id)),
            item_id=_ident(row.item_id),
            subject=row.subject,
            state=m.AlertState(row.state),
            severity=m.AlertSeverity(row.severity),
            message=row.message,
            raised_at=row.raised_at,
            last_notified_at=row.last_notified_at,
            notify_count=row.notify_count,
            acknowledged_by=_ident(row.acknowledged_by),
            acknowledged_at=row.acknowledged_at,
            resolved_at=row.resolved_at,
        )

    @strawberry.field(description="E-mail and webhook attempts, oldest first.")
    async def deliveries(self, info: Info) -> list[NotificationAttempt]:
        async with info.context.db() as session:
            rows = await session.scalars(
                select(m.NotificationAttempt)
                .where(m.NotificationAttempt.alert_id == int(self.id))
                .order_by(m.NotificationAttempt.id)
            )
            return [
                NotificationAttempt(
                    channel=r.channel,
                    target=r.target,
                    attempt=r.attempt,
                    ok=r.ok,
                    status_code=r.status_code,
                    error=r.error,
                    at=r.at,
                )
                for r in rows
            ]


@strawberry.type
class ReplenishmentSetting:
    id: strawberry.ID
    item_id: strawberry.ID
    bin_id: strawberry.ID
    min_qty: int
    max_qty: int
    active: bool

    @classmethod
    def of(cls, row: m.ReplenishmentSetting) -> ReplenishmentSetting:
        return cls(
            id=strawberry.ID(str(row.id)),
            item_id=strawberry.ID(str(row.item_id)),
            bin_id=strawberry.ID(str(row.bin_id)),
            min_qty=row.min_qty,
            max_qty=row.max_qty,
            active=row.active,
        )


@strawberry.type(
    description="Buy this much: the free stock is at or below the reorder point. "
    "Open purchase orders are not netted here; inbound turns suggestions into draft orders."
)
class PurchaseSuggestion:
    item_id: strawberry.ID
    sku: str
    name: str
    supplier_id: strawberry.ID | None
    supplier_code: str | None
    position: int
    mean_daily_demand: float
    stdev_daily_demand: float
    lead_time_days: int
    service_level: float
    safety_stock: float
    reorder_point: float
    quantity: int


@strawberry.input
class AlertConditionInput:
    kind: AlertConditionKind
    threshold: int | None = None
    days: int | None = None


@strawberry.input
class CreateAlertRuleInput:
    name: str
    conditions: list[AlertConditionInput]
    warehouse_id: strawberry.ID | None = None
    combine: AlertCombine = Combine.ALL
    severity: AlertSeverityEnum = m.AlertSeverity.WARNING
    item_sku: str | None = None
    category: str | None = None
    abc_class: str | None = None
    storage_class: str | None = None
    repeat_minutes: int = 240
    quiet_start_minute: int | None = strawberry.field(
        default=None, description="Minutes after local midnight (warehouse timezone)."
    )
    quiet_end_minute: int | None = None
    email_to: list[str] | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = strawberry.field(
        default=None, description="Key of the X-WMS-Signature HMAC-SHA256 over the body."
    )


@strawberry.input
class SetAlertRuleActiveInput:
    rule_id: strawberry.ID
    active: bool


@strawberry.input
class AcknowledgeAlertInput:
    alert_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class SetReplenishmentSettingInput:
    item_sku: str
    bin_code: str
    min_qty: int
    max_qty: int
    active: bool = True


@strawberry.input
class EvaluateReplenishmentInput:
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class CompleteReplenishmentInput:
    task_id: strawberry.ID
    idempotency_key: str
    to_bin_code: str | None = strawberry.field(
        default=None, description="The pick face as scanned: another bin is WRONG_BIN."
    )
    item_code: str | None = strawberry.field(
        default=None, description="The item as scanned (GTIN, GS1 or SKU): another is WRONG_ITEM."
    )
    quantity: int | None = strawberry.field(
        default=None,
        description="Units brought, when fewer than the task's (the reserve held less).",
    )


@strawberry.input
class SetReorderPolicyInput:
    item_sku: str
    warehouse_id: strawberry.ID | None = None
    supplier_code: str | None = None
    lead_time_days: int | None = None
    service_level: float = DEFAULT_SERVICE_LEVEL
    order_cycle_days: int = 14


@strawberry.type
class AlertRuleSuccess:
    rule: AlertRule


@strawberry.type(description="Plain data (it is stored for replays); read `alerts` for more.")
class AlertSuccess:
    alert_id: strawberry.ID
    state: AlertStateEnum
    acknowledged_by: strawberry.ID | None
    acknowledged_at: datetime | None


@strawberry.type
class ReplenishmentSettingSuccess:
    setting: ReplenishmentSetting


@strawberry.type
class EvaluateReplenishmentSuccess:
    created: list[Task]
    short_setting_ids: list[strawberry.ID] = strawberry.field(
        description="Pick faces below their minimum with no reserve stock to take from."
    )


@strawberry.type
class CompleteReplenishmentSuccess:
    task_id: strawberry.ID
    quantity: int


@strawberry.type
class ReorderPolicySuccess:
    item_id: strawberry.ID
    warehouse_id: strawberry.ID
    supplier_id: strawberry.ID | None
    lead_time_days: int | None
    service_level: float
    order_cycle_days: int


AlertRuleResult = result_union("AlertRuleResult", AlertRuleSuccess)
AcknowledgeAlertResult = result_union("AcknowledgeAlertResult", AlertSuccess)
ReplenishmentSettingResult = result_union("ReplenishmentSettingResult", ReplenishmentSettingSuccess)
EvaluateReplenishmentResult = result_union(
    "EvaluateReplenishmentResult", EvaluateReplenishmentSuccess
)
CompleteReplenishmentResult = result_union(
    "CompleteReplenishmentResult", CompleteReplenishmentSuccess
)
ReorderPolicyResult = result_union("ReorderPolicyResult", ReorderPolicySuccess)


def _text(value: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise DomainError(ErrorCode.INVALID_INPUT, f"At most {limit} characters.", field)
    return value or None


def _emails(raw: list[str] | None) -> str:
    addresses = [a.strip() for a in raw or [] if a.strip()]
    for address in addresses:
        local, _, domain = address.partition("@")
        if not local or "." not in domain or "," in address or " " in address:
            raise DomainError(
                ErrorCode.INVALID_INPUT, f"Not an e-mail address: {address}", "emailTo"
            )
    joined = ",".join(addresses)
    if len(joined) > 400:
        raise DomainError(ErrorCode.INVALID_INPUT, "Too many e-mail addresses.", "emailTo")
    return joined


async def _create_rule(
    uow: UnitOfWork, principal: Principal, data: CreateAlertRuleInput
) -> m.AlertRule:
    wid = acting_warehouse(principal, data.warehouse_id)
    name = _text(data.name, "name", 120)
    if not name:
        raise DomainError(ErrorCode.INVALID_INPUT, "A rule needs a name.", "name")
    combine = Combine(data.combine)
    conditions = validate_conditions(
        [Condition(ConditionKind(c.kind), c.threshold, c.days) for c in data.conditions], combine
    )
    validate_repeat(data.repeat_minutes)
    validate_quiet_hours(data.quiet_start_minute, data.quiet_end_minute)
    item_id = None
    if data.item_sku is not None:
        item_id = await uow.session.scalar(select(m.Item.id).where(m.Item.sku == data.item_sku))
        if item_id is None:
            raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
    abc = _text(data.abc_class, "abcClass", 1)
    if abc is not None and abc not in ("A", "B", "C"):
        raise DomainError(ErrorCode.INVALID_INPUT, "ABC class is A, B or C.", "abcClass")
    storage = _text(data.storage_class, "storageClass", 16)
    if storage is not None and storage not in set(m.StorageClass):
        raise DomainError(ErrorCode.INVALID_INPUT, "Unknown storage class.", "storageClass")
    url = _text(data.webhook_url, "webhookUrl", 400) or ""
    secret = (data.webhook_secret or "").strip()
    if url:
        if not url.startswith(("http://", "https://")):
            raise DomainError(ErrorCode.INVALID_INPUT, "A webhook URL is http(s)://…", "webhookUrl")
        if not 16 <= len(secret) <= 200:
            raise DomainError(
                ErrorCode.INVALID_INPUT,
                "A webhook needs a secret of 16–200 characters.",
                "webhookSecret",
            )
    rule = m.AlertRule(
        warehouse_id=wid,
        name=name,
        item_id=item_id,
        category=_text(data.category, "category", 80),
        abc_class=abc,
        storage_class=storage,
        combine=combine.value,
        conditions=[c.as_json() for c in conditions],
        severity=m.AlertSeverity(data.severity).value,
        repeat_minutes=data.repeat_minutes,
        quiet_start_minute=data.quiet_start_minute,
        quiet_end_minute=data.quiet_end_minute,
        email_to=_emails(data.email_to),
        webhook_url=url,
        webhook_secret=secret if url else "",
        created_by=principal.user_id,
        created_at=utcnow(),
    )
    uow.session.add(rule)
    await uow.session.flush()
    return rule


@strawberry.type
class AlertMutations:
    @guarded(
        Perm.ALERT_MANAGE,
        idempotent=False,
        description="A rule over an item, a class of items or a whole warehouse; "
        "refused (ALERT_RULE_INVALID) when it could never fire.",
    )
    async def create_alert_rule(self, info: Info, input: CreateAlertRuleInput) -> AlertRuleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AlertRuleSuccess:
            return AlertRuleSuccess(rule=AlertRule.of(await _create_rule(uow, principal, input)))

        return await execute(
            info, input, handle, audit_entity="alert_rule", audit_id=lambda r: r.rule.id
        )

    @guarded(Perm.ALERT_MANAGE, idempotent=False, description="Switch a rule on or off.")
    async def set_alert_rule_active(
        self, info: Info, input: SetAlertRuleActiveInput
    ) -> AlertRuleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AlertRuleSuccess:
            rule = await uow.session.get(m.AlertRule, parse_id(input.rule_id, "ruleId"))
            if rule is None or not principal.in_scope(rule.warehouse_id):
                raise DomainError(ErrorCode.NOT_FOUND, "No such alert rule.", "ruleId")
            rule.active = input.active
            await uow.session.flush()
            return AlertRuleSuccess(rule=AlertRule.of(rule))

        return await execute(
            info, input, handle, audit_entity="alert_rule", audit_id=lambda r: r.rule.id
        )

    @guarded(
        Perm.ALERT_MANAGE,
        description="A person takes an open alert on: no more repeats; it still resolves.",
    )
    async def acknowledge_alert(
        self, info: Info, input: AcknowledgeAlertInput
    ) -> AcknowledgeAlertResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AlertSuccess:
            alert = await uow.session.get(
                m.Alert, parse_id(input.alert_id, "alertId"), with_for_update=True
            )
            if alert is None or not principal.in_scope(alert.warehouse_id):
                raise DomainError(ErrorCode.ALERT_NOT_FOUND, "No such alert.", "alertId")
            if alert.state != m.AlertState.OPEN:
                raise DomainError(
                    ErrorCode.INVALID_STATE, f"The alert is {alert.state.lower()}.", "alertId"
                )
            alert.state = m.AlertState.ACKNOWLEDGED
            alert.acknowledged_by = principal.user_id
            alert.acknowledged_at = utcnow()
            await uow.session.flush()
            uow.emit(
                warehouse_channel(alert.warehouse_id),
                {"type": "alert", "change": "ACKNOWLEDGED", "alert": alert_view(alert)},
            )
            return AlertSuccess(
                alert_id=strawberry.ID(str(alert.id)),
                state=m.AlertState(alert.state),
                acknowledged_by=_ident(alert.acknowledged_by),
                acknowledged_at=alert.acknowledged_at,
            )

        return await execute(
            info, input, handle, audit_entity="alert", audit_id=lambda r: r.alert_id
        )

    @guarded(
        Perm.TASK_MANAGE,
        idempotent=False,
        description="A pick face's min/max for an item; below the minimum it is refilled to the maximum.",
    )
    async def set_replenishment_setting(
        self, info: Info, input: SetReplenishmentSettingInput
    ) -> ReplenishmentSettingResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReplenishmentSettingSuccess:
            if input.min_qty < 0:
                raise DomainError(ErrorCode.INVALID_QUANTITY, "The minimum is 0 or more.", "minQty")
            if input.max_qty <= input.min_qty:
                raise DomainError(
                    ErrorCode.INVALID_QUANTITY, "The maximum must be above the minimum.", "maxQty"
                )
            if input.max_qty > 10_000_000:
                raise DomainError(ErrorCode.QUANTITY_TOO_LARGE, "Implausible maximum.", "maxQty")
            item_id = await uow.session.scalar(
                select(m.Item.id).where(m.Item.sku == input.item_sku)
            )
            if item_id is None:
                raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
            face = await uow.session.scalar(
                select(m.Bin).where(m.Bin.code == input.bin_code.strip().upper())
            )
            if face is None or not principal.in_scope(face.warehouse_id):
                raise DomainError(ErrorCode.BIN_NOT_FOUND, "No bin with this code.", "binCode")
            zone = await uow.session.get(m.Zone, face.zone_id)
            if zone is None or zone.kind != m.ZoneKind.PICK_FACE:
                raise DomainError(ErrorCode.INVALID_INPUT, "Not a pick-face bin.", "binCode")
            setting = await uow.session.scalar(
                select(m.ReplenishmentSetting).where(
                    m.ReplenishmentSetting.item_id == item_id,
                    m.ReplenishmentSetting.bin_id == face.id,
                )
            )
            if setting is None:
                setting = m.ReplenishmentSetting(item_id=item_id, bin_id=face.id)
                uow.session.add(setting)
            setting.min_qty, setting.max_qty, setting.active = (
                input.min_qty,
                input.max_qty,
                input.active,
            )
            await uow.session.flush()
            return ReplenishmentSettingSuccess(setting=ReplenishmentSetting.of(setting))

        return await execute(
            info,
            input,
            handle,
            audit_entity="replenishment_setting",
            audit_id=lambda r: r.setting.id,
        )

    @guarded(
        Perm.TASK_MANAGE,
        idempotent=False,
        description="Create REPLENISH tasks for pick faces below their minimum (none twice).",
    )
    async def evaluate_replenishment(
        self, info: Info, input: EvaluateReplenishmentInput
    ) -> EvaluateReplenishmentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> EvaluateReplenishmentSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            result = await pickface.evaluate_replenishment(uow, wid, principal.user_id)
            return EvaluateReplenishmentSuccess(
                created=[
                    Task.of_view(await engine.task_view(uow.session, t)) for t in result.created
                ],
                short_setting_ids=[strawberry.ID(str(s)) for s in result.short],
            )

        return await execute(info, input, handle, audit_entity="warehouse")

    @guarded(
        Perm.STOCK_MOVE,
        description="Do a REPLENISH task: its reserve stock moves to the pick face; the task is "
        "done. Send what was scanned so a wrong pick face or item is refused.",
    )
    async def complete_replenishment(
        self, info: Info, input: CompleteReplenishmentInput
    ) -> CompleteReplenishmentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CompleteReplenishmentSuccess:
            task = await uow.session.get(
                m.Task,
                parse_id(input.task_id, "taskId"),
                with_for_update=True,
                populate_existing=True,
            )
            if task is None or not principal.in_scope(task.warehouse_id):
                raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such task.", "taskId")
            to_bin = (
                await bin_by_scan(uow.session, input.to_bin_code, principal, "toBinCode")
                if input.to_bin_code
                else None
            )
            item = (
                (await item_by_scan(uow.session, input.item_code)).item if input.item_code else None
            )
            moved = await pickface.complete_replenishment(
                uow, task, principal.user_id, to_bin=to_bin, item=item, quantity=input.quantity
            )
            return CompleteReplenishmentSuccess(task_id=strawberry.ID(str(task.id)), quantity=moved)

        return await execute(info, input, handle, audit_entity="task", audit_id=lambda r: r.task_id)

    @guarded(
        Perm.PURCHASE_MANAGE,
        idempotent=False,
        description="Supplier, lead time and service level of an item in a warehouse.",
    )
    async def set_reorder_policy(
        self, info: Info, input: SetReorderPolicyInput
    ) -> ReorderPolicyResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReorderPolicySuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            if not 0.5 < input.service_level < 1:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    "A service level lies between 0.5 and 1.",
                    "serviceLevel",
                )
            if input.lead_time_days is not None and not 0 < input.lead_time_days <= 365:
                raise DomainError(ErrorCode.INVALID_INPUT, "Lead time: 1–365 days.", "leadTimeDays")
            if not 0 < input.order_cycle_days <= 365:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, "Order cycle: 1–365 days.", "orderCycleDays"
                )
            item_id = await uow.session.scalar(
                select(m.Item.id).where(m.Item.sku == input.item_sku)
            )
            if item_id is None:
                raise DomainError(ErrorCode.ITEM_NOT_FOUND, "No item with this SKU.", "itemSku")
            supplier_id = None
            if input.supplier_code:
                supplier_id = await uow.session.scalar(
                    select(m.Supplier.id).where(m.Supplier.code == input.supplier_code)
                )
                if supplier_id is None:
                    raise DomainError(ErrorCode.NOT_FOUND, "No such supplier.", "supplierCode")
            policy = await uow.session.scalar(
                select(m.ReorderPolicy).where(
                    m.ReorderPolicy.item_id == item_id, m.ReorderPolicy.warehouse_id == wid
                )
            )
            if policy is None:
                policy = m.ReorderPolicy(item_id=item_id, warehouse_id=wid)
                uow.session.add(policy)
            policy.supplier_id = supplier_id
            policy.lead_time_days = input.lead_time_days
            policy.service_level = input.service_level
            policy.order_cycle_days = input.order_cycle_days
            await uow.session.flush()
            return ReorderPolicySuccess(
                item_id=strawberry.ID(str(item_id)),
                warehouse_id=strawberry.ID(str(wid)),
                supplier_id=_ident(supplier_id),
                lead_time_days=policy.lead_time_days,
                service_level=policy.service_level,
                order_cycle_days=policy.order_cycle_days,
            )

        return await execute(info, input, handle, audit_entity="item", audit_id=lambda r: r.item_id)


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
        stmt = select(m.AlertRule).where(
            m.AlertRule.warehouse_id.in_(_scope(principal, warehouse_id))
        )
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
        stmt = select(m.Alert).where(m.Alert.warehouse_id.in_(_scope(principal, warehouse_id)))
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
        stmt = (
            select(m.ReplenishmentSetting)
            .join(m.Bin, m.Bin.id == m.ReplenishmentSetting.bin_id)
            .where(m.Bin.warehouse_id.in_(_scope(principal, warehouse_id)))
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
        scope = _scope(principal, warehouse_id)
        if not scope:
            return []
        now = utcnow()
        async with info.context.app.unit_of_work() as uow:
            await refresh(uow.session, now)
            await uow.commit()
        async with info.context.db() as session:
            found = await purchase_suggestions(
                session, scope[0], now, window_days=window_days, service_level=service_level
            )
        found.sort(key=lambda s: (s.position - s.reorder_point, s.sku))
        return [
            PurchaseSuggestion(
                item_id=strawberry.ID(str(s.item_id)),
                sku=s.sku,
                name=s.name,
                supplier_id=_ident(s.supplier_id),
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
