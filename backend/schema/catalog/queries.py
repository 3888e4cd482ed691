"""Catalogue reads: one party with its exposure, and what each import expects."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from backend.catalog.parties import MODELS, customer_exposure
from backend.catalog.parties import PartyKind as PartyKindValue
from backend.core.auth.permissions import Perm
from backend.imports.kinds import KINDS, template_rows
from backend.schema.catalog.types import PartyKind
from backend.schema.context import Info
from backend.schema.types import Party


@strawberry.type(description="An importable kind: its columns and where its files live.")
class ImportKind:
    name: str
    columns: list[str]
    required: list[str]
    example: list[str]
    permission: str
    template_csv_path: str
    template_xlsx_path: str
    export_csv_path: str
    export_xlsx_path: str
    import_path: str


@strawberry.type
class CatalogQueries:
    @strawberry.field(
        description="A supplier, customer or carrier by code (customers with exposure)."
    )
    async def party(self, info: Info, kind: PartyKind, code: str) -> Party | None:
        await info.context.require(Perm.MASTER_READ)
        value = PartyKindValue(kind)
        model = MODELS[value]
        async with info.context.db() as session:
            row = await session.scalar(select(model).where(model.code == code.strip().upper()))
            if row is None:
                return None
            exposure = None
            if value is PartyKindValue.CUSTOMER:
                exposure = (await customer_exposure(session, [row.id]))[row.id]
            return Party.of(row, exposure)

    @strawberry.field(description="Every kind the importer takes, with its columns and URLs.")
    async def import_kinds(self, info: Info) -> list[ImportKind]:
        await info.context.require(Perm.MASTER_READ)
        return [
            ImportKind(
                name=kind.name,
                columns=list(kind.columns),
                required=sorted(kind.required),
                example=template_rows(kind)[1],
                permission=kind.permission.value,
                template_csv_path=f"/imports/{kind.name}/template.csv",
                template_xlsx_path=f"/imports/{kind.name}/template.xlsx",
                export_csv_path=f"/exports/{kind.name}.csv",
                export_xlsx_path=f"/exports/{kind.name}.xlsx",
                import_path=f"/imports/{kind.name}",
            )
            for kind in KINDS.values()
        ]
