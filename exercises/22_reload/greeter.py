# Exercise 22: make greet() use the current settings, even after a reload. See README.md in this folder.
from settings import GREETING


def greet(name):
    return f"{GREETING}, {name}!"
