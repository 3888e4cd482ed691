"""The office's list of sales orders: filtered by state, priority, channel, customer,
promised date and number, limited to the caller's warehouses (a read: it writes
nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from backend.core.db import models as m
from backend.core.scope import ReadScope


@dataclass(frozen=True)
class OrderFilter:
    scope: ReadScope
    states: tuple[str, ...] = ()
    priority: int | None = None
    channel: str | None = None
    customer_code: str | None = None
    promised_from: date | None = None
    promised_to: date | None = None
    search: str | None = None


def _like(text: str) -> str:
    """A case-insensitive 'contains' pattern; the user's % and _ match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def order_list_query(f: OrderFilter) -> Select[Any]:
    """The orders `f` asks for (a range that ends before it starts finds none)."""
    stmt = select(m.SalesOrder).where(f.scope.clause(m.SalesOrder.warehouse_id))
    if f.states:
        stmt = stmt.where(m.SalesOrder.state.in_(f.states))
    if f.priority is not None:
        stmt = stmt.where(m.SalesOrder.priority == f.priority)
    if f.channel and f.channel.strip():
        stmt = stmt.where(m.SalesOrder.channel == f.channel.strip().upper())
    if f.customer_code and f.customer_code.strip():
        stmt = stmt.join(m.Customer, m.Customer.id == m.SalesOrder.customer_id).where(
            m.Customer.code == f.customer_code.strip()
        )
    if f.promised_from is not None:
        stmt = stmt.where(m.SalesOrder.promised_date >= f.promised_from)
    if f.promised_to is not None:
        stmt = stmt.where(m.SalesOrder.promised_date <= f.promised_to)
    if f.search and f.search.strip():
        stmt = stmt.where(
            func.lower(m.SalesOrder.number).like(_like(f.search.strip()[:40]), escape="\\")
        )
    return stmt
