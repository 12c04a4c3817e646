"""greetkit.core: the greeting itself."""


def greet(name):
    return f"Hello, {name}!"
