"""Every stock change is a ledger entry and a quant update in the same transaction.

Quantities change with SQL-side arithmetic guarded in the WHERE clause, so two
writers can never both take the last unit; the database CHECKs are the backstop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Table,
    and_,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import bulk
from backend.core.db.base import UTCDateTime, utcnow
from backend.core.db.models import MoveReason, Quant, StockMove, StockStatus
from backend.core.errors import DomainError, ErrorCode

MAX_MOVE_QUANTITY = 10_000_000
_PG_QUANT_UPSERT = text(
    """
    INSERT INTO quants (item_id, bin_id, lot_id, status, on_hand, reserved, received_at, updated_at)
    SELECT u.item_id, u.bin_id, u.lot_id, u.status, u.quantity, 0, :now, :now
    FROM unnest(CAST(:items AS integer[]), CAST(:bins AS integer[]), CAST(:lots AS integer[]),
                CAST(:statuses AS varchar[]), CAST(:quantities AS integer[]))
         AS u(item_id, bin_id, lot_id, status, quantity)
    ON CONFLICT (item_id, bin_id, coalesce(lot_id, 0), status)
    DO UPDATE SET on_hand = quants.on_hand + excluded.on_hand, updated_at = excluded.updated_at
    """
).bindparams(bindparam("now", type_=UTCDateTime()))


@dataclass(frozen=True)
class Place:
    bin_id: int
    status: str = StockStatus.AVAILABLE


@dataclass(frozen=True)
class MoveRequest:
    item_id: int
    quantity: int
    reason: MoveReason
    lot_id: int | None = None
    source: Place | None = None
    destination: Place | None = None
    # Units of the source's reservation this move uses up (a pick of reserved stock).
    consume_reserved: int = 0
    reference: str | None = None
    user_id: int | None = None
    task_id: int | None = None


def check_quantity(quantity: int, field: str = "quantity") -> None:
    if quantity <= 0:
        raise DomainError(ErrorCode.INVALID_QUANTITY, "Quantity must be at least 1.", field)
    if quantity > MAX_MOVE_QUANTITY:
        raise DomainError(
            ErrorCode.QUANTITY_TOO_LARGE,
            f"Quantity {quantity} is beyond any plausible move ({MAX_MOVE_QUANTITY}).",
            field,
        )


def _quant_key(item_id: int, bin_id: int, lot_id: int | None, status: str):  # type: ignore[no-untyped-def]
    return and_(
        Quant.item_id == item_id,
        Quant.bin_id == bin_id,
        func.coalesce(Quant.lot_id, 0) == (lot_id or 0),
        Quant.status == status,
    )


async def _take(session: AsyncSession, move: MoveRequest, place: Place) -> None:
    key = _quant_key(move.item_id, place.bin_id, move.lot_id, place.status)
    free_needed = move.quantity - move.consume_reserved
    result = await session.execute(
        update(Quant)
        .where(
            key,
            Quant.on_hand - Quant.reserved >= free_needed,
            Quant.reserved >= move.consume_reserved,
        )
        .values(
            on_hand=Quant.on_hand - move.quantity,
            reserved=Quant.reserved - move.consume_reserved,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError(
            ErrorCode.INSUFFICIENT_STOCK,
            "Not enough free stock of this item on that bin.",
            "quantity",
        )


# The conflict target names the expression of uq_quants_key itself, so both
# PostgreSQL and SQLite infer that unique index (a bound 0 would not match it).
_QUANT_KEY_TARGET: list[Any] = ["item_id", "bin_id", text("coalesce(lot_id, 0)"), "status"]


async def _put(session: AsyncSession, move: MoveRequest, place: Place) -> None:
    """Raise the destination quant, creating it if absent: one upsert, one round trip."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    stmt = insert(Quant).values(
        item_id=move.item_id,
        bin_id=place.bin_id,
        lot_id=move.lot_id,
        status=place.status,
        on_hand=move.quantity,
        reserved=0,
        received_at=now,
        updated_at=now,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=_QUANT_KEY_TARGET,
            set_={"on_hand": Quant.on_hand + stmt.excluded.on_hand, "updated_at": now},
        ).execution_options(synchronize_session=False)
    )


async def apply_move(session: AsyncSession, move: MoveRequest) -> StockMove:
    check_quantity(move.quantity)
    if move.source is None and move.destination is None:
        raise ValueError("a move needs a source or a destination")
    if not 0 <= move.consume_reserved <= move.quantity:
        raise ValueError("consume_reserved must lie between 0 and the quantity")
    if move.source is not None:
        await _take(session, move, move.source)
    if move.destination is not None:
        await _put(session, move, move.destination)
    entry = StockMove(
        item_id=move.item_id,
        lot_id=move.lot_id,
        quantity=move.quantity,
        from_bin_id=move.source.bin_id if move.source else None,
        from_status=move.source.status if move.source else None,
        to_bin_id=move.destination.bin_id if move.destination else None,
        to_status=move.destination.status if move.destination else None,
        reason=move.reason,
        reference=move.reference,
        user_id=move.user_id,
        task_id=move.task_id,
    )
    session.add(entry)
    await session.flush()
    return entry


