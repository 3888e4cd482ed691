# mypy: disable-error-code="valid-type"
"""`reclassifyAbc`: the ABC classes proposed from picks written to the items."""

from __future__ import annotations

import strawberry

from backend.analytics import reports
from backend.analytics.reclassify import reclassify_abc
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.schema.analytics.types import (
    ReclassifyAbcInput,
    ReclassifyAbcResult,
    ReclassifyAbcSuccess,
)
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded


@strawberry.type
class AnalyticsMutations:
    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Write the ABC classes proposed from picks to the items.",
    )
    async def reclassify_abc(self, info: Info, input: ReclassifyAbcInput) -> ReclassifyAbcResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReclassifyAbcSuccess:
            done = await reclassify_abc(
                uow,
                principal,
                warehouse_id=input.warehouse_id,
                days=input.days,
                measure=reports.AbcMeasure(input.measure),
            )
            return ReclassifyAbcSuccess(
                changed=done.changed,
                a_items=done.per_class["A"],
                b_items=done.per_class["B"],
                c_items=done.per_class["C"],
            )

        return await execute(info, input, handle, audit_entity="items")
