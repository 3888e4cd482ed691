# mypy: disable-error-code="valid-type"
"""Alert, replenishment and reorder-policy writes: each resolver parses its input, calls
one domain function and maps the result."""

from __future__ import annotations

import strawberry

from backend.alerts import inbox, rulebook
from backend.alerts.rules import Combine, Condition, ConditionKind
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.replenishment import commands, policy
from backend.schema.alerts.types import (
    AcknowledgeAlertInput,
    AcknowledgeAlertResult,
    AlertRule,
    AlertRuleResult,
    AlertRuleSuccess,
    AlertSuccess,
    CompleteReplenishmentInput,
    CompleteReplenishmentResult,
    CompleteReplenishmentSuccess,
    CreateAlertRuleInput,
    EvaluateReplenishmentInput,
    EvaluateReplenishmentResult,
    EvaluateReplenishmentSuccess,
    ReorderPolicyResult,
    ReorderPolicySuccess,
    ReplenishmentSetting,
    ReplenishmentSettingResult,
    ReplenishmentSettingSuccess,
    SetAlertRuleActiveInput,
    SetReorderPolicyInput,
    SetReplenishmentSettingInput,
    SnoozeAlertInput,
    SnoozeAlertResult,
    ident,
)
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded
from backend.schema.types import Task
from backend.tasks import engine


def _rule_request(principal: Principal, data: CreateAlertRuleInput) -> rulebook.RuleRequest:
    return rulebook.RuleRequest(
        warehouse_id=acting_warehouse(principal, data.warehouse_id),
        name=data.name,
        conditions=[Condition(ConditionKind(c.kind), c.threshold, c.days) for c in data.conditions],
        combine=Combine(data.combine),
        severity=m.AlertSeverity(data.severity),
        item_sku=data.item_sku,
        category=data.category,
        abc_class=data.abc_class,
        storage_class=data.storage_class,
        repeat_minutes=data.repeat_minutes,
        quiet_start_minute=data.quiet_start_minute,
        quiet_end_minute=data.quiet_end_minute,
        email_to=tuple(data.email_to or ()),
        sms_to=tuple(data.sms_to or ()),
        webhook_url=data.webhook_url,
        webhook_secret=data.webhook_secret,
    )


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
            rule = await rulebook.create_rule(uow, principal, _rule_request(principal, input))
            return AlertRuleSuccess(rule=AlertRule.of(rule))

        return await execute(
            info, input, handle, audit_entity="alert_rule", audit_id=lambda r: r.rule.id
        )

    @guarded(Perm.ALERT_MANAGE, idempotent=False, description="Switch a rule on or off.")
    async def set_alert_rule_active(
        self, info: Info, input: SetAlertRuleActiveInput
    ) -> AlertRuleResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AlertRuleSuccess:
            rule = await rulebook.set_rule_active(
                uow, principal, parse_id(input.rule_id, "ruleId"), input.active
            )
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
            alert = await inbox.acknowledge_alert(
                uow, principal, parse_id(input.alert_id, "alertId")
            )
            return AlertSuccess(
                alert_id=strawberry.ID(str(alert.id)),
                state=m.AlertState(alert.state),
                acknowledged_by=ident(alert.acknowledged_by),
                acknowledged_at=alert.acknowledged_at,
            )

        return await execute(
            info, input, handle, audit_entity="alert", audit_id=lambda r: r.alert_id
        )

    @guarded(
        Perm.ALERT_MANAGE,
        description="Put an unresolved alert off: no notices for that many minutes.",
    )
    async def snooze_alert(self, info: Info, input: SnoozeAlertInput) -> SnoozeAlertResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> AlertSuccess:
            alert = await inbox.snooze_alert(
                uow, principal, parse_id(input.alert_id, "alertId"), input.minutes
            )
            return AlertSuccess(
                alert_id=strawberry.ID(str(alert.id)),
                state=m.AlertState(alert.state),
                acknowledged_by=ident(alert.acknowledged_by),
                acknowledged_at=alert.acknowledged_at,
                snoozed_until=alert.snoozed_until,
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
            setting = await commands.set_setting(
                uow,
                principal,
                item_sku=input.item_sku,
                bin_code=input.bin_code,
                min_qty=input.min_qty,
                max_qty=input.max_qty,
                active=input.active,
            )
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
            result = await commands.evaluate(uow, principal, input.warehouse_id)
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
            done = await commands.complete(
                uow,
                principal,
                parse_id(input.task_id, "taskId"),
                to_bin_code=input.to_bin_code,
                item_code=input.item_code,
                quantity=input.quantity,
            )
            return CompleteReplenishmentSuccess(
                task_id=strawberry.ID(str(done.task.id)), quantity=done.quantity
            )

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
            row = await policy.set_reorder_policy(
                uow,
                policy.PolicyRequest(
                    item_sku=input.item_sku,
                    warehouse_id=acting_warehouse(principal, input.warehouse_id),
                    supplier_code=input.supplier_code,
                    lead_time_days=input.lead_time_days,
                    service_level=input.service_level,
                    order_cycle_days=input.order_cycle_days,
                ),
            )
            return ReorderPolicySuccess(
                item_id=strawberry.ID(str(row.item_id)),
                warehouse_id=strawberry.ID(str(row.warehouse_id)),
                supplier_id=ident(row.supplier_id),
                lead_time_days=row.lead_time_days,
                service_level=row.service_level,
                order_cycle_days=row.order_cycle_days,
            )

        return await execute(info, input, handle, audit_entity="item", audit_id=lambda r: r.item_id)
