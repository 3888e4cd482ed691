from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base, utcnow


class DeviceSync(Base):
    """What a handheld last said of its outbox: one row per device, overwritten by each
    report. Supervisors read it to find work that has not reached the server."""

    __tablename__ = "device_sync"
    __table_args__ = (Index("ix_device_sync_user_id", "user_id"),)

    device_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    # Who was signed in on the device when it last reported.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    waiting: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    # Codes of the refused changes, comma-separated (what the supervisor needs to act on).
    conflict_codes: Mapped[str] = mapped_column(String(400), default="")
    oldest_waiting_at: Mapped[datetime | None] = mapped_column()
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    app_version: Mapped[str] = mapped_column(String(40), default="")
