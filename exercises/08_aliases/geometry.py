# Exercise 08: import math under the alias m. See README.md in this folder.
import math


def hypotenuse(a, b):
    """The long side of a right triangle whose other sides are a and b."""
    return math.sqrt(a ** 2 + b ** 2)


def circle_area(radius):
    """The area of a circle."""
    return math.pi * radius ** 2


def sin_deg(angle):
    """The sine of an angle given in degrees (math.sin wants radians)."""
    return math.sin(math.radians(angle))
