"""A small shop: its prices and its price list."""
