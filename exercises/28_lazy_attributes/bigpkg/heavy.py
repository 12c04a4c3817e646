"""bigpkg.heavy: imagine this module takes seconds to import (a big table, a large library behind it)."""
print("bigpkg.heavy: loading... (slow!)")  # so that you can see exactly when it is imported


def crunch(numbers):
    """The expensive feature: the sum of the squares."""
    return sum(n * n for n in numbers)
