"""Alert rules and alerts; pick-face replenishment; purchase suggestions.

Alerts reach screens on `warehouseEvents` (type "alert", after commit), and by
e-mail and webhook from the scheduler (`backend/alerts/scheduler.py`).
"""

from backend.schema.alerts.mutations import AlertMutations
from backend.schema.alerts.queries import AlertQueries, ReplenishQuery

__all__ = ["AlertMutations", "AlertQueries", "ReplenishQuery"]
