"""Evaluate every active alert rule against the stock of its warehouse.

An alert is raised once per rule and subject (an item in the rule's warehouse);
while the condition holds it is notified again every `repeat_minutes`, except in
the rule's quiet hours (a notice due then waits for them to end); once the
condition clears the alert is resolved. An acknowledged alert is not notified
again but still resolves. The caller commits, then publishes the events and
delivers the notices (nothing slow inside the transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.alerts.rules import Combine, Condition, ConditionKind, in_quiet_hours
from backend.alerts.signals import SignalKind
from backend.analytics.aggregates import COUNT_REFERENCE, refresh
from backend.core.db.models import (
    Alert,
    AlertRule,
    AlertSignal,
    AlertState,
    Bin,
    Item,
    Lot,
    MoveReason,
    Quant,
    StockMove,
    Warehouse,
)
from backend.core.events import AlertChanged, AlertSnapshot
from backend.notify.message import AlertNotice
from backend.replenishment.suggestions import free_stock, item_plans


@dataclass
class EvaluationOutcome:
    raised: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    deferred: list[int] = field(default_factory=list)
    events: list[AlertChanged] = field(default_factory=list)
    notices: list[AlertNotice] = field(default_factory=list)


Findings = dict[int, str]  # item id → why the condition holds for it


def alert_view(alert: Alert, sku: str | None = None) -> AlertSnapshot:
    return AlertSnapshot(
        id=alert.id,
        rule_id=alert.rule_id,
        warehouse_id=alert.warehouse_id,
        item_id=alert.item_id,
        sku=sku,
        subject=alert.subject,
        state=alert.state,
        severity=alert.severity,
        message=alert.message,
        raised_at=alert.raised_at.isoformat() if alert.raised_at else None,
    )


class _WarehouseFacts:
    """Per-warehouse figures, computed once per evaluation and shared by its rules."""

    def __init__(self, session: AsyncSession, warehouse_id: int, now: datetime) -> None:
        self.session = session
        self.warehouse_id = warehouse_id
        self.now = now
        self._free: dict[int, int] | None = None
        self._safety: dict[int, float] | None = None

    async def free(self) -> dict[int, int]:
        if self._free is None:
            self._free = await free_stock(self.session, self.warehouse_id)
        return self._free

    async def safety(self) -> dict[int, float]:
        if self._safety is None:
            plans = await item_plans(self.session, self.warehouse_id, self.now)
            self._safety = {i: p.plan.safety_stock for i, p in plans.items()}
        return self._safety

    async def candidates(self, rule: AlertRule) -> set[int]:
        stmt = select(Item.id).where(Item.active.is_(True))
        if rule.item_id is not None:
            stmt = stmt.where(Item.id == rule.item_id)
        else:
            stocked = (
                select(Quant.item_id)
                .join(Bin, Bin.id == Quant.bin_id)
                .where(Bin.warehouse_id == self.warehouse_id)
            )
            stmt = stmt.where(Item.id.in_(stocked))
        if rule.category:
            stmt = stmt.where(Item.category == rule.category)
        if rule.abc_class:
            stmt = stmt.where(Item.abc_class == rule.abc_class)
        if rule.storage_class:
            stmt = stmt.where(Item.storage_class == rule.storage_class)
        return set(await self.session.scalars(stmt))

    async def holds(self, condition: Condition, items: set[int]) -> Findings:
        """The items of `items` the condition holds for, each with why."""
        kind, threshold, days = condition.kind, condition.threshold, condition.days
        if kind in (
            ConditionKind.BELOW_MINIMUM,
            ConditionKind.ABOVE_MAXIMUM,
            ConditionKind.BELOW_SAFETY_STOCK,
        ):
            return await self._stock_level(kind, threshold, items)
        assert days is not None
        since = self.now - timedelta(days=days)
        if kind is ConditionKind.EXPIRY_WITHIN:
            return await self._expiring(days, items)
        if kind is ConditionKind.NO_MOVEMENT:
            return await self._idle(since, days, items)
        if kind is ConditionKind.COUNT_VARIANCE:
            assert threshold is not None
            return {
                i: f"{qty} units off in counts within {days} days"
                for i, qty in (await self._count_variance(since)).items()
                if i in items and qty >= threshold
            }
        if kind is ConditionKind.NEGATIVE_AVAILABILITY:
            assert threshold is not None
            counts = await self._signal_counts(SignalKind.INSUFFICIENT_STOCK, since)
            return {
                i: f"{n} takes refused for lack of stock within {days} days"
                for i, n in counts
                if i in items and n >= threshold
            }
        raise ValueError(kind)

    async def _stock_level(
        self, kind: ConditionKind, threshold: int | None, items: set[int]
    ) -> Findings:
        """Free stock below a minimum, above a maximum or below the safety stock (the
        threshold given, else the computed one)."""
        free = await self.free()
        if kind is ConditionKind.BELOW_MINIMUM:
            assert threshold is not None
            return {
                i: f"available {free.get(i, 0)} below minimum {threshold}"
                for i in items
                if free.get(i, 0) < threshold
            }
        if kind is ConditionKind.ABOVE_MAXIMUM:
            assert threshold is not None
            return {
                i: f"available {free.get(i, 0)} above maximum {threshold}"
                for i in items
                if free.get(i, 0) > threshold
            }
        safety = (
            dict.fromkeys(items, float(threshold)) if threshold is not None else await self.safety()
        )
        return {
            i: f"available {free.get(i, 0)} below safety stock {safety[i]:.0f}"
            for i in items
            if safety.get(i, 0) > 0 and free.get(i, 0) < safety[i]
        }

    async def _expiring(self, days: int, items: set[int]) -> Findings:
        limit = self.now.date() + timedelta(days=days)
        rows = await self.session.execute(
            select(Quant.item_id, func.min(Lot.expiry))
            .join(Lot, Lot.id == Quant.lot_id)
            .join(Bin, Bin.id == Quant.bin_id)
            .where(
                Bin.warehouse_id == self.warehouse_id,
                Quant.on_hand > 0,
                Lot.expiry.is_not(None),
                Lot.expiry <= limit,
            )
            .group_by(Quant.item_id)
        )
        return {i: f"stock expires {expiry}" for i, expiry in rows if i in items}

    async def _idle(self, since: datetime, days: int, items: set[int]) -> Findings:
        # Per item on hand, one probe of the (item_id, at) index that stops at the first
        # move since then, instead of reading every move of the period.
        on_hand = (
            select(Quant.item_id)
            .join(Bin, Bin.id == Quant.bin_id)
            .where(Bin.warehouse_id == self.warehouse_id, Quant.on_hand > 0)
            .distinct()
            .subquery()
        )
        place = aliased(Bin)
        moved = (
            select(StockMove.id)
            .join(place, place.id == func.coalesce(StockMove.to_bin_id, StockMove.from_bin_id))
            .where(
                StockMove.item_id == on_hand.c.item_id,
                StockMove.at >= since,
                place.warehouse_id == self.warehouse_id,
            )
        )
        idle = set(await self.session.scalars(select(on_hand.c.item_id).where(~moved.exists())))
        return {i: f"no movement for {days} days" for i in items & idle}

    async def _count_variance(self, since: datetime) -> dict[int, int]:
        """Units off per item in the counts of the period: the variances submitted counts
        reported (COUNT_VARIANCE signals, "COUNT-<id>"), and the count adjustments in the
        ledger ("ADJ-<id> COUNT-<id>") of counts that reported none in the period (approved
        variances of counts submitted earlier), so no count's variance is added twice."""
        off: dict[int, int] = {}
        reported: set[tuple[int, str]] = set()
        signals = await self.session.execute(
            select(
                AlertSignal.item_id, AlertSignal.reference, func.sum(func.abs(AlertSignal.quantity))
            )
            .where(
                AlertSignal.kind == SignalKind.COUNT_VARIANCE.value,
                AlertSignal.warehouse_id == self.warehouse_id,
                AlertSignal.at >= since,
                AlertSignal.item_id.is_not(None),
            )
            .group_by(AlertSignal.item_id, AlertSignal.reference)
        )
        for item_id, reference, units in signals:
            off[item_id] = off.get(item_id, 0) + int(units or 0)
            if reference:
                reported.add((item_id, reference))
        adjustments = await self.session.execute(
            select(StockMove.item_id, StockMove.reference, func.sum(StockMove.quantity))
            .join(Bin, Bin.id == func.coalesce(StockMove.to_bin_id, StockMove.from_bin_id))
            .where(
                Bin.warehouse_id == self.warehouse_id,
                StockMove.at >= since,
                StockMove.reason.in_([MoveReason.ADJUST_IN, MoveReason.ADJUST_OUT]),
                StockMove.reference.like(f"%{COUNT_REFERENCE}%"),
            )
            .group_by(StockMove.item_id, StockMove.reference)
        )
        for item_id, reference, units in adjustments:
            text = str(reference or "")  # matched the LIKE, so it names the count
            count_ref = text[text.index(COUNT_REFERENCE) :].split()[0]
            if (item_id, count_ref) not in reported:
                off[item_id] = off.get(item_id, 0) + int(units or 0)
        return off

    async def _signal_counts(self, kind: SignalKind, since: datetime) -> list[tuple[int, int]]:
        """Signals of one kind per item in the period."""
        rows = await self.session.execute(
            select(AlertSignal.item_id, func.count())
            .where(
                AlertSignal.kind == kind.value,
                AlertSignal.warehouse_id == self.warehouse_id,
                AlertSignal.at >= since,
                AlertSignal.item_id.is_not(None),
            )
            .group_by(AlertSignal.item_id)
        )
        return [(int(i), int(n or 0)) for i, n in rows if i is not None]


