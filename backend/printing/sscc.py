"""Serial Shipping Container Codes (SSCC-18) and the GS1 mod-10 check digit."""

from __future__ import annotations

SSCC_LENGTH = 18


def gs1_check_digit(digits: str) -> int:
    """GS1 mod-10 check digit of ``digits`` (the number without its check digit).

    Weights 3 and 1 alternate from the rightmost digit, which weighs 3.
    """
    if not digits or not digits.isdigit() or not digits.isascii():
        raise ValueError(f"check digit needs a string of digits, got {digits!r}")
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return (10 - total % 10) % 10


def sscc18(extension_digit: int, company_prefix: str, serial: int) -> str:
    """Build an 18-digit SSCC: extension digit, GS1 company prefix, serial, check digit.

    ``sscc18(1, "0614141", 123456789) == "106141411234567897"``
    """
    if isinstance(extension_digit, bool) or not isinstance(extension_digit, int):
        raise ValueError(f"extension digit must be an int 0-9, got {extension_digit!r}")
    if not 0 <= extension_digit <= 9:
        raise ValueError(f"extension digit must be 0-9, got {extension_digit}")
    if not isinstance(company_prefix, str) or not (
        company_prefix.isascii() and company_prefix.isdigit()
    ):
        raise ValueError(f"GS1 company prefix must be a string of digits, got {company_prefix!r}")
    if not 7 <= len(company_prefix) <= 10:
        raise ValueError(
            f"GS1 company prefix must have 7 to 10 digits, got {len(company_prefix)} "
            f"({company_prefix!r})"
        )
    if isinstance(serial, bool) or not isinstance(serial, int):
        raise ValueError(f"serial reference must be an int, got {serial!r}")
    serial_digits = 16 - len(company_prefix)
    if not 0 <= serial < 10**serial_digits:
        raise ValueError(
            f"serial reference {serial} does not fit in {serial_digits} digits "
            f"(company prefix {company_prefix} has {len(company_prefix)}); "
            f"allowed 0 to {10**serial_digits - 1}"
        )
    body = f"{extension_digit}{company_prefix}{serial:0{serial_digits}d}"
    return body + str(gs1_check_digit(body))


def is_valid_sscc(value: str) -> bool:
    return (
        len(value) == SSCC_LENGTH
        and value.isascii()
        and value.isdigit()
        and gs1_check_digit(value[:-1]) == int(value[-1])
    )