def _sqlite_quant_upsert() -> Any:
    quants = cast(Table, Quant.__table__)
    stmt = sqlite_insert(quants)
    return stmt.on_conflict_do_update(
        index_elements=[
            quants.c.item_id,
            quants.c.bin_id,
            # Literal 0, as in the index: a bound parameter would not match it.
            func.coalesce(quants.c.lot_id, literal_column("0")),
            quants.c.status,
        ],
        set_={
            "on_hand": quants.c.on_hand + stmt.excluded.on_hand,
            "updated_at": stmt.excluded.updated_at,
        },
    )


async def book_in_many(session: AsyncSession, moves: list[MoveRequest]) -> int:
    """Book stock onto bins (no source) in a few batched statements: opening stock
    and other imports of thousands of lines. Same rules as ``apply_move``: every
    line is a ledger entry, quants rise by SQL-side arithmetic, in one transaction.
    """
    if not moves:
        return 0
    totals: dict[tuple[int, int, int | None, str], int] = {}
    for move in moves:
        check_quantity(move.quantity)
        if move.source is not None or move.destination is None:
            raise ValueError("book_in_many books onto a bin from nowhere")
        key = (move.item_id, move.destination.bin_id, move.lot_id, move.destination.status)
        totals[key] = totals.get(key, 0) + move.quantity
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    keys = sorted(totals, key=lambda k: (k[0], k[1], k[2] or 0, k[3]))  # one lock order
    now = utcnow()
    # One upsert per batch: a new key is inserted with its quantity, an existing one rises
    # by SQL-side arithmetic (the CHECK constraints still apply).
    if dialect == "postgresql":
        # Five array parameters instead of eight a row: nothing to compile per row.
        await session.execute(
            _PG_QUANT_UPSERT,
            {
                "items": [k[0] for k in keys],
                "bins": [k[1] for k in keys],
                "lots": [k[2] for k in keys],
                "statuses": [str(k[3]) for k in keys],
                "quantities": [totals[k] for k in keys],
                "now": now,
            },
        )
    else:
        # One statement run for every key (executemany): compiled once, not per row.
        await session.execute(
            _sqlite_quant_upsert(),
            [
                {
                    "item_id": i,
                    "bin_id": b,
                    "lot_id": lot,
                    "status": st,
                    "on_hand": totals[(i, b, lot, st)],
                    "reserved": 0,
                    "received_at": now,
                    "updated_at": now,
                }
                for i, b, lot, st in keys
            ],
        )
    # The ledger entries: COPY on PostgreSQL, one executemany elsewhere; same transaction.
    await bulk.insert_rows(
        session,
        cast(Table, StockMove.__table__),
        [
            {
                "at": now,
                "item_id": move.item_id,
                "lot_id": move.lot_id,
                "quantity": move.quantity,
                "from_bin_id": None,
                "from_status": None,
                "to_bin_id": move.destination.bin_id,  # type: ignore[union-attr]
                "to_status": move.destination.status,  # type: ignore[union-attr]
                "reason": move.reason,
                "reference": move.reference,
                "user_id": move.user_id,
                "task_id": move.task_id,
            }
            for move in moves
        ],
    )
    return len(moves)


@dataclass(frozen=True)
class LedgerMismatch:
    item_id: int
    bin_id: int
    lot_id: int | None
    status: str
    quant_on_hand: int
    ledger_on_hand: int


async def ledger_mismatches(session: AsyncSession) -> list[LedgerMismatch]:
    """Quants that differ from the sum of the ledger (should always be empty)."""
    inflow = select(
        StockMove.item_id.label("item_id"),
        StockMove.to_bin_id.label("bin_id"),
        StockMove.lot_id.label("lot_id"),
        StockMove.to_status.label("status"),
        StockMove.quantity.label("qty"),
    ).where(StockMove.to_bin_id.is_not(None))
    outflow = select(
        StockMove.item_id,
        StockMove.from_bin_id,
        StockMove.lot_id,
        StockMove.from_status,
        (literal(0) - StockMove.quantity),
    ).where(StockMove.from_bin_id.is_not(None))
    flows = inflow.union_all(outflow).subquery()
    ledger_rows = await session.execute(
        select(
            flows.c.item_id, flows.c.bin_id, flows.c.lot_id, flows.c.status, func.sum(flows.c.qty)
        ).group_by(flows.c.item_id, flows.c.bin_id, flows.c.lot_id, flows.c.status)
    )
    ledger = {(r[0], r[1], r[2], r[3]): int(r[4]) for r in ledger_rows}
    quants = {
        (q.item_id, q.bin_id, q.lot_id, q.status): q.on_hand
        for q in (await session.scalars(select(Quant))).all()
    }
    mismatches = []
    for key in set(ledger) | set(quants):
        book, sums = quants.get(key, 0), ledger.get(key, 0)
        if book != sums:
            item_id, bin_id, lot_id, status = key
            mismatches.append(
                LedgerMismatch(
                    item_id, bin_id, lot_id, status, quant_on_hand=book, ledger_on_hand=sums
                )
            )
    return mismatches
