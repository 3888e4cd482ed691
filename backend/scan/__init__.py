"""Scan parsing: GS1 barcodes on goods and the codes this system prints.

A scan is parsed once, here. See ``parser`` for how a scan is recognised,
``internal`` for the ``PREFIX-BODY-C`` codes and their check character, and
``gs1`` for GS1 data.
"""

from backend.scan.gs1 import GS1Scan
from backend.scan.internal import CodeKind, InternalScan, check_char, make_code
from backend.scan.parser import ScanResult, parse_scan, split_burst

__all__ = [
    "CodeKind",
    "GS1Scan",
    "InternalScan",
    "ScanResult",
    "check_char",
    "make_code",
    "parse_scan",
    "split_burst",
]
