# Exercise 14: write volume(radius, height) here, reusing shapes.two_d.circle. See README.md in this folder.
"""Cylinders: the module shapes.three_d.cylinder."""
from shapes.two_d.circle import area


def volume(radius, height):
    return area(radius) * height
