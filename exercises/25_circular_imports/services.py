from models import Product


def format_price(cents):
    """150 -> '$1.50'"""
    return f"${cents // 100}.{cents % 100:02d}"


def catalog():
    return [Product("pen", 150), Product("notebook", 325)]


def total(products):
    return format_price(sum(p.cents for p in products))
