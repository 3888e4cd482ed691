"""Put-back lives in backend.outbound.putback (order cancellation uses it too); kept
importable from here for packing's callers."""

from backend.outbound.putback import TASK_PRIORITY, PutBackUnits, create_put_back

__all__ = ["TASK_PRIORITY", "PutBackUnits", "create_put_back"]
