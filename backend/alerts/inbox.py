"""What a person does with an alert: take it on (acknowledge) or put it off (snooze)."""

from __future__ import annotations

from datetime import timedelta

from backend.alerts.evaluator import alert_view
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import AlertChanged


async def acknowledge_alert(uow: UnitOfWork, principal: Principal, alert_id: int) -> m.Alert:
    """An open alert of the caller's warehouses is taken on: it is not notified again but
    still resolves when its condition clears. Screens hear of it after commit."""
    alert = await uow.session.get(m.Alert, alert_id, with_for_update=True)
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
    uow.emit(AlertChanged(alert.warehouse_id, "ACKNOWLEDGED", alert_view(alert)))
    return alert


MAX_SNOOZE_MINUTES = 7 * 24 * 60


async def snooze_alert(
    uow: UnitOfWork, principal: Principal, alert_id: int, minutes: int
) -> m.Alert:
    """No notices for an unresolved alert of the caller's warehouses for `minutes`
    (1 minute to 7 days); snoozing again moves the end, 0 wakes it now. It still
    resolves when its condition clears."""
    if not 0 <= minutes <= MAX_SNOOZE_MINUTES:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"Snooze for 0–{MAX_SNOOZE_MINUTES} minutes.", "minutes"
        )
    alert = await uow.session.get(m.Alert, alert_id, with_for_update=True)
    if alert is None or not principal.in_scope(alert.warehouse_id):
        raise DomainError(ErrorCode.ALERT_NOT_FOUND, "No such alert.", "alertId")
    if alert.state == m.AlertState.RESOLVED:
        raise DomainError(ErrorCode.INVALID_STATE, "The alert is resolved.", "alertId")
    now = utcnow()
    alert.snoozed_until = now + timedelta(minutes=minutes) if minutes else None
    alert.snoozed_by = principal.user_id if minutes else None
    await uow.session.flush()
    uow.emit(AlertChanged(alert.warehouse_id, "SNOOZED", alert_view(alert)))
    return alert
