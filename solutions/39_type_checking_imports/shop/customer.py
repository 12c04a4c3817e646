"""A customer and the orders they placed. Order is named here only in annotations, for the type checker."""
from __future__ import annotations  # annotations stay unevaluated strings: Order need not exist at run time

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # True for mypy, pyright and editors; False when the program runs: no import, no cycle
    from shop.order import Order


class Customer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.orders: list[Order] = []

    def add_order(self, order: Order) -> None:
        self.orders.append(order)

    def latest(self) -> Order | None:
        return self.orders[-1] if self.orders else None

    def total(self) -> float:
        return sum(order.price for order in self.orders)
