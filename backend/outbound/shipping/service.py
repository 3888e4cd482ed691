"""Ship: hand packed orders to a carrier, exactly once.

In one transaction: the orders' packing sessions go PACKED → SHIPPED with a
guarded UPDATE (the lock point: a second, concurrent or replayed confirmation
finds nothing left to ship and is refused), the carrier adapter allocates the
tracking number, the cartons' contents leave the ledger (reason SHIP, no
destination), the orders become SHIPPED, and the events are queued for after
the commit. Webhook deliveries are written in the same transaction (an outbox)
and sent by a worker after the commit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.parties import carrier_services
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.base import utcnow
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.events import ShipmentShipped, ShipmentSnapshot
from backend.inventory import serials
from backend.inventory.ledger import MoveRequest, Place, apply_move
from backend.outbound import order_states
from backend.outbound.shipping import webhooks
from backend.outbound.shipping.carriers import (
    CarrierAdapter,
    ConsignmentRequest,
    Parcel,
    adapter_for,
)
from backend.outbound.shipping.numbers import Series, next_value
from backend.outbound.shipping.settings import ShippingSettings

MAX_ORDERS_PER_SHIPMENT = 500


@dataclass(frozen=True)
class ShippedCarton:
    carton_id: int
    order_id: int
    carton_no: int
    sscc: str
    weight_g: int | None


@dataclass(frozen=True)
class ShipmentView:
    shipment_id: int
    warehouse_id: int
    carrier_code: str
    carrier_name: str
    service: str
    tracking_number: str
    waybill_no: str
    order_ids: tuple[int, ...]
    order_refs: tuple[str, ...]
    cartons: tuple[ShippedCarton, ...]
    total_weight_g: int | None
    shipped_at: str


def _services(carrier: m.Carrier) -> list[str]:
    return [code for code, _ in carrier_services(carrier.services)]


async def shipment_view(session: AsyncSession, shipment: m.Shipment) -> ShipmentView:
    carrier = await session.get(m.Carrier, shipment.carrier_id)
    assert carrier is not None
    links = list(
        await session.scalars(
            select(m.ShipmentOrder)
            .where(m.ShipmentOrder.shipment_id == shipment.id)
            .order_by(m.ShipmentOrder.id)
        )
    )
    cartons = list(
        await session.scalars(
            select(m.Carton)
            .where(m.Carton.shipment_id == shipment.id)
            .order_by(m.Carton.order_id, m.Carton.carton_no)
        )
    )
    return ShipmentView(
        shipment_id=shipment.id,
        warehouse_id=shipment.warehouse_id,
        carrier_code=carrier.code,
        carrier_name=carrier.name,
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        waybill_no=shipment.waybill_no,
        order_ids=tuple(link.order_id for link in links),
        order_refs=tuple(link.order_ref for link in links),
        cartons=tuple(
            ShippedCarton(c.id, c.order_id, c.carton_no, c.sscc or "", c.weight_g) for c in cartons
        ),
        total_weight_g=shipment.total_weight_g,
        shipped_at=shipment.shipped_at.isoformat(),
    )


def _check_wanted(order_ids: list[int]) -> list[int]:
    wanted = sorted(set(order_ids))
    if not wanted:
        raise DomainError(ErrorCode.INVALID_INPUT, "Name at least one order.", "orderIds")
    if len(wanted) > MAX_ORDERS_PER_SHIPMENT:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"At most {MAX_ORDERS_PER_SHIPMENT} orders in one shipment.",
            "orderIds",
        )
    return wanted


async def _carrier_service(
    session: AsyncSession, carrier_code: str, service: str | None, settings: ShippingSettings
) -> tuple[m.Carrier, CarrierAdapter, str]:
    """The carrier, its adapter and the service chosen (default: the carrier's first)."""
    carrier = await session.scalar(
        select(m.Carrier).where(m.Carrier.code == carrier_code.strip().upper())
    )
    if carrier is None:
        raise DomainError(ErrorCode.CARRIER_NOT_FOUND, "No carrier with this code.", "carrierCode")
    adapter = adapter_for(carrier.adapter, settings)
    services = list(adapter.services(_services(carrier)))
    chosen = (service or "").strip().upper() or services[0]
    if chosen not in services:
        raise DomainError(
            ErrorCode.INVALID_INPUT,
            f"{carrier.name} offers: {', '.join(services)}.",
            "service",
        )
    return carrier, adapter, chosen


def _already_shipped(order: m.SalesOrder) -> DomainError:
    return DomainError(
        ErrorCode.ALREADY_SHIPPED, f"Order {order.number} has shipped already.", "orderIds"
    )


async def _orders_to_ship(
    session: AsyncSession, principal: Principal, wanted: list[int]
) -> tuple[list[m.SalesOrder], int]:
    """The orders, all in the caller's scope and of one warehouse, none shipped yet."""
    order_rows = []
    for order_id in wanted:
        order = await session.get(m.SalesOrder, order_id)
        if order is None:
            raise DomainError(ErrorCode.ORDER_NOT_FOUND, f"No order {order_id}.", "orderIds")
        if not principal.in_scope(order.warehouse_id):
            raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "orderIds")
        if order.state == m.OrderState.SHIPPED:
            raise _already_shipped(order)
        order_rows.append(order)
    warehouses = {o.warehouse_id for o in order_rows}
    if len(warehouses) != 1:
        raise DomainError(
            ErrorCode.INVALID_INPUT, "One shipment leaves from one warehouse.", "orderIds"
        )
    (warehouse_id,) = warehouses
    return order_rows, warehouse_id


