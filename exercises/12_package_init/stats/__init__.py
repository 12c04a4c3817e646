# Exercise 12: make stats.add, stats.mean and stats.__version__ work. See README.md in this folder.
"""stats: small statistics helpers."""
from . import core
