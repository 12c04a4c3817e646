"""Plugin: reversed text."""


def transform(text):
    return text[::-1]
