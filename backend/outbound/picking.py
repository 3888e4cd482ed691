"""Guided picking of a released tour, one scan per request.

Every step answers with the progress, which says what to scan next: the bin,
then the item (GTIN or GS1-128 with its lot), then the quantity and the order's
tote. The task row is locked first, so two requests on one task queue up.
Every refusal is a DomainError whose message tells the picker what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import cast

from sqlalchemy import Table, case, func, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.alerts.signals import SignalKind, record_signal
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import read_scope
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import allocation, order_states
from backend.outbound.orders import settings_of
from backend.scan import CodeKind, GS1Scan, InternalScan, parse_scan
from backend.tasks import engine


class PickStep(StrEnum):
    CLAIM = "CLAIM"  # the task is waiting: claim it first
    SCAN_BIN = "SCAN_BIN"
    SCAN_ITEM = "SCAN_ITEM"
    CONFIRM = "CONFIRM"  # quantity (when more than one) and the order's tote
    DONE = "DONE"


@dataclass(frozen=True)
class StopView:
    line_id: int
    seq: int
    bin_code: str
    bin_label: str
    aisle: int | None
    bay: int | None
    level: int | None
    item_sku: str
    item_name: str
    gtin: str | None
    lot_number: str | None
    expiry: date | None
    quantity: int  # still to pick here
    ask_quantity: bool
    order_number: str
    tote_slot: int
    tote_code: str | None
    # Every GTIN the item is known by (units and packs), for checking a scan offline.
    gtins: tuple[str, ...] = ()
    # Route metres walked on arriving at this stop.
    arrive_metres: float | None = None


@dataclass(frozen=True)
class Progress:
    task_id: int
    task_state: str
    wave_code: str
    step: PickStep
    instruction: str
    current: StopView | None
    lines_total: int
    lines_done: int
    units_total: int
    units_picked: int
    metres_total: float
    metres_left: float
    # The open lines in walking order (the current one first); only filled when
    # asked for (``task_progress(route=True)``), so scan answers stay cheap.
    route: tuple[StopView, ...] = ()

    @property
    def lines_left(self) -> int:
        return self.lines_total - self.lines_done

    @property
    def units_left(self) -> int:
        return self.units_total - self.units_picked


@dataclass
class _Context:
    task: m.Task
    tour: m.WaveTour
    wave: m.Wave
    # The warehouse's packing bin (where picks go), read with the task for scans.
    packing_bin_id: int | None = None


async def _context(
    session: AsyncSession, principal: Principal, task_id: int, *, lock: bool, work: bool
) -> _Context:
    # Task, tour, wave (and for a scan the packing bin) in one read; only the task
    # row is locked.
    packing_bin = (
        select(m.Bin.id)
        .join(m.Zone, m.Zone.id == m.Bin.zone_id)
        .where(m.Bin.warehouse_id == m.Task.warehouse_id, m.Zone.kind == m.ZoneKind.PACKING)
        .order_by(m.Bin.id)
        .limit(1)
        .correlate(m.Task)
        .scalar_subquery()
    )
    query = (
        select(m.Task, m.WaveTour, m.Wave, packing_bin if work else null())
        .outerjoin(m.WaveTour, m.WaveTour.task_id == m.Task.id)
        .outerjoin(m.Wave, m.Wave.id == m.WaveTour.wave_id)
        .where(m.Task.id == task_id)
    )
    if lock:
        query = query.with_for_update(of=m.Task).execution_options(populate_existing=True)
    row = (await session.execute(query)).first()
    task = row[0] if row is not None else None
    in_scope = task is not None and read_scope(principal).allows(task.warehouse_id)
    if row is None or task is None or not in_scope or task.kind != m.TaskKind.PICK:
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "No such pick task.", "taskId")
    tour, wave = row[1], row[2]
    if tour is None:
        raise DomainError(ErrorCode.TASK_NOT_FOUND, "This task is not a wave pick.", "taskId")
    assert wave is not None
    if work:
        if task.state == m.TaskState.CANCELLED:
            raise DomainError(
                ErrorCode.ORDER_CANCELLED,
                "Every order on this cart was cancelled: take the next task.",
                "taskId",
            )
        if task.state == m.TaskState.DONE:
            raise DomainError(
                ErrorCode.PICK_LINE_CLOSED, "This pick is finished: take the next task.", "taskId"
            )
        if task.state == m.TaskState.OPEN:
            raise DomainError(ErrorCode.INVALID_STATE, "Claim this task first.", "taskId")
        if task.assignee_id != principal.user_id:
            raise DomainError(
                ErrorCode.TASK_HELD_BY_OTHER,
                "Another picker holds this task: take the next one.",
                "taskId",
            )
    return _Context(task, tour, wave, row[3])


async def _lines(session: AsyncSession, tour_id: int) -> list[m.PickLine]:
    return list(
        await session.scalars(
            select(m.PickLine).where(m.PickLine.tour_id == tour_id).order_by(m.PickLine.seq)
        )
    )


def _current(lines: list[m.PickLine]) -> m.PickLine | None:
    return next((line for line in lines if line.state == m.PickLineState.OPEN), None)


async def _stop_view(
    session: AsyncSession, line: m.PickLine, *, all_gtins: bool = False
) -> StopView:
    # Bin, item, order, lot, the unit GTIN and the tote slot in one read.
    unit_gtin = (
        select(m.ItemBarcode.gtin)
        .where(m.ItemBarcode.item_id == m.Item.id, m.ItemBarcode.packaging_id.is_(None))
        .order_by(m.ItemBarcode.id)
        .limit(1)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(m.Bin, m.Item, m.SalesOrder, m.Lot, m.TourOrder, unit_gtin)
            .select_from(m.Bin)
            .join(m.Item, m.Item.id == line.item_id)
            .join(m.SalesOrder, m.SalesOrder.id == line.order_id)
            .outerjoin(m.Lot, m.Lot.id == line.lot_id)
            .outerjoin(
                m.TourOrder,
                (m.TourOrder.tour_id == line.tour_id) & (m.TourOrder.order_id == line.order_id),
            )
            .where(m.Bin.id == line.bin_id)
        )
    ).one()
    bin_row, item, order, lot, tote, gtin = row
    gtins: tuple[str, ...] = ()
    if all_gtins:
        gtins = tuple(
            await session.scalars(
                select(m.ItemBarcode.gtin)
                .where(m.ItemBarcode.item_id == item.id)
                .order_by(m.ItemBarcode.id)
            )
        )
    remaining = line.quantity - line.picked
    return StopView(
        line_id=line.id,
        seq=line.seq,
        bin_code=bin_row.code,
        bin_label=bin_row.label,
        aisle=bin_row.aisle,
        bay=bin_row.bay,
        level=bin_row.level,
        item_sku=item.sku,
        item_name=item.name,
        gtin=gtin,
        lot_number=lot.lot_number if lot else None,
        expiry=lot.expiry if lot else None,
        quantity=remaining,
        ask_quantity=remaining > 1,
        order_number=order.number,
        tote_slot=tote.slot if tote else 0,
        tote_code=tote.tote_code if tote else None,
        gtins=gtins,
        arrive_metres=line.arrive_metres,
    )


def _step(task: m.Task, line: m.PickLine | None) -> PickStep:
    if task.state == m.TaskState.OPEN:
        return PickStep.CLAIM
    if line is None or task.state != m.TaskState.CLAIMED:
        return PickStep.DONE
    if not line.bin_confirmed:
        return PickStep.SCAN_BIN
    if not line.item_confirmed:
        return PickStep.SCAN_ITEM
    return PickStep.CONFIRM


def _instruction(step: PickStep, stop: StopView | None) -> str:
    if step == PickStep.CLAIM:
        return "Claim this task to start."
    if step == PickStep.DONE or stop is None:
        return "Cart complete: take the totes to packing."
    if step == PickStep.SCAN_BIN:
        return f"Go to {stop.bin_label} and scan the bin label."
    lot = f" lot {stop.lot_number}" if stop.lot_number else ""
    if step == PickStep.SCAN_ITEM:
        return f"Scan {stop.item_sku}{lot}."
    tote = stop.tote_code or f"an empty tote for slot {stop.tote_slot}"
    many = f"Enter {stop.quantity}, then s" if stop.ask_quantity else "S"
    return f"{many}can {tote}."


async def progress_of(
    session: AsyncSession,
    ctx: _Context,
    *,
    route: bool = False,
    lines: list[m.PickLine] | None = None,
) -> Progress:
    """``lines``: the cart's lines as this request already loaded (and changed)
    them, in walking order; read again when not given."""
    if lines is None:
        lines = await _lines(session, ctx.tour.id)
    current = _current(lines) if ctx.task.state == m.TaskState.CLAIMED else None
    if ctx.task.state == m.TaskState.OPEN:
        current = _current(lines)
    live = [line for line in lines if line.state != m.PickLineState.CANCELLED]
    done = [line for line in live if line.state != m.PickLineState.OPEN]
    walked = max((line.arrive_metres or 0.0 for line in done), default=0.0)
    stop = await _stop_view(session, current) if current is not None else None
    step = _step(ctx.task, current)
    stops: tuple[StopView, ...] = ()
    if route:
        stops = tuple(
            [
                await _stop_view(session, line, all_gtins=True)
                for line in lines
                if line.state == m.PickLineState.OPEN
            ]
        )
    return Progress(
        task_id=ctx.task.id,
        task_state=ctx.task.state,
        wave_code=ctx.wave.code,
        step=step,
        instruction=_instruction(step, stop),
        current=stop,
        lines_total=len(live),
        lines_done=len(done),
        units_total=sum(line.quantity for line in live),
        units_picked=sum(line.picked for line in live),
        metres_total=round(ctx.tour.metres, 1),
        metres_left=round(max(0.0, ctx.tour.metres - walked), 1) if current else 0.0,
        route=stops,
    )


async def task_progress(
    session: AsyncSession, principal: Principal, task_id: int, *, route: bool = False
) -> Progress:
    """Where the picker is; with ``route``, also every open stop, so a handheld can
    carry on offline and check its scans against the same expected values."""
    ctx = await _context(session, principal, task_id, lock=False, work=False)
    return await progress_of(session, ctx, route=route)


async def _working_line(
    session: AsyncSession, ctx: _Context, line_id: int
) -> tuple[m.PickLine, list[m.PickLine]]:
    """The line the request is about must be the picker's current one."""
    lines = await _lines(session, ctx.tour.id)
    line = next((row for row in lines if row.id == line_id), None)
    if line is None:
        raise DomainError(ErrorCode.NOT_FOUND, "This line is not on your cart.", "lineId")
    if line.state == m.PickLineState.CANCELLED:
        raise DomainError(
            ErrorCode.ORDER_CANCELLED,
            "This order was cancelled: do not pick it, go on with the next line.",
            "lineId",
        )
    if line.state != m.PickLineState.OPEN:
        raise DomainError(
            ErrorCode.PICK_LINE_CLOSED, "This line is done already: go on with the next.", "lineId"
        )
    current = _current(lines)
    if current is not None and current.id != line.id:
        raise DomainError(
            ErrorCode.PICK_STEP_OUT_OF_ORDER,
            "Another line comes first: follow the screen.",
            "lineId",
        )
    return line, lines


