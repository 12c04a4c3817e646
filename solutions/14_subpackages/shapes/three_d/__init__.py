"""shapes.three_d: solids."""
