# Exercise 21: make score() follow the shared counter. See README.md in this folder.
from counter import COUNT


def score():
    """The number of clicks so far."""
    return COUNT
