# mypy: disable-error-code="valid-type"
"""Packing, shipping and printing: strawberry types, inputs and results, with their mappers."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from backend.core.db import models as m
from backend.documents import queue as print_queue
from backend.outbound.packing import service as packing
from backend.outbound.shipping import dock
from backend.outbound.shipping import service as shipping
from backend.printing.documents import DocumentKind as DocumentKindValue
from backend.schema.errors import result_union

DocumentKind = strawberry.enum(DocumentKindValue, name="DocumentKind")


@strawberry.enum
class PrinterConnection(Enum):
    CUPS = "CUPS"
    RAW_TCP = "RAW_TCP"


def _id(value: int) -> strawberry.ID:
    return strawberry.ID(str(value))


def document_url(kind: str, target: str | int) -> str:
    return f"/documents/{kind}/{target}.pdf"


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
class DockCarton:
    """A closed carton waiting at the dock, as its SSCC label names it."""

    id: strawberry.ID
    carton_no: int
    sscc: str
    weight_grams: int | None
    label_url: str = strawberry.field(description="The carton (contents) label PDF.")


@strawberry.type
class PackedOrder:
    """An order packed and waiting at the dock for its carrier."""

    session_id: strawberry.ID
    order_id: strawberry.ID
    order_ref: str
    packed_at: datetime | None
    warehouse_id: strawberry.ID
    carrier_code: str | None = strawberry.field(
        description="The carrier the order leaves with (none: the shipper chooses one)."
    )
    carrier_name: str | None
    service: str
    cartons: list[DockCarton]

    @classmethod
    def of(cls, v: dock.DockOrder) -> PackedOrder:
        return cls(
            session_id=_id(v.session_id),
            order_id=_id(v.order_id),
            order_ref=v.order_ref,
            packed_at=v.packed_at,
            warehouse_id=_id(v.warehouse_id),
            carrier_code=v.carrier_code,
            carrier_name=v.carrier_name,
            service=v.service,
            cartons=[
                DockCarton(
                    id=_id(c.carton_id),
                    carton_no=c.carton_no,
                    sscc=c.sscc,
                    weight_grams=c.weight_g,
                    label_url=document_url("carton_label", c.carton_id),
                )
                for c in v.cartons
            ],
        )


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
    # Optional, as for the other desk inputs: a resend with the key gets the first answer.
    idempotency_key: str | None = None


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
    idempotency_key: str | None = None


DockOrderResult = result_union("DockOrderResult", PackedOrder)
