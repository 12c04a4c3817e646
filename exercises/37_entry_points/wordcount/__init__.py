"""wordcount: count words, print the counts in a format of your choice."""

__version__ = "1.0.0"
