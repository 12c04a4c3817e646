from models import Product
from pricing import format_price


def catalog():
    return [Product("pen", 150), Product("notebook", 325)]


def total(products):
    return format_price(sum(p.cents for p in products))
