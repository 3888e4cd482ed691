"""Warehouses, zones, bins, the layout generator and the one geometry of a warehouse."""