async def _begin(
    uow: UnitOfWork, principal: Principal, task_id: int, line_id: int
) -> tuple[_Context, m.PickLine, list[m.PickLine]]:
    ctx = await _context(uow.session, principal, task_id, lock=True, work=True)
    line, lines = await _working_line(uow.session, ctx, line_id)
    return ctx, line, lines


async def scan_bin(
    uow: UnitOfWork, principal: Principal, task_id: int, line_id: int, code: str
) -> Progress:
    ctx, line, lines = await _begin(uow, principal, task_id, line_id)
    bin_row = await uow.session.get(m.Bin, line.bin_id)
    assert bin_row is not None
    scan = parse_scan(code)
    if not isinstance(scan, InternalScan) or scan.kind is not CodeKind.BIN:
        raise DomainError(
            ErrorCode.SCAN_WRONG_KIND, f"Scan the bin label of {bin_row.label}.", "code"
        )
    if scan.code != bin_row.code:
        raise DomainError(
            ErrorCode.WRONG_BIN, f"Wrong bin: go to {bin_row.label} and scan its label.", "code"
        )
    line.bin_confirmed = True
    await uow.session.flush()
    return await progress_of(uow.session, ctx, lines=lines)


async def _item_of_scan(session: AsyncSession, scan: GS1Scan) -> m.Item | None:
    gtin = scan.gtin or scan.content_gtin
    if gtin is None:
        return None
    return await session.scalar(
        select(m.Item)
        .join(m.ItemBarcode, m.ItemBarcode.item_id == m.Item.id)
        .where(m.ItemBarcode.gtin == gtin)
    )


