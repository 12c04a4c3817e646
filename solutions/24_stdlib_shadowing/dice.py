# Exercise 24: make `python dice.py` work again. See README.md in this folder.
import random

from dice_tools import format_roll


def roll(count=2):
    """Roll `count` six-sided dice and return their values."""
    return [random.randint(1, 6) for _ in range(count)]


if __name__ == "__main__":
    print(format_roll(roll()))
