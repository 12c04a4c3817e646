# Exercise 16: replace the sys.path hack with a relative import, run with python -m. See README.md in this folder.
from .stats import mean, median

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