async def scan_item(
    uow: UnitOfWork, principal: Principal, task_id: int, line_id: int, code: str
) -> Progress:
    session = uow.session
    ctx, line, lines = await _begin(uow, principal, task_id, line_id)
    if not line.bin_confirmed:
        raise DomainError(ErrorCode.PICK_STEP_OUT_OF_ORDER, "Scan the bin label first.", "code")
    expected = await session.get(m.Item, line.item_id)
    assert expected is not None
    scan = parse_scan(code)
    if not isinstance(scan, GS1Scan) or (scan.gtin is None and scan.content_gtin is None):
        raise DomainError(
            ErrorCode.SCAN_WRONG_KIND, f"Scan the product barcode of {expected.sku}.", "code"
        )
    item = await _item_of_scan(session, scan)
    if item is None or item.id != expected.id:
        what = f"{item.sku}" if item else "an unknown product"
        raise DomainError(
            ErrorCode.WRONG_ITEM,
            f"Wrong item ({what}): take {expected.sku} {expected.name}.",
            "code",
        )
    if line.lot_id is not None:
        reserved_lot = await session.get(m.Lot, line.lot_id)
        assert reserved_lot is not None
        if scan.lot is None:
            raise DomainError(
                ErrorCode.LOT_REQUIRED,
                f"Scan the label with the lot (lot {reserved_lot.lot_number}).",
                "code",
            )
        if scan.lot != reserved_lot.lot_number:
            await _switch_lot(uow, ctx, line, reserved_lot, scan.lot, principal.user_id)
    line.item_confirmed = True
    await session.flush()
    return await progress_of(session, ctx, lines=lines)


