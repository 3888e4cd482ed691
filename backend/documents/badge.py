"""A user's badge: what it prints, and who may print it.

A badge signs a person in (scan, then PIN), so printing one is user
administration (``user.manage``), not the floor's ``print``. Users belong to no
single warehouse: the badge is filed under the user's home warehouse (0 when
none), which only a print queue needs, to find a printer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.permissions import Perm
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.printing.documents import DocumentKind, UserBadge

NO_WAREHOUSE = 0


def permission_for(kind: DocumentKind) -> Perm:
    """The permission printing ``kind`` needs."""
    return Perm.USER_MANAGE if kind is DocumentKind.USER_BADGE else Perm.PRINT


def scoped(kind: DocumentKind) -> bool:
    """Whether the document belongs to a warehouse the caller must work in (a badge
    does not: user administration spans warehouses, as the ``users`` list does)."""
    return kind is not DocumentKind.USER_BADGE


async def user_badge(session: AsyncSession, user_id: int) -> tuple[UserBadge, int]:
    user = await session.get(m.User, user_id)
    if user is None or not user.badge_code:
        raise DomainError(ErrorCode.DOCUMENT_NOT_FOUND, "No user with a badge to print.", "id")
    roles = tuple(
        sorted(await session.scalars(select(m.UserRole.role).where(m.UserRole.user_id == user.id)))
    )
    warehouses = tuple(
        await session.scalars(
            select(m.Warehouse.code)
            .join(m.UserWarehouse, m.UserWarehouse.warehouse_id == m.Warehouse.id)
            .where(m.UserWarehouse.user_id == user.id)
            .order_by(m.Warehouse.code)
        )
    )
    badge = UserBadge(
        badge_code=user.badge_code,
        display_name=user.display_name,
        username=user.username,
        roles=roles,
        warehouses=warehouses,
    )
    return badge, user.home_warehouse_id or NO_WAREHOUSE
