# mypy: disable-error-code="valid-type"
"""Catalogue writes: items (create, update, retire) and parties. Each resolver maps
its input to a spec, calls one function of `backend.catalog` and maps the row."""

from __future__ import annotations

import strawberry

from backend.catalog import items, parties
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.schema.catalog.types import (
    ItemInput,
    ItemResult,
    ItemSuccess,
    PartyInput,
    PartyResult,
    PartySuccess,
    SetItemActiveInput,
    SetPartyActiveInput,
)
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded
from backend.schema.types import Item, Party


def _item_id(result: ItemSuccess) -> str:
    return result.item.sku


def _party_id(result: PartySuccess) -> str:
    return f"{result.party.kind}:{result.party.code}"


@strawberry.type
class CatalogMutations:
    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Create an item; its SKU and GTINs must be new.",
    )
    async def create_item(self, info: Info, input: ItemInput) -> ItemResult:
        spec = input.spec()

        async def handle(uow: UnitOfWork, principal: Principal) -> ItemSuccess:
            return ItemSuccess(item=Item.of(await items.create_item(uow.session, spec)))

        return await execute(info, input, handle, audit_entity="item", audit_id=_item_id)

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Change an item (by SKU).")
    async def update_item(self, info: Info, input: ItemInput) -> ItemResult:
        spec = input.spec()

        async def handle(uow: UnitOfWork, principal: Principal) -> ItemSuccess:
            return ItemSuccess(item=Item.of(await items.update_item(uow.session, spec)))

        return await execute(info, input, handle, audit_entity="item", audit_id=_item_id)

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Retire (active false) or reinstate an item.",
    )
    async def set_item_active(self, info: Info, input: SetItemActiveInput) -> ItemResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ItemSuccess:
            row = await items.set_item_active(uow.session, input.sku, input.active)
            return ItemSuccess(item=Item.of(row))

        return await execute(info, input, handle, audit_entity="item", audit_id=_item_id)

    @guarded(
        Perm.MASTER_WRITE, idempotent=False, description="Create a supplier, customer or carrier."
    )
    async def create_party(self, info: Info, input: PartyInput) -> PartyResult:
        spec = input.spec()

        async def handle(uow: UnitOfWork, principal: Principal) -> PartySuccess:
            row = await parties.save_party(uow.session, spec, create=True)
            return PartySuccess(party=Party.of(row))

        return await execute(info, input, handle, audit_entity="party", audit_id=_party_id)

    @guarded(
        Perm.MASTER_WRITE,
        idempotent=False,
        description="Change a supplier, customer or carrier (by code).",
    )
    async def update_party(self, info: Info, input: PartyInput) -> PartyResult:
        spec = input.spec()

        async def handle(uow: UnitOfWork, principal: Principal) -> PartySuccess:
            row = await parties.save_party(uow.session, spec, create=False)
            return PartySuccess(party=Party.of(row))

        return await execute(info, input, handle, audit_entity="party", audit_id=_party_id)

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Retire or reinstate a party.")
    async def set_party_active(self, info: Info, input: SetPartyActiveInput) -> PartyResult:
        kind = parties.PartyKind(input.kind)

        async def handle(uow: UnitOfWork, principal: Principal) -> PartySuccess:
            row = await parties.set_party_active(uow.session, kind, input.code, input.active)
            return PartySuccess(party=Party.of(row))

        return await execute(info, input, handle, audit_entity="party", audit_id=_party_id)
