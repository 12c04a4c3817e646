"""Small arithmetic helpers, a module inside the package `mypackage`."""


def add(a, b):
    return a + b


def multiply(a, b):
    return a * b
