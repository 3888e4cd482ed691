"""The one way a mutation runs: authenticate, check the permission, honour the
idempotency key, run the handler in one unit of work, audit, commit.

Declaring a mutation with `guarded(...)` records its permission, which the
authorization test reads to build its matrix: a new mutation is covered
automatically.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import strawberry
from sqlalchemy.exc import IntegrityError, StatementError
from strawberry.utils.str_converters import to_camel_case

from backend.core import audit, idempotency
from backend.core.auth.permissions import Perm
from backend.core.auth.principal import Principal
from backend.core.db import violations
from backend.core.db.uow import UnitOfWork
from backend.core.errors import DomainError, ErrorCode
from backend.schema.context import Info
from backend.schema.errors import SUCCESS_TYPES, PermissionDenied, UserError, to_user_error
from backend.schema.replay import decode, encode

log = logging.getLogger(__name__)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class MutationSpec:
    permission: Perm | None  # None: open to anyone (sign-in)
    idempotent: bool


MUTATIONS: dict[str, MutationSpec] = {}


def guarded(
    permission: Perm | None, *, idempotent: bool = True, description: str | None = None
) -> Callable[[F], Any]:
    def wrap(fn: F) -> Any:
        MUTATIONS[to_camel_case(fn.__name__)] = MutationSpec(permission, idempotent)
        return strawberry.mutation(description=description)(fn)

    return wrap


Handler = Callable[[UnitOfWork, Principal], Awaitable[T]]


_request_hash = idempotency.request_hash


def _input_payload(data: Any) -> tuple[str | None, dict[str, Any]]:
    payload = encode(data) if dataclasses.is_dataclass(data) else dict(data or {})
    key = payload.pop("idempotency_key", None)
    return key, payload


async def _replayed(
    uow: UnitOfWork, principal: Principal, key: str, operation: str, request_hash: str
) -> Any | None:
    stored = await idempotency.earlier_answer(
        uow.session, principal.user_id, key, operation, request_hash
    )
    if stored is None:
        return None
    return decode(SUCCESS_TYPES[stored["type"]], stored["data"])


def _refused_up_front(
    spec: MutationSpec, principal: Principal, key: str | None
) -> UserError | None:
    """A role without the permission, or a handheld request without its key."""
    if spec.permission is not None and not principal.can(spec.permission):
        return PermissionDenied(
            code=ErrorCode.PERMISSION_DENIED,
            message=f"Your role may not do this ({spec.permission.value}).",
        )
    if spec.idempotent and not key:
        return to_user_error(
            DomainError(
                ErrorCode.IDEMPOTENCY_KEY_REQUIRED,
                "Handheld requests need an idempotency key.",
                "idempotencyKey",
            )
        )
    return None


async def execute(
    info: Info,
    data: Any,
    handler: Handler[T],
    *,
    audit_entity: str | None = None,
    audit_id: Callable[[T], object] | None = None,
    before: Callable[[Principal], Awaitable[None]] | None = None,
) -> T | UserError:
    """Run `handler` in one unit of work with authorization, idempotency and audit.

    `before` runs first, outside the unit of work, for slow work (planning, say)
    so that no lock is held while it computes; its DomainErrors come out like the
    handler's. It also runs before a replay is detected, so whatever it writes
    must be in its own short transactions and harmless to repeat.
    """
    operation = info.field_name
    spec = MUTATIONS[operation]
    ctx = info.context
    principal = await ctx.require_principal()
    key, payload = _input_payload(data)
    refused = _refused_up_front(spec, principal, key)
    if refused is not None:
        return refused
    request_hash = _request_hash(operation, payload)
    if before is not None:
        try:
            await before(principal)
        except DomainError as error:
            return to_user_error(error)
    for attempt in (1, 2):
        try:
            async with ctx.app.unit_of_work() as uow:
                if key:
                    earlier = await _replayed(uow, principal, key, operation, request_hash)
                    if earlier is not None:
                        return earlier  # type: ignore[no-any-return]
                result = await handler(uow, principal)
                if key:
                    idempotency.remember(
                        uow.session,
                        principal.user_id,
                        key,
                        operation,
                        request_hash,
                        {"type": type(result).__name__, "data": encode(result)},
                    )
                audit.record(
                    uow.session,
                    principal,
                    operation,
                    entity=audit_entity,
                    entity_id=audit_id(result) if audit_id else None,
                    detail={"input": payload, "key": key},
                    warehouse_id=audit.warehouse_of(
                        principal, uow.warehouse_id, uow.event_warehouses
                    ),
                )
                await uow.commit()
                return result
        except DomainError as error:
            return to_user_error(error)
        except StatementError as exc:
            # A concurrent twin with the same key committed first: run again to replay
            # its answer (or, for another unique key, to meet the handler's own check).
            if isinstance(exc, IntegrityError) and key and attempt == 1:
                continue
            # What only the database could refuse (a duplicate, an unknown reference,
            # a value out of range) is the caller's doing: a typed error. The rest
            # reaches the error boundary (backend/schema/boundary.py).
            by_database = violations.refusal(exc)
            if by_database is None:
                raise
            log.info("%s refused by the database: %s", operation, by_database.code.value)
            return to_user_error(by_database)
    raise RuntimeError("unreachable")
