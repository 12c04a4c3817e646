"""Plugin: upper case with an exclamation mark. (The newest plugin.)"""
from ._helpers import exclaim


def transform(text):
    return exclaim(text.upper())
