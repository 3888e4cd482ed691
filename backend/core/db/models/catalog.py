from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.crypto import EncryptedJSON
from backend.core.db.base import Base, utcnow


class Tracking(StrEnum):
    NONE = "NONE"
    LOT = "LOT"
    SERIAL = "SERIAL"


class StorageClass(StrEnum):
    AMBIENT = "AMBIENT"
    COLD = "COLD"
    FROZEN = "FROZEN"
    HAZARDOUS = "HAZARDOUS"


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (
        CheckConstraint("shelf_life_days IS NULL OR shelf_life_days > 0", name="shelf_life"),
        CheckConstraint("abc_class IN ('A','B','C')", name="abc"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    specification: Mapped[str] = mapped_column(String(400), default="")
    brand: Mapped[str] = mapped_column(String(80), default="")
    base_unit: Mapped[str] = mapped_column(String(16), default="EA")
    tracking: Mapped[str] = mapped_column(String(8), default=Tracking.NONE)
    expiry_tracked: Mapped[bool] = mapped_column(default=False)
    shelf_life_days: Mapped[int | None] = mapped_column()
    # Receiving refuses lots with fewer days left than this (None: no minimum).
    min_remaining_life_days: Mapped[int | None] = mapped_column()
    length_mm: Mapped[int] = mapped_column(default=0)
    width_mm: Mapped[int] = mapped_column(default=0)
    height_mm: Mapped[int] = mapped_column(default=0)
    weight_g: Mapped[int] = mapped_column(default=0)
    abc_class: Mapped[str] = mapped_column(String(1), default="C")
    storage_class: Mapped[str] = mapped_column(String(16), default=StorageClass.AMBIENT)
    category: Mapped[str] = mapped_column(String(80), default="")
    unit_cost_cents: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Items are retired, never deleted: the ledger and old orders still name them.
    retired_at: Mapped[datetime | None] = mapped_column()

    @property
    def volume_cm3(self) -> float:
        return self.length_mm * self.width_mm * self.height_mm / 1000.0


class ItemPackaging(Base):
    """A packaging unit of an item: case of 12, pallet of 480 …"""

    __tablename__ = "item_packagings"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[int] = mapped_column()  # in the item's base unit
    # EACH, INNER, CASE or PALLET: the level in the packaging hierarchy.
    level: Mapped[str] = mapped_column(String(8), default="CASE")
    length_mm: Mapped[int] = mapped_column(default=0)
    width_mm: Mapped[int] = mapped_column(default=0)
    height_mm: Mapped[int] = mapped_column(default=0)
    weight_g: Mapped[int] = mapped_column(default=0)


class ItemBarcode(Base):
    """A GTIN (normalised to 14 digits) naming an item, optionally in a packaging."""

    __tablename__ = "item_barcodes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)
    packaging_id: Mapped[int | None] = mapped_column(ForeignKey("item_packagings.id"))


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    lead_time_days: Mapped[int] = mapped_column(default=7)
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[dict[str, Any]] = mapped_column(default=dict)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    payment_terms: Mapped[str] = mapped_column(String(40), default="")
    rating: Mapped[int | None] = mapped_column()  # 1 (poor) .. 5 (excellent)
    active: Mapped[bool] = mapped_column(default=True)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    min_shelf_life_days: Mapped[int] = mapped_column(default=0)
    # Personal data: encrypted at rest when WMS_DATA_KEY is set.
    address: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    payment_terms: Mapped[str] = mapped_column(String(40), default="")
    # In cents; None: no limit. Exposure is what open orders are worth at unit cost.
    credit_limit_cents: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)


class Carrier(Base):
    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Name of the adapter in backend/outbound/shipping that talks to this carrier.
    adapter: Mapped[str] = mapped_column(String(32), default="own_fleet")
    services: Mapped[dict[str, Any]] = mapped_column(default=dict)
    active: Mapped[bool] = mapped_column(default=True)
