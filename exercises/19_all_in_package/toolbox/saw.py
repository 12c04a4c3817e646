"""The saw."""


def cut(thing):
    return f"The {thing} is in two pieces."
