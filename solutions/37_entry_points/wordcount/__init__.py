"""wordcount: count words, print the counts in a format of your choice."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wordcount")  # what pip installed, from pyproject.toml: one place for the number
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
