"""Stock lookup over GraphQL: item → bins, bin → contents, ledger history, lot trace."""

from backend.schema.lookup.queries import LookupQueries

__all__ = ["LookupQueries"]
