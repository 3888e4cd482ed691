import pytest

from backend.printing.sscc import gs1_check_digit, is_valid_sscc, sscc18


def test_gs1_example_sscc():
    # GS1 General Specifications example: extension 1, prefix 0614141, serial 123456789.
    # Weights 3,1,3,... from the right over 10614141123456789 sum to 143, so the check is 7.
    assert sscc18(1, "0614141", 123456789) == "106141411234567897"
    assert is_valid_sscc("106141411234567897")
    assert not is_valid_sscc("106141411234567890")


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("400638133393", 1),  # EAN-13 4006381333931: sum 89 -> 1
        ("0950110153000", 3),  # GTIN-14 09501101530003: sum 47 -> 3
        ("10614141123456789", 7),
        ("0000000000000000", 0),
    ],
)
def test_check_digit_known_values(digits, check):
    assert gs1_check_digit(digits) == check


def test_serial_is_zero_padded_to_fill_18_digits():
    value = sscc18(0, "1234567890", 42)
    assert value[:17] == "0" + "1234567890" + "000042"
    assert len(value) == 18 and is_valid_sscc(value)
    longest = sscc18(9, "1234567", 999_999_999)
    assert longest.startswith("91234567999999999") and is_valid_sscc(longest)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1, "061414", 1), "7 to 10 digits"),
        ((1, "06141411234", 1), "7 to 10 digits"),
        ((1, "06141A1", 1), "string of digits"),
        ((1, "0614141", 10**9), "does not fit in 9 digits"),
        ((1, "1234567890", 10**6), "does not fit in 6 digits"),
        ((1, "0614141", -1), "does not fit"),
        ((10, "0614141", 1), "extension digit must be 0-9"),
        ((-1, "0614141", 1), "extension digit must be 0-9"),
        ((True, "0614141", 1), "extension digit"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(args, message):
    with pytest.raises(ValueError, match=message):
        sscc18(*args)


def test_check_digit_refuses_non_digits():
    with pytest.raises(ValueError):
        gs1_check_digit("12a4")
    with pytest.raises(ValueError):
        gs1_check_digit("")
