"""Shared code for the plugins. Its name starts with `_`: it is not a plugin."""


def exclaim(text):
    return text + "!"
