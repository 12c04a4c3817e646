"""The hammer."""


def hit(thing):
    return f"Bang! The {thing} is in."
