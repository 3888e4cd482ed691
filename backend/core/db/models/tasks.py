from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class TaskKind(StrEnum):
    RECEIVE = "RECEIVE"
    QC = "QC"
    PUTAWAY = "PUTAWAY"
    PICK = "PICK"
    PACK = "PACK"
    SHIP = "SHIP"
    COUNT = "COUNT"
    MOVE = "MOVE"
    REPLENISH = "REPLENISH"


class TaskState(StrEnum):
    OPEN = "OPEN"
    CLAIMED = "CLAIMED"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


_LIVE = "state IN ('OPEN', 'CLAIMED')"


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_claimable", "warehouse_id", "state", "role", "priority", "id"),
        Index("ix_tasks_assignee_state", "assignee_id", "state"),
        # The tasks under way: a handful, however many finished ones pile up. A pick
        # confirmation checks the scanned tote against the live carts from here instead of
        # reading every cart the tote ever rode on.
        Index(
            "ix_tasks_live",
            "id",
            postgresql_where=text(_LIVE),
            sqlite_where=text(_LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12), default=TaskState.OPEN)
    # The role whose people may claim it (a picker sees picks, a counter counts …).
    role: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    priority: Mapped[int] = mapped_column(default=5)  # 1 most urgent
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"))
    bin_id: Mapped[int | None] = mapped_column(ForeignKey("bins.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str | None] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
