# Exercise 29: keep the old names working, but have them warn. See README.md in this folder.
"""Unit conversions, version 2. Version 1 called km_to_miles `convert_km` and MILES_PER_KM `KM_FACTOR`."""
import warnings

MILES_PER_KM = 0.621371


def km_to_miles(km):
    return km * MILES_PER_KM


# Old name -> new name. The old names are not attributes of the module, so Python asks __getattr__.
_RENAMED = {"convert_km": "km_to_miles", "KM_FACTOR": "MILES_PER_KM"}


def __getattr__(name):
    if name in _RENAMED:
        new = _RENAMED[name]
        warnings.warn(f"{name} is deprecated; use {new}", DeprecationWarning, stacklevel=2)
        return globals()[new]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
