# mypy: disable-error-code="valid-type"
"""Which handhelds hold work the server has not taken, for supervisors."""

from __future__ import annotations

import strawberry

from backend.core import devices
from backend.core.auth.permissions import Perm
from backend.schema.context import Info
from backend.schema.control.queries import warehouses_read
from backend.schema.devices.types import DeviceSyncState


@strawberry.type
class DeviceQuery:
    @strawberry.field(
        description="Devices of people in the caller's warehouses with changes waiting or "
        "refused, conflicts first, then the longest waiting; `includeClear` adds the rest."
    )
    async def device_sync_states(
        self,
        info: Info,
        warehouse_id: strawberry.ID | None = None,
        include_clear: bool = False,
    ) -> list[DeviceSyncState]:
        principal = await info.context.require(Perm.TASK_MANAGE)
        scope = warehouses_read(principal, warehouse_id)
        async with info.context.db() as session:
            found = await devices.devices_with_unsent_work(
                session, scope, include_clear=include_clear
            )
            return [DeviceSyncState.of(d) for d in found]
