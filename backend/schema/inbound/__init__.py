"""Inbound in the schema: purchase orders, approval, scan-receiving, QC, putaway,
announced pallets, the serial register and drafted orders.

``types`` holds the GraphQL types and their mappers, ``inputs`` the inputs,
``queries`` and ``mutations`` the resolvers; the rules live in ``backend.inbound``.
"""

from backend.schema.inbound.mutations import (
    InboundMutations,
    PalletMutations,
    ReorderMutations,
)
from backend.schema.inbound.queries import InboundQuery, PalletQuery

__all__ = [
    "InboundMutations",
    "InboundQuery",
    "PalletMutations",
    "PalletQuery",
    "ReorderMutations",
]
