"""Pack check at the packing station: sessions, cartons, carton choice."""
