"""Customer returns (RMA) over GraphQL."""

from backend.schema.returns.mutations import ReturnMutations
from backend.schema.returns.queries import ReturnQuery

__all__ = ["ReturnMutations", "ReturnQuery"]
