"""Number series: SSCC serial references, own-fleet tracking numbers, waybills.

PostgreSQL: real SEQUENCEs (created by migration 0007), never handed out twice,
gaps allowed. SQLite: a counter row bumped with SQL-side arithmetic inside the
caller's transaction, which began with BEGIN IMMEDIATE and so holds the write
lock: no other writer can read the same value.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import SerialCounter
from backend.outbound.shipping.settings import ShippingSettings
from backend.printing.sscc import sscc18


class Series(StrEnum):
    SSCC = "sscc_serial_seq"
    OWN_FLEET = "own_fleet_tracking_seq"
    WAYBILL = "waybill_seq"
    CUSTOMER_RETURN = "customer_return_seq"


async def next_value(session: AsyncSession, series: Series) -> int:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    if dialect == "postgresql":
        value = await session.scalar(text(f"SELECT nextval('{series.value}')"))
        return int(value)  # type: ignore[arg-type]
    await session.execute(
        sqlite_insert(SerialCounter)
        .values(name=series.value, last_value=0)
        .on_conflict_do_nothing()
    )
    value = await session.scalar(
        update(SerialCounter)
        .where(SerialCounter.name == series.value)
        .values(last_value=SerialCounter.last_value + 1)
        .returning(SerialCounter.last_value)
    )
    return int(value)  # type: ignore[arg-type]


async def next_sscc(session: AsyncSession, settings: ShippingSettings) -> str:
    serial = await next_value(session, Series.SSCC)
    return sscc18(settings.sscc_extension, settings.gs1_company_prefix, serial)
