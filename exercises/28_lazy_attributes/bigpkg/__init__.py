# Exercise 28: import bigpkg.heavy only when someone first uses it. See README.md in this folder.
"""bigpkg: a light package with one slow, rarely used submodule, bigpkg.heavy."""
from . import heavy

__version__ = "1.0"


def quick(x):
    """Cheap work that every user of bigpkg needs."""
    return x * 2
