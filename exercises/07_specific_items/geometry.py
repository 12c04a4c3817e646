# Exercise 07: import only sqrt and pi from math. See README.md in this folder.
import math


def hypotenuse(a, b):
    """The long side of a right triangle whose other sides are a and b."""
    return math.sqrt(a ** 2 + b ** 2)


def circle_area(radius):
    """The area of a circle."""
    return math.pi * radius ** 2
