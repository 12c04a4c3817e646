# Exercise 17: move the command-line code into greetkit/__main__.py. See README.md in this folder.
"""greetkit: friendly greetings."""
import sys


def greeting(name):
    return f"Hello, {name}!"


name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(greeting(name))
