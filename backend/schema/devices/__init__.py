"""Handhelds' outbox reports and the supervisor's list of devices with unsent work."""

from backend.schema.devices.mutations import DeviceMutations
from backend.schema.devices.queries import DeviceQuery

__all__ = ["DeviceMutations", "DeviceQuery"]
