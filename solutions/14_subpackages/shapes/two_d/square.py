"""Squares: the module shapes.two_d.square."""


def area(side):
    return side ** 2
