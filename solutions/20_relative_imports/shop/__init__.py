"""shop: prices and settings for a small shop."""
