# Exercise 28: import bigpkg.heavy only when someone first uses it. See README.md in this folder.
"""bigpkg: a light package with one slow, rarely used submodule, bigpkg.heavy."""
import importlib

__version__ = "1.0"

_LAZY_SUBMODULES = {"heavy"}


def quick(x):
    """Cheap work that every user of bigpkg needs."""
    return x * 2


def __getattr__(name):
    """Called only when `bigpkg.<name>` is not found the normal way (PEP 562)."""
    if name in _LAZY_SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY_SUBMODULES])
