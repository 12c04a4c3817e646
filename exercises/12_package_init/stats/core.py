"""The package's code lives here; stats/__init__.py decides what `import stats` shows."""


def add(a, b):
    return a + b


def mean(numbers):
    """The average of a non-empty list of numbers."""
    total = 0
    for number in numbers:
        total = add(total, number)
    return total / len(numbers)
