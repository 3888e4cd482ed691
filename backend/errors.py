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
    # stock
    INSUFFICIENT_STOCK = "INSUFFICIENT_STOCK"
    OVER_RESERVE = "OVER_RESERVE"
    WRONG_BIN = "WRONG_BIN"
    WRONG_ITEM = "WRONG_ITEM"
    WRONG_LOT = "WRONG_LOT"
    LOT_REQUIRED = "LOT_REQUIRED"
    SERIAL_REQUIRED = "SERIAL_REQUIRED"
    SERIAL_IN_STOCK = "SERIAL_IN_STOCK"
    EXPIRY_REQUIRED = "EXPIRY_REQUIRED"
    NOT_ON_ORDER = "NOT_ON_ORDER"
    OVER_RECEIPT = "OVER_RECEIPT"
    LOT_EXPIRED = "LOT_EXPIRED"
    BIN_NOT_SUITABLE = "BIN_NOT_SUITABLE"
    OVERRIDE_REASON_REQUIRED = "OVERRIDE_REASON_REQUIRED"
    OVER_PICK = "OVER_PICK"
    WRONG_TOTE = "WRONG_TOTE"
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
    # auth
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    ACCOUNT_DISABLED = "ACCOUNT_DISABLED"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"


class DomainError(Exception):
    """A refusal the user can act on. Raising it rolls the unit of work back."""

    def __init__(self, code: ErrorCode, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"DomainError({self.code.value!r}, {self.message!r}, field={self.field!r})"
