"""Barcodes as inline SVG for printed documents.

Code 128 and GS1-128 bar patterns come from python-barcode's encoder; the SVG
is drawn here so that every bar is a whole number of thermal-printer dots
(203 dpi by default) and the GS1 human-readable text shows the AIs in
parentheses. QR codes come from segno, always full QR (never Micro QR, which
common scanners cannot read).

The functions return ``markupsafe.Markup`` (a ``str``) so Jinja2 templates can
inline them with autoescape on; every text placed inside the SVG is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

import segno
from barcode.codex import Code128, Gs1_128
from barcode.errors import BarcodeError
from markupsafe import Markup

from backend.printing.sscc import gs1_check_digit

DEFAULT_DPI = 203
QUIET_ZONE_MODULES = 10  # Code 128 needs at least 10 X on each side

# AIs whose data length is predefined by their first two digits (GS1 General
# Specifications, figure 5.10.1-2): no FNC1 separator follows them.
_PREDEFINED_LENGTH = {
    "00": 18, "01": 14, "02": 14, "03": 14, "04": 16,
    "11": 6, "12": 6, "13": 6, "14": 6, "15": 6, "16": 6, "17": 6, "18": 6, "19": 6,
    "20": 2, "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6, "41": 13,
}  # fmt: skip
# Length of the AI itself, by its first two digits (the rest are 4 digits).
_AI_LENGTH_2 = {"00", "01", "02", "10", "11", "12", "13", "15", "16", "17", "20", "21", "22",
                "30", "37"} | {str(n) for n in range(90, 100)}  # fmt: skip
_AI_LENGTH_3 = {"23", "24", "25", "40", "41", "42", "71"}
# GS1 AI encodable character set 82 (ISO 646 subset).
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")
_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]+)")


@dataclass(frozen=True)
class Element:
    ai: str
    value: str


def dot_mm(dpi: int = DEFAULT_DPI) -> float:
    return 25.4 / dpi


def parse_element_string(ai_string: str) -> tuple[Element, ...]:
    """Parse ``(00)106141411234567897(10)LOT1`` into elements, validating it."""
    text = ai_string.strip()
    if not text.startswith("("):
        raise ValueError(
            f"GS1 element string must be written with AIs in parentheses, got {ai_string!r}"
        )
    elements: list[Element] = []
    pos = 0
    for match in _ELEMENT.finditer(text):
        if match.start() != pos:
            break
        elements.append(Element(match.group(1), match.group(2)))
        pos = match.end()
    if pos != len(text) or not elements:
        raise ValueError(f"malformed GS1 element string {ai_string!r}")
    for element in elements:
        _validate_element(element)
    return tuple(elements)


def _validate_element(element: Element) -> None:
    ai, value = element.ai, element.value
    prefix = ai[:2]
    expected_ai_len = 2 if prefix in _AI_LENGTH_2 else 3 if prefix in _AI_LENGTH_3 else 4
    if len(ai) != expected_ai_len:
        raise ValueError(f"AI ({ai}) should have {expected_ai_len} digits")
    if not _CSET82.match(value):
        raise ValueError(f"AI ({ai}) value {value!r} has characters GS1 does not allow")
    fixed = _PREDEFINED_LENGTH.get(prefix)
    if fixed is not None and len(value) != fixed:
        raise ValueError(f"AI ({ai}) needs {fixed} characters, got {len(value)} in {value!r}")
    if ai in {"00", "01", "02", "410", "411", "412", "413", "414", "415"}:
        if not value.isdigit():
            raise ValueError(f"AI ({ai}) must be numeric, got {value!r}")
        if int(value[-1]) != gs1_check_digit(value[:-1]):
            raise ValueError(
                f"AI ({ai}) {value} has a wrong check digit: "
                f"expected {gs1_check_digit(value[:-1])}, got {value[-1]}"
            )


def gs1_128_data(elements: tuple[Element, ...]) -> str:
    """Data for the bar encoder: FNC1 separators after variable-length fields."""
    parts: list[str] = []
    for index, element in enumerate(elements):
        parts.append(element.ai + element.value)
        last = index == len(elements) - 1
        if not last and element.ai[:2] not in _PREDEFINED_LENGTH:
            parts.append(Gs1_128.FNC1_CHAR)
    return "".join(parts)


def _fit_module_dots(
    modules: int, module_dots: int, max_width_mm: float | None, dpi: int, min_dots: int
) -> int:
    if max_width_mm is None:
        return module_dots
    dots = module_dots
    while dots > min_dots and modules * dots * dot_mm(dpi) > max_width_mm:
        dots -= 1
    if modules * dots * dot_mm(dpi) > max_width_mm:
        raise ValueError(
            f"barcode of {modules} modules does not fit in {max_width_mm} mm "
            f"at {min_dots} dots per module ({dpi} dpi); shorten the data"
        )
    return dots


def _linear_svg(
    pattern: str,
    *,
    text: str | None,
    module_dots: int,
    height_mm: float,
    max_width_mm: float | None,
    dpi: int,
    min_dots: int,
    title: str,
) -> Markup:
    modules = len(pattern) + 2 * QUIET_ZONE_MODULES
    dots = _fit_module_dots(modules, module_dots, max_width_mm, dpi, min_dots)
    x = dots * dot_mm(dpi)
    width = modules * x
    font_mm = 3.2 if text else 0.0
    total_h = height_mm + (font_mm * 1.35 if text else 0.0)
    # all bars in one path: one SVG element to style and draw instead of dozens
    bars: list[str] = []
    run_start = -1
    for i, bit in enumerate([*pattern, "0"]):
        if bit == "1" and run_start < 0:
            run_start = i
        elif bit != "1" and run_start >= 0:
            left = (QUIET_ZONE_MODULES + run_start) * x
            bars.append(
                f"M{left:.4f} 0h{(i - run_start) * x:.4f}v{height_mm:.3f}h-{(i - run_start) * x:.4f}z"
            )
            run_start = -1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="barcode" role="img" '
        f'aria-label="{escape(title)}" width="{width:.3f}mm" height="{total_h:.3f}mm" '
        f'viewBox="0 0 {width:.4f} {total_h:.4f}" shape-rendering="crispEdges">',
        f'<path fill="#000" d="{"".join(bars)}"/>',
    ]
    if text:
        parts.append(
            f'<text x="{width / 2:.3f}" y="{total_h - 0.4:.3f}" text-anchor="middle" '
            f'font-family="DejaVu Sans Mono, monospace" font-size="{font_mm}">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def code128_svg(
    data: str,
    *,
    human_readable: bool = True,
    module_dots: int = 3,
    height_mm: float = 15.0,
    max_width_mm: float | None = None,
    dpi: int = DEFAULT_DPI,
) -> Markup:
    """Code 128 of ``data``; each module is ``module_dots`` printer dots wide.

    With ``max_width_mm`` the module narrows (down to 2 dots) until the symbol
    and its quiet zones fit; if even 2 dots do not fit, ``ValueError``.
    """
    if not data:
        raise ValueError("Code 128 needs at least one character")
    try:
        pattern = Code128(data).build()[0]
    except BarcodeError as exc:
        raise ValueError(f"cannot encode {data!r} as Code 128: {exc}") from exc
    return _linear_svg(
        pattern,
        text=data if human_readable else None,
        module_dots=module_dots,
        height_mm=height_mm,
        max_width_mm=max_width_mm,
        dpi=dpi,
        min_dots=2,
        title=data,
    )


def code128_or_qr_svg(
    data: str,
    *,
    module_dots: int = 3,
    height_mm: float = 15.0,
    max_width_mm: float,
    dpi: int = DEFAULT_DPI,
) -> Markup:
    """Code 128 of ``data`` narrowed to fit ``max_width_mm``; a code too long for
    that even at the narrowest module becomes a QR code of the same module size
    instead, so one long code never fails a whole document."""
    try:
        return code128_svg(
            data,
            human_readable=False,
            module_dots=module_dots,
            height_mm=height_mm,
            max_width_mm=max_width_mm,
            dpi=dpi,
        )
    except ValueError:
        if not data or not data.isascii():
            raise
    return qr_svg(data, module_dots=module_dots, border=4, dpi=dpi)


def gs1_128_svg(
    ai_string: str,
    *,
    human_readable: bool = True,
    module_dots: int = 4,
    height_mm: float = 25.0,
    max_width_mm: float | None = None,
    dpi: int = DEFAULT_DPI,
) -> Markup:
    """GS1-128 (Code 128 with a leading FNC1) of an element string in parentheses.

    ``"(00)106141411234567897"`` encodes FNC1 00106141411234567897 and prints
    the text with the parentheses. The default X of 4 dots (0.50 mm at 203 dpi)
    is within GS1's 0.495–1.016 mm range for logistic labels.
    """
    elements = parse_element_string(ai_string)
    pattern = Gs1_128(gs1_128_data(elements)).build()[0]
    text = "".join(f"({e.ai}){e.value}" for e in elements)
    return _linear_svg(
        pattern,
        text=text if human_readable else None,
        module_dots=module_dots,
        height_mm=height_mm,
        max_width_mm=max_width_mm,
        dpi=dpi,
        min_dots=3,
        title=text,
    )


def qr_svg(
    data: str,
    *,
    module_dots: int = 5,
    border: int = 4,
    error: str = "m",
    dpi: int = DEFAULT_DPI,
) -> Markup:
    """A full QR code (never Micro QR), ``module_dots`` printer dots per module."""
    if not data:
        raise ValueError("QR code needs data")
    qr = segno.make_qr(data, error=error)
    size_modules = qr.symbol_size(scale=1, border=border)[0]
    size_mm = size_modules * module_dots * dot_mm(dpi)
    svg = qr.svg_inline(omitsize=True, border=border, dark="#000", svgclass="qr")
    svg = _strip_xml_declaration(svg)
    svg = svg.replace(
        "<svg ",
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_mm:.3f}mm" '
        f'height="{size_mm:.3f}mm" shape-rendering="crispEdges" ',
        1,
    )
    return Markup(svg)


def _strip_xml_declaration(svg: str) -> str:
    if svg.startswith("<?xml"):
        svg = svg[svg.index("?>") + 2 :].lstrip()
    return svg
