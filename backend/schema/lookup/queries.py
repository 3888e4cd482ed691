"""Stock lookup reads, scoped by `read_scope`; each calls one `backend.inventory.stock_lookup` function."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.errors import DomainError
from backend.core.ids import parse_id
from backend.core.scope import read_scope
from backend.inventory import stock_lookup as lookup
from backend.schema.context import Info
from backend.schema.errors import to_user_error
from backend.schema.lookup.types import (
    BinContents,
    BinContentsResult,
    ItemStock,
    ItemStockResult,
    LedgerLine,
    LotTrace,
    LotTraceResult,
    MoveSource,
    MoveSourceLine,
    MoveSourceResult,
    StockHistory,
    StockHistoryResult,
    StockLine,
    WithheldBin,
    totals,
)
from backend.schema.types import Bin, Item


@strawberry.type
class LookupQueries:
    @strawberry.field(
        description="An item (SKU or GTIN) → its bins, lots, expiries, statuses, reserved and free."
    )
    async def item_stock(
        self, info: Info, code: str, warehouse_id: strawberry.ID | None = None
    ) -> ItemStockResult:
        principal = await info.context.require(Perm.STOCK_LOOKUP)
        blind = not principal.can(Perm.STOCK_READ)
        try:
            async with info.context.db() as session:
                item, summary = await lookup.item_stock(
                    session, read_scope(principal, warehouse_id), code, blind=blind
                )
                return ItemStock(
                    item=Item.of(item),
                    totals=totals(summary),
                    lines=[StockLine.of(x) for x in summary.lines],
                    withheld=[WithheldBin.of(x) for x in summary.withheld],
                )
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]

    @strawberry.field(description="A bin (scanned code or label) → what it holds.")
    async def bin_contents(
        self, info: Info, code: str, warehouse_id: strawberry.ID | None = None
    ) -> BinContentsResult:
        principal = await info.context.require(Perm.STOCK_LOOKUP)
        blind = not principal.can(Perm.STOCK_READ)
        try:
            async with info.context.db() as session:
                row, summary = await lookup.bin_contents(
                    session, read_scope(principal, warehouse_id), code, blind=blind
                )
                return BinContents(
                    bin=Bin.of(row),
                    totals=totals(summary),
                    lines=[StockLine.of(x) for x in summary.lines],
                    withheld=[WithheldBin.of(x) for x in summary.withheld],
                )
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]

    @strawberry.field(
        description="A bin a move starts from (stock.move): its stock and items, kept on the "
        "handheld so the move can go on offline."
    )
    async def move_source(self, info: Info, code: str) -> MoveSourceResult:
        principal = await info.context.require(Perm.STOCK_MOVE)
        try:
            async with info.context.db() as session:
                row, summary, items = await lookup.move_source(session, read_scope(principal), code)
                return MoveSource(
                    bin=Bin.of(row),
                    lines=[
                        MoveSourceLine.of(x, principal.can(Perm.STOCK_READ)) for x in summary.lines
                    ],
                    items=[Item.of(x) for x in items],
                )
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]

    @strawberry.field(
        description="Ledger moves of an item and/or bin, newest first, with who/when/why. "
        "Floor roles do not see moves through a bin a blind count holds."
    )
    async def stock_history(
        self,
        info: Info,
        item_code: str | None = None,
        bin_code: str | None = None,
        before_id: strawberry.ID | None = None,
        first: int = 50,
    ) -> StockHistoryResult:
        principal = await info.context.require(Perm.STOCK_LOOKUP)
        blind = not principal.can(Perm.STOCK_READ)
        try:
            before = None if before_id is None else parse_id(before_id, "beforeId")
            size = max(1, min(first, 500))
            async with info.context.db() as session:
                lines = await lookup.history(
                    session,
                    read_scope(principal),
                    item_code=item_code,
                    bin_code=bin_code,
                    before_id=before,
                    limit=size,
                    blind=blind,
                )
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return StockHistory(
            lines=[LedgerLine.of(x) for x in lines],
            next_before_id=strawberry.ID(str(lines[-1].id)) if len(lines) == size else None,
        )

    @strawberry.field(
        description="A lot: received from which supplier document, where it is, shipped to whom."
    )
    async def lot_trace(self, info: Info, item_code: str, lot_number: str) -> LotTraceResult:
        principal = await info.context.require(Perm.STOCK_LOOKUP)
        blind = not principal.can(Perm.STOCK_READ)
        try:
            async with info.context.db() as session:
                trace = await lookup.lot_trace(
                    session, read_scope(principal), item_code, lot_number, blind=blind
                )
                return LotTrace.of(trace)
        except DomainError as error:
            return to_user_error(error)  # type: ignore[return-value]
