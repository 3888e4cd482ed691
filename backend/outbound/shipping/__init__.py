"""Shipping: carriers, tracking numbers, SSCC series, ship, documents from the database."""
