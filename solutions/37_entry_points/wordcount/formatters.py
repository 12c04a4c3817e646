"""Formatters: each turns {word: count} into text."""
import json
from importlib.metadata import entry_points


def plain(counts):
    return "\n".join(f"{word} {n}" for word, n in sorted(counts.items()))


def as_json(counts):
    return json.dumps(counts, sort_keys=True)


def available():
    """{name: formatter function} for every formatter installed."""
    return {ep.name: ep.load() for ep in entry_points(group="wordcount.formatters")}
