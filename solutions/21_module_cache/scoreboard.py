# Exercise 21: make score() follow the shared counter. See README.md in this folder.
import counter


def score():
    """The number of clicks so far."""
    return counter.COUNT
