"""Inbound: purchase orders and their approval, scan-receiving, QC, putaway, supplier figures.

Domain code only; the GraphQL layer is ``backend.schema.inbound``.
"""