async def _switch_lot(
    uow: UnitOfWork,
    ctx: _Context,
    line: m.PickLine,
    reserved_lot: m.Lot,
    lot_number: str,
    user_id: int,
) -> None:
    """Accept another lot from the same bin only if FEFO still holds: it expires no
    later than the promised lot (and still meets the customer's shelf life). The
    reservation then moves to that lot's quant."""
    session = uow.session
    take_promised = f"Take lot {reserved_lot.lot_number}."
    lot = await session.scalar(
        select(m.Lot).where(m.Lot.item_id == line.item_id, m.Lot.lot_number == lot_number)
    )
    if lot is None:
        raise DomainError(ErrorCode.WRONG_LOT, f"Lot {lot_number} is unknown. {take_promised}")
    if reserved_lot.expiry is not None and (lot.expiry is None or lot.expiry > reserved_lot.expiry):
        raise DomainError(
            ErrorCode.WRONG_LOT,
            f"Lot {lot_number} expires later than lot {reserved_lot.lot_number}. {take_promised}",
            "code",
        )
    order = await session.get(m.SalesOrder, line.order_id)
    assert order is not None
    customer = await session.get(m.Customer, order.customer_id)
    assert customer is not None
    floor = allocation.shelf_life_floor(customer)
    if floor is not None and lot.expiry is not None and lot.expiry <= floor:
        raise DomainError(
            ErrorCode.WRONG_LOT,
            f"Lot {lot_number} is too short-dated for this customer. {take_promised}",
            "code",
        )
    quant = await session.scalar(
        select(m.Quant)
        .where(
            m.Quant.item_id == line.item_id,
            m.Quant.bin_id == line.bin_id,
            m.Quant.lot_id == lot.id,
            m.Quant.status == m.StockStatus.AVAILABLE,
        )
        .with_for_update()
    )
    remaining = line.quantity - line.picked
    if quant is None or quant.on_hand - quant.reserved < remaining:
        raise DomainError(
            ErrorCode.WRONG_LOT,
            f"Not enough of lot {lot_number} free in this bin. {take_promised}",
            "code",
        )
    if line.reservation_id is not None:
        await allocation.release_part(session, line.reservation_id, remaining)
    new = await allocation.reserve_on_quant(
        session,
        quant.id,
        remaining,
        allocation.line_reference(line.order_line_id),
        user_id,
    )
    line.reservation_id = new.id
    line.lot_id = lot.id


