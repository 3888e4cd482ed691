"""Shipping settings (filled from the environment by backend/config.py, passed in as
``settings.shipping``):

WMS_GS1_COMPANY_PREFIX   GS1 company prefix for SSCCs (7-10 digits), default 0614141
WMS_SSCC_EXTENSION       SSCC extension digit 0-9, default 1
WMS_PACK_WEIGHT_TOLERANCE_PCT   accepted scale deviation in percent, default 5
WMS_PACK_WEIGHT_TOLERANCE_MIN_G never tighter than this many grams, default 50
WMS_OWN_FLEET_PREFIX     two letters starting own-fleet tracking numbers, default WF
WMS_OWN_FLEET_COUNTRY    two-letter country ending them, default NL
WMS_SHIPMENT_WEBHOOK_URLS   comma-separated URLs told about every shipment (default none)
WMS_SHIPMENT_WEBHOOK_SECRET HMAC-SHA256 key signing their bodies
WMS_SHIPMENT_WEBHOOK_ATTEMPTS  tries per delivery, default 5
WMS_SHIPMENT_WEBHOOK_BACKOFF_S first wait between tries (doubles), default 2
WMS_ORDER_WEBHOOK_URLS   comma-separated URLs told about every state change of a shop order
WMS_ORDER_WEBHOOK_SECRET HMAC-SHA256 key signing their bodies (same tries and backoff)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ShippingSettings:
    gs1_company_prefix: str = "0614141"
    sscc_extension: int = 1
    weight_tolerance_pct: float = 5.0
    weight_tolerance_min_g: int = 50
    own_fleet_prefix: str = "WF"
    own_fleet_country: str = "NL"
    webhook_urls: tuple[str, ...] = ()
    webhook_secret: str = ""
    webhook_attempts: int = 5
    webhook_backoff_s: float = 2.0
    order_webhook_urls: tuple[str, ...] = ()
    order_webhook_secret: str = ""

    def __post_init__(self) -> None:
        prefix = self.gs1_company_prefix
        if not (prefix.isascii() and prefix.isdigit() and 7 <= len(prefix) <= 10):
            raise ValueError(f"WMS_GS1_COMPANY_PREFIX must be 7-10 digits, got {prefix!r}")
        if not 0 <= self.sscc_extension <= 9:
            raise ValueError("WMS_SSCC_EXTENSION must be a digit 0-9")
        for name, value in (("PREFIX", self.own_fleet_prefix), ("COUNTRY", self.own_fleet_country)):
            if not (len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()):
                raise ValueError(f"WMS_OWN_FLEET_{name} must be two capital letters")
        if self.webhook_urls and not self.webhook_secret:
            raise ValueError("WMS_SHIPMENT_WEBHOOK_URLS needs WMS_SHIPMENT_WEBHOOK_SECRET")
        if self.order_webhook_urls and not self.order_webhook_secret:
            raise ValueError("WMS_ORDER_WEBHOOK_URLS needs WMS_ORDER_WEBHOOK_SECRET")
        if self.webhook_attempts < 1 or self.webhook_backoff_s < 0:
            raise ValueError("webhook attempts must be at least 1 and backoff not negative")
