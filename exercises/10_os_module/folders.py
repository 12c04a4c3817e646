# Exercise 10: finish these four helpers with the os module. See README.md in this folder.
import os


def make_dir(name):
    """Create the folder `name` in the current working directory."""
    os.mkdir(name)


def remove_dir(name):
    """Remove the empty folder `name`."""
    # TODO


def list_here():
    """Return a sorted list of the names in the current working directory."""
    return os.listdir


def where_am_i():
    """Return the current working directory."""
    print(os.getcwd())
