"""Outbound API: sales orders, channel pools, the order pool, waves and guided picking."""

from backend.schema.errors import UserError
from backend.schema.outbound.mutations import OutboundMutations
from backend.schema.outbound.queries import OutboundQuery

__all__ = ["OutboundMutations", "OutboundQuery", "UserError"]
