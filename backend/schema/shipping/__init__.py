"""Packing station, shipper's dock, shipments and printing: the GraphQL side."""

from backend.schema.shipping.mutations import ShippingMutations
from backend.schema.shipping.queries import ShippingQuery

__all__ = ["ShippingMutations", "ShippingQuery"]
