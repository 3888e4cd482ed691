"""Printed documents: templates, barcodes, WeasyPrint rendering, printers.

Pure of the database: callers pass the frozen dataclasses of
``backend.printing.documents``. WeasyPrint is imported on the first PDF render.
"""

from backend.printing.barcodes import code128_svg, gs1_128_svg, qr_svg
from backend.printing.documents import (
    Address,
    BinLabel,
    BinLabelSheet,
    CartonContentLabel,
    CartonLine,
    CountSheet,
    CountSheetLine,
    DocumentKind,
    DocumentLine,
    LotQuantity,
    PackingSlip,
    PickList,
    PickStop,
    ShippingLabel,
    Waybill,
)
from backend.printing.printers import (
    CupsPrinter,
    Printer,
    PrinterConfig,
    PrinterError,
    PrinterKind,
    PrintResult,
    RawTcpPrinter,
    RetryPolicy,
    printer_from_config,
)
from backend.printing.render import DocumentRenderer, RenderPool, TemplateRenderError
from backend.printing.sscc import gs1_check_digit, is_valid_sscc, sscc18

__all__ = [
    "Address",
    "BinLabel",
    "BinLabelSheet",
    "CartonContentLabel",
    "CartonLine",
    "CountSheet",
    "CountSheetLine",
    "CupsPrinter",
    "DocumentKind",
    "DocumentLine",
    "DocumentRenderer",
    "LotQuantity",
    "PackingSlip",
    "PickList",
    "PickStop",
    "PrintResult",
    "Printer",
    "PrinterConfig",
    "PrinterError",
    "PrinterKind",
    "RawTcpPrinter",
    "RenderPool",
    "RetryPolicy",
    "ShippingLabel",
    "TemplateRenderError",
    "Waybill",
    "code128_svg",
    "gs1_128_svg",
    "gs1_check_digit",
    "is_valid_sscc",
    "printer_from_config",
    "qr_svg",
    "sscc18",
]
