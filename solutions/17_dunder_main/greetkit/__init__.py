# Exercise 17: move the command-line code into greetkit/__main__.py. See README.md in this folder.
"""greetkit: friendly greetings."""


def greeting(name):
    return f"Hello, {name}!"
