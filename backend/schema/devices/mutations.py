# mypy: disable-error-code="valid-type"
"""A handheld reports its outbox: parse, call the domain, map."""

from __future__ import annotations

import strawberry

from backend.core import devices
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.schema.context import Info
from backend.schema.devices.types import (
    DeviceSyncState,
    ReportDeviceSyncInput,
    ReportDeviceSyncResult,
    ReportDeviceSyncSuccess,
)
from backend.schema.mutation import execute, guarded


@strawberry.type
class DeviceMutations:
    @guarded(
        Perm.TASK_READ,
        idempotent=False,
        description="The signed-in device's outbox as it is now (waiting, conflicts, oldest); "
        "each report replaces the last.",
    )
    async def report_device_sync(
        self, info: Info, input: ReportDeviceSyncInput
    ) -> ReportDeviceSyncResult:
        report = devices.SyncReport(
            waiting=input.waiting,
            conflicts=input.conflicts,
            conflict_codes=tuple(input.conflict_codes),
            oldest_waiting_at=input.oldest_waiting_at,
            app_version=input.app_version,
        )

        async def handle(uow: UnitOfWork, principal: Principal) -> ReportDeviceSyncSuccess:
            state = await devices.report_device_sync(uow, principal, report)
            return ReportDeviceSyncSuccess(device=DeviceSyncState.of(state))

        return await execute(
            info, input, handle, audit_entity="device", audit_id=lambda r: r.device.device_id
        )
