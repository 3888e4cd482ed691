# mypy: disable-error-code="valid-type"
"""GraphQL inputs and results of the office's sales-order desk: editing before release,
credit-hold decisions and the web shop's order intake."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from backend.core.auth.principal import Principal
from backend.core.db import models as m
from backend.core.ids import parse_id
from backend.core.scope import acting_warehouse
from backend.outbound import orders as sales
from backend.outbound.order_edits import OrderEdit
from backend.schema.errors import result_union
from backend.schema.outbound.types import (
    SalesOrder,
    SalesOrderLineInput,
    ShipToInput,
    ship_to_of,
)


@strawberry.input(description="Change an order before release; fields left out stay as they are.")
class UpdateSalesOrderInput:
    order_id: strawberry.ID
    lines: list[SalesOrderLineInput] | None = strawberry.field(
        default=None, description="The order's lines from now on (all of them)."
    )
    priority: int | None = None
    promised_date: date | None = None
    clear_promised_date: bool = False
    ship_to: ShipToInput | None = None
    idempotency_key: str | None = None


@strawberry.input
class CreditDecisionInput:
    order_id: strawberry.ID
    idempotency_key: str | None = None


@strawberry.input(description="An order from a web shop. The idempotency key is required.")
class SubmitShopOrderInput:
    number: str
    customer_code: str
    lines: list[SalesOrderLineInput]
    idempotency_key: str
    channel: str = "WEB"
    priority: int = 5
    promised_date: date | None = None
    cutoff_at: datetime | None = None
    carrier_code: str | None = None
    service: str = ""
    ship_to: ShipToInput | None = None
    warehouse_id: strawberry.ID | None = None


@strawberry.type
class UpdateSalesOrderSuccess:
    order: SalesOrder


@strawberry.type
class CreditDecisionSuccess:
    order: SalesOrder


@strawberry.type
class ShopOrderSuccess:
    order: SalesOrder
    credit_hold: bool = strawberry.field(
        description="Held over the customer's credit limit: nothing reserved yet."
    )


UpdateSalesOrderResult = result_union("UpdateSalesOrderResult", UpdateSalesOrderSuccess)
CreditDecisionResult = result_union("CreditDecisionResult", CreditDecisionSuccess)
ShopOrderResult = result_union("ShopOrderResult", ShopOrderSuccess)


def edit_of(data: UpdateSalesOrderInput) -> OrderEdit:
    return OrderEdit(
        order_id=parse_id(data.order_id, "orderId"),
        lines=None
        if data.lines is None
        else tuple(sales.NewLine(line.item_sku, line.quantity) for line in data.lines),
        priority=data.priority,
        promised_date=data.promised_date,
        clear_promised_date=data.clear_promised_date,
        ship_to=None if data.ship_to is None else ship_to_of(data.ship_to),
    )


def shop_order(
    principal: Principal, data: SubmitShopOrderInput, webhook_urls: tuple[str, ...]
) -> sales.NewSalesOrder:
    return sales.NewSalesOrder(
        warehouse_id=acting_warehouse(principal, data.warehouse_id),
        number=data.number,
        customer_code=data.customer_code,
        lines=tuple(sales.NewLine(line.item_sku, line.quantity) for line in data.lines),
        carrier_code=data.carrier_code,
        service=data.service,
        channel=data.channel,
        priority=data.priority,
        cutoff_at=data.cutoff_at,
        ship_to=ship_to_of(data.ship_to),
        promised_date=data.promised_date,
        source=m.OrderSource.SHOP,
        webhook_urls=webhook_urls,
    )