async def _claim_packed(session: AsyncSession, order_rows: list[m.SalesOrder]) -> None:
    """The lock point: only sessions still PACKED move on to SHIPPED. A concurrent or
    replayed ship waits here (PostgreSQL row locks, SQLite's write lock) and then finds none."""
    wanted = [o.id for o in order_rows]
    sessions = list(
        await session.scalars(
            select(m.PackSession)
            .where(
                m.PackSession.order_id.in_(wanted),
                m.PackSession.state.in_((m.PackState.PACKED, m.PackState.SHIPPED)),
            )
            .order_by(m.PackSession.id)
        )
    )
    packed = {s.order_id for s in sessions if s.state == m.PackState.PACKED}
    shipped = {s.order_id for s in sessions if s.state == m.PackState.SHIPPED}
    for order in order_rows:
        if order.id in shipped:
            raise _already_shipped(order)
        if order.id not in packed:
            raise DomainError(
                ErrorCode.ORDER_NOT_PACKED,
                f"Order {order.number} is not packed: close its cartons first.",
                "orderIds",
            )
    session_ids = sorted(s.id for s in sessions if s.state == m.PackState.PACKED)
    result = await session.execute(
        update(m.PackSession)
        .where(m.PackSession.id.in_(session_ids), m.PackSession.state == m.PackState.PACKED)
        .values(state=m.PackState.SHIPPED)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(session_ids):  # type: ignore[attr-defined]
        raise DomainError(
            ErrorCode.ALREADY_SHIPPED, "These orders were shipped a moment ago.", "orderIds"
        )


async def _closed_cartons(session: AsyncSession, order_ids: list[int]) -> list[m.Carton]:
    cartons = list(
        await session.scalars(
            select(m.Carton)
            .where(m.Carton.order_id.in_(order_ids), m.Carton.state == m.CartonState.CLOSED)
            .order_by(m.Carton.id)
        )
    )
    if not cartons:
        raise DomainError(ErrorCode.ORDER_NOT_PACKED, "No closed carton to ship.", "orderIds")
    return cartons


async def _unused_tracking_number(
    session: AsyncSession, adapter: CarrierAdapter, carrier: m.Carrier, request: ConsignmentRequest
) -> str:
    number = await adapter.tracking_number(session, request)
    used = await session.scalar(
        select(m.Shipment.id).where(
            m.Shipment.carrier_id == carrier.id, m.Shipment.tracking_number == number
        )
    )
    if used is not None:
        raise DomainError(
            ErrorCode.TRACKING_NUMBER_USED,
            f"Tracking number {number} belongs to another shipment already.",
            "trackingNumber",
        )
    return number


async def _record_shipment(
    session: AsyncSession,
    principal: Principal,
    request: ConsignmentRequest,
    carrier: m.Carrier,
    number: str,
    order_rows: list[m.SalesOrder],
    cartons: list[m.Carton],
) -> m.Shipment:
    """The shipment row, its orders and cartons; the orders become SHIPPED."""
    weights = [c.weight_g for c in cartons]
    shipment = m.Shipment(
        warehouse_id=request.warehouse_id,
        carrier_id=carrier.id,
        service=request.service,
        tracking_number=number,
        waybill_no=f"WB{await next_value(session, Series.WAYBILL):08d}",
        carton_count=len(cartons),
        total_weight_g=sum(w for w in weights if w) if all(weights) else None,
        shipped_by=principal.user_id,
        shipped_at=utcnow(),
    )
    session.add(shipment)
    await session.flush()
    for order in order_rows:
        session.add(
            m.ShipmentOrder(shipment_id=shipment.id, order_id=order.id, order_ref=order.number)
        )
    for carton in cartons:
        carton.state = m.CartonState.SHIPPED
        carton.shipment_id = shipment.id
    for order in order_rows:
        order_states.mark_shipped(order)
    return shipment


def _shipped_event(view: ShipmentView) -> ShipmentShipped:
    snapshot = ShipmentSnapshot(
        id=view.shipment_id,
        warehouse_id=view.warehouse_id,
        carrier=view.carrier_code,
        service=view.service,
        tracking_number=view.tracking_number,
        waybill_no=view.waybill_no,
        order_ids=tuple(view.order_ids),
        orders=tuple(view.order_refs),
        cartons=tuple(c.sscc for c in view.cartons),
        shipped_at=view.shipped_at,
    )
    return ShipmentShipped(view.warehouse_id, "shipped", snapshot)


async def ship(
    uow: UnitOfWork,
    principal: Principal,
    *,
    order_ids: list[int],
    carrier_code: str,
    service: str | None = None,
    tracking_number: str | None = None,
    settings: ShippingSettings,
) -> ShipmentView:
    """Ship packed orders as one consignment of one carrier (a pickup), exactly once."""
    session = uow.session
    wanted = _check_wanted(order_ids)
    carrier, adapter, chosen = await _carrier_service(session, carrier_code, service, settings)
    order_rows, warehouse_id = await _orders_to_ship(session, principal, wanted)
    await _claim_packed(session, order_rows)
    cartons = await _closed_cartons(session, wanted)
    request = ConsignmentRequest(
        carrier_code=carrier.code,
        service=chosen,
        warehouse_id=warehouse_id,
        order_refs=tuple(o.number for o in order_rows),
        parcels=tuple(Parcel(c.sscc or "", c.weight_g) for c in cartons),
        tracking_number=tracking_number,
    )
    number = await _unused_tracking_number(session, adapter, carrier, request)
    shipment = await _record_shipment(
        session, principal, request, carrier, number, order_rows, cartons
    )
    await _take_out_of_ledger(session, cartons, principal, number)
    await session.flush()
    view = await shipment_view(session, shipment)
    event = _shipped_event(view)
    uow.emit(event)
    webhooks.enqueue(session, settings, shipment.id, event.wire())
    return view


async def _take_out_of_ledger(
    session: AsyncSession, cartons: list[m.Carton], principal: Principal, tracking: str
) -> None:
    totals: dict[tuple[int, int | None, int], int] = defaultdict(int)
    shipped_serials: dict[int, list[str]] = defaultdict(list)
    for carton in cartons:
        assert carton.bin_id is not None
        for content in await session.scalars(
            select(m.CartonContent).where(m.CartonContent.carton_id == carton.id)
        ):
            totals[(content.item_id, content.lot_id, carton.bin_id)] += content.quantity
            if content.serial:
                shipped_serials[content.item_id].append(content.serial)
    for item_id, item_serials in shipped_serials.items():
        await serials.mark_left(session, item_id, item_serials, m.SerialState.SHIPPED, tracking)
    for (item_id, lot_id, bin_id), quantity in sorted(
        totals.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0, kv[0][2])
    ):
        await apply_move(
            session,
            MoveRequest(
                item_id=item_id,
                lot_id=lot_id,
                quantity=quantity,
                reason=m.MoveReason.SHIP,
                source=Place(bin_id),
                reference=tracking[:80],
                user_id=principal.user_id,
            ),
        )
