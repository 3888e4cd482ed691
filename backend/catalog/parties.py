"""Suppliers, customers and carriers: who goods come from, go to, and travel with.

Saved by code (create when new, update when known); retired by `active`, never
deleted, because orders and receipts name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.catalog.checks import Problem, check_code, check_range, raise_first
from backend.core.db import models as m
from backend.core.db.models.outbound import OrderState
from backend.core.errors import DomainError, ErrorCode


class PartyKind(StrEnum):
    SUPPLIER = "SUPPLIER"
    CUSTOMER = "CUSTOMER"
    CARRIER = "CARRIER"


MODELS: dict[PartyKind, Any] = {
    PartyKind.SUPPLIER: m.Supplier,
    PartyKind.CUSTOMER: m.Customer,
    PartyKind.CARRIER: m.Carrier,
}
NOT_FOUND = {
    PartyKind.SUPPLIER: ErrorCode.SUPPLIER_NOT_FOUND,
    PartyKind.CUSTOMER: ErrorCode.CUSTOMER_NOT_FOUND,
    PartyKind.CARRIER: ErrorCode.CARRIER_NOT_FOUND,
}
# The adapters backend/outbound/shipping/carriers.py installs (a test keeps them equal).
ADAPTERS = ("own_fleet", "manual")
MAX_SERVICES = 40
SERVICE_CODE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@dataclass(frozen=True)
class PartySpec:
    kind: PartyKind
    code: str
    name: str
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    address: dict[str, Any] = field(default_factory=dict)
    payment_terms: str = ""
    rating: int | None = None
    active: bool = True
    # suppliers
    lead_time_days: int = 7
    # customers
    credit_limit_cents: int | None = None
    min_shelf_life_days: int = 0
    # carriers: the adapter that talks to it and its services (code → name)
    adapter: str = "own_fleet"
    # In the order given: the first is the service a shipment gets when none is named.
    services: tuple[tuple[str, str], ...] = ()


def parse_services(entries: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``CODE:Name`` entries (the API's and the import's form) as (code, name) pairs."""
    pairs = []
    for entry in entries:
        code, _, label = entry.partition(":")
        code = code.strip().upper()
        pairs.append((code, label.strip() or code))
    return tuple(pairs)


