"""Business errors with stable codes.

Domain code raises ``DomainError``; the GraphQL layer turns it into a member of
the mutation's result union. The codes are part of the public contract: the
PWA translates them, so never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # input
    INVALID_INPUT = "INVALID_INPUT"
    INVALID_QUANTITY = "INVALID_QUANTITY"
    QUANTITY_TOO_LARGE = "QUANTITY_TOO_LARGE"
    ALERT_RULE_INVALID = "ALERT_RULE_INVALID"
    WEIGHT_MISMATCH = "WEIGHT_MISMATCH"
    TRACKING_NUMBER_REQUIRED = "TRACKING_NUMBER_REQUIRED"
    # scans
    SCAN_EMPTY = "SCAN_EMPTY"
    SCAN_MALFORMED = "SCAN_MALFORMED"
    SCAN_BAD_CHECK_DIGIT = "SCAN_BAD_CHECK_DIGIT"
    SCAN_UNKNOWN_FORMAT = "SCAN_UNKNOWN_FORMAT"
    SCAN_UNKNOWN_CODE = "SCAN_UNKNOWN_CODE"
    SCAN_WRONG_KIND = "SCAN_WRONG_KIND"
    # lookups
    NOT_FOUND = "NOT_FOUND"
    ITEM_NOT_FOUND = "ITEM_NOT_FOUND"
    BIN_NOT_FOUND = "BIN_NOT_FOUND"
    LOT_NOT_FOUND = "LOT_NOT_FOUND"
    TASK_NOT_FOUND = "TASK_NOT_FOUND"
    ALERT_NOT_FOUND = "ALERT_NOT_FOUND"
    PO_NOT_FOUND = "PO_NOT_FOUND"
    RECEIPT_NOT_FOUND = "RECEIPT_NOT_FOUND"
    SUPPLIER_NOT_FOUND = "SUPPLIER_NOT_FOUND"
    CUSTOMER_NOT_FOUND = "CUSTOMER_NOT_FOUND"
    ORDER_NOT_FOUND = "ORDER_NOT_FOUND"
    WAVE_NOT_FOUND = "WAVE_NOT_FOUND"
    PACK_SESSION_NOT_FOUND = "PACK_SESSION_NOT_FOUND"
    CARTON_TYPE_NOT_FOUND = "CARTON_TYPE_NOT_FOUND"
    CARRIER_NOT_FOUND = "CARRIER_NOT_FOUND"
    PRINTER_NOT_FOUND = "PRINTER_NOT_FOUND"
    DOCUMENT_NOT_FOUND = "DOCUMENT_NOT_FOUND"
    SHIPPING_BIN_NOT_FOUND = "SHIPPING_BIN_NOT_FOUND"
    PRINT_JOB_NOT_FOUND = "PRINT_JOB_NOT_FOUND"
    SHIPMENT_NOT_FOUND = "SHIPMENT_NOT_FOUND"
    RETURN_NOT_FOUND = "RETURN_NOT_FOUND"
    # stock
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    OVER_RESERVE = "OVER_RESERVE"
    WRONG_BIN = "WRONG_BIN"
    WRONG_ITEM = "WRONG_ITEM"
    WRONG_LOT = "WRONG_LOT"
    LOT_REQUIRED = "LOT_REQUIRED"
    SERIAL_REQUIRED = "SERIAL_REQUIRED"
    SERIAL_IN_STOCK = "SERIAL_IN_STOCK"
    PALLET_NOT_FOUND = "PALLET_NOT_FOUND"
    PALLET_ALREADY_RECEIVED = "PALLET_ALREADY_RECEIVED"
    PALLET_OTHER_ORDER = "PALLET_OTHER_ORDER"
    EXPIRY_REQUIRED = "EXPIRY_REQUIRED"
    NOT_ON_ORDER = "NOT_ON_ORDER"
    OVER_RECEIPT = "OVER_RECEIPT"
    LOT_EXPIRED = "LOT_EXPIRED"
    BIN_NOT_SUITABLE = "BIN_NOT_SUITABLE"
    OVERRIDE_REASON_REQUIRED = "OVERRIDE_REASON_REQUIRED"
    OVER_PICK = "OVER_PICK"
    WRONG_TOTE = "WRONG_TOTE"
    OVER_PACK = "OVER_PACK"
    WRONG_SERIAL = "WRONG_SERIAL"
    SERIAL_ALREADY_PACKED = "SERIAL_ALREADY_PACKED"
    RETURN_EXCEEDS_SHIPPED = "RETURN_EXCEEDS_SHIPPED"
    SERIAL_NOT_SHIPPED = "SERIAL_NOT_SHIPPED"
    NOT_ON_RETURN = "NOT_ON_RETURN"
    # state / concurrency
    INVALID_STATE = "INVALID_STATE"
    TASK_HELD_BY_OTHER = "TASK_HELD_BY_OTHER"
    TASK_NOT_FOR_ROLE = "TASK_NOT_FOR_ROLE"
    STALE_VERSION = "STALE_VERSION"
    DUPLICATE = "DUPLICATE"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_KEY_REQUIRED = "IDEMPOTENCY_KEY_REQUIRED"
    APPROVER_ROLE_REQUIRED = "APPROVER_ROLE_REQUIRED"
    SELF_APPROVAL = "SELF_APPROVAL"
    WAVE_ALREADY_RELEASED = "WAVE_ALREADY_RELEASED"
    ORDER_CANCELLED = "ORDER_CANCELLED"
    PICK_STEP_OUT_OF_ORDER = "PICK_STEP_OUT_OF_ORDER"
    PICK_LINE_CLOSED = "PICK_LINE_CLOSED"
    COUNT_IN_PROGRESS = "COUNT_IN_PROGRESS"
    BIN_BLOCKED = "BIN_BLOCKED"
    ORDER_NOT_PICKED = "ORDER_NOT_PICKED"
    ORDER_NOT_PACKED = "ORDER_NOT_PACKED"
    ALREADY_SHIPPED = "ALREADY_SHIPPED"
    PACK_INCOMPLETE = "PACK_INCOMPLETE"
    CARTON_EMPTY = "CARTON_EMPTY"
    TRACKING_NUMBER_USED = "TRACKING_NUMBER_USED"
    CARRIER_NOT_SUPPORTED = "CARRIER_NOT_SUPPORTED"
    TEMPLATE_RENDER_FAILED = "TEMPLATE_RENDER_FAILED"
    ALREADY_DECIDED = "ALREADY_DECIDED"
    # auth
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"


class ErrorCategory(StrEnum):
    """What kind of refusal a code is; the API names its error type after it."""

    INPUT = "INPUT"
    SCAN = "SCAN"
    NOT_FOUND = "NOT_FOUND"
    STOCK = "STOCK"
    STATE = "STATE"
    AUTH = "AUTH"
    PERMISSION = "PERMISSION"


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
    ErrorCode.RETURN_EXCEEDS_SHIPPED,
    ErrorCode.SERIAL_NOT_SHIPPED,
    ErrorCode.NOT_ON_RETURN,
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
    ErrorCode.ALREADY_DECIDED,
}
_AUTH = {ErrorCode.INVALID_CREDENTIALS, ErrorCode.TOO_MANY_ATTEMPTS, ErrorCode.ACCOUNT_DISABLED}
_PERMISSION = {ErrorCode.PERMISSION_DENIED, ErrorCode.OUT_OF_SCOPE}


def category_of(code: ErrorCode) -> ErrorCategory:
    """The one place a code's category is decided (the API's error type follows it)."""
    if code.value.startswith("SCAN_"):
        return ErrorCategory.SCAN
    if code.value.endswith("NOT_FOUND"):
        return ErrorCategory.NOT_FOUND
    if code in _STOCK:
        return ErrorCategory.STOCK
    if code in _STATE:
        return ErrorCategory.STATE
    if code in _AUTH:
        return ErrorCategory.AUTH
    if code in _PERMISSION:
        return ErrorCategory.PERMISSION
    return ErrorCategory.INPUT


class DomainError(Exception):
    """A refusal the user can act on. Raising it rolls the unit of work back."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def category(self) -> ErrorCategory:
        return category_of(self.code)

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.message!r}, field={self.field!r})"
