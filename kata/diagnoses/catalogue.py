"""The diagnosis catalogue: every mistake the kata can name, each with a stable id (like rustc's error codes).

An entry is: an id (K101...), a title, a detector that decides from the facts of a failure (kata/diagnoses/
facts.py: the exception's type and attributes, the failing frame and its line, the learner files' ASTs, the
exercise folder, how the code was started) and returns the short message or None, a long explanation, and an
example: a small exercise folder with the mistake, how it is run, and its fix. kata/tests/test_catalogue.py
replays every example and asserts that it gets exactly its entry's id, and that its fix gets none: an entry
cannot land untested.

The families, one module each (the hundreds digit): 1 finding a module, 2 names in modules, 3 shadowing the
standard library, 4 packages and relative imports, 5 how code is started, 6 reading the source, 7 code that
runs at import. The first detector that answers wins (families in the order of FAMILIES, then by id): a
more specific entry has a lower number than the general one of its family, or the general one is marked
`fallback` (asked after every other entry of its family; ids stay stable when a specific one is added).

Short messages say what is wrong, where, and which concept applies; the literal line to type belongs to the
hints (info.toml). Each ends with its id, so `make explain ID=K...` can say more.
"""
from __future__ import annotations

import importlib
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Callable

from kata.diagnoses.facts import Facts

# The order detectors are asked in: the specific families first (a file named like a standard module makes
# every other diagnosis of that failure wrong).
FAMILIES = ("shadowing", "packages", "finding", "names", "starting", "source", "runtime")


@dataclass(frozen=True)
class Example:
    """A tiny exercise folder with the mistake: `files`, run as `run` says, and `fix`: the files that change.

    run: "import NAME" (ex.load), "script PATH [ARGS]" (python PATH), "module NAME" (python -m NAME with the
    folder on the path), "call MODULE.FUNCTION" (import, then call it with no arguments).
    compiled: {path: source}, bytecode files left behind (compiled from that source).
    """

    files: dict[str, str | bytes]  # bytes: written as they are (a file in another encoding)
    run: str
    fix: dict[str, str | None]  # None deletes the file
    fix_run: str = ""  # how the fixed folder is run, when the fix is to run it another way
    compiled: dict[str, str] = field(default_factory=dict)
    seconds: float = 10.0  # the replay's time limit for a script or -m run (an endless loop uses all of it)


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    detect: Callable[[Facts], str | None]
    explanation: str  # the long text: the concept, then why the example fails and what the fix changes
    example: Example
    seen_in: tuple[str, ...] = ()  # public threads where learners met this mistake
    fallback: bool = False  # the general entry of its family: asked after the specific ones

    def long(self) -> str:
        """What `make explain ID=...` prints."""
        ex = self.example
        shown = "\n".join(f"    # {path}" + (" (saved as Latin-1, not UTF-8)" if isinstance(text, bytes) else "")
                          + "\n" + textwrap.indent(_text(text).rstrip() or "(empty)", "    ")
                          for path, text in ex.files.items())
        fixed = "\n".join(f"    # {path}\n" + textwrap.indent((text or "").rstrip() or "(empty)", "    ")
                          if text is not None else f"    # {path}: deleted" for path, text in ex.fix.items())
        extra = "".join(f"    # {path}: a leftover bytecode file, compiled from an older source\n"
                        for path in ex.compiled)
        how = {"import": "imported:", "script": "run as a script: python", "module": "run as a module: python -m",
               "call": "imported, then called:"}[ex.run.split()[0]]
        seen = "".join(f"\n  {url}" for url in self.seen_in)
        return (f"{self.id}: {self.title}\n\n{textwrap.dedent(self.explanation).strip()}\n\n"
                f"Erroneous example ({how} {ex.run.split(maxsplit=1)[1]}):\n{shown}\n{extra}"
                f"\nFixed:\n{fixed}\n" + (f"\nSeen in:{seen}\n" if seen else ""))


def _text(content: str | bytes) -> str:
    return content.decode("latin-1") if isinstance(content, bytes) else content


ENTRIES: dict[str, Entry] = {}
_ORDER: list[Entry] = []


def entry(id: str, title: str, *, example: Example, explanation: str, seen_in: tuple[str, ...] = (),
          fallback: bool = False):
    """Register the decorated detector as catalogue entry `id`."""
    def register(detect: Callable[[Facts], str | None]):
        if id in ENTRIES:
            raise ValueError(f"duplicate catalogue id {id}")
        ENTRIES[id] = Entry(id, title, detect, explanation, example, tuple(seen_in), fallback)
        return detect
    return register


def _load():
    if not _ORDER:
        for family in FAMILIES:
            importlib.import_module(f"kata.diagnoses.{family}")
        rank = {family: i for i, family in enumerate(FAMILIES)}
        _ORDER.extend(sorted(ENTRIES.values(), key=lambda e: (rank[e.detect.__module__.rpartition(".")[2]], e.fallback, e.id)))


@dataclass(frozen=True)
class Diagnosis:
    id: str
    text: str

    def __str__(self) -> str:
        return f"{self.text}\n[{self.id}] more: `make explain ID={self.id}`"


def diagnose(facts: Facts) -> Diagnosis | None:
    """The first entry whose detector recognises these facts."""
    _load()
    for e in _ORDER:
        try:
            text = e.detect(facts)
        except (OSError, ValueError, SyntaxError, RecursionError):  # a detector never breaks a report
            text = None
        if text:
            return Diagnosis(e.id, text)
    return None


def entries() -> list[Entry]:
    _load()
    return list(_ORDER)


def main(argv: list[str]) -> int:
    """`python -m kata explain`: every diagnosis, one per line; `explain K101`: its long explanation."""
    known = {e.id: e for e in sorted(entries(), key=lambda e: e.id)}
    if not argv:
        for e in known.values():
            print(f"{e.id}  {e.title}")
        return 0
    wanted = argv[0].strip().upper()
    if wanted not in known:
        print(f"No diagnosis {argv[0]!r}. `python -m kata explain` lists them all.")
        return 2
    print(known[wanted].long())
    return 0


# -- small helpers for detectors ----------------------------------------------------------------------
def near(word: str, options, cutoff: float = 0.6) -> str | None:
    """The option closest to `word` (a misspelling), or None."""
    import difflib

    found = difflib.get_close_matches(word, [o for o in options if o != word], n=1, cutoff=cutoff)
    return found[0] if found else None


def line_of(facts: Facts) -> str:
    """"line 3 of main.py" for the failing line, or "" when no learner line failed."""
    if not facts.where:
        return ""
    return f"line {facts.where[1]} of {facts.show(facts.where[0])}"
