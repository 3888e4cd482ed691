"""The shipper's dock: which packed orders wait for a carrier, and which order a scan names.

A packer closes the last carton and the order is PACKED; from then on it is the
shipper's. At the dock the shipper scans what is in front of them: the carton's
SSCC label (GS1-128, AI 00), the order's code or number, or the tote it came in.
Reads only: shipping itself is ``service.ship``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.errors import DomainError, ErrorCode
from backend.core.scope import ReadScope, read_scope
from backend.scan import CodeKind, GS1Scan, InternalScan, parse_scan


@dataclass(frozen=True)
class DockCarton:
    carton_id: int
    carton_no: int
    sscc: str
    weight_g: int | None


@dataclass(frozen=True)
class DockOrder:
    """A packed order at the dock with the carrier it leaves with."""

    session_id: int
    order_id: int
    order_ref: str
    warehouse_id: int
    packed_at: datetime | None
    carrier_code: str | None
    carrier_name: str | None
    service: str
    cartons: tuple[DockCarton, ...]


def ready_statement(scope: ReadScope, carrier_code: str | None = None) -> Select[m.PackSession]:
    """Packed sessions in scope (optionally of one carrier's orders), for keyset pages by id."""
    stmt = select(m.PackSession).where(
        m.PackSession.state == m.PackState.PACKED, scope.clause(m.PackSession.warehouse_id)
    )
    code = (carrier_code or "").strip().upper()
    if code:
        stmt = stmt.where(
            m.PackSession.order_id.in_(
                select(m.SalesOrder.id)
                .join(m.Carrier, m.Carrier.id == m.SalesOrder.carrier_id)
                .where(m.Carrier.code == code)
            )
        )
    return stmt


async def dock_orders(session: AsyncSession, packs: Sequence[m.PackSession]) -> list[DockOrder]:
    """The dock's view of packed sessions: carrier and closed cartons, in the given order."""
    if not packs:
        return []
    order_ids = [p.order_id for p in packs]
    orders = {
        o.id: o
        for o in await session.scalars(select(m.SalesOrder).where(m.SalesOrder.id.in_(order_ids)))
    }
    carrier_ids = {o.carrier_id for o in orders.values() if o.carrier_id is not None}
    carriers = {
        c.id: c
        for c in await session.scalars(select(m.Carrier).where(m.Carrier.id.in_(carrier_ids)))
    }
    cartons: dict[int, list[DockCarton]] = defaultdict(list)
    for c in await session.scalars(
        select(m.Carton)
        .where(
            m.Carton.session_id.in_([p.id for p in packs]),
            m.Carton.state == m.CartonState.CLOSED,
        )
        .order_by(m.Carton.carton_no)
    ):
        cartons[c.session_id].append(DockCarton(c.id, c.carton_no, c.sscc or "", c.weight_g))
    views = []
    for pack in packs:
        order = orders.get(pack.order_id)
        carrier = carriers.get(order.carrier_id) if order and order.carrier_id else None
        views.append(
            DockOrder(
                session_id=pack.id,
                order_id=pack.order_id,
                order_ref=pack.order_ref,
                warehouse_id=pack.warehouse_id,
                packed_at=pack.packed_at,
                carrier_code=carrier.code if carrier else None,
                carrier_name=carrier.name if carrier else None,
                service=order.service if order else "",
                cartons=tuple(cartons.get(pack.id, ())),
            )
        )
    return views


# -- what a dock scan names ----------------------------------------------------------


def _not_found(message: str) -> DomainError:
    return DomainError(ErrorCode.ORDER_NOT_FOUND, message, "code")


async def _order_of_sscc(session: AsyncSession, sscc: str) -> int:
    carton = await session.scalar(
        select(m.Carton).where(m.Carton.sscc == sscc).order_by(m.Carton.id.desc()).limit(1)
    )
    if carton is None:
        raise _not_found(f"No carton has the SSCC {sscc}.")
    return carton.order_id


async def _order_of_tote(session: AsyncSession, tote: str) -> int:
    # A tote is reused wave after wave: the newest order it carried that is past picking.
    order_id = await session.scalar(
        select(m.SalesOrder.id)
        .join(m.TourOrder, m.TourOrder.order_id == m.SalesOrder.id)
        .where(
            m.TourOrder.tote_code == tote,
            m.SalesOrder.state.in_(
                (m.OrderState.PICKED, m.OrderState.PACKED, m.OrderState.SHIPPED)
            ),
        )
        .order_by(m.TourOrder.id.desc())
        .limit(1)
    )
    if order_id is None:
        raise _not_found(f"No packed order came in tote {tote}.")
    return order_id


async def _order_of_number(session: AsyncSession, candidates: list[str]) -> int:
    order_id = await session.scalar(
        select(m.SalesOrder.id).where(m.SalesOrder.number.in_(candidates)).limit(1)
    )
    if order_id is None:
        raise _not_found("No order with this code.")
    return order_id


async def _scanned_order_id(session: AsyncSession, code: str) -> int:
    raw = code.strip()
    if not raw:
        raise DomainError(
            ErrorCode.SCAN_EMPTY, "Scan a carton label, the order or its tote.", "code"
        )
    try:
        scan = parse_scan(raw)
    except DomainError:
        scan = None  # not one of our codes: a plain order number, typed
    if isinstance(scan, GS1Scan):
        if not scan.sscc:
            raise DomainError(
                ErrorCode.SCAN_WRONG_KIND,
                "That is an article's barcode: scan the carton's SSCC label.",
                "code",
            )
        return await _order_of_sscc(session, scan.sscc)
    if isinstance(scan, InternalScan):
        if scan.kind is CodeKind.TOTE:
            return await _order_of_tote(session, scan.code)
        if scan.kind is not CodeKind.SO:
            raise DomainError(
                ErrorCode.SCAN_WRONG_KIND, "Scan a carton label, the order or its tote.", "code"
            )
        return await _order_of_number(session, [scan.code, scan.body])
    return await _order_of_number(session, [raw])


async def find_for_dock(session: AsyncSession, principal: Principal, code: str) -> DockOrder:
    """The packed order a dock scan names, or a refusal that says what to do instead.

    An order of another warehouse is "not found", as any read of a row out of scope."""
    order_id = await _scanned_order_id(session, code)
    order = await session.get(m.SalesOrder, order_id)
    if order is None or not read_scope(principal).allows(order.warehouse_id):
        raise _not_found("No order with this code.")
    if order.state == m.OrderState.SHIPPED:
        raise DomainError(
            ErrorCode.ALREADY_SHIPPED, f"Order {order.number} has shipped already.", "code"
        )
    pack = await session.scalar(
        select(m.PackSession).where(
            m.PackSession.order_id == order.id, m.PackSession.state == m.PackState.PACKED
        )
    )
    if pack is None:
        if order.state == m.OrderState.CANCELLED:
            raise DomainError(
                ErrorCode.ORDER_CANCELLED, f"Order {order.number} is cancelled.", "code"
            )
        raise DomainError(
            ErrorCode.ORDER_NOT_PACKED,
            f"Order {order.number} is {order.state}: close its cartons at the packing station first.",
            "code",
        )
    (view,) = await dock_orders(session, [pack])
    return view
