# Exercise 29: keep the old names working, but have them warn. See README.md in this folder.
"""Unit conversions, version 2. Version 1 called km_to_miles `convert_km` and MILES_PER_KM `KM_FACTOR`."""

MILES_PER_KM = 0.621371


def km_to_miles(km):
    return km * MILES_PER_KM


# The old names, kept so that old code does not break... but nothing tells that code they will go away.
convert_km = km_to_miles
KM_FACTOR = MILES_PER_KM
