"""Formatters: each turns {word: count} into text."""
import json


def plain(counts):
    return "\n".join(f"{word} {n}" for word, n in sorted(counts.items()))


def as_json(counts):
    return json.dumps(counts, sort_keys=True)


def available():
    """{name: formatter function} for every formatter installed."""
    return {"plain": plain, "json": as_json}