async def _findings(facts: _WarehouseFacts, rule: AlertRule) -> dict[int, list[str]]:
    items = await facts.candidates(rule)
    if not items:
        return {}
    combine = Combine(rule.combine)
    result: dict[int, list[str]] | None = None
    for raw in rule.conditions:
        found = await facts.holds(Condition.from_json(raw), items)
        if result is None:
            result = {i: [why] for i, why in found.items()}
        elif combine is Combine.ALL:
            result = {i: [*whys, found[i]] for i, whys in result.items() if i in found}
        else:
            for i, why in found.items():
                result.setdefault(i, []).append(why)
    return result or {}


def _notice(rule: AlertRule, alert: Alert, sku: str, change: str) -> AlertNotice:
    return AlertNotice(
        alert_id=alert.id,
        warehouse_id=alert.warehouse_id,
        change=change,
        severity=alert.severity,
        title=f"[{alert.severity}] {rule.name}: {sku}",
        message=alert.message,
        payload=AlertChanged(alert.warehouse_id, change, alert_view(alert, sku)).wire(),
        email_to=tuple(a.strip() for a in rule.email_to.split(",") if a.strip()),
        sms_to=tuple(n.strip() for n in rule.sms_to.split(",") if n.strip()),
        webhook_url=rule.webhook_url,
        webhook_secret=rule.webhook_secret,
    )


