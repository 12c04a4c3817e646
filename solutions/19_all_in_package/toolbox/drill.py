"""The drill: experimental, not part of the public API yet."""


def drill(thing):
    return f"There is a hole in the {thing}."
