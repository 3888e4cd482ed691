"""Business errors as schema types: every one implements UserError."""

from __future__ import annotations

from typing import Annotated, Any, Union

import strawberry

from backend.core.errors import DomainError, ErrorCode


@strawberry.interface(description="A refusal the user can act on; `code` is stable.")
class UserError:
    code: str
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

_STOCK = {
    ErrorCode.INSUFFICIENT_STOCK,
    ErrorCode.OVER_RESERVE,
    ErrorCode.WRONG_BIN,
    ErrorCode.WRONG_ITEM,
    ErrorCode.WRONG_LOT,
    ErrorCode.LOT_REQUIRED,
    ErrorCode.SERIAL_REQUIRED,
    ErrorCode.SERIAL_IN_STOCK,
    ErrorCode.EXPIRY_REQUIRED,
    ErrorCode.OVER_PICK,
    ErrorCode.WRONG_TOTE,
    ErrorCode.OVER_PACK,
    ErrorCode.WRONG_SERIAL,
    ErrorCode.SERIAL_ALREADY_PACKED,
}
_STATE = {
    ErrorCode.INVALID_STATE,
    ErrorCode.TASK_HELD_BY_OTHER,
    ErrorCode.TASK_NOT_FOR_ROLE,
    ErrorCode.STALE_VERSION,
    ErrorCode.DUPLICATE,
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    ErrorCode.WAVE_ALREADY_RELEASED,
    ErrorCode.ORDER_CANCELLED,
    ErrorCode.PICK_STEP_OUT_OF_ORDER,
    ErrorCode.PICK_LINE_CLOSED,
    ErrorCode.COUNT_IN_PROGRESS,
    ErrorCode.SELF_APPROVAL,
    ErrorCode.BIN_BLOCKED,
    ErrorCode.ORDER_NOT_PICKED,
    ErrorCode.ORDER_NOT_PACKED,
    ErrorCode.ALREADY_SHIPPED,
    ErrorCode.PACK_INCOMPLETE,
    ErrorCode.CARTON_EMPTY,
    ErrorCode.TRACKING_NUMBER_USED,
}
_AUTH = {ErrorCode.INVALID_CREDENTIALS, ErrorCode.TOO_MANY_ATTEMPTS, ErrorCode.ACCOUNT_DISABLED}
_PERMISSION = {ErrorCode.PERMISSION_DENIED, ErrorCode.OUT_OF_SCOPE}


def error_type_for(code: ErrorCode) -> type[UserError]:
    if code.value.startswith("SCAN_"):
        return ScanError
    if code.value.endswith("NOT_FOUND"):
        return NotFoundError
    if code in _STOCK:
        return StockError
    if code in _STATE:
        return StateError
    if code in _AUTH:
        return AuthError
    if code in _PERMISSION:
        return PermissionDenied
    return InputError


def to_user_error(error: DomainError) -> UserError:
    cls = error_type_for(error.code)
    return cls(code=error.code.value, message=error.message, field=error.field)


SUCCESS_TYPES: dict[str, type] = {}


def result_union(name: str, success: type) -> Any:
    """`<success> | <every error type>` as a named union, e.g. CreateTaskResult."""
    SUCCESS_TYPES[success.__name__] = success
    members = (success, *ERROR_TYPES)
    return Annotated[Union[members], strawberry.union(name)]  # noqa: UP007