def carrier_services(stored: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A carrier's services, in order, from its ``services`` column.

    Stored as ``{"services": [codes], "names": {code: name}}``: a list because
    PostgreSQL's JSONB does not keep key order and the first service is the
    default. Rows written as a bare ``{code: name}`` mapping are read too.
    """
    raw = stored or {}
    codes = raw.get("services")
    if isinstance(codes, list):
        names = raw.get("names")
        named: dict[str, Any] = names if isinstance(names, dict) else {}
        return [(str(c), str(named.get(c) or c)) for c in codes]
    return [(str(c), str(n)) for c, n in sorted(raw.items())]


def services_column(services: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {"services": [c for c, _ in services], "names": dict(services)}


def _check_services(services: Sequence[tuple[str, str]], problems: list[Problem]) -> None:
    if len(services) > MAX_SERVICES:
        problems.append(
            Problem("services", ErrorCode.INVALID_INPUT, f"At most {MAX_SERVICES} services.")
        )
    seen: set[str] = set()
    for code, name in services:
        if not code or len(code) > 32 or not set(code) <= SERVICE_CODE_CHARS:
            problems.append(
                Problem(
                    "services",
                    ErrorCode.INVALID_INPUT,
                    f"Service code {code!r}: 1 to 32 letters, digits, '_' or '-'.",
                )
            )
        elif code in seen:
            problems.append(
                Problem("services", ErrorCode.DUPLICATE, f"Service {code} is listed twice.")
            )
        elif len(name) > 80:
            problems.append(
                Problem("services", ErrorCode.INVALID_INPUT, f"Service {code}: name too long.")
            )
        seen.add(code)


def check_party(spec: PartySpec) -> list[Problem]:
    problems: list[Problem] = []
    check_code(spec.code, "code", problems, 32)
    check_code(spec.name, "name", problems, 200)
    check_range(spec.rating, "rating", problems, 1, 5)
    check_range(spec.lead_time_days, "leadTimeDays", problems, 0, 365)
    check_range(spec.credit_limit_cents, "creditLimitCents", problems, 0, 10**15)
    check_range(spec.min_shelf_life_days, "minShelfLifeDays", problems, 0, 36500)
    if spec.email and "@" not in spec.email:
        problems.append(
            Problem("email", ErrorCode.INVALID_INPUT, f"{spec.email!r} is not an e-mail address.")
        )
    if spec.kind is PartyKind.CARRIER:
        if spec.adapter not in ADAPTERS:
            problems.append(
                Problem(
                    "adapter",
                    ErrorCode.INVALID_INPUT,
                    f"adapter must be one of {', '.join(ADAPTERS)}.",
                )
            )
        _check_services(spec.services, problems)
    return problems


def _columns(spec: PartySpec) -> dict[str, Any]:
    common: dict[str, Any] = {
        "code": spec.code.strip(),
        "name": spec.name.strip(),
        "active": spec.active,
    }
    if spec.kind is PartyKind.CARRIER:
        return {**common, "adapter": spec.adapter, "services": services_column(spec.services)}
    common |= {
        "email": spec.email,
        "address": dict(spec.address),
        "contact_name": spec.contact_name,
        "phone": spec.phone,
        "payment_terms": spec.payment_terms,
        "rating": spec.rating,
    }
    if spec.kind is PartyKind.SUPPLIER:
        return {**common, "lead_time_days": spec.lead_time_days}
    return {
        **common,
        "credit_limit_cents": spec.credit_limit_cents,
        "min_shelf_life_days": spec.min_shelf_life_days,
    }


async def existing_codes(
    session: AsyncSession, kind: PartyKind, codes: Sequence[str]
) -> dict[str, int]:
    model = MODELS[kind]
    if not codes:
        return {}
    rows = await session.execute(
        select(model.code, model.id).where(model.code.in_(sorted(set(codes))))
    )
    return dict(rows.all())


async def write_parties(
    session: AsyncSession, kind: PartyKind, specs: Sequence[PartySpec], existing: dict[str, int]
) -> None:
    model = MODELS[kind]
    new = [_columns(s) for s in specs if s.code.strip() not in existing]
    if new:
        await session.execute(insert(model), new)
    for spec in specs:
        if spec.code.strip() in existing:
            await session.execute(
                update(model)
                .where(model.id == existing[spec.code.strip()])
                .values(**_columns(spec))
            )


async def save_party(session: AsyncSession, spec: PartySpec, *, create: bool) -> Any:
    """Create (refused when the code exists) or update (refused when unknown)."""
    raise_first(check_party(spec))
    existing = await existing_codes(session, spec.kind, [spec.code.strip()])
    if create and existing:
        raise DomainError(ErrorCode.DUPLICATE, f"Code {spec.code} is taken.", "code")
    if not create and not existing:
        raise DomainError(NOT_FOUND[spec.kind], f"No {spec.kind.lower()} {spec.code}.", "code")
    await write_parties(session, spec.kind, [spec], existing)
    model = MODELS[spec.kind]
    row = await session.scalar(
        select(model)
        .where(model.code == spec.code.strip())
        .execution_options(populate_existing=True)
    )
    assert row is not None
    return row


async def set_party_active(session: AsyncSession, kind: PartyKind, code: str, active: bool) -> Any:
    model = MODELS[kind]
    row = await session.scalar(select(model).where(model.code == code.strip()))
    if row is None:
        raise DomainError(NOT_FOUND[kind], f"No {kind.lower()} {code}.", "code")
    row.active = active
    await session.flush()
    return row


# An order on credit hold is not exposure yet: it was not accepted.
OPEN_ORDER_STATES = tuple(
    s
    for s in OrderState
    if s not in (OrderState.SHIPPED, OrderState.CANCELLED, OrderState.CREDIT_HOLD)
)


async def customer_exposure(session: AsyncSession, customer_ids: Sequence[int]) -> dict[int, int]:
    """What each customer's open orders are worth, in cents at item unit cost
    (orders carry no prices here); shipped and cancelled orders are not exposure."""
    if not customer_ids:
        return {}
    rows = await session.execute(
        select(
            m.SalesOrder.customer_id,
            func.coalesce(func.sum(m.SalesOrderLine.quantity * m.Item.unit_cost_cents), 0),
        )
        .join(m.SalesOrderLine, m.SalesOrderLine.order_id == m.SalesOrder.id)
        .join(m.Item, m.Item.id == m.SalesOrderLine.item_id)
        .where(
            m.SalesOrder.customer_id.in_(sorted(set(customer_ids))),
            m.SalesOrder.state.in_([s.value for s in OPEN_ORDER_STATES]),
        )
        .group_by(m.SalesOrder.customer_id)
    )
    found = {cid: int(value) for cid, value in rows.all()}
    return {cid: found.get(cid, 0) for cid in customer_ids}
