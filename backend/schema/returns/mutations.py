# mypy: disable-error-code="valid-type"
"""Customer return mutations: parse the input, call one domain function, map."""

from __future__ import annotations

import strawberry

from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db.models import Disposition
from backend.core.db.uow import UnitOfWork
from backend.core.ids import parse_id
from backend.inbound import returns
from backend.outbound.shipping.webhooks import schedule_delivery
from backend.schema.context import Info
from backend.schema.mutation import execute, guarded
from backend.schema.returns.types import (
    AuthoriseReturnInput,
    CustomerReturn,
    CustomerReturnResult,
    CustomerReturnSuccess,
    DecideReturnUnitInput,
    DecideReturnUnitResult,
    DecideReturnUnitSuccess,
    ReceiveReturnInput,
    ReceiveReturnResult,
    ReceiveReturnSuccess,
    ReturnUnit,
)


@strawberry.type
class ReturnMutations:
    @guarded(
        Perm.ORDER_MANAGE,
        description="Authorise a customer return against a shipment: never more than was "
        "shipped (earlier returns counted), only serials that left in it.",
    )
    async def authorise_return(
        self, info: Info, input: AuthoriseReturnInput
    ) -> CustomerReturnResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> CustomerReturnSuccess:
            view = await returns.authorise_return(
                uow,
                principal,
                shipment_id=parse_id(input.shipment_id, "shipmentId"),
                order_id=parse_id(input.order_id, "orderId") if input.order_id else None,
                lines=[
                    returns.ReturnLineRequest(
                        sku=line.sku,
                        quantity=line.quantity,
                        lot_number=line.lot_number,
                        serials=tuple(line.serials or ()),
                    )
                    for line in input.lines
                ],
                reason=input.reason,
            )
            return CustomerReturnSuccess(customer_return=CustomerReturn.of(view))

        return await execute(
            info,
            input,
            handle,
            audit_entity="customer_return",
            audit_id=lambda r: r.customer_return.id,
        )

    @guarded(
        Perm.RECEIVE,
        description="Scan returned goods on the handheld: checked against the return, "
        "received quarantined on the dock (serials back in stock), one unit per disposition.",
    )
    async def receive_return(self, info: Info, input: ReceiveReturnInput) -> ReceiveReturnResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> ReceiveReturnSuccess:
            outcome = await returns.receive_return(
                uow,
                principal,
                return_id=parse_id(input.return_id, "returnId"),
                code=input.code,
                quantity=input.quantity,
                lot_number=input.lot_number,
                serial_number=input.serial_number,
                damaged=input.damaged,
            )
            return ReceiveReturnSuccess(
                customer_return=CustomerReturn.of(outcome.view),
                sku=outcome.sku,
                quantity=outcome.quantity,
                serial=outcome.serial,
                status=outcome.status,
            )

        return await execute(
            info,
            input,
            handle,
            audit_entity="customer_return",
            audit_id=lambda r: r.customer_return.id,
        )

    @guarded(
        Perm.QC_INSPECT,
        description="Decide one returned unit once: restock to a bin, quarantine, scrap or "
        "return to vendor. The last decision credits the return (webhook `return`).",
    )
    async def decide_return_unit(
        self, info: Info, input: DecideReturnUnitInput
    ) -> DecideReturnUnitResult:
        async def handle(uow: UnitOfWork, principal: Principal) -> DecideReturnUnitSuccess:
            decided = await returns.decide_unit(
                uow,
                principal,
                unit_id=parse_id(input.unit_id, "unitId"),
                disposition=Disposition(
                    str(getattr(input.disposition, "value", input.disposition))
                ),
                bin_code=input.bin_code,
                note=input.note,
                settings=info.context.app.settings.shipping,
            )
            return DecideReturnUnitSuccess(
                customer_return=CustomerReturn.of(decided.view),
                unit=ReturnUnit.of(decided.unit),
                credited=decided.credited,
            )

        result = await execute(
            info,
            input,
            handle,
            audit_entity="customer_return",
            audit_id=lambda r: r.customer_return.id,
        )
        if isinstance(result, DecideReturnUnitSuccess) and result.credited:
            schedule_delivery(info.context.app)  # the credit's outbox rows committed
        return result
