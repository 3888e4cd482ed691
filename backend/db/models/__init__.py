"""All models, imported here so metadata (and Alembic) sees every table."""

from backend.db.models.auth import (
    AuditEntry,
    IdempotencyRecord,
    SignInFailure,
    User,
    UserRole,
    UserWarehouse,
)
from backend.db.models.catalog import (
    Carrier,
    Customer,
    Item,
    ItemBarcode,
    ItemPackaging,
    StorageClass,
    Supplier,
    Tracking,
)
from backend.db.models.inventory import (
    Lot,
    MoveReason,
    Quant,
    Reservation,
    ReservationState,
    StockMove,
    StockStatus,
)
from backend.db.models.layout import Bin, Warehouse, Zone, ZoneKind
from backend.db.models.putaway import PutawayRuleSet
from backend.db.models.tasks import Task, TaskKind, TaskState

__all__ = [
    "AuditEntry",
    "Bin",
    "Carrier",
    "Customer",
    "IdempotencyRecord",
    "Item",
    "ItemBarcode",
    "ItemPackaging",
    "Lot",
    "MoveReason",
    "PutawayRuleSet",
    "Quant",
    "Reservation",
    "ReservationState",
    "SignInFailure",
    "StockMove",
    "StockStatus",
    "StorageClass",
    "Supplier",
    "Task",
    "TaskKind",
    "TaskState",
    "Tracking",
    "User",
    "UserRole",
    "UserWarehouse",
    "Warehouse",
    "Zone",
    "ZoneKind",
]
