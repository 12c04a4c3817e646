# Exercise 19: list the submodules for `from toolbox import *` in __all__. See README.md in this folder.
"""toolbox: a hammer, a saw, and an experimental drill."""

__all__ = ["hammer.py", "saw.py"]
