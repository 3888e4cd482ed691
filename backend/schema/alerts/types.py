# mypy: disable-error-code="valid-type"
"""Alert rules and alerts, pick-face replenishment and purchase suggestions: GraphQL
types, inputs and the mappers from rows."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from sqlalchemy import select

from backend.alerts.rules import Combine, Condition, ConditionKind
from backend.core.db import models as m
from backend.replenishment.suggestions import DEFAULT_SERVICE_LEVEL
from backend.schema.context import Info
from backend.schema.errors import result_union
from backend.schema.types import Task

AlertConditionKind = strawberry.enum(ConditionKind, name="AlertConditionKind")
AlertCombine = strawberry.enum(Combine, name="AlertCombine")
AlertSeverityEnum = strawberry.enum(m.AlertSeverity, name="AlertSeverity")
AlertStateEnum = strawberry.enum(m.AlertState, name="AlertState")


def ident(value: int | None) -> strawberry.ID | None:
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
    sms_to: list[str] = strawberry.field(description="Numbers texted through the SMS gateway.")

    @classmethod
    def of(cls, row: m.AlertRule) -> AlertRule:
        return cls(
            id=strawberry.ID(str(row.id)),
            warehouse_id=strawberry.ID(str(row.warehouse_id)),
            name=row.name,
            item_id=ident(row.item_id),
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
            sms_to=[n for n in row.sms_to.split(",") if n],
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
    snoozed_until: datetime | None = strawberry.field(
        default=None, description="No notices until then (set by snoozeAlert)."
    )

    @classmethod
    def of(cls, row: m.Alert) -> Alert:
        return cls(
            id=strawberry.ID(str(row.id)),
            rule_id=strawberry.ID(str(row.rule_id)),
            warehouse_id=strawberry.ID(str(row.warehouse_id)),
            item_id=ident(row.item_id),
            subject=row.subject,
            state=m.AlertState(row.state),
            severity=m.AlertSeverity(row.severity),
            message=row.message,
            raised_at=row.raised_at,
            last_notified_at=row.last_notified_at,
            notify_count=row.notify_count,
            acknowledged_by=ident(row.acknowledged_by),
            acknowledged_at=row.acknowledged_at,
            resolved_at=row.resolved_at,
            snoozed_until=row.snoozed_until,
        )

    @strawberry.field(description="E-mail, SMS and webhook attempts, oldest first.")
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
    sms_to: list[str] | None = strawberry.field(
        default=None, description="Phone numbers in +E.164 form, texted through the SMS gateway."
    )
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
class SnoozeAlertInput:
    alert_id: strawberry.ID
    minutes: int = strawberry.field(description="1–10080 (a week); 0 wakes the alert now.")
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
    snoozed_until: datetime | None = None


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
SnoozeAlertResult = result_union("SnoozeAlertResult", AlertSuccess)
ReplenishmentSettingResult = result_union("ReplenishmentSettingResult", ReplenishmentSettingSuccess)
EvaluateReplenishmentResult = result_union(
    "EvaluateReplenishmentResult", EvaluateReplenishmentSuccess
)
CompleteReplenishmentResult = result_union(
    "CompleteReplenishmentResult", CompleteReplenishmentSuccess
)
ReorderPolicyResult = result_union("ReorderPolicyResult", ReorderPolicySuccess)


@strawberry.type
class ReplenishSource:
    bin_code: str
    bin_label: str
    lot_number: str | None
    expiry: date | None
    quantity: int


@strawberry.type(description="A REPLENISH task: the item, where it comes from, where it goes.")
class ReplenishTask:
    task_id: strawberry.ID
    item_sku: str
    item_name: str
    tracking: str
    to_bin_code: str
    to_bin_label: str
    quantity: int
    sources: list[ReplenishSource] = strawberry.field(
        description="Reserve bins in the order to visit them (earliest expiry first)."
    )
