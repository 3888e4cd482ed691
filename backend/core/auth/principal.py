from __future__ import annotations

from dataclasses import dataclass

from backend.core.auth.permissions import Perm, Role, permissions_of


@dataclass(frozen=True)
class Principal:
    """Who is calling, resolved once per request from the token."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[str]
    warehouse_ids: frozenset[int]
    home_warehouse_id: int | None
    locale: str
    device_id: str
    # The server-side session the token names ("" for a principal made in code).
    session_id: str = ""

    @property
    def permissions(self) -> frozenset[Perm]:
        return permissions_of(self.roles)

    def can(self, perm: Perm) -> bool:
        return perm in self.permissions

    @property
    def all_warehouses(self) -> bool:
        return Role.ADMIN in self.roles

    def in_scope(self, warehouse_id: int) -> bool:
        return self.all_warehouses or warehouse_id in self.warehouse_ids
