import re

import pytest
import segno

from backend.printing.barcodes import (
    Element,
    code128_or_qr_svg,
    code128_svg,
    dot_mm,
    gs1_128_data,
    gs1_128_svg,
    parse_element_string,
    qr_svg,
)

FNC1 = "\xf1"


def test_element_string_is_parsed_and_validated():
    assert parse_element_string("(00)106141411234567897") == (Element("00", "106141411234567897"),)
    assert parse_element_string("(01)09501101530003(10)AB-12(17)250101") == (
        Element("01", "09501101530003"),
        Element("10", "AB-12"),
        Element("17", "250101"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("00106141411234567897", "parentheses"),
        ("(00)106141411234567890", "wrong check digit"),
        ("(00)10614141123456789", "needs 18"),
        ("(01)09501101530003(10)", "malformed"),
        ("(1)123", "malformed"),
        ("(10)lot with space", "characters GS1 does not allow"),
        ("(100)X", "should have 2 digits"),
    ],
)
def test_bad_element_strings_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_element_string(text)


def test_fnc1_separates_only_variable_length_fields():
    elements = parse_element_string("(01)09501101530003(10)AB-12(17)250101(21)X9")
    assert gs1_128_data(elements) == f"010950110153000310AB-12{FNC1}1725010121X9"


def test_svgs_can_be_inlined():
    for svg in (code128_svg("BIN-A01-003-2-K"), gs1_128_svg("(00)106141411234567897"),
                qr_svg("1Z999AA10123456784")):  # fmt: skip
        assert svg.startswith("<svg ") and "<?xml" not in svg
        assert 'xmlns="http://www.w3.org/2000/svg"' in svg


def test_human_readable_text_is_escaped_and_gs1_shows_parentheses():
    assert "&lt;A&amp;B&gt;" in code128_svg("<A&B>")
    assert ">(00)106141411234567897</text>" in gs1_128_svg("(00)106141411234567897")
    assert "<text" not in code128_svg("X1", human_readable=False)


def test_bars_are_whole_printer_dots():
    svg = code128_svg("1Z999AA10123456784", module_dots=3)
    widths = [float(w) for w in re.findall(r"M[\d.]+ 0h([\d.]+)v", svg)]
    x = 3 * dot_mm(203)
    assert widths and all(abs(w / x - round(w / x)) < 1e-3 for w in widths)
    assert {round(w / x) for w in widths} <= {1, 2, 3, 4}


def test_module_narrows_to_fit_and_refuses_when_it_cannot():
    wide = code128_svg("1Z999AA10123456784", module_dots=4)
    fitted = code128_svg("1Z999AA10123456784", module_dots=4, max_width_mm=80)
    width = float(re.search(r'width="([\d.]+)mm"', fitted).group(1))
    assert width <= 80 < float(re.search(r'width="([\d.]+)mm"', wide).group(1))
    with pytest.raises(ValueError, match="does not fit"):
        code128_svg("A" * 60, max_width_mm=50)


def test_a_code_too_long_for_the_width_becomes_a_qr_code_of_the_same_module():
    fits = code128_or_qr_svg("BIN-W1-A01-001-1-X", module_dots=3, max_width_mm=58, dpi=300)
    assert 'class="barcode"' in fits
    width = float(re.search(r'width="([\d.]+)mm"', fits).group(1))
    assert width <= 58
    long = code128_or_qr_svg("BIN-" + "X" * 40, module_dots=3, max_width_mm=58, dpi=300)
    assert 'class="qr"' in long and "<path" in long
    with pytest.raises(ValueError):
        code128_or_qr_svg("", max_width_mm=58)


def test_qr_is_never_micro_qr():
    assert segno.make("12").is_micro  # what segno.make would do for short data
    svg = qr_svg("12")
    # a version-1 QR is 21 modules + 2 × 4 quiet-zone modules = 29
    assert 'viewBox="0 0 29 29"' in svg


def test_empty_data_is_refused():
    with pytest.raises(ValueError):
        code128_svg("")
    with pytest.raises(ValueError):
        qr_svg("")
    with pytest.raises(ValueError):
        code128_svg("é€")
