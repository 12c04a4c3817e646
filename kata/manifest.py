"""info.toml, the one source of truth for the exercise list, order, titles, files and hints."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from kata import MANIFEST


@dataclass(frozen=True)
class Exercise:
    name: str  # folder name, e.g. "07_specific_items"
    title: str
    part: str
    files: tuple[str, ...]  # what the learner edits, relative to the exercise folder
    hints: tuple[str, ...]  # from a gentle nudge to nearly the answer

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def test_file(self) -> str:
        return f"tests/test_{self.name}.py"


def load(path: Path = MANIFEST) -> list[Exercise]:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return [
        Exercise(
            name=e["name"],
            title=e["title"],
            part=e.get("part", ""),
            files=tuple(e.get("files", ())),
            hints=tuple(e.get("hints", ())),
        )
        for e in data.get("exercises", [])
    ]


def find(key: str, exercises: list[Exercise] | None = None) -> Exercise:
    """Accept `7`, `07`, `07_specific_items` or `specific_items`."""
    exercises = load() if exercises is None else exercises
    key = key.strip().strip("/").rsplit("/", 1)[-1]
    for e in exercises:
        number, _, rest = e.name.partition("_")
        if key in (e.name, rest) or (key.isdigit() and int(key) == int(number)):
            return e
    names = ", ".join(e.name for e in exercises)
    raise LookupError(f"No exercise matches {key!r}. Try a number such as 07, or one of: {names}")
