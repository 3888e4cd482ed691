"""The supervisor's desk over GraphQL: the exception inbox."""

from backend.schema.desk.queries import DeskQuery

__all__ = ["DeskQuery"]
