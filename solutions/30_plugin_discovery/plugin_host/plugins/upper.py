"""Plugin: upper case."""


def transform(text):
    return text.upper()
