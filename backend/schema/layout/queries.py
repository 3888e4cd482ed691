"""The layout preview: the bins and map a layout would draw, before it is saved."""

from __future__ import annotations

from typing import Annotated, Union

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.errors import DomainError
from backend.core.scope import acting_warehouse
from backend.layout.generator import preview_layout
from backend.schema.context import Info
from backend.schema.errors import (
    InputError,
    NotFoundError,
    PermissionDenied,
    StateError,
    to_user_error,
)
from backend.schema.layout.types import LayoutInput, LayoutPreview, preview_view

PreviewLayoutResult = Annotated[
    Union[LayoutPreview, InputError, NotFoundError, StateError, PermissionDenied],  # noqa: UP007
    strawberry.union("PreviewLayoutResult"),
]


@strawberry.type
class LayoutQueries:
    @strawberry.field(description="Bins and geometry the layout would make; nothing is saved.")
    async def preview_layout(
        self, info: Info, input: LayoutInput, first: int = 500, offset: int = 0
    ) -> PreviewLayoutResult:
        principal = await info.context.require(Perm.MASTER_WRITE)
        try:
            wid = acting_warehouse(principal, input.warehouse_id)
            async with info.context.db() as session:
                plan, existing = await preview_layout(session, input.spec(wid))
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return preview_view(plan, existing, max(0, min(first, 5000)), max(0, offset))
