# Exercise 12: make stats.add, stats.mean and stats.__version__ work. See README.md in this folder.
"""stats: small statistics helpers."""
from .core import add, mean

__version__ = "1.0.0"
