# mypy: disable-error-code="valid-type"
# (result unions are built by `result_union` at import time; mypy cannot see them as types)
"""Customer return types, inputs and their mapping from backend/inbound/returns.py."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend.core.db.models import Disposition, ReturnState
from backend.inbound.returns import (
    ReturnableLine as ReturnableLineView,
)
from backend.inbound.returns import (
    ReturnableShipment as ReturnableShipmentView,
)
from backend.inbound.returns import ReturnLineView, ReturnUnitView, ReturnView
from backend.schema.errors import result_union

ReturnStateEnum = strawberry.enum(ReturnState, name="ReturnState")
DispositionEnum = strawberry.enum(
    Disposition,
    name="ReturnDisposition",
    description="What becomes of a returned unit.",
)


@strawberry.type
class ReturnLine:
    id: strawberry.ID
    line_no: int
    sku: str
    lot_number: str | None
    quantity: int = strawberry.field(description="Units authorised to come back.")
    received: int
    serials: list[str]

    @classmethod
    def of(cls, line: ReturnLineView) -> ReturnLine:
        return cls(
            id=strawberry.ID(str(line.id)),
            line_no=line.line_no,
            sku=line.sku,
            lot_number=line.lot_number,
            quantity=line.quantity,
            received=line.received,
            serials=list(line.serials),
        )


@strawberry.type(description="One unit that arrived, waiting for or given its disposition.")
class ReturnUnit:
    id: strawberry.ID
    line_id: strawberry.ID
    sku: str
    lot_number: str | None
    serial: str | None
    bin_code: str = strawberry.field(description="Where it arrived (the dock).")
    status: str
    disposition: DispositionEnum | None
    to_bin_code: str | None
    note: str

    @classmethod
    def of(cls, unit: ReturnUnitView) -> ReturnUnit:
        return cls(
            id=strawberry.ID(str(unit.id)),
            line_id=strawberry.ID(str(unit.line_id)),
            sku=unit.sku,
            lot_number=unit.lot_number,
            serial=unit.serial,
            bin_code=unit.bin_code,
            status=unit.status,
            disposition=Disposition(unit.disposition) if unit.disposition else None,
            to_bin_code=unit.to_bin_code,
            note=unit.note,
        )


@strawberry.type(description="A customer return (RMA) against one shipped order.")
class CustomerReturn:
    id: strawberry.ID
    number: str = strawberry.field(description="RMA-000007: printed on the return label.")
    warehouse_id: strawberry.ID
    shipment_id: strawberry.ID
    tracking_number: str
    order_id: strawberry.ID
    order_number: str
    customer_code: str
    state: ReturnStateEnum
    reason: str
    receipt_id: strawberry.ID | None
    credit_reference: str | None = strawberry.field(
        description="Set once every authorised unit arrived and was decided; sent to the "
        "shipment webhooks as a `return` event."
    )
    created_at: datetime
    credited_at: datetime | None
    lines: list[ReturnLine]
    units: list[ReturnUnit]

    @classmethod
    def of(cls, view: ReturnView) -> CustomerReturn:
        return cls(
            id=strawberry.ID(str(view.id)),
            number=view.number,
            warehouse_id=strawberry.ID(str(view.warehouse_id)),
            shipment_id=strawberry.ID(str(view.shipment_id)),
            tracking_number=view.tracking_number,
            order_id=strawberry.ID(str(view.order_id)),
            order_number=view.order_number,
            customer_code=view.customer_code,
            state=ReturnState(view.state),
            reason=view.reason,
            receipt_id=strawberry.ID(str(view.receipt_id)) if view.receipt_id else None,
            credit_reference=view.credit_reference,
            created_at=view.created_at,
            credited_at=view.credited_at,
            lines=[ReturnLine.of(line) for line in view.lines],
            units=[ReturnUnit.of(unit) for unit in view.units],
        )


@strawberry.type(
    description="A shipped item (and lot) of one order, and how much may still come back."
)
class ReturnableLine:
    sku: str
    item_name: str
    lot_number: str | None
    shipped: int
    authorised: int = strawberry.field(description="Already on returns not cancelled.")
    returnable: int
    serials: list[str] = strawberry.field(
        description="Serials that left in this shipment and are on no return yet."
    )

    @classmethod
    def of(cls, line: ReturnableLineView) -> ReturnableLine:
        return cls(
            sku=line.sku,
            item_name=line.item_name,
            lot_number=line.lot_number,
            shipped=line.shipped,
            authorised=line.authorised,
            returnable=line.returnable,
            serials=list(line.serials),
        )


@strawberry.type(description="One order a shipment carried, with what may still come back.")
class ReturnableShipment:
    shipment_id: strawberry.ID
    warehouse_id: strawberry.ID
    tracking_number: str
    waybill_no: str
    shipped_at: datetime
    order_id: strawberry.ID
    order_number: str
    customer_code: str
    lines: list[ReturnableLine]

    @classmethod
    def of(cls, view: ReturnableShipmentView) -> ReturnableShipment:
        return cls(
            shipment_id=strawberry.ID(str(view.shipment_id)),
            warehouse_id=strawberry.ID(str(view.warehouse_id)),
            tracking_number=view.tracking_number,
            waybill_no=view.waybill_no,
            shipped_at=view.shipped_at,
            order_id=strawberry.ID(str(view.order_id)),
            order_number=view.order_number,
            customer_code=view.customer_code,
            lines=[ReturnableLine.of(line) for line in view.lines],
        )


@strawberry.input
class ReturnLineInput:
    sku: str
    quantity: int
    lot_number: str | None = None
    serials: list[str] | None = strawberry.field(
        default=None, description="For serialised items: exactly the returned units' serials."
    )


@strawberry.input
class AuthoriseReturnInput:
    shipment_id: strawberry.ID
    lines: list[ReturnLineInput]
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="Needed when the shipment carried several orders."
    )
    reason: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class ReceiveReturnInput:
    return_id: strawberry.ID
    code: str = strawberry.field(description="The goods' barcode (GTIN or GS1 with lot/serial).")
    quantity: int | None = None
    lot_number: str | None = None
    serial_number: str | None = None
    damaged: bool = False
    idempotency_key: str | None = None


@strawberry.input
class DecideReturnUnitInput:
    unit_id: strawberry.ID
    disposition: DispositionEnum
    bin_code: str | None = strawberry.field(
        default=None, description="Scanned bin: required to restock, optional to quarantine."
    )
    note: str | None = None
    idempotency_key: str | None = None


@strawberry.type
class CustomerReturnSuccess:
    customer_return: CustomerReturn


@strawberry.type
class ReceiveReturnSuccess:
    customer_return: CustomerReturn
    sku: str
    quantity: int
    serial: str | None
    status: str = strawberry.field(description="QUARANTINE, or DAMAGED when marked so.")


@strawberry.type
class DecideReturnUnitSuccess:
    customer_return: CustomerReturn
    unit: ReturnUnit
    credited: bool = strawberry.field(description="This decision completed the return.")


CustomerReturnResult = result_union("CustomerReturnResult", CustomerReturnSuccess)
ReceiveReturnResult = result_union("ReceiveReturnResult", ReceiveReturnSuccess)
DecideReturnUnitResult = result_union("DecideReturnUnitResult", DecideReturnUnitSuccess)
