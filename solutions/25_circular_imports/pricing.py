"""Prices, shared by models.py and services.py. It imports neither of them."""


def format_price(cents):
    """150 -> '$1.50'"""
    return f"${cents // 100}.{cents % 100:02d}"
