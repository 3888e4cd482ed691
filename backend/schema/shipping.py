# mypy: disable-error-code="valid-type"
"""Packing station, shipping and printing: queries and mutations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any, TypeVar

import strawberry
from sqlalchemy import select

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.documents import queue as print_queue
from backend.documents.data import load, parse_target
from backend.documents.service import wake_print_worker
from backend.outbound.packing import service as packing
from backend.outbound.shipping import service as shipping
from backend.outbound.shipping.webhooks import schedule_delivery
from backend.printing.documents import DocumentKind as DocumentKindValue
from backend.schema.context import Info
from backend.schema.errors import PermissionDenied, UserError, result_union
from backend.schema.mutation import Handler, execute, guarded
from backend.schema.pagination import Connection, paginate

DocumentKind = strawberry.enum(DocumentKindValue, name="DocumentKind")
T = TypeVar("T")


@strawberry.enum
class PrinterConnection(Enum):
    CUPS = "CUPS"
    RAW_TCP = "RAW_TCP"


def _id(value: int) -> strawberry.ID:
    return strawberry.ID(str(value))


def document_url(kind: str, target: str | int) -> str:
    return f"/documents/{kind}/{target}.pdf"


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


# -- types ------------------------------------------------------------------------


@strawberry.type
class PackLine:
    id: strawberry.ID
    line_no: int
    sku: str
    description: str
    gtin: str
    lot: str | None
    tracking: str
    expected: int
    packed: int
    short: int
    missing: int
    serials_expected: list[str]
    serials_packed: list[str]

    @classmethod
    def of(cls, v: packing.PackLineView) -> PackLine:
        return cls(
            id=_id(v.line_id),
            line_no=v.line_no,
            sku=v.sku,
            description=v.description,
            gtin=v.gtin,
            lot=v.lot,
            tracking=v.tracking,
            expected=v.expected,
            packed=v.packed,
            short=v.short,
            missing=v.missing,
            serials_expected=list(v.serials_expected),
            serials_packed=list(v.serials_packed),
        )


@strawberry.type
class CartonLine:
    sku: str
    description: str
    lot: str | None
    serial: str | None
    quantity: int


@strawberry.type
class Carton:
    id: strawberry.ID
    carton_no: int
    state: str
    sscc: str | None
    carton_type: str | None
    weight_grams: int | None
    expected_weight_grams: int | None
    lines: list[CartonLine]
    label_url: str | None = strawberry.field(
        description="The carton (contents) label PDF, once the carton is closed."
    )

    @classmethod
    def of(cls, v: packing.CartonView) -> Carton:
        return cls(
            id=_id(v.carton_id),
            carton_no=v.carton_no,
            state=v.state,
            sscc=v.sscc,
            carton_type=v.carton_type,
            weight_grams=v.weight_g,
            expected_weight_grams=v.expected_weight_g,
            lines=[
                CartonLine(
                    sku=line.sku,
                    description=line.description,
                    lot=line.lot,
                    serial=line.serial,
                    quantity=line.quantity,
                )
                for line in v.lines
            ],
            label_url=document_url("carton_label", v.carton_id) if v.sscc else None,
        )


@strawberry.type
class PackSession:
    id: strawberry.ID
    order_id: strawberry.ID
    order_ref: str
    warehouse_id: strawberry.ID
    state: str
    station: str
    complete: bool = strawberry.field(description="Every unit is packed or accepted as short.")
    missing_units: int
    lines: list[PackLine]
    cartons: list[Carton]
    suggested_carton_type: str | None = strawberry.field(
        description="Smallest carton type the open carton's contents fit in."
    )
    packing_slip_url: str

    @classmethod
    def of(cls, v: packing.PackSessionView) -> PackSession:
        return cls(
            id=_id(v.session_id),
            order_id=_id(v.order_id),
            order_ref=v.order_ref,
            warehouse_id=_id(v.warehouse_id),
            state=v.state,
            station=v.station,
            complete=v.complete,
            missing_units=v.missing_units,
            lines=[PackLine.of(line) for line in v.lines],
            cartons=[Carton.of(c) for c in v.cartons],
            suggested_carton_type=v.suggested_carton_type,
            packing_slip_url=document_url("packing_slip", v.order_id),
        )


@strawberry.type
class ShippedCarton:
    id: strawberry.ID
    order_id: strawberry.ID
    carton_no: int
    sscc: str
    weight_grams: int | None
    label_url: str


@strawberry.type
class Shipment:
    id: strawberry.ID
    warehouse_id: strawberry.ID
    carrier_code: str
    carrier_name: str
    service: str
    tracking_number: str
    waybill_no: str
    order_ids: list[strawberry.ID]
    order_refs: list[str]
    cartons: list[ShippedCarton]
    total_weight_grams: int | None
    shipped_at: datetime
    labels_url: str = strawberry.field(description="Every carton's shipping label, one PDF.")
    waybill_url: str

    @classmethod
    def of(cls, v: shipping.ShipmentView) -> Shipment:
        return cls(
            id=_id(v.shipment_id),
            warehouse_id=_id(v.warehouse_id),
            carrier_code=v.carrier_code,
            carrier_name=v.carrier_name,
            service=v.service,
            tracking_number=v.tracking_number,
            waybill_no=v.waybill_no,
            order_ids=[_id(o) for o in v.order_ids],
            order_refs=list(v.order_refs),
            cartons=[
                ShippedCarton(
                    id=_id(c.carton_id),
                    order_id=_id(c.order_id),
                    carton_no=c.carton_no,
                    sscc=c.sscc,
                    weight_grams=c.weight_g,
                    label_url=document_url("shipping_label", c.carton_id),
                )
                for c in v.cartons
            ],
            total_weight_grams=v.total_weight_g,
            shipped_at=datetime.fromisoformat(v.shipped_at),
            labels_url=document_url("shipping_label", f"shipment-{v.shipment_id}"),
            waybill_url=document_url("waybill", v.shipment_id),
        )


@strawberry.type
class PrintJob:
    id: strawberry.ID
    printer_id: strawberry.ID
    printer_name: str
    document_kind: str
    target: str
    copies: int
    state: str
    attempts: int
    max_attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, v: print_queue.PrintJobView) -> PrintJob:
        return cls(
            id=_id(v.job_id),
            printer_id=_id(v.printer_id),
            printer_name=v.printer_name,
            document_kind=v.document_kind,
            target=v.target,
            copies=v.copies,
            state=v.state,
            attempts=v.attempts,
            max_attempts=v.max_attempts,
            last_error=v.last_error,
            next_attempt_at=v.next_attempt_at,
            created_at=v.created_at,
            finished_at=v.finished_at,
        )


@strawberry.type
class Printer:
    id: strawberry.ID
    warehouse_id: strawberry.ID
    name: str
    station: str
    kind: str
    address: str
    raw: bool
    active: bool

    @classmethod
    def of(cls, row: m.PrinterRow) -> Printer:
        return cls(
            id=_id(row.id),
            warehouse_id=_id(row.warehouse_id),
            name=row.name,
            station=row.station,
            kind=row.kind,
            address=row.address,
            raw=row.raw,
            active=row.active,
        )


@strawberry.type
class CartonType:
    id: strawberry.ID
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_grams: int
    tare_weight_grams: int
    active: bool

    @classmethod
    def of(cls, row: m.CartonType) -> CartonType:
        return cls(
            id=_id(row.id),
            code=row.code,
            name=row.name,
            length_mm=row.length_mm,
            width_mm=row.width_mm,
            height_mm=row.height_mm,
            max_weight_grams=row.max_weight_g,
            tare_weight_grams=row.tare_weight_g,
            active=row.active,
        )


@strawberry.type
class PackedOrder:
    """An order packed and waiting at the dock for its carrier."""

    session_id: strawberry.ID
    order_id: strawberry.ID
    order_ref: str
    packed_at: datetime | None


# -- results and inputs ---------------------------------------------------------


@strawberry.type
class PackSessionSuccess:
    session: PackSession


@strawberry.type
class PackScanSuccess:
    session: PackSession
    sku: str
    quantity: int
    lot: str | None
    serial: str | None
    carton_no: int


@strawberry.type
class CloseCartonSuccess:
    session: PackSession
    carton: Carton
    order_packed: bool


@strawberry.type
class ShipSuccess:
    shipment: Shipment


@strawberry.type
class PrintJobSuccess:
    job: PrintJob


@strawberry.type
class SavePrinterSuccess:
    printer: Printer


@strawberry.type
class SaveCartonTypeSuccess:
    carton_type: CartonType


StartPackingResult = result_union("StartPackingResult", PackSessionSuccess)
PackScanResult = result_union("PackScanResult", PackScanSuccess)
CloseCartonResult = result_union("CloseCartonResult", CloseCartonSuccess)
ShipResult = result_union("ShipResult", ShipSuccess)
PrintDocumentResult = result_union("PrintDocumentResult", PrintJobSuccess)
SavePrinterResult = result_union("SavePrinterResult", SavePrinterSuccess)
SaveCartonTypeResult = result_union("SaveCartonTypeResult", SaveCartonTypeSuccess)


@strawberry.input
class StartPackingInput:
    code: str = strawberry.field(description="The tote's code, the order's code or number.")
    idempotency_key: str
    station: str = ""


@strawberry.input
class PackScanInput:
    session_id: strawberry.ID
    code: str = strawberry.field(description="The article's GTIN / GS1 barcode as scanned.")
    idempotency_key: str
    quantity: int | None = strawberry.field(
        default=None, description="Units of the scanned code (default 1; a case GTIN is a case)."
    )


@strawberry.input
class CloseCartonInput:
    session_id: strawberry.ID
    idempotency_key: str
    carton_type: str | None = strawberry.field(
        default=None, description="Carton type code; default: the suggested one."
    )
    weight_grams: int | None = None
    last_carton: bool = strawberry.field(
        default=True,
        description="False to close this carton and go on with another one for the order.",
    )


@strawberry.input
class ShortShipInput:
    session_id: strawberry.ID
    reason: str
    idempotency_key: str


@strawberry.input
class ShipInput:
    order_ids: list[strawberry.ID]
    carrier_code: str
    idempotency_key: str
    service: str | None = None
    tracking_number: str | None = strawberry.field(
        default=None, description="Only for carriers whose numbers come from their own labels."
    )


@strawberry.input
class PrintDocumentInput:
    kind: DocumentKind  # type: ignore[valid-type]
    target: str = strawberry.field(description="An id, or wave-<id> / shipment-<id> for labels.")
    idempotency_key: str
    printer_id: strawberry.ID | None = None
    station: str | None = strawberry.field(
        default=None, description="Print on this station's printer when no printer is named."
    )
    copies: int = 1


@strawberry.input
class PrintJobRefInput:
    job_id: strawberry.ID
    idempotency_key: str


@strawberry.input
class SavePrinterInput:
    name: str
    kind: PrinterConnection
    address: str = strawberry.field(description="CUPS queue name, or host[:port] (port 9100).")
    station: str = ""
    raw: bool = False
    active: bool = True
    warehouse_id: strawberry.ID | None = None


@strawberry.input
class SaveCartonTypeInput:
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    max_weight_grams: int
    tare_weight_grams: int = 0
    active: bool = True


async def _printer_for(
    uow: UnitOfWork, principal: Principal, data: PrintDocumentInput, warehouse_id: int
) -> m.PrinterRow:
    if data.printer_id is not None:
        row = await uow.session.get(m.PrinterRow, parse_id(data.printer_id, "printerId"))
        if row is None or not principal.in_scope(row.warehouse_id):
            raise DomainError(ErrorCode.PRINTER_NOT_FOUND, "No such printer.", "printerId")
        return row
    station = (data.station or "").strip()
    if not station:
        raise DomainError(ErrorCode.INVALID_INPUT, "Choose a printer or a station.", "printerId")
    row = await uow.session.scalar(
        select(m.PrinterRow)
        .where(
            m.PrinterRow.warehouse_id == warehouse_id,
            m.PrinterRow.station == station,
            m.PrinterRow.active.is_(True),
        )
        .order_by(m.PrinterRow.id)
        .limit(1)
    )
    if row is None:
        raise DomainError(
            ErrorCode.PRINTER_NOT_FOUND, f"Station {station} has no printer.", "station"
        )
    return row


# -- mutations ---------------------------------------------------------------------


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
            kind = DocumentKindValue(str(getattr(input.kind, "value", input.kind)))
            target = parse_target(input.target)
            loaded = await load(uow.session, kind, target)  # refuse now what cannot print
            if not principal.in_scope(loaded.warehouse_id):
                raise DomainError(ErrorCode.OUT_OF_SCOPE, "Not a warehouse you work in.", "target")
            printer = await _printer_for(uow, principal, input, loaded.warehouse_id)
            job = await print_queue.enqueue(
                uow.session,
                printer=printer,
                kind=kind,
                target=target,
                warehouse_id=loaded.warehouse_id,
                copies=input.copies,
                lang=principal.locale,
                created_by=principal.user_id,
            )
            return PrintJobSuccess(job=PrintJob.of(await print_queue.job_view(uow.session, job)))

        result = await execute(
            info, input, handle, audit_entity="print_job", audit_id=lambda r: r.job.id
        )
        if isinstance(result, PrintJobSuccess):
            wake_print_worker(info.context.app)
        return result

    @guarded(Perm.PRINT, description="Print a failed (or waiting) job again now.")
    async def retry_print_job(self, info: Info, input: PrintJobRefInput) -> PrintDocumentResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> PrintJobSuccess:
            job = await uow.session.scalar(
                select(m.PrintJob)
                .where(m.PrintJob.id == parse_id(input.job_id, "jobId"))
                .with_for_update()
            )
            if job is None or not principal.in_scope(job.warehouse_id):
                raise DomainError(ErrorCode.PRINT_JOB_NOT_FOUND, "No such print job.", "jobId")
            print_queue.retry_now(job)
            await uow.session.flush()
            return PrintJobSuccess(job=PrintJob.of(await print_queue.job_view(uow.session, job)))

        result = await execute(
            info, input, handle, audit_entity="print_job", audit_id=lambda r: r.job.id
        )
        if isinstance(result, PrintJobSuccess):
            wake_print_worker(info.context.app)
        return result

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Add or change a station's printer.")
    async def save_printer(self, info: Info, input: SavePrinterInput) -> SavePrinterResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SavePrinterSuccess:
            wid = acting_warehouse(principal, input.warehouse_id)
            name = input.name.strip()
            if not name or len(name) > 64:
                raise DomainError(ErrorCode.INVALID_INPUT, "A name of 1–64 characters.", "name")
            address = input.address.strip()
            if not address or len(address) > 200:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, "An address of 1–200 characters.", "address"
                )
            kind = PrinterConnection(input.kind).value
            if kind == m.StationPrinterKind.RAW_TCP:
                print_queue.split_address(address)
            row = await uow.session.scalar(
                select(m.PrinterRow).where(
                    m.PrinterRow.warehouse_id == wid, m.PrinterRow.name == name
                )
            )
            if row is None:
                row = m.PrinterRow(warehouse_id=wid, name=name)
                uow.session.add(row)
            row.kind = kind
            row.address = address
            row.station = input.station.strip()[:40]
            row.raw = input.raw
            row.active = input.active
            await uow.session.flush()
            return SavePrinterSuccess(printer=Printer.of(row))

        return await execute(
            info, input, handle, audit_entity="printer", audit_id=lambda r: r.printer.id
        )

    @guarded(Perm.MASTER_WRITE, idempotent=False, description="Add or change a carton type.")
    async def save_carton_type(
        self, info: Info, input: SaveCartonTypeInput
    ) -> SaveCartonTypeResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> SaveCartonTypeSuccess:
            code = input.code.strip().upper()
            if not code or len(code) > 32:
                raise DomainError(ErrorCode.INVALID_INPUT, "A code of 1–32 characters.", "code")
            name = input.name.strip()
            if not name or len(name) > 120:
                raise DomainError(ErrorCode.INVALID_INPUT, "A name of 1–120 characters.", "name")
            for field, value in (
                ("lengthMm", input.length_mm),
                ("widthMm", input.width_mm),
                ("heightMm", input.height_mm),
            ):
                if not 0 < value <= 10_000:
                    raise DomainError(ErrorCode.INVALID_INPUT, "Sides of 1 mm to 10 m.", field)
            if not 0 < input.max_weight_grams <= 2_000_000:
                raise DomainError(
                    ErrorCode.INVALID_INPUT, "A weight limit of 1 g to 2 t.", "maxWeightGrams"
                )
            if not 0 <= input.tare_weight_grams < input.max_weight_grams:
                raise DomainError(
                    ErrorCode.INVALID_INPUT,
                    "The carton's own weight is below its limit.",
                    "tareWeightGrams",
                )
            row = await uow.session.scalar(select(m.CartonType).where(m.CartonType.code == code))
            if row is None:
                row = m.CartonType(code=code)
                uow.session.add(row)
            row.name = name
            row.length_mm = input.length_mm
            row.width_mm = input.width_mm
            row.height_mm = input.height_mm
            row.max_weight_g = input.max_weight_grams
            row.tare_weight_g = input.tare_weight_grams
            row.active = input.active
            await uow.session.flush()
            return SaveCartonTypeSuccess(carton_type=CartonType.of(row))

        return await execute(
            info, input, handle, audit_entity="carton_type", audit_id=lambda r: r.carton_type.id
        )


# -- queries ---------------------------------------------------------------------------


@strawberry.type
class ShippingQuery:
    @strawberry.field(description="A packing session with its lines and cartons.")
    async def pack_session(self, info: Info, id: strawberry.ID) -> PackSession | None:
        principal = await info.context.require(Perm.PACK)
        try:
            session_id = parse_id(id, "id")
        except DomainError:
            return None
        async with info.context.db() as session:
            row = await session.get(m.PackSession, session_id)
            if row is None or not principal.in_scope(row.warehouse_id):
                return None
            return PackSession.of(await packing.session_view(session, row))

    @strawberry.field
    async def carton_types(self, info: Info, include_inactive: bool = False) -> list[CartonType]:
        await info.context.require(Perm.MASTER_READ)
        stmt = select(m.CartonType).order_by(m.CartonType.code)
        if not include_inactive:
            stmt = stmt.where(m.CartonType.active.is_(True))
        async with info.context.db() as session:
            return [CartonType.of(row) for row in await session.scalars(stmt)]

    @strawberry.field(description="Packed orders waiting at the dock, oldest first.")
    async def ready_to_ship(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        warehouse_id: strawberry.ID | None = None,
    ) -> Connection[PackedOrder]:
        principal = await info.context.require(Perm.SHIP)
        scope = sorted(principal.warehouse_ids)
        if warehouse_id is not None:
            wid = int(warehouse_id) if str(warehouse_id).isdigit() else -1
            scope = [wid] if principal.in_scope(wid) else []
        stmt = select(m.PackSession).where(
            m.PackSession.state == m.PackState.PACKED, m.PackSession.warehouse_id.in_(scope)
        )
        async with info.context.db() as session:
            return await paginate(
                session,
                stmt,
                m.PackSession.id,
                lambda row: PackedOrder(
                    session_id=_id(row.id),
                    order_id=_id(row.order_id),
                    order_ref=row.order_ref,
                    packed_at=row.packed_at,
                ),
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )

    @strawberry.field
    async def shipment(self, info: Info, id: strawberry.ID) -> Shipment | None:
        principal = await info.context.require(Perm.SHIP)
        try:
            shipment_id = parse_id(id, "id")
        except DomainError:
            return None
        async with info.context.db() as session:
            row = await session.get(m.Shipment, shipment_id)
            if row is None or not principal.in_scope(row.warehouse_id):
                return None
            return Shipment.of(await shipping.shipment_view(session, row))

    @strawberry.field(description="Shipments, newest last (keyset pages by id).")
    async def shipments(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[Shipment]:
        principal = await info.context.require(Perm.SHIP)
        stmt = select(m.Shipment).where(m.Shipment.warehouse_id.in_(principal.warehouse_ids))
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.Shipment.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            for edge in page.edges:
                edge.node = Shipment.of(await shipping.shipment_view(session, edge.node))
            return page  # type: ignore[return-value]

    @strawberry.field
    async def printers(self, info: Info, station: str | None = None) -> list[Printer]:
        principal = await info.context.require(Perm.PRINT)
        stmt = select(m.PrinterRow).where(m.PrinterRow.warehouse_id.in_(principal.warehouse_ids))
        if station:
            stmt = stmt.where(m.PrinterRow.station == station.strip())
        async with info.context.db() as session:
            return [
                Printer.of(row) for row in await session.scalars(stmt.order_by(m.PrinterRow.id))
            ]

    @strawberry.field(description="Print jobs with their status, oldest first.")
    async def print_jobs(
        self,
        info: Info,
        first: int = 50,
        after: str | None = None,
        state: str | None = None,
        printer_id: strawberry.ID | None = None,
    ) -> Connection[PrintJob]:
        principal = await info.context.require(Perm.PRINT)
        stmt = select(m.PrintJob).where(m.PrintJob.warehouse_id.in_(principal.warehouse_ids))
        if state:
            stmt = stmt.where(m.PrintJob.state == state.strip().upper())
        if printer_id is not None:
            pid = int(printer_id) if str(printer_id).isdigit() else -1
            stmt = stmt.where(m.PrintJob.printer_id == pid)
        async with info.context.db() as session:
            page = await paginate(
                session,
                stmt,
                m.PrintJob.id,
                lambda row: row,
                first=first,
                after=after,
                max_page_size=info.context.app.settings.max_page_size,
            )
            for edge in page.edges:
                edge.node = PrintJob.of(await print_queue.job_view(session, edge.node))
            return page  # type: ignore[return-value]
