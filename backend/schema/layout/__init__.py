"""Warehouses, zones, bins and the layout generator over GraphQL."""

from backend.schema.layout.mutations import LayoutMutations
from backend.schema.layout.queries import LayoutQueries

__all__ = ["LayoutMutations", "LayoutQueries"]
