"""Rendered documents scan: every label PDF is rasterised at a thermal printer's
203 dpi (pdftoppm) and decoded (zbarimg), as a scanner at the dock would."""

import asyncio
import base64
import dataclasses
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backend.printing import samples
from backend.printing.documents import CountSheetLine, DocumentKind
from backend.printing.render import DocumentRenderer, RenderPool, TemplateRenderError
from backend.printing.sscc import is_valid_sscc

ZBAR_NS = {"z": "http://zbar.sourceforge.net/2008/barcode"}


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is required by the printing tests (Debian package {package}); "
            "install it, e.g. apt-get install poppler-utils zbar-tools"
        )
    return path


@dataclasses.dataclass(frozen=True)
class Symbol:
    kind: str
    data: bytes
    gs1: bool

    @property
    def text(self) -> str:
        return self.data.decode("latin-1")


def decode_pages(pdf: bytes, tmp_path: Path, dpi: int = 203) -> list[list[Symbol]]:
    """Rasterise each page and return the symbols zbar finds on it, top to bottom."""
    pdftoppm, zbarimg = _tool("pdftoppm", "poppler-utils"), _tool("zbarimg", "zbar-tools")
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", source, tmp_path / "page"], check=True)
    pages = []
    for png in sorted(tmp_path.glob("page-*.png")):
        run = subprocess.run(
            [zbarimg, "--nodbus", "--xml", "-q", png], capture_output=True, check=False
        )
        if run.returncode not in (0, 4):  # 4: no symbol found
            pytest.fail(f"zbarimg failed on {png.name}: {run.stderr.decode()}")
        symbols = []
        if run.stdout.strip():
            for node in ET.fromstring(run.stdout).iterfind(".//z:symbol", ZBAR_NS):
                data_node = node.find("z:data", ZBAR_NS)
                assert data_node is not None and data_node.text is not None
                raw = data_node.text
                data = (
                    base64.b64decode(raw)
                    if data_node.get("format") == "base64"
                    else raw.encode("latin-1")
                )
                symbols.append(
                    Symbol(node.get("type", ""), data, "GS1" in node.get("modifiers", ""))
                )
        pages.append(symbols)
    return pages


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = _tool("pdftotext", "poppler-utils")
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        [pdftotext, "-layout", source, "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture(scope="module")
def renderer() -> DocumentRenderer:
    return DocumentRenderer()


def test_shipping_label_barcodes_read_back_exactly(renderer, tmp_path):
    label = samples.shipping_label(7)
    [symbols] = decode_pages(renderer.render_pdf("shipping_label", label), tmp_path)
    by_kind = {(s.kind, s.gs1): s.text for s in symbols}
    assert len(symbols) == 3, symbols
    assert by_kind[("QR-Code", False)] == label.tracking_number
    assert by_kind[("CODE-128", False)] == label.tracking_number
    # GS1-128: zbar reports the leading FNC1 as the GS1 modifier and prints the
    # element string without parentheses (and without a "]C1" prefix).
    sscc_read = by_kind[("CODE-128", True)]
    assert sscc_read == "00" + label.sscc
    assert is_valid_sscc(sscc_read[2:])


def test_chinese_shipping_label_renders_cjk_text(renderer, tmp_path):
    label = samples.shipping_label(3, chinese=True)
    pdf = renderer.render_pdf("shipping_label", label, lang="zh-CN")
    # pdftotext drops the spaces between CJK and Latin characters
    text = "".join(pdf_text(pdf, tmp_path).split())
    for expected in ("收货方", "发货方", "运单号", "上海东方贸易有限公司", "第3箱/共3箱"):
        assert expected in text
    fonts = subprocess.run(
        [_tool("pdffonts", "poppler-utils"), "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Noto-Sans-CJK-SC" in fonts
    [symbols] = decode_pages(pdf, tmp_path)
    assert {s.text for s in symbols} == {label.tracking_number, "00" + label.sscc}


def test_language_tags_are_normalised(renderer):
    doc = samples.shipping_label()
    assert "收货方" in renderer.render_html("shipping_label", doc, lang="zh_CN")
    assert "Ship to" in renderer.render_html("shipping_label", doc, lang="de-DE")


def test_carton_label_sscc_and_contents(renderer, tmp_path):
    label = samples.carton_label()
    pdf = renderer.render_pdf(DocumentKind.CARTON_LABEL, label)
    [symbols] = decode_pages(pdf, tmp_path)
    assert [(s.kind, s.gs1, s.text) for s in symbols] == [("CODE-128", True, "00" + label.sscc)]
    text = pdf_text(pdf, tmp_path)
    assert label.order_ref in text and "L2411-07" in text and "1 of 3" in text


def test_carton_label_with_many_lines_says_how_many_are_not_shown(renderer):
    label = samples.carton_label()
    many = dataclasses.replace(label, lines=label.lines * 5)
    html = renderer.render_html("carton_label", many)
    assert "+ 6 more lines" in html


def test_multi_element_gs1_128_keeps_fnc1_separators(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "gs1_test.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block page_css %}@page { size: 160mm 50mm; margin: 5mm }'
        "{% endblock %}{% block content %}{{ gs1_128(doc, module_dots=3) }}{% endblock %}"
    )
    renderer = DocumentRenderer(folder)
    pdf = renderer.render_pdf("gs1_test", "(01)09501101530003(10)AB-12(17)250101(21)X9")
    [[symbol]] = decode_pages(pdf, tmp_path)
    assert symbol.gs1
    assert symbol.text == "010950110153000310AB-12\x1d1725010121X9"


def test_batch_is_one_document_with_one_label_a_page(renderer, tmp_path):
    labels = [samples.shipping_label(n) for n in range(1, 6)]
    pages = decode_pages(renderer.render_many_pdf("shipping_label", labels), tmp_path)
    assert len(pages) == 5
    for label, symbols in zip(labels, pages, strict=True):
        assert {s.text for s in symbols} == {label.tracking_number, "00" + label.sscc}


def test_packing_slip_lists_lines_lots_and_serials(renderer, tmp_path):
    slip = samples.packing_slip()
    text = pdf_text(renderer.render_pdf("packing_slip", slip), tmp_path)
    for expected in ("Packing slip", "SO-2026-00042", "DR18-00418", "L2411-09", "2029-12-31",
                     "short 5", "106141410000000019"):  # fmt: skip
        assert expected in text


def test_waybill_has_lines_lots_serials_and_signature_boxes(renderer, tmp_path):
    waybill = samples.waybill()
    pdf = renderer.render_pdf("waybill", waybill)
    text = pdf_text(pdf, tmp_path)
    for expected in ("SHP-2026-000731", "DR18-00412", "G-5521", "Driver (carrier)",
                     "Receiver (consignee)", "SIGNATURE", "NL 12-ABC-3", "48.20 kg"):  # fmt: skip
        assert expected in text
    [symbols, *_] = decode_pages(pdf, tmp_path)
    assert waybill.waybill_no in {s.text for s in symbols}
    zh = pdf_text(renderer.render_pdf("waybill", waybill, lang="zh-CN"), tmp_path)
    assert "司机（承运方）" in zh and "收货人" in zh


def test_pick_list_bins_scan_in_route_order(renderer, tmp_path):
    pick_list = samples.pick_list()
    # An A4 list is printed on an office printer: read it at 300 dpi.
    pages = decode_pages(renderer.render_pdf("pick_list", pick_list), tmp_path, dpi=300)
    read = [s.text for page in pages for s in page if s.text.startswith("BIN-")]
    # zbar lists symbols bottom-up; route order is top-down
    assert sorted(read) == sorted(stop.bin_code for stop in pick_list.stops)
    html = renderer.render_html("pick_list", pick_list)
    positions = [html.index(f">{stop.bin_code}<") for stop in pick_list.stops]
    assert positions == sorted(positions)


def test_a_bin_code_too_long_for_code_128_prints_as_a_qr_code(renderer, tmp_path):
    long_code = "BIN-DISTRIBUTION-CENTRE-7-A01-001-1-K"  # no Code 128 of it fits 58 mm
    base = samples.pick_list()
    stops = (*base.stops[:2], dataclasses.replace(base.stops[2], bin_code=long_code))
    pick_list = dataclasses.replace(base, stops=stops)
    pages = decode_pages(renderer.render_pdf("pick_list", pick_list), tmp_path, dpi=300)
    read = {(s.kind, s.text) for page in pages for s in page if s.text.startswith("BIN-")}
    assert ("QR-Code", long_code) in read
    assert {text for kind, text in read if kind == "CODE-128"} == {
        stop.bin_code for stop in stops[:2]
    }


def test_bin_labels_scan_and_show_the_check_character(renderer, tmp_path):
    sheet = samples.bin_labels(16)
    pdf = renderer.render_pdf("bin_labels", sheet)
    pages = decode_pages(pdf, tmp_path)
    assert len(pages) == 2  # 2 × 7 a page
    assert sorted(s.text for page in pages for s in page) == sorted(b.code for b in sheet.labels)
    html = renderer.render_html("bin_labels", sheet)
    first = sheet.labels[0]
    assert f'<span class="check" title="Check">{first.check_char}</span>' in html


def test_count_sheet_is_blind(renderer, tmp_path):
    names = {f.name for f in dataclasses.fields(CountSheetLine)}
    assert not names & {"quantity", "on_hand", "expected", "book_quantity"}
    text = pdf_text(renderer.render_pdf("count_sheet", samples.count_sheet()), tmp_path)
    assert "Blind count" in text and "BIN-B01-001-1-Z" in text


def test_custom_template_folder_overrides_one_builtin(tmp_path):
    folder = tmp_path / "site-templates"
    folder.mkdir()
    (folder / "shipping_label.html.j2").write_text(
        '{% extends "base.html.j2" %}{% block content %}'
        "<h1>ACME LABEL {{ doc.order_ref }}</h1>{{ code128(doc.tracking_number) }}"
        "{% endblock %}"
    )
    renderer = DocumentRenderer(folder)
    label = samples.shipping_label()
    html = renderer.render_html("shipping_label", label)
    assert f"ACME LABEL {label.order_ref}" in html
    assert "Ship from" not in html
    # other documents still come from the built-in folder
    assert "Packing slip" in renderer.render_html("packing_slip", samples.packing_slip())
    [symbols] = decode_pages(renderer.render_pdf("shipping_label", label), tmp_path)
    assert [s.text for s in symbols] == [label.tracking_number]


def test_missing_custom_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        DocumentRenderer(tmp_path / "nope")


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{% extends 'base.html.j2' %}{% block content %}{{ doc.no_such_field }}{% endblock %}",
         "no_such_field"),
        ("{% extends 'base.html.j2' %}{% block content %}{% if %}{% endblock %}",
         "line 1"),
        ("{% extends 'base.html.j2' %}{% block content %}{{ gs1_128('(00)123') }}{% endblock %}",
         "needs 18"),
        ('<img src="http://example.com/logo.png">', "disallowed protocol"),
        ('<link rel="stylesheet" href="file:///etc/passwd">', "outside the template folders"),
    ],
)  # fmt: skip
def test_failing_template_raises_template_render_error(tmp_path, source, reason):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "shipping_label.html.j2").write_text(source)
    renderer = DocumentRenderer(folder)
    with pytest.raises(TemplateRenderError) as info:
        renderer.render_pdf("shipping_label", samples.shipping_label())
    assert info.value.document == "shipping_label"
    assert reason in str(info.value)


