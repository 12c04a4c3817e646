# Exercise 31: move this package into src/ and finish pyproject.toml. See README.md in the exercise folder.
"""greetkit: friendly greetings."""
from .core import greet

__version__ = "0.1.0"