async def evaluate_alerts(session: AsyncSession, now: datetime) -> EvaluationOutcome:
    outcome = EvaluationOutcome()
    rules = list(
        await session.scalars(
            select(AlertRule).where(AlertRule.active.is_(True)).order_by(AlertRule.id)
        )
    )
    if not rules:
        return outcome
    if any(
        c.get("kind") == ConditionKind.BELOW_SAFETY_STOCK and c.get("threshold") is None
        for r in rules
        for c in r.conditions
    ):
        await refresh(session, now)
    zones = dict((await session.execute(select(Warehouse.id, Warehouse.timezone))).all())
    facts: dict[int, _WarehouseFacts] = {}
    for rule in rules:
        wh = facts.setdefault(rule.warehouse_id, _WarehouseFacts(session, rule.warehouse_id, now))
        await _evaluate_rule(session, rule, wh, zones.get(rule.warehouse_id, "UTC"), now, outcome)
    return outcome


async def _evaluate_rule(
    session: AsyncSession,
    rule: AlertRule,
    facts: _WarehouseFacts,
    timezone: str,
    now: datetime,
    outcome: EvaluationOutcome,
) -> None:
    findings = await _findings(facts, rule)
    existing = {
        a.subject: a
        for a in await session.scalars(
            select(Alert)
            .where(Alert.rule_id == rule.id, Alert.state != AlertState.RESOLVED)
            .with_for_update()
        )
    }
    item_ids = set(findings) | {a.item_id for a in existing.values() if a.item_id is not None}
    skus = (
        dict((await session.execute(select(Item.id, Item.sku).where(Item.id.in_(item_ids)))).all())
        if item_ids
        else {}
    )
    to_notify = await _raise_or_update(session, rule, findings, existing, skus, now, outcome)
    quiet = in_quiet_hours(now, timezone, rule.quiet_start_minute, rule.quiet_end_minute)
    _notify(rule, to_notify, quiet, now, outcome)
    _resolve(rule, existing.values(), skus, now, outcome)
    await session.flush()


