"""An order: one item a customer bought. It checks its customer at run time, so it needs the class Customer."""
from shop.customer import Customer


class Order:
    def __init__(self, customer: Customer, item: str, price: float) -> None:
        if not isinstance(customer, Customer):
            raise TypeError(f"an Order needs a Customer, not {type(customer).__name__}")
        self.customer = customer
        self.item = item
        self.price = price
        customer.add_order(self)
