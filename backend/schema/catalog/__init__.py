"""Items, packaging, GTINs and parties over GraphQL."""

from backend.schema.catalog.mutations import CatalogMutations
from backend.schema.catalog.queries import CatalogQueries

__all__ = ["CatalogMutations", "CatalogQueries"]
