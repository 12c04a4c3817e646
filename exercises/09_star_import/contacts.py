# Exercise 09: replace the star import with explicit imports. See README.md in this folder.
"""A tiny address book."""

e = "user@example.com"  # the e-mail address new contacts get when none is given

from math import *


def new_contact(name, email=None):
    """A contact as a dict; without an e-mail address it gets the default one, e."""
    return {"name": name, "email": email or e}


def pages_needed(count, per_page=10):
    """How many pages it takes to list `count` contacts, `per_page` on each page."""
    return ceil(count / per_page)


def distance(a, b):
    """Straight-line distance between two (x, y) points, e.g. two contacts' offices on a map."""
    return sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2)
