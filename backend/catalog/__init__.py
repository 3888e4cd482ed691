"""Master data of what is stored and who trades it: items, units, packaging, GTINs, parties."""