async def _consume(session: AsyncSession, reservation_id: int, quantity: int) -> None:
    """Mark picked units of a reservation consumed (apply_move lowered the quant).

    One locking UPDATE: all of it consumed, or the picked part split off as a
    consumed row of its own (a second statement only then)."""
    table = cast(Table, m.Reservation.__table__)
    whole = table.c.quantity == quantity
    row = (
        await session.execute(
            update(table)
            .where(table.c.id == reservation_id, table.c.state == m.ReservationState.ACTIVE)
            .values(
                state=case((whole, m.ReservationState.CONSUMED), else_=table.c.state),
                quantity=case((whole, table.c.quantity), else_=table.c.quantity - quantity),
            )
            .returning(
                table.c.state,
                table.c.quant_id,
                table.c.item_id,
                table.c.reference,
                table.c.user_id,
            )
        )
    ).first()
    if row is None:
        raise DomainError(
            ErrorCode.ORDER_CANCELLED,
            "This stock is no longer promised to the order: go on with the next line.",
            "lineId",
        )
    if row.state == m.ReservationState.ACTIVE:
        await session.execute(
            table.insert().values(
                quant_id=row.quant_id,
                item_id=row.item_id,
                quantity=quantity,
                reference=row.reference,
                state=m.ReservationState.CONSUMED,
                user_id=row.user_id,
            )
        )


def _packing_bin_id(ctx: _Context) -> int:
    if ctx.packing_bin_id is None:
        raise DomainError(ErrorCode.BIN_NOT_FOUND, "This warehouse has no packing bin.")
    return ctx.packing_bin_id


async def _bind_tote(session: AsyncSession, ctx: _Context, line: m.PickLine, raw: str) -> str:
    scan = parse_scan(raw)
    slot = await session.scalar(
        select(m.TourOrder)
        .where(m.TourOrder.tour_id == ctx.tour.id, m.TourOrder.order_id == line.order_id)
        .with_for_update()
    )
    assert slot is not None
    if not isinstance(scan, InternalScan) or scan.kind is not CodeKind.TOTE:
        raise DomainError(
            ErrorCode.SCAN_WRONG_KIND, f"Scan the tote in slot {slot.slot}.", "toteCode"
        )
    if slot.tote_code is not None:
        if slot.tote_code != scan.code:
            raise DomainError(
                ErrorCode.WRONG_TOTE,
                f"Wrong tote: put it in {slot.tote_code} (slot {slot.slot}).",
                "toteCode",
            )
        return slot.tote_code
    busy = await session.scalar(
        select(m.SalesOrder.number)
        .join(m.TourOrder, m.TourOrder.order_id == m.SalesOrder.id)
        .join(m.WaveTour, m.WaveTour.id == m.TourOrder.tour_id)
        .join(m.Task, m.Task.id == m.WaveTour.task_id)
        .where(
            m.TourOrder.tote_code == scan.code,
            m.Task.state.in_((m.TaskState.OPEN, m.TaskState.CLAIMED)),
        )
        .limit(1)
    )
    if busy is not None:
        raise DomainError(
            ErrorCode.WRONG_TOTE,
            f"Tote {scan.code} holds order {busy}: take an empty tote for slot {slot.slot}.",
            "toteCode",
        )
    slot.tote_code = scan.code
    await session.flush()
    return scan.code


