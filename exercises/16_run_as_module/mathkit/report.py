# Exercise 16: replace the sys.path hack with a relative import, run with python -m. See README.md in this folder.
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))  # so that `from stats import` also works with -m

from stats import mean, median  # noqa: E402

SCORES = [70, 85, 90, 100]


def report(numbers):
    """The report as text, one line per fact."""
    return "\n".join([
        "Scores: " + ", ".join(str(n) for n in numbers),
        f"Mean: {mean(numbers)}",
        f"Median: {median(numbers)}",
    ])


if __name__ == "__main__":
    print(report(SCORES))
