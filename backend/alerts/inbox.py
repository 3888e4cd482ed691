"""What a person does with an alert: take it on (acknowledge)."""

from __future__ import annotations

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
