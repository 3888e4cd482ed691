"""Documents built from the database: what `/documents/{kind}/{target}.pdf` and
the print queue render.

A target is the id of the thing printed (``12``), or for the labels of many
cartons at once ``wave-3`` (every shipped carton of a wave) or ``shipment-5``.
Loading only reads; rendering happens afterwards, outside any transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import id_or_none
from backend.documents.badge import user_badge
from backend.outbound.packing import orders
from backend.printing.documents import (
    BinLabel,
    BinLabelSheet,
    CartonContentLabel,
    CartonLine,
    CountSheet,
    CountSheetLine,
    DocumentKind,
    DocumentLine,
    LotQuantity,
    PackingSlip,
    PickList,
    PickStop,
    ShippingLabel,
    Waybill,
)

MAX_BATCH = 2000
_TARGET = re.compile(r"(?:(wave|shipment)-)?([0-9]+)")


@dataclass(frozen=True)
class Target:
    kind: str  # "", "wave" or "shipment"
    id: int

    def __str__(self) -> str:
        return f"{self.kind}-{self.id}" if self.kind else str(self.id)


def parse_kind(raw: str) -> DocumentKind:
    try:
        return DocumentKind(raw.strip().lower())
    except ValueError:
        names = ", ".join(k.value for k in DocumentKind)
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"Unknown document kind; one of {names}.", "kind"
        ) from None


class MalformedTarget(DomainError):
    """A target that cannot name a row; over HTTP the URL of no document (404)."""


def parse_target(raw: str) -> Target:
    # "-1" is not id 1, "１２" (full-width) is not 12 and an id past the INTEGER range
    # names no row: each is malformed, never a lookup or a server error.
    match = _TARGET.fullmatch(raw.strip().lower())
    number = id_or_none(match.group(2)) if match else None
    if match is None or number is None:
        raise MalformedTarget(
            ErrorCode.INVALID_INPUT, "A document target is an id, wave-<id> or shipment-<id>.", "id"
        )
    return Target(match.group(1) or "", number)


@dataclass(frozen=True)
class LoadedDocuments:
    kind: DocumentKind
    warehouse_id: int
    documents: tuple[Any, ...]
    title: str


def _not_found(what: str) -> DomainError:
    return DomainError(ErrorCode.DOCUMENT_NOT_FOUND, f"No {what} to print.", "id")


async def load(session: AsyncSession, kind: DocumentKind, target: Target) -> LoadedDocuments:
    if kind in (DocumentKind.SHIPPING_LABEL, DocumentKind.CARTON_LABEL):
        cartons = await _cartons_of(session, target, shipped=kind is DocumentKind.SHIPPING_LABEL)
        # A wave's labels come from a few set-based reads, not a few per carton: on
        # SQLite the read holds the one pooled connection, and scans wait for it.
        counts = await _carton_counts(session, cartons)
        await _preload(session, cartons)
        docs: list[Any] = []
        for carton in cartons:
            if kind is DocumentKind.SHIPPING_LABEL:
                docs.append(await shipping_label(session, carton, counts))
            else:
                docs.append(await carton_label(session, carton, counts))
        return LoadedDocuments(kind, cartons[0].warehouse_id, tuple(docs), f"{kind} {target}")
    if target.kind and not (kind is DocumentKind.PICK_LIST and target.kind == "wave"):
        raise DomainError(ErrorCode.INVALID_INPUT, f"A {kind} is printed for one id.", "id")
    if kind is DocumentKind.PACKING_SLIP:
        slip, wid = await packing_slip(session, target.id)
        return LoadedDocuments(kind, wid, (slip,), f"packing slip {slip.order_ref}")
    if kind is DocumentKind.WAYBILL:
        bill, wid = await waybill(session, target.id)
        return LoadedDocuments(kind, wid, (bill,), f"waybill {bill.waybill_no}")
    if kind is DocumentKind.PICK_LIST:
        lists, wid = await pick_lists(session, target.id)
        return LoadedDocuments(kind, wid, tuple(lists), f"pick list wave {target.id}")
    if kind is DocumentKind.USER_BADGE:
        badge, wid = await user_badge(session, target.id)
        return LoadedDocuments(kind, wid, (badge,), f"badge {badge.username}")
    if kind is DocumentKind.BIN_LABELS:
        sheet, wid = await bin_labels(session, target.id)
        return LoadedDocuments(kind, wid, (sheet,), f"bin labels {sheet.title}")
    sheet_c, wid = await count_sheet(session, target.id)
    return LoadedDocuments(kind, wid, (sheet_c,), f"count sheet {sheet_c.count_ref}")


async def _cartons_of(session: AsyncSession, target: Target, *, shipped: bool) -> list[m.Carton]:
    stmt = select(m.Carton)
    if target.kind == "wave":
        stmt = stmt.join(m.SalesOrder, m.SalesOrder.id == m.Carton.order_id).where(
            m.SalesOrder.wave_id == target.id
        )
    elif target.kind == "shipment":
        stmt = stmt.where(m.Carton.shipment_id == target.id)
    else:
        stmt = stmt.where(m.Carton.id == target.id)
    wanted = (m.CartonState.SHIPPED,) if shipped else (m.CartonState.CLOSED, m.CartonState.SHIPPED)
    stmt = stmt.where(m.Carton.state.in_(wanted)).order_by(m.Carton.order_id, m.Carton.carton_no)
    cartons = list(await session.scalars(stmt.limit(MAX_BATCH + 1)))
    if not cartons:
        raise _not_found("shipped carton" if shipped else "closed carton")
    if len(cartons) > MAX_BATCH:
        raise DomainError(
            ErrorCode.INVALID_INPUT, f"At most {MAX_BATCH} labels in one document.", "id"
        )
    return cartons


async def _carton_counts(session: AsyncSession, cartons: list[m.Carton]) -> dict[int, int]:
    """Closed cartons per packing session ("carton 2 of 3"), for the given cartons."""
    session_ids = sorted({c.session_id for c in cartons})
    rows = await session.execute(
        select(m.Carton.session_id, func.count())
        .where(m.Carton.session_id.in_(session_ids), m.Carton.state != m.CartonState.OPEN)
        .group_by(m.Carton.session_id)
    )
    return {int(session_id): int(n) for session_id, n in rows}


async def _preload(session: AsyncSession, cartons: list[m.Carton]) -> None:
    """Load the cartons' orders, shipments and customers into the session at once,
    so that the per-carton ``session.get`` calls below find them without a query."""
    order_ids = sorted({c.order_id for c in cartons})
    shipment_ids = sorted({c.shipment_id for c in cartons if c.shipment_id})
    orders_loaded = list(
        await session.scalars(select(m.SalesOrder).where(m.SalesOrder.id.in_(order_ids)))
    )
    customer_ids = sorted({o.customer_id for o in orders_loaded if o.customer_id})
    if customer_ids:
        await session.scalars(select(m.Customer).where(m.Customer.id.in_(customer_ids)))
    if shipment_ids:
        await session.scalars(select(m.Shipment).where(m.Shipment.id.in_(shipment_ids)))


async def shipping_label(
    session: AsyncSession, carton: m.Carton, counts: dict[int, int] | None = None
) -> ShippingLabel:
    shipment = await session.get(m.Shipment, carton.shipment_id) if carton.shipment_id else None
    if shipment is None:
        raise _not_found("shipment for this carton")
    carrier = await session.get(m.Carrier, shipment.carrier_id)
    order = await orders.order_by_id(session, carton.order_id)
    header = await orders.order_header(session, order)
    return ShippingLabel(
        ship_from=header.ship_from,
        ship_to=header.ship_to,
        carrier=carrier.name if carrier else "",
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        sscc=carton.sscc or "",
        weight_g=carton.weight_g or 0,
        order_ref=order.number,
        ship_date=shipment.shipped_at.date(),
        carton_no=carton.carton_no,
        carton_count=(counts or await _carton_counts(session, [carton]))[carton.session_id],
    )


async def carton_label(
    session: AsyncSession, carton: m.Carton, counts: dict[int, int] | None = None
) -> CartonContentLabel:
    order = await orders.order_by_id(session, carton.order_id)
    header = await orders.order_header(session, order)
    grouped: dict[tuple[int, int | None], int] = defaultdict(int)
    for content in await session.scalars(
        select(m.CartonContent)
        .where(m.CartonContent.carton_id == carton.id)
        .order_by(m.CartonContent.id)
    ):
        grouped[(content.item_id, content.lot_id)] += content.quantity
    lines = []
    for (item_id, lot_id), quantity in grouped.items():
        item = await session.get(m.Item, item_id)
        lot = await session.get(m.Lot, lot_id) if lot_id else None
        assert item is not None
        lines.append(
            CartonLine(
                sku=item.sku,
                description=item.name,
                quantity=quantity,
                unit=item.base_unit,
                lot=lot.lot_number if lot else "",
                expiry=lot.expiry if lot else None,
            )
        )
    packer = await session.get(m.User, carton.closed_by) if carton.closed_by else None
    return CartonContentLabel(
        sscc=carton.sscc or "",
        order_ref=order.number,
        ship_to=header.ship_to,
        lines=tuple(lines),
        carton_no=carton.carton_no,
        carton_count=(counts or await _carton_counts(session, [carton]))[carton.session_id],
        weight_g=carton.weight_g,
        packed_by=packer.username if packer else "",
        packed_at=carton.closed_at,
    )


async def _shipped_lines(session: AsyncSession, cartons: list[m.Carton]) -> list[DocumentLine]:
    """Order lines as shipped: quantities per line with their lots and serials."""
    by_line: dict[int, list[m.CartonContent]] = defaultdict(list)
    for carton in cartons:
        for content in await session.scalars(
            select(m.CartonContent).where(m.CartonContent.carton_id == carton.id)
        ):
            by_line[content.pack_line_id].append(content)
    lines = []
    pack_lines = {
        pl.id: pl
        for pl in await session.scalars(select(m.PackLine).where(m.PackLine.id.in_(list(by_line))))
    }
    ordered = sorted(by_line.items(), key=lambda kv: (pack_lines[kv[0]].line_no, kv[0]))
    merged: dict[int, DocumentLine] = {}
    for line_id, contents in ordered:
        pack_line = pack_lines[line_id]
        item = await session.get(m.Item, pack_line.item_id)
        assert item is not None
        lots: dict[int, int] = defaultdict(int)
        for c in contents:
            if c.lot_id:
                lots[c.lot_id] += c.quantity
        lot_quantities = []
        for lot_id, qty in lots.items():
            lot = await session.get(m.Lot, lot_id)
            if lot:
                lot_quantities.append(LotQuantity(lot.lot_number, qty, lot.expiry))
        order_line = (
            await session.get(m.SalesOrderLine, pack_line.order_line_id)
            if pack_line.order_line_id
            else None
        )
        quantity = sum(c.quantity for c in contents)
        serials = tuple(c.serial for c in contents if c.serial)
        previous = merged.get(pack_line.line_no)
        if previous is not None:  # one order line picked from several bins or lots
            quantity += previous.quantity
            lot_quantities = [*previous.lots, *lot_quantities]
            serials = previous.serials + serials
        ordered_qty = order_line.quantity if order_line else None
        merged[pack_line.line_no] = DocumentLine(
            line_no=pack_line.line_no,
            sku=item.sku,
            description=item.name,
            quantity=quantity,
            unit=item.base_unit,
            ordered=ordered_qty if ordered_qty is not None and ordered_qty != quantity else None,
            lots=tuple(lot_quantities),
            serials=serials,
        )
    lines = [merged[k] for k in sorted(merged)]
    return lines


async def packing_slip(session: AsyncSession, order_id: int) -> tuple[PackingSlip, int]:
    order = await session.get(m.SalesOrder, order_id)
    if order is None:
        raise _not_found("order")
    cartons = list(
        await session.scalars(
            select(m.Carton)
            .where(m.Carton.order_id == order.id, m.Carton.state != m.CartonState.OPEN)
            .order_by(m.Carton.carton_no)
        )
    )
    if not cartons:
        raise _not_found("packed carton of this order")
    header = await orders.order_header(session, order)
    shipment = (
        await session.get(m.Shipment, cartons[0].shipment_id) if cartons[0].shipment_id else None
    )
    carrier = await session.get(m.Carrier, shipment.carrier_id) if shipment else None
    return (
        PackingSlip(
            order_ref=order.number,
            order_date=header.order_date,
            ship_date=shipment.shipped_at.date() if shipment else date.today(),
            ship_from=header.ship_from,
            ship_to=header.ship_to,
            bill_to=header.bill_to,
            lines=tuple(await _shipped_lines(session, cartons)),
            carrier=carrier.name if carrier else "",
            tracking_number=shipment.tracking_number if shipment else "",
            cartons=tuple(c.sscc or "" for c in cartons),
        ),
        order.warehouse_id,
    )


async def waybill(session: AsyncSession, shipment_id: int) -> tuple[Waybill, int]:
    shipment = await session.get(m.Shipment, shipment_id)
    if shipment is None:
        raise _not_found("shipment")
    carrier = await session.get(m.Carrier, shipment.carrier_id)
    cartons = list(
        await session.scalars(
            select(m.Carton)
            .where(m.Carton.shipment_id == shipment.id)
            .order_by(m.Carton.order_id, m.Carton.carton_no)
        )
    )
    links = list(
        await session.scalars(
            select(m.ShipmentOrder)
            .where(m.ShipmentOrder.shipment_id == shipment.id)
            .order_by(m.ShipmentOrder.id)
        )
    )
    first = await orders.order_by_id(session, links[0].order_id)
    header = await orders.order_header(session, first)
    return (
        Waybill(
            waybill_no=shipment.waybill_no,
            ship_date=shipment.shipped_at.date(),
            ship_from=header.ship_from,
            ship_to=header.ship_to,
            carrier=carrier.name if carrier else "",
            service=shipment.service,
            tracking_number=shipment.tracking_number,
            lines=tuple(await _shipped_lines(session, cartons)),
            order_refs=tuple(link.order_ref for link in links),
            carton_count=len(cartons),
            total_weight_g=shipment.total_weight_g,
            cartons=tuple(c.sscc or "" for c in cartons),
        ),
        shipment.warehouse_id,
    )


async def pick_lists(session: AsyncSession, wave_id: int) -> tuple[list[PickList], int]:
    wave = await session.get(m.Wave, wave_id)
    if wave is None:
        raise _not_found("wave")
    warehouse = await session.get(m.Warehouse, wave.warehouse_id)
    lists = []
    for tour in await session.scalars(
        select(m.WaveTour).where(m.WaveTour.wave_id == wave.id).order_by(m.WaveTour.seq)
    ):
        stops = []
        for pick in await session.scalars(
            select(m.PickLine).where(m.PickLine.tour_id == tour.id).order_by(m.PickLine.seq)
        ):
            item = await session.get(m.Item, pick.item_id)
            bin_row = await session.get(m.Bin, pick.bin_id)
            lot = await session.get(m.Lot, pick.lot_id) if pick.lot_id else None
            order = await session.get(m.SalesOrder, pick.order_id)
            slot = await session.scalar(
                select(m.TourOrder).where(
                    m.TourOrder.tour_id == tour.id, m.TourOrder.order_id == pick.order_id
                )
            )
            assert item is not None and bin_row is not None
            stops.append(
                PickStop(
                    sequence=pick.seq,
                    bin_code=bin_row.code,
                    sku=item.sku,
                    description=item.name,
                    quantity=pick.quantity,
                    unit=item.base_unit,
                    lot=lot.lot_number if lot else "",
                    order_ref=order.number if order else "",
                    tote=(slot.tote_code or f"slot {slot.slot}") if slot else "",
                )
            )
        if stops:
            lists.append(
                PickList(
                    list_ref=f"{wave.code}-{tour.seq}",
                    warehouse=warehouse.code if warehouse else "",
                    created_at=wave.created_at,
                    stops=tuple(stops),
                    wave_ref=wave.code,
                )
            )
    if not lists:
        raise _not_found("pick line in this wave")
    return lists, wave.warehouse_id


async def bin_labels(session: AsyncSession, zone_id: int) -> tuple[BinLabelSheet, int]:
    zone = await session.get(m.Zone, zone_id)
    if zone is None:
        raise _not_found("zone")
    bins = list(
        await session.scalars(
            select(m.Bin).where(m.Bin.zone_id == zone.id).order_by(m.Bin.code).limit(MAX_BATCH)
        )
    )
    if not bins:
        raise _not_found("bin in this zone")
    labels = tuple(BinLabel(code=b.code, caption=f"{zone.name} · {b.label}") for b in bins)
    return BinLabelSheet(labels=labels, title=f"{zone.code} {zone.name}"), zone.warehouse_id


async def count_sheet(session: AsyncSession, task_id: int) -> tuple[CountSheet, int]:
    task = await session.get(m.Task, task_id)
    if task is None or task.kind != m.TaskKind.COUNT:
        raise _not_found("count task")
    warehouse = await session.get(m.Warehouse, task.warehouse_id)
    bins_stmt = select(m.Bin).where(m.Bin.warehouse_id == task.warehouse_id)
    if task.bin_id is not None:
        bins_stmt = bins_stmt.where(m.Bin.id == task.bin_id)
    elif task.zone_id is not None:
        bins_stmt = bins_stmt.where(m.Bin.zone_id == task.zone_id)
    else:
        raise _not_found("bin or zone on this count task")
    lines: list[CountSheetLine] = []
    for bin_row in await session.scalars(bins_stmt.order_by(m.Bin.code).limit(MAX_BATCH)):
        quants = list(
            await session.scalars(
                select(m.Quant).where(m.Quant.bin_id == bin_row.id).order_by(m.Quant.id)
            )
        )
        for quant in quants:
            item = await session.get(m.Item, quant.item_id)
            lot = await session.get(m.Lot, quant.lot_id) if quant.lot_id else None
            assert item is not None
            lines.append(
                CountSheetLine(
                    sequence=len(lines) + 1,
                    bin_code=bin_row.code,
                    sku=item.sku,
                    description=item.name,
                    unit=item.base_unit,
                    lot=lot.lot_number if lot else "",
                    expiry=lot.expiry if lot else None,
                )
            )
        if not quants:  # an empty bin is counted too: something may be there
            lines.append(CountSheetLine(len(lines) + 1, bin_row.code, "", ""))
    counter = await session.get(m.User, task.assignee_id) if task.assignee_id else None
    return (
        CountSheet(
            count_ref=f"TASK-{task.id}",
            warehouse=warehouse.code if warehouse else "",
            created_at=task.created_at,
            lines=tuple(lines),
            counter=counter.username if counter else "",
        ),
        task.warehouse_id,
    )
