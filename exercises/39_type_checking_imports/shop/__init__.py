"""A tiny shop: customers and their orders."""
