"""User administration over GraphQL (admins: user.manage)."""

from backend.schema.users.mutations import UserMutations

__all__ = ["UserMutations"]
