# Exercise 20: import TAX from shop/config.py with the right relative import. See README.md in this folder.
from ..config import TAX
from .discounts import MEMBER_DISCOUNT


def price_with_tax(net):
    """The price including tax, rounded to cents."""
    return round(net * (1 + TAX), 2)


def member_price(net):
    """The price with tax, minus the member discount, rounded to cents."""
    return round(price_with_tax(net) * (1 - MEMBER_DISCOUNT), 2)
