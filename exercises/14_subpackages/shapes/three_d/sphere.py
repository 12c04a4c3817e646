"""Spheres: the module shapes.three_d.sphere."""
import math


def volume(radius):
    return 4 / 3 * math.pi * radius ** 3
