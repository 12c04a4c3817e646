# Exercise 06: finish these functions with the math module. See README.md in this folder.
import math


def hypotenuse(a, b):
    """The long side of a right triangle whose two short sides are a and b."""
    return math.sqrt(a**2 + b**2)


def circle_area(radius):
    """The area of a circle: pi times the radius squared."""
    return math.pi * radius**2


def arrangements(n):
    """In how many different orders can n different things be lined up? That is n! (n factorial)."""
    return math.factorial(n)


def sin_deg(degrees):
    """The sine of an angle given in degrees."""
    return math.sin(math.radians(degrees))