def test_unknown_template_and_wrong_data_are_clear_errors(renderer):
    with pytest.raises(TemplateRenderError, match="not found"):
        renderer.render_pdf("no_such_document", samples.shipping_label())
    with pytest.raises(TemplateRenderError, match="expects ShippingLabel, got PackingSlip"):
        renderer.render_pdf("shipping_label", samples.packing_slip())
    with pytest.raises(TemplateRenderError, match="no documents"):
        renderer.render_many_pdf("shipping_label", [])


async def test_async_render_leaves_the_event_loop_free(renderer, monkeypatch):
    # Proven by where the work runs and that the loop kept turning meanwhile,
    # not by a timing threshold (which a loaded CI machine would break).
    loop_thread = threading.get_ident()
    render_threads: list[int] = []
    original = DocumentRenderer.render_many_pdf

    def recording(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        render_threads.append(threading.get_ident())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DocumentRenderer, "render_many_pdf", recording)
    ticks = 0
    done = asyncio.Event()

    async def ticker() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    labels = [samples.shipping_label(n) for n in range(10)]
    pdf = await renderer.render_many_pdf_async("shipping_label", labels)
    done.set()
    await task
    assert pdf.startswith(b"%PDF")
    assert render_threads and all(t != loop_thread for t in render_threads)
    assert ticks > 10, "the event loop did not run while the batch rendered"


def test_weasyprint_is_imported_lazily():
    code = (
        "import sys, backend.printing, backend.printing.render as r\n"
        "assert 'weasyprint' not in sys.modules\n"
        "r.DocumentRenderer().render_html('pick_list', __import__("
        "'backend.printing.samples', fromlist=['x']).pick_list())\n"
        "assert 'weasyprint' not in sys.modules\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


async def test_render_pool_renders_in_another_process(tmp_path):
    label = samples.shipping_label(9)
    async with RenderPool() as pool:
        pdf = await pool.render_many_pdf("shipping_label", [label, samples.shipping_label(10)])
        with pytest.raises(TemplateRenderError) as info:
            await pool.render_pdf("shipping_label", samples.packing_slip())
    assert info.value.document == "shipping_label"
    assert "expects ShippingLabel" in info.value.reason
    pages = decode_pages(pdf, tmp_path)
    assert len(pages) == 2
    assert {s.text for s in pages[0]} == {label.tracking_number, "00" + label.sscc}