async def confirm(
    uow: UnitOfWork,
    principal: Principal,
    task_id: int,
    line_id: int,
    quantity: int | None,
    tote_code: str,
) -> Progress:
    session = uow.session
    ctx, line, lines = await _begin(uow, principal, task_id, line_id)
    if not (line.bin_confirmed and line.item_confirmed):
        what = "the bin label" if not line.bin_confirmed else "the item"
        raise DomainError(ErrorCode.PICK_STEP_OUT_OF_ORDER, f"Scan {what} first.", "lineId")
    remaining = line.quantity - line.picked
    if quantity is None:
        if remaining > 1:
            raise DomainError(
                ErrorCode.INVALID_QUANTITY,
                f"Enter how many you took (up to {remaining}).",
                "quantity",
            )
        quantity = remaining
    if quantity < 1:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY, "Take at least 1, or report a short.", "quantity"
        )
    if quantity > remaining:
        raise DomainError(
            ErrorCode.OVER_PICK,
            f"Only {remaining} wanted here: put {quantity - remaining} back.",
            "quantity",
        )
    tote = await _bind_tote(session, ctx, line, tote_code)
    packing_id = _packing_bin_id(ctx)
    if line.reservation_id is None:
        raise DomainError(ErrorCode.ORDER_CANCELLED, "Nothing is promised here any more.")
    await apply_move(
        session,
        MoveRequest(
            item_id=line.item_id,
            quantity=quantity,
            reason=m.MoveReason.PICK,
            lot_id=line.lot_id,
            source=Place(line.bin_id),
            destination=Place(packing_id),
            consume_reserved=quantity,
            reference=tote,
            user_id=principal.user_id,
            task_id=ctx.task.id,
        ),
    )
    await _consume(session, line.reservation_id, quantity)
    line.picked += quantity
    lines_table = cast(Table, m.SalesOrderLine.__table__)
    # In the database, not through a loaded row: the row is locked by the UPDATE itself.
    await session.execute(
        update(lines_table)
        .where(lines_table.c.id == line.order_line_id)
        .values(reserved=lines_table.c.reserved - quantity, picked=lines_table.c.picked + quantity)
    )
    order = await session.get(m.SalesOrder, line.order_id)
    assert order is not None
    order_states.mark_picking(order)
    if line.picked == line.quantity:
        line.state = m.PickLineState.PICKED
    await session.flush()
    await _close_if_done(uow, ctx, line.order_id)
    return await progress_of(session, ctx, lines=lines)


async def _close_if_done(uow: UnitOfWork, ctx: _Context, order_id: int) -> None:
    """An order with no open pick line is picked; a cart with none is done."""
    session = uow.session
    # The order's and the cart's open lines counted in one read.
    on_order = m.PickLine.order_id == order_id
    on_cart = m.PickLine.tour_id == ctx.tour.id
    counts = (
        await session.execute(
            select(
                func.coalesce(func.sum(case((on_order, 1), else_=0)), 0),
                func.coalesce(func.sum(case((on_cart, 1), else_=0)), 0),
            ).where(m.PickLine.state == m.PickLineState.OPEN, or_(on_order, on_cart))
        )
    ).one()
    open_for_order, open_on_cart = int(counts[0]), int(counts[1])
    order = await session.get(m.SalesOrder, order_id)
    assert order is not None
    if not open_for_order and order.state in (m.OrderState.RELEASED, m.OrderState.PICKING):
        picked = await session.scalar(
            select(func.coalesce(func.sum(m.SalesOrderLine.picked), 0)).where(
                m.SalesOrderLine.order_id == order_id
            )
        )
        order_states.mark_picks_done(order, int(picked or 0))
    if not open_on_cart and ctx.task.state == m.TaskState.CLAIMED:
        await engine.finish(uow, ctx.task, m.TaskState.DONE)
        unfinished = await session.scalar(
            select(func.count())
            .select_from(m.WaveTour)
            .join(m.Task, m.Task.id == m.WaveTour.task_id)
            .where(
                m.WaveTour.wave_id == ctx.wave.id,
                m.Task.state.in_((m.TaskState.OPEN, m.TaskState.CLAIMED)),
            )
        )
        if not unfinished:
            ctx.wave.state = m.WaveState.DONE
    await session.flush()


async def _flag_bin(
    session: AsyncSession, ctx: _Context, line: m.PickLine, missing: int, user_id: int | None
) -> None:
    """The bin held fewer than the book said: count it, and tell the alert rules."""
    bin_row = await session.get(m.Bin, line.bin_id, with_for_update=True)
    assert bin_row is not None
    bin_row.needs_count = True
    # The book promised units the bin did not hold: input for the NEGATIVE_AVAILABILITY
    # alert rules, committed with the short itself.
    record_signal(
        session,
        SignalKind.INSUFFICIENT_STOCK,
        warehouse_id=ctx.task.warehouse_id,
        item_id=line.item_id,
        bin_id=line.bin_id,
        quantity=missing,
        reference=f"SHORT PICK-LINE-{line.id}",
        user_id=user_id,
    )


