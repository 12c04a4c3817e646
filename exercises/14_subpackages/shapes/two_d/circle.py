"""Circles: the module shapes.two_d.circle."""
import math


def area(radius):
    return math.pi * radius ** 2
