"""shop.sub: price calculations."""
