"""shapes: geometry, split into the subpackages two_d (flat shapes) and three_d (solids)."""
