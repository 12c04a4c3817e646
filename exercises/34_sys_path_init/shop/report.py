"""The price list. Run it with: python -m shop.report"""
from prices import with_tax

CATALOG = {"pen": 1.50, "notebook": 3.25}


def lines():
    return [f"{name}: {with_tax(price):.2f}" for name, price in CATALOG.items()]


def main():
    for line in lines():
        print(line)


if __name__ == "__main__":
    main()
