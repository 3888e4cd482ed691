# mypy: disable-error-code="valid-type"
"""The exception inbox query."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.scope import read_scope
from backend.desk.inbox import ExceptionKind, exception_inbox
from backend.schema.context import Info
from backend.schema.desk.types import ExceptionInboxView, ExceptionKindEnum


@strawberry.type
class DeskQuery:
    @strawberry.field(
        description="Everything waiting for a decision in the caller's warehouses (or the one "
        "named), newest first, with counts per kind for the menu; `kinds` narrows it."
    )
    async def exception_inbox(
        self,
        info: Info,
        kinds: list[ExceptionKindEnum] | None = None,
        warehouse_id: strawberry.ID | None = None,
        first: int = 100,
    ) -> ExceptionInboxView:
        principal = await info.context.require(Perm.STOCK_READ)
        scope = read_scope(principal, warehouse_id)
        async with info.context.db() as session:
            inbox = await exception_inbox(
                session,
                principal,
                scope,
                kinds=[ExceptionKind(k) for k in kinds] if kinds else None,
                limit=first,
            )
        return ExceptionInboxView.of(inbox)
