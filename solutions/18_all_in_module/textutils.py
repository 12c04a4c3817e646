# Exercise 18: declare the public API with __all__. See README.md in this folder.
"""Small text helpers: slugify("Hello, World!") == "hello-world"."""
__all__ = ["slugify", "word_count"]

import re

WORD = re.compile(r"[a-z0-9]+")


def normalize(text):
    """Helper: the lower-case words of `text`, without punctuation."""
    return WORD.findall(text.lower())


def slugify(text):
    """A URL-friendly version of `text`: "Hello, World!" -> "hello-world"."""
    return "-".join(normalize(text))


def word_count(text):
    """How many words `text` has."""
    return len(normalize(text))
