"""The warehouses a report covers, as the list of ids the report queries take."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db.models import Warehouse
from backend.core.scope import ReadScope


async def warehouse_ids(session: AsyncSession, scope: ReadScope) -> list[int]:
    """The scope's ids; for an unlimited scope (admins), every warehouse's."""
    if scope.warehouse_ids is not None:
        return scope.ids()
    return scope.ids(await session.scalars(select(Warehouse.id)))