async def _raise_or_update(
    session: AsyncSession,
    rule: AlertRule,
    findings: dict[int, list[str]],
    existing: dict[str, Alert],
    skus: dict[int, str],
    now: datetime,
    outcome: EvaluationOutcome,
) -> list[tuple[Alert, str, str]]:
    """An alert per finding, new or brought up to date (taken out of `existing`, which
    keeps those whose condition cleared); those due a notice, with their SKU and change.
    Decides everything first and flushes once: a warehouse-wide rule may raise thousands."""
    repeat = timedelta(minutes=rule.repeat_minutes)
    to_notify: list[tuple[Alert, str, str]] = []
    raised: list[Alert] = []
    for item_id in sorted(findings):
        subject = f"item:{item_id}"
        sku = skus.get(item_id, str(item_id))
        message = (f"{sku}: " + "; ".join(findings[item_id]))[:400]
        detail = {"findings": findings[item_id]}
        alert = existing.pop(subject, None)
        if alert is None:
            alert = Alert(
                rule_id=rule.id,
                warehouse_id=rule.warehouse_id,
                item_id=item_id,
                subject=subject,
                state=AlertState.OPEN,
                severity=rule.severity,
                message=message,
                detail=detail,
                raised_at=now,
                notify_count=0,
            )
            session.add(alert)
            raised.append(alert)
        else:
            if alert.message != message:
                alert.message = message
            if alert.detail != detail:
                alert.detail = detail
            if alert.state != AlertState.OPEN:
                continue  # acknowledged: a person is on it
            if alert.snoozed_until is not None and now < alert.snoozed_until:
                continue  # put off by a person until then
            if alert.last_notified_at is not None and now - alert.last_notified_at < repeat:
                continue
        change = "RAISED" if alert.last_notified_at is None else "REPEATED"
        to_notify.append((alert, sku, change))
    await session.flush()
    outcome.raised.extend(a.id for a in raised)
    return to_notify


def _notify(
    rule: AlertRule,
    to_notify: list[tuple[Alert, str, str]],
    quiet: bool,
    now: datetime,
    outcome: EvaluationOutcome,
) -> None:
    """A notice and an event per alert due one; in quiet hours they wait (deferred)."""
    for alert, sku, change in to_notify:
        if quiet:
            outcome.deferred.append(alert.id)
            continue
        alert.last_notified_at = now
        alert.notify_count += 1
        if change == "REPEATED":
            outcome.repeated.append(alert.id)
        notice = _notice(rule, alert, sku, change)
        outcome.notices.append(notice)
        outcome.events.append(AlertChanged(alert.warehouse_id, change, alert_view(alert, sku)))


def _resolve(
    rule: AlertRule,
    cleared: Iterable[Alert],
    skus: dict[int, str],
    now: datetime,
    outcome: EvaluationOutcome,
) -> None:
    """The alerts whose condition has cleared resolve, with an event each."""
    for alert in cleared:
        alert.state = AlertState.RESOLVED
        alert.resolved_at = now
        outcome.resolved.append(alert.id)
        gone_sku = skus.get(alert.item_id) if alert.item_id is not None else None
        outcome.events.append(
            AlertChanged(alert.warehouse_id, "RESOLVED", alert_view(alert, gone_sku))
        )