async def _reserve_rest_elsewhere(
    session: AsyncSession,
    ctx: _Context,
    line: m.PickLine,
    next_seq: int,
    order_line: m.SalesOrderLine,
    missing: int,
    user_id: int | None,
) -> int:
    """Reserve the missing units on other bins, each a new stop at the end of the
    cart's list; the units reserved."""
    order = await session.get(m.SalesOrder, line.order_id)
    assert order is not None
    customer = await session.get(m.Customer, order.customer_id)
    assert customer is not None
    made = await allocation.reserve_elsewhere(
        session,
        item_id=line.item_id,
        warehouse_id=ctx.task.warehouse_id,
        quantity=missing,
        reference=allocation.line_reference(order_line.id),
        exclude_bin_ids={line.bin_id},
        expiring_after=allocation.shelf_life_floor(customer),
        user_id=user_id,
    )
    for seq, reservation in enumerate(made, start=next_seq):
        quant = await session.get(m.Quant, reservation.quant_id)
        assert quant is not None
        session.add(
            m.PickLine(
                tour_id=ctx.tour.id,
                seq=seq,
                order_id=line.order_id,
                order_line_id=order_line.id,
                reservation_id=reservation.id,
                item_id=line.item_id,
                lot_id=quant.lot_id,
                bin_id=quant.bin_id,
                quantity=reservation.quantity,
            )
        )
        order_line.reserved += reservation.quantity
    return sum(r.quantity for r in made)


async def _settle_unfound(
    session: AsyncSession, warehouse_id: int, order_line: m.SalesOrderLine, unfound: int
) -> None:
    """Units found nowhere: short-shipped or backordered, by the warehouse's rule."""
    rule = (await settings_of(session, warehouse_id)).short_pick_rule
    if rule == m.ShortPickRule.SHORT_SHIP:
        order_line.short += unfound
    else:
        order_line.backordered = True  # the rest stays open demand on the line


async def short(
    uow: UnitOfWork, principal: Principal, task_id: int, line_id: int, found: int
) -> Progress:
    """The bin holds fewer than wanted. ``found`` units are still picked here; the
    bin is flagged for a count; the rest is reserved on other bins (appended to
    the cart) or, failing that, short-shipped or backordered by the warehouse rule."""
    session = uow.session
    ctx, line, lines = await _begin(uow, principal, task_id, line_id)
    remaining = line.quantity - line.picked
    if found < 0 or found >= remaining:
        raise DomainError(
            ErrorCode.INVALID_QUANTITY,
            f"Report how many you can take here: 0 to {remaining - 1}.",
            "reportedQuantity",
        )
    missing = remaining - found
    await _flag_bin(session, ctx, line, missing, principal.user_id)
    if line.reservation_id is not None:
        await allocation.release_part(session, line.reservation_id, missing)
    order_line = await session.get(m.SalesOrderLine, line.order_line_id, with_for_update=True)
    assert order_line is not None
    order_line.reserved -= missing
    if found or line.picked:
        line.quantity = line.picked + found
        if found == 0:
            line.state = m.PickLineState.PICKED
    else:
        line.state = m.PickLineState.SHORT
    next_seq = max(row.seq for row in lines) + 1
    reserved = await _reserve_rest_elsewhere(
        session, ctx, line, next_seq, order_line, missing, principal.user_id
    )
    if missing > reserved:
        await _settle_unfound(session, ctx.task.warehouse_id, order_line, missing - reserved)
    await session.flush()
    await _close_if_done(uow, ctx, line.order_id)
    return await progress_of(session, ctx)


async def skip(uow: UnitOfWork, principal: Principal, task_id: int, line_id: int) -> Progress:
    """Come back later: the line moves to the end of the cart's list."""
    ctx, line, lines = await _begin(uow, principal, task_id, line_id)
    line.seq = max(row.seq for row in lines) + 1
    line.bin_confirmed = False
    line.item_confirmed = False
    await uow.session.flush()
    return await progress_of(uow.session, ctx)
