"""Business errors as schema types: every one implements UserError."""

from __future__ import annotations

from typing import Annotated, Any, Union

import strawberry

from backend.core.errors import DomainError, ErrorCategory, ErrorCode, category_of

# Registers the domain's enum with the schema (strawberry marks the class itself).
strawberry.enum(
    ErrorCode,
    name="ErrorCode",
    description="Stable codes of refusals; clients translate them. Never renamed.",
)


@strawberry.interface(description="A refusal the user can act on; `code` is stable.")
class UserError:
    code: ErrorCode
    message: str
    field: str | None = None


@strawberry.type(description="Malformed or implausible input: quantities, keys, formats.")
class InputError(UserError):
    pass


@strawberry.type(description="A scan that could not be read or is not the expected kind.")
class ScanError(UserError):
    pass


@strawberry.type
class NotFoundError(UserError):
    pass


@strawberry.type(description="The stock does not allow it: not enough, wrong bin, item or lot.")
class StockError(UserError):
    pass


@strawberry.type(description="The object is in a state that forbids it, or someone else holds it.")
class StateError(UserError):
    pass


@strawberry.type
class AuthError(UserError):
    pass


@strawberry.type
class PermissionDenied(UserError):
    pass


ERROR_TYPES: tuple[type[UserError], ...] = (
    InputError,
    ScanError,
    NotFoundError,
    StockError,
    StateError,
    AuthError,
    PermissionDenied,
)

_TYPE_OF: dict[ErrorCategory, type[UserError]] = {
    ErrorCategory.INPUT: InputError,
    ErrorCategory.SCAN: ScanError,
    ErrorCategory.NOT_FOUND: NotFoundError,
    ErrorCategory.STOCK: StockError,
    ErrorCategory.STATE: StateError,
    ErrorCategory.AUTH: AuthError,
    ErrorCategory.PERMISSION: PermissionDenied,
}


def error_type_for(code: ErrorCode) -> type[UserError]:
    return _TYPE_OF[category_of(code)]


def to_user_error(error: DomainError) -> UserError:
    cls = error_type_for(error.code)
    return cls(code=error.code, message=error.message, field=error.field)


SUCCESS_TYPES: dict[str, type] = {}


def result_union(name: str, success: type) -> Any:
    """`<success> | <every error type>` as a named union, e.g. CreateTaskResult."""
    SUCCESS_TYPES[success.__name__] = success
    members = (success, *ERROR_TYPES)
    return Annotated[Union[members], strawberry.union(name)]  # noqa: UP007
