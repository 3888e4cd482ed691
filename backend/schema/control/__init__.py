"""Stock control over GraphQL: moves, transfers, cycle counts, adjustments, status changes."""

from backend.schema.control.mutations import ControlMutation
from backend.schema.control.queries import ControlQuery

__all__ = ["ControlMutation", "ControlQuery"]
