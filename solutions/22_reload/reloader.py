# Exercise 22: make refresh() run the module's file again. See README.md in this folder.
import importlib


def refresh(module):
    """Run the module's source file again and return the updated module."""
    return importlib.reload(module)
