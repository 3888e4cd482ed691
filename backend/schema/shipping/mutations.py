# mypy: disable-error-code="valid-type"
"""Packing, shipping and printing mutations: parse the input, call one domain function, map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.documents import jobs
from backend.documents.printers import PrinterSpec, save_printer
from backend.documents.service import wake_print_worker
from backend.outbound.packing import service as packing
from backend.outbound.packing.carton_types import CartonTypeSpec, save_carton_type
from backend.outbound.shipping import service as shipping
from backend.outbound.shipping.webhooks import schedule_delivery
from backend.printing.documents import DocumentKind as DocumentKindValue
from backend.schema.context import Info
from backend.schema.errors import PermissionDenied, UserError
from backend.schema.mutation import Handler, execute, guarded
from backend.schema.shipping.types import (
    Carton,
    CartonType,
    CloseCartonInput,
    CloseCartonResult,
    CloseCartonSuccess,
    PackScanInput,
    PackScanResult,
    PackScanSuccess,
    PackSession,
    PackSessionSuccess,
    PrintDocumentInput,
    PrintDocumentResult,
    Printer,
    PrinterConnection,
    PrintJob,
    PrintJobRefInput,
    PrintJobSuccess,
    SaveCartonTypeInput,
    SaveCartonTypeResult,
    SaveCartonTypeSuccess,
    SavePrinterInput,
    SavePrinterResult,
    SavePrinterSuccess,
    ShipInput,
    Shipment,
    ShipResult,
    ShipSuccess,
    ShortShipInput,
    StartPackingInput,
    StartPackingResult,
)

T = TypeVar("T")


async def execute_twin_safe(
    info: Info,
    data: Any,
    handler: Handler[T],
    *,
    audit_entity: str,
    audit_id: Callable[[T], object],
) -> T | UserError:
    """``execute``, asked once more after a refusal.

    Two copies of one request (same idempotency key) racing each other: the
    second waits on the first's row locks and then sees the first one's work
    (already shipped, nothing left to pack) and would refuse. Asked again, it
    finds the first copy's idempotency record and replays its answer. A real
    refusal is refused again and changes nothing either time."""
    result = await execute(info, data, handler, audit_entity=audit_entity, audit_id=audit_id)
    if isinstance(result, UserError) and not isinstance(result, PermissionDenied):
        if getattr(data, "idempotency_key", None):
            result = await execute(
                info, data, handler, audit_entity=audit_entity, audit_id=audit_id
            )
    return result


@strawberry.type
class ShippingMutations:
    @guarded(Perm.PACK, description="Open (or resume) packing an order from its tote or code.")
    async def start_packing(self, info: Info, input: StartPackingInput) -> StartPackingResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PackSessionSuccess:
            view = await packing.start_packing(uow, principal, input.code, input.station)
            return PackSessionSuccess(session=PackSession.of(view))

        return await execute_twin_safe(
            info, input, handle, audit_entity="pack_session", audit_id=lambda r: r.session.id
        )

    @guarded(
        Perm.PACK,
        description="Scan an article into the open carton; wrong item, lot, serial or an "
        "extra unit is refused.",
    )
    async def pack_scan(self, info: Info, input: PackScanInput) -> PackScanResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PackScanSuccess:
            outcome = await packing.pack_scan(
                uow, principal, parse_id(input.session_id, "sessionId"), input.code, input.quantity
            )
            return PackScanSuccess(
                session=PackSession.of(outcome.view),
                sku=outcome.sku,
                quantity=outcome.quantity,
                lot=outcome.lot,
                serial=outcome.serial,
                carton_no=outcome.carton_no,
            )

        return await execute_twin_safe(
            info, input, handle, audit_entity="pack_session", audit_id=lambda r: r.session.id
        )

    @guarded(
        Perm.PACK,
        description="Close the open carton: SSCC, weight check, stock to the dock. The last "
        "carton needs every unit packed (or short-shipped by a supervisor).",
    )
    async def close_carton(self, info: Info, input: CloseCartonInput) -> CloseCartonResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CloseCartonSuccess:
            outcome = await packing.close_carton(
                uow,
                principal,
                parse_id(input.session_id, "sessionId"),
                carton_type=input.carton_type,
                weight_g=input.weight_grams,
                last_carton=input.last_carton,
                settings=info.context.app.settings.shipping,
            )
            return CloseCartonSuccess(
                session=PackSession.of(outcome.view),
                carton=Carton.of(outcome.carton),
                order_packed=outcome.order_packed,
            )

        return await execute_twin_safe(
            info, input, handle, audit_entity="carton", audit_id=lambda r: r.carton.id
        )

    @guarded(Perm.SHORT_SHIP, description="Accept an order's missing units as short.")
    async def short_ship(self, info: Info, input: ShortShipInput) -> StartPackingResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PackSessionSuccess:
            view = await packing.short_ship(
                uow, principal, parse_id(input.session_id, "sessionId"), input.reason
            )
            return PackSessionSuccess(session=PackSession.of(view))

        return await execute_twin_safe(
            info, input, handle, audit_entity="pack_session", audit_id=lambda r: r.session.id
        )

    @guarded(
        Perm.SHIP,
        description="Hand packed orders to a carrier: tracking number, stock leaves the "
        "ledger, orders SHIPPED, event and webhooks. Exactly once.",
    )
    async def ship(self, info: Info, input: ShipInput) -> ShipResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ShipSuccess:
            view = await shipping.ship(
                uow,
                principal,
                order_ids=[parse_id(o, "orderIds") for o in input.order_ids],
                carrier_code=input.carrier_code,
                service=input.service,
                tracking_number=input.tracking_number,
                settings=info.context.app.settings.shipping,
            )
            return ShipSuccess(shipment=Shipment.of(view))

        result = await execute_twin_safe(
            info, input, handle, audit_entity="shipment", audit_id=lambda r: r.shipment.id
        )
        if isinstance(result, ShipSuccess):
            schedule_delivery(info.context.app)  # the outbox rows committed with the shipment
        return result

    @guarded(Perm.PRINT, description="Queue a document for a station's printer.")
    async def print_document(self, info: Info, input: PrintDocumentInput) -> PrintDocumentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PrintJobSuccess:
            view = await jobs.queue_document(
                uow,
                principal,
                kind=DocumentKindValue(str(getattr(input.kind, "value", input.kind))),
                target=input.target,
                printer_id=(
                    parse_id(input.printer_id, "printerId")
                    if input.printer_id is not None
                    else None
                ),
                station=input.station,
                copies=input.copies,
            )
            return PrintJobSuccess(job=PrintJob.of(view))

        result = await execute(
            info, input, handle, audit_entity="print_job", audit_id=lambda r: r.job.id
        )
        if isinstance(result, PrintJobSuccess):
            wake_print_worker(info.context.app)
        return result

    @guarded(Perm.PRINT, description="Print a failed (or waiting) job again now.")
    async def retry_print_job(self, info: Info, input: PrintJobRefInput) -> PrintDocumentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PrintJobSuccess:
            view = await jobs.retry_job(uow, principal, parse_id(input.job_id, "jobId"))
            return PrintJobSuccess(job=PrintJob.of(view))

        result = await execute(
            info, input, handle, audit_entity="print_job", audit_id=lambda r: r.job.id
        )
        if isinstance(result, PrintJobSuccess):
            wake_print_worker(info.context.app)
        return result

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Add or change a station's printer.")
    async def save_printer(self, info: Info, input: SavePrinterInput) -> SavePrinterResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SavePrinterSuccess:
            row = await save_printer(
                uow,
                principal,
                PrinterSpec(
                    name=input.name,
                    kind=PrinterConnection(input.kind).value,
                    address=input.address,
                    station=input.station,
                    raw=input.raw,
                    active=input.active,
                    warehouse_id=input.warehouse_id,
                ),
            )
            return SavePrinterSuccess(printer=Printer.of(row))

        return await execute(
            info, input, handle, audit_entity="printer", audit_id=lambda r: r.printer.id
        )

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Add or change a carton type.")
    async def save_carton_type(
        self, info: Info, input: SaveCartonTypeInput
    ) -> SaveCartonTypeResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SaveCartonTypeSuccess:
            row = await save_carton_type(
                uow,
                CartonTypeSpec(
                    code=input.code,
                    name=input.name,
                    length_mm=input.length_mm,
                    width_mm=input.width_mm,
                    height_mm=input.height_mm,
                    max_weight_g=input.max_weight_grams,
                    tare_weight_g=input.tare_weight_grams,
                    active=input.active,
                ),
            )
            return SaveCartonTypeSuccess(carton_type=CartonType.of(row))

        return await execute(
            info, input, handle, audit_entity="carton_type", audit_id=lambda r: r.carton_type.id
        )
