from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.db.base import Base


class ZoneKind(StrEnum):
    RECEIVING = "RECEIVING"
    QC = "QC"
    RESERVE = "RESERVE"
    PICK_FACE = "PICK_FACE"
    PACKING = "PACKING"
    SHIPPING = "SHIPPING"


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The rectangular layout routing works on: parallel aisles, cross aisles, a depot.
    n_aisles: Mapped[int] = mapped_column(default=0)
    cells_per_aisle: Mapped[int] = mapped_column(default=0)
    cell_length_m: Mapped[float] = mapped_column(default=1.3)
    aisle_pitch_m: Mapped[float] = mapped_column(default=3.0)
    cross_aisle_width_m: Mapped[float] = mapped_column(default=3.0)
    n_blocks: Mapped[int] = mapped_column(default=1)
    depot_aisle: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Zone(Base):
    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("warehouse_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))
    storage_class: Mapped[str] = mapped_column(String(16), default="AMBIENT")


class Bin(Base):
    __tablename__ = "bins"
    __table_args__ = (
        CheckConstraint("capacity_units >= 0", name="capacity_units"),
        Index("ix_bins_wh_zone", "warehouse_id", "zone_id"),
        Index("ix_bins_position", "warehouse_id", "aisle", "bay"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id", ondelete="CASCADE"))
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    # The full scannable code with its check character, e.g. "BIN-W1-A01-003-2-K".
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(32))
    aisle: Mapped[int | None] = mapped_column()
    bay: Mapped[int | None] = mapped_column()
    level: Mapped[int | None] = mapped_column()
    side: Mapped[str | None] = mapped_column(String(1))
    capacity_units: Mapped[int] = mapped_column(default=0)
    capacity_volume_cm3: Mapped[int] = mapped_column(default=0)
    capacity_weight_g: Mapped[int] = mapped_column(default=0)
    storage_class: Mapped[str] = mapped_column(String(16), default="AMBIENT")
    blocked: Mapped[bool] = mapped_column(default=False)
    needs_count: Mapped[bool] = mapped_column(default=False)
    # A retired bin keeps its history but takes no stock (it is also blocked).
    active: Mapped[bool] = mapped_column(default=True)
