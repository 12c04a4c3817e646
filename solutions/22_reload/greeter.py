# Exercise 22: make greet() use the current settings, even after a reload. See README.md in this folder.
import settings


def greet(name):
    return f"{settings.GREETING}, {name}!"
