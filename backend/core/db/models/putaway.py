from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class PutawayRuleSet(Base):
    """A warehouse's ranking order for putaway suggestions (hard rules are not listed:
    they always apply). No row means the default order."""

    __tablename__ = "putaway_rule_sets"
    __table_args__ = (
        CheckConstraint("travel_band_m > 0", name="travel_band_positive"),
        CheckConstraint("golden_travel_m >= 0", name="golden_travel_not_negative"),
    )

    warehouse_id: Mapped[int] = mapped_column(
        ForeignKey("warehouses.id", ondelete="CASCADE"), primary_key=True
    )
    # Rule names, most important first, e.g. ["CONSOLIDATE", "ABC_VELOCITY", ...].
    rules: Mapped[list[str]] = mapped_column(JSON)
    travel_band_m: Mapped[float] = mapped_column(default=5.0)
    # None: the nearest third of the storage bins count as the golden zone.
    golden_travel_m: Mapped[float | None] = mapped_column()
    allow_mixed_lots: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
