"""The scan parser against the strings real scanners send.

Check digits are never taken on trust: every GS1 string below is checked with
the independent helpers at the top of this file, and internal codes are
verified with the ISO 7064 verification rule rather than by recomputing.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from backend.core.errors import DomainError, ErrorCode
from backend.scan import (
    CodeKind,
    GS1Scan,
    InternalScan,
    check_char,
    make_code,
    parse_scan,
    split_burst,
)

GS = "\x1d"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --- independent helpers ---------------------------------------------------


def gs1_check(payload: str) -> str:
    """GS1 mod-10: weights 3,1,3,... from the right of the payload."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return str(-total % 10)


def with_check(payload: str) -> str:
    return payload + gs1_check(payload)


def gs1_valid(number: str) -> bool:
    return gs1_check(number[:-1]) == number[-1]


def iso7064_37_36_valid(code: str) -> bool:
    """ISO 7064 hybrid MOD 37,36 verification over a string including its check char."""
    p = 36
    s = 0
    for ch in code.replace("-", ""):
        s = (p + ALNUM.index(ch)) % 36 or 36
        p = s * 2 % 37
    return s % 36 == 1


def bad_check(number: str) -> str:
    """The same number with a wrong (but still numeric) check digit."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def code_of(raw: str) -> ErrorCode:
    with pytest.raises(DomainError) as info:
        parse_scan(raw)
    return info.value.code


def gs1(raw: str) -> GS1Scan:
    result = parse_scan(raw)
    assert isinstance(result, GS1Scan), result
    return result


# Published, real barcodes (verified below, not assumed).
EAN13 = "5901234123457"  # GS1 Poland example EAN-13
UPCA = "036000291452"  # the classic UPC-A example
EAN8 = "96385074"  # the classic EAN-8 example
GTIN14 = "09501101530003"  # GS1 General Specifications example GTIN
SSCC = "106141411234567897"  # GS1 US example SSCC
ITF14 = with_check("1061414100041")  # ITF-14 case code, packaging indicator 1


def test_fixture_numbers_have_valid_check_digits() -> None:
    for number in (EAN13, UPCA, EAN8, GTIN14, SSCC, ITF14):
        assert gs1_valid(number), number
    assert not gs1_valid(bad_check(EAN13))


# --- bare GTINs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "gtin14"),
    [
        (EAN13, "0" + EAN13),
        (UPCA, "00" + UPCA),
        (EAN8, "000000" + EAN8),
        (GTIN14, GTIN14),
        (ITF14, ITF14),
        (f"  {EAN13}\r\n", "0" + EAN13),
        (f"]E0{EAN13}", "0" + EAN13),
        (f"]E0{UPCA}", "00" + UPCA),
        (f"]E4{EAN8}", "000000" + EAN8),
        (f"]I1{ITF14}", ITF14),
    ],
)
def test_bare_gtin(raw: str, gtin14: str) -> None:
    result = gs1(raw)
    assert result.gtin == gtin14
    assert len(result.gtin) == 14
    assert result.raw == raw
    assert (result.sscc, result.lot, result.expiry, result.count) == (None, None, None, None)


def test_symbology_is_reported() -> None:
    assert gs1(f"]E0{EAN13}").symbology == "]E0"
    assert gs1(EAN13).symbology is None


@pytest.mark.parametrize("number", [EAN13, UPCA, EAN8, GTIN14, ITF14])
def test_bare_gtin_bad_check_digit(number: str) -> None:
    assert code_of(bad_check(number)) == ErrorCode.SCAN_BAD_CHECK_DIGIT
    assert code_of(f"]E0{bad_check(number)}") == ErrorCode.SCAN_BAD_CHECK_DIGIT


def test_all_zero_gtin_is_refused() -> None:
    assert code_of("00000000") == ErrorCode.SCAN_MALFORMED


def test_ean_symbology_with_non_gtin_data() -> None:
    assert code_of("]E012345") == ErrorCode.SCAN_MALFORMED


# --- GS1 element strings ---------------------------------------------------

# GTIN + expiry + lot (variable length, so GS-terminated) + serial + net weight.
FULL = f"01{GTIN14}17261200" + f"10LOT-7/A{GS}21SN0042{GS}3103001250"


@pytest.mark.parametrize(
    "raw",
    [
        FULL,
        GS + FULL,  # FNC1 in first position sent as GS
        f"]C1{FULL}",
        f"]C1{GS}{FULL}",
        f"]d2{FULL}",
        f"]Q3{FULL}",
        f"]e0{FULL}",
        FULL.replace(GS, "<GS>"),  # scanners that type FNC1 as text
        FULL.replace(GS, "<gs>"),
        f"]d2<GS>{FULL.replace(GS, '<GS>')}",
        f"  {FULL}{GS}\r\n",
        f"(01){GTIN14}(17)261200(10)LOT-7/A(21)SN0042(3103)001250",  # typed from the label
        f"(01) {GTIN14} (17) 261200 (10) LOT-7/A (21) SN0042 (3103) 001250",
    ],
)
def test_gs1_message_variants(raw: str) -> None:
    result = gs1(raw)
    assert result.gtin == GTIN14
    assert result.lot == "LOT-7/A"
    assert result.serial == "SN0042"
    assert result.expiry == date(2026, 12, 31)  # day 00 = last day of the month
    assert result.net_weight_kg == Decimal("1.250")
    assert result.raw == raw


def test_symbology_of_gs1_message() -> None:
    assert gs1(f"]C1{FULL}").symbology == "]C1"
    assert gs1(f"]d2{FULL}").symbology == "]d2"
    assert gs1(f"]Q3{FULL}").symbology == "]Q3"
    assert gs1(FULL).symbology is None


def test_variable_length_lot_then_more_ais() -> None:
    result = gs1(f"]C110ABC123{GS}01{GTIN14}15270315{GS}11250101")
    assert result.lot == "ABC123"
    assert result.gtin == GTIN14
    assert result.best_before == date(2027, 3, 15)
    assert result.production_date == date(2025, 1, 1)


def test_fixed_length_ais_need_no_separator() -> None:
    result = gs1(f"01{GTIN14}11250101172701311099")
    assert result.production_date == date(2025, 1, 1)
    assert result.expiry == date(2027, 1, 31)
    assert result.lot == "99"


def test_expiry_day_00_is_last_day_of_month() -> None:
    assert gs1(f"01{GTIN14}17280200").expiry == date(2028, 2, 29)  # leap year
    assert gs1(f"01{GTIN14}17270200").expiry == date(2027, 2, 28)
    assert gs1(f"01{GTIN14}17260400").expiry == date(2026, 4, 30)


@pytest.mark.parametrize(
    ("ai", "value", "kg"),
    [("3100", "000012", "12"), ("3102", "001234", "12.34"), ("3105", "012345", "0.12345")],
)
def test_net_weight(ai: str, value: str, kg: str) -> None:
    assert gs1(f"01{GTIN14}{ai}{value}").net_weight_kg == Decimal(kg)


def test_gtin_in_ai_01_is_14_digits_even_for_gtin_8() -> None:
    gtin8_as_14 = "000000" + EAN8
    assert gs1(f"01{gtin8_as_14}").gtin == gtin8_as_14


def test_pallet_label_sscc_content_count() -> None:
    result = gs1(f"]C100{SSCC}02{ITF14}37120{GS}10B1")
    assert result.sscc == SSCC
    assert result.content_gtin == ITF14
    assert result.gtin is None
    assert result.count == 120
    assert result.lot == "B1"


def test_sscc_alone() -> None:
    assert gs1(f"00{SSCC}").sscc == SSCC
    assert gs1(f"]C100{SSCC}").sscc == SSCC
    assert gs1(f"(00){SSCC}").sscc == SSCC


def test_bare_sscc_typed_without_ai() -> None:
    assert gs1(SSCC).sscc == SSCC


def test_variable_count_ai_30() -> None:
    assert gs1(f"01{GTIN14}3017{GS}").count == 17


def test_unknown_ais_are_ignored_when_well_formed() -> None:
    result = gs1(f"]C101{GTIN14}400PO-4711{GS}10L9")  # AI 400: customer order number
    assert (result.gtin, result.lot) == (GTIN14, "L9")


def test_gs1_digital_link() -> None:
    result = gs1(f"https://id.gs1.org/01/{GTIN14}/10/ABC/21/S1?17=261231")
    assert (result.gtin, result.lot, result.serial) == (GTIN14, "ABC", "S1")
    assert result.expiry == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        # check digits
        (f"01{bad_check(GTIN14)}", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"]C101{bad_check(GTIN14)}10ABC", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"(01){bad_check(GTIN14)}(10)ABC", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"00{bad_check(SSCC)}", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"]C100{bad_check(SSCC)}", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"]C100{SSCC}02{bad_check(ITF14)}3712", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        (f"https://id.gs1.org/01/{bad_check(GTIN14)}", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        # values that do not make sense
        (f"01{GTIN14}17261399", ErrorCode.SCAN_MALFORMED),  # month 13
        (f"01{GTIN14}17260231", ErrorCode.SCAN_MALFORMED),  # 31 February
        (f"(01){GTIN14}(17)261399", ErrorCode.SCAN_MALFORMED),
        (f"]C101{GTIN14}11251301", ErrorCode.SCAN_MALFORMED),
        (f"]C101{GTIN14[:-1]}", ErrorCode.SCAN_MALFORMED),  # GTIN cut short
        (f"01{GTIN14}1", ErrorCode.SCAN_MALFORMED),  # trailing junk
        (f"01{GTIN14}10AB CD", ErrorCode.SCAN_MALFORMED),  # space is not allowed in a lot
        (f"01{GTIN14}10{'X' * 21}", ErrorCode.SCAN_MALFORMED),  # lot longer than 20
        (f"]C101{GTIN14}10A{GS}10B", ErrorCode.SCAN_MALFORMED),  # two different lots
        (f"]C101{GTIN14}30{GS}", ErrorCode.SCAN_MALFORMED),  # empty count
        ("(01)", ErrorCode.SCAN_MALFORMED),
        ("(99", ErrorCode.SCAN_MALFORMED),
        ("]C1", ErrorCode.SCAN_MALFORMED),
        ("]C1" + GS, ErrorCode.SCAN_MALFORMED),
        ("]C1hello", ErrorCode.SCAN_MALFORMED),
        ("]", ErrorCode.SCAN_MALFORMED),
        ("]!0123", ErrorCode.SCAN_MALFORMED),  # no such symbology
        ("https://id.gs1.org/01/ABC", ErrorCode.SCAN_MALFORMED),
        (f"https://id.gs1.org/01/{GTIN14}?17=261399", ErrorCode.SCAN_MALFORMED),
        # not ours, not GS1
        ("hello", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("12345", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("999", ErrorCode.SCAN_UNKNOWN_FORMAT),  # AI 99 only: nothing the warehouse uses
        ("#!?", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("https://example.com/x", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("]C0hello", ErrorCode.SCAN_UNKNOWN_FORMAT),
        # nothing at all
        ("", ErrorCode.SCAN_EMPTY),
        ("   ", ErrorCode.SCAN_EMPTY),
        ("\r\n\t", ErrorCode.SCAN_EMPTY),
        (GS, ErrorCode.SCAN_EMPTY),
        ("<GS>", ErrorCode.SCAN_EMPTY),
    ],
)
def test_refusals(raw: str, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as info:
        parse_scan(raw)
    assert info.value.code == code
    assert info.value.message  # a sentence for logs; the PWA translates the code


def test_overlong_scan_is_refused() -> None:
    assert code_of("1" * 5000) == ErrorCode.SCAN_MALFORMED


def test_never_a_bare_exception() -> None:
    rng = random.Random(20240601)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabc-()[]]<>/%:?= \t\r\n" + GS
    prefixes = [
        "",
        "]C1",
        "]d2",
        "]Q3",
        "]E0",
        "]e0",
        "(",
        "01",
        "00",
        "BIN-",
        "https://id.gs1.org/",
    ]
    for _ in range(3000):
        raw = rng.choice(prefixes) + "".join(
            rng.choice(alphabet) for _ in range(rng.randint(0, 40))
        )
        try:
            result = parse_scan(raw)
        except DomainError as exc:
            assert exc.code.value.startswith("SCAN_"), raw
        else:
            assert isinstance(result, InternalScan | GS1Scan)


# --- internal codes --------------------------------------------------------


def test_check_char_published_vectors() -> None:
    # ISO 7064 MOD 37,36 examples: GRid A1-2425G-ABC1234002-M, ISAN root.
    assert check_char("A12425GABC1234002") == "M"
    assert check_char("A1-2425G-ABC1234002") == "M"  # dashes are ignored
    assert check_char("00000000C36D002B") == "K"


def test_documented_example() -> None:
    assert make_code(CodeKind.BIN, "A01-003-2") == "BIN-A01-003-2-N"
    assert iso7064_37_36_valid("BIN-A01-003-2-N")


@pytest.mark.parametrize("kind", list(CodeKind))
@pytest.mark.parametrize("body", ["A01-003-2", "1", "Z", "00042", "2024-000123", "R2-L3-B07"])
def test_round_trip_every_kind(kind: CodeKind, body: str) -> None:
    code = make_code(kind, body)
    assert code.startswith(f"{kind.value}-{body}-")
    assert iso7064_37_36_valid(code)
    result = parse_scan(code)
    assert result == InternalScan(raw=code, kind=kind, body=body, code=code)


def test_code_kind_values_are_the_prefixes() -> None:
    assert [k.value for k in CodeKind] == [
        "BIN", "TOTE", "CART", "BADGE", "PO", "SO", "ASN", "WAVE", "TASK", "SHP",
    ]  # fmt: skip


def test_lowercase_and_whitespace_are_accepted() -> None:
    code = make_code(CodeKind.TOTE, "T-0042")
    raw = f"  {code.lower()}\r\n"
    result = parse_scan(raw)
    assert isinstance(result, InternalScan)
    assert (result.kind, result.body, result.code, result.raw) == (
        CodeKind.TOTE,
        "T-0042",
        code,
        raw,
    )


def test_internal_code_behind_non_gs1_symbology() -> None:
    code = make_code(CodeKind.CART, "C7")
    for sym in ("]C0", "]Q1", "]d1", "]A0"):
        result = parse_scan(sym + code)
        assert isinstance(result, InternalScan)
        assert result.code == code


def test_every_single_substitution_is_caught() -> None:
    code = make_code(CodeKind.BIN, "A01-003-2")
    for i, ch in enumerate(code):
        if ch == "-":
            continue
        for other in ALNUM:
            if other != ch:
                mutated = code[:i] + other + code[i + 1 :]
                assert code_of(mutated) in {
                    ErrorCode.SCAN_BAD_CHECK_DIGIT,
                    ErrorCode.SCAN_UNKNOWN_FORMAT,  # the prefix itself changed
                }, mutated


def test_every_adjacent_transposition_is_caught() -> None:
    code = make_code(CodeKind.SHP, "2024-7Q9X")
    chars = code.replace("-", "")
    for i in range(len(chars) - 1):
        if chars[i] != chars[i + 1]:
            swapped = chars[:i] + chars[i + 1] + chars[i] + chars[i + 2 :]
            assert check_char(swapped[:-1]) != swapped[-1], swapped


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("BIN-A01-003-2-X", ErrorCode.SCAN_BAD_CHECK_DIGIT),
        ("BIN-A01-003-2", ErrorCode.SCAN_BAD_CHECK_DIGIT),  # check char missing
        ("XYZ-A01-3", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("LOC-A01-003-2-N", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("BINS-A01-003-2-N", ErrorCode.SCAN_UNKNOWN_FORMAT),
        ("BIN", ErrorCode.SCAN_MALFORMED),
        ("BIN-", ErrorCode.SCAN_MALFORMED),
        ("BIN-A01", ErrorCode.SCAN_MALFORMED),
        ("BIN--A01-N", ErrorCode.SCAN_MALFORMED),
        ("BIN-A01-003-2-NN", ErrorCode.SCAN_MALFORMED),
        ("BIN-A_01-N", ErrorCode.SCAN_MALFORMED),
        ("BIN-A01 003-N", ErrorCode.SCAN_MALFORMED),
        (f"BIN-{'A' * 70}-N", ErrorCode.SCAN_MALFORMED),
        ("TOTE-Ä1-N", ErrorCode.SCAN_MALFORMED),
    ],
)
def test_internal_refusals(raw: str, code: ErrorCode) -> None:
    assert code_of(raw) == code


def test_make_code_normalises_and_validates() -> None:
    assert make_code(CodeKind.BIN, " a01-003-2 ") == "BIN-A01-003-2-N"
    assert make_code(CodeKind("WAVE"), "7") == make_code(CodeKind.WAVE, "7")
    for body in ("", "A01--2", "-A01", "A01-", "A 01", "A_01", "Ä1", "X" * 70):
        with pytest.raises(DomainError) as info:
            make_code(CodeKind.BIN, body)
        assert info.value.code == ErrorCode.INVALID_INPUT


def test_check_char_rejects_foreign_characters() -> None:
    with pytest.raises(ValueError):
        check_char("BIN-A_1")
    with pytest.raises(ValueError):
        check_char("-")
    assert check_char("bin-a01") == check_char("BIN-A01")


# --- keyboard-wedge bursts -------------------------------------------------


def test_split_burst_separators() -> None:
    bin_code = make_code(CodeKind.BIN, "A01-003-2")
    tote = make_code(CodeKind.TOTE, "7")
    text = f"{bin_code}\r\n{EAN13}\t{tote}\n\r\n  \t{FULL}\r"
    assert split_burst(text) == [bin_code, EAN13, tote, FULL]


def test_split_burst_keeps_gs_inside_and_at_the_edges() -> None:
    message = f"{GS}01{GTIN14}10AB{GS}21C"
    parts = split_burst(f" {message} \r\n{message}")
    assert parts == [message, message]
    assert all(GS in p for p in parts)
    assert gs1(parts[0]).serial == "C"


def test_split_burst_drops_empties() -> None:
    assert split_burst("") == []
    assert split_burst("\r\n\t \n") == []
    assert split_burst(f"\n{GS}\n") == []
    assert split_burst("ABC") == ["ABC"]


def test_burst_end_to_end() -> None:
    codes = [make_code(kind, "X1") for kind in CodeKind]
    results = [parse_scan(part) for part in split_burst("\r\n".join(codes) + "\r\n")]
    assert [r.kind for r in results if isinstance(r, InternalScan)] == list(CodeKind)
