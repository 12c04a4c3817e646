# Exercise 08: import math under the alias m. See README.md in this folder.
import math as m


def hypotenuse(a, b):
    """The long side of a right triangle whose other sides are a and b."""
    return m.sqrt(a ** 2 + b ** 2)


def circle_area(radius):
    """The area of a circle."""
    return m.pi * radius ** 2


def sin_deg(angle):
    """The sine of an angle given in degrees (math.sin wants radians)."""
    return m.sin(m.radians(angle))
