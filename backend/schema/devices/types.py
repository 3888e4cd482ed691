# mypy: disable-error-code="valid-type"
"""Handhelds' outbox reports: GraphQL types, the input and the mapper from rows."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.core.devices import DeviceState
from backend.schema.errors import result_union


@strawberry.type(description="What a handheld last said of its outbox.")
class DeviceSyncState:
    device_id: str
    user_id: strawberry.ID
    username: str
    display_name: str
    waiting: int = strawberry.field(description="Changes on the device the server has not taken.")
    conflicts: int = strawberry.field(description="Of those, refused on replay: a person decides.")
    conflict_codes: list[str]
    oldest_waiting_at: datetime | None = strawberry.field(
        description="When the oldest waiting change was made on the device."
    )
    last_seen_at: datetime
    app_version: str

    @classmethod
    def of(cls, state: DeviceState) -> DeviceSyncState:
        row = state.row
        return cls(
            device_id=row.device_id,
            user_id=strawberry.ID(str(row.user_id)),
            username=state.username,
            display_name=state.display_name,
            waiting=row.waiting,
            conflicts=row.conflicts,
            conflict_codes=[c for c in row.conflict_codes.split(",") if c],
            oldest_waiting_at=row.oldest_waiting_at,
            last_seen_at=row.last_seen_at,
            app_version=row.app_version,
        )


@strawberry.input
class ReportDeviceSyncInput:
    waiting: int
    conflicts: int
    conflict_codes: list[str] = strawberry.field(default_factory=list)
    oldest_waiting_at: datetime | None = None
    app_version: str = ""


@strawberry.type(description="The report as stored.")
class ReportDeviceSyncSuccess:
    device: DeviceSyncState


ReportDeviceSyncResult = result_union("ReportDeviceSyncResult", ReportDeviceSyncSuccess)
