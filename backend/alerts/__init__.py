"""Alert rules over stock, their evaluation, and signals other flows report."""
