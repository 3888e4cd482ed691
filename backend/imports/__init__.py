"""Import and export of master data and opening stock as CSV and XLSX."""
