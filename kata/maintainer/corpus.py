"""The answer corpus (answers/NN_name.toml): other answers to each exercise than the reference solution.

A *valid* answer is one a Python expert would accept: it must pass. A *wrong* answer looks right but teaches
the wrong thing (or is a real learner's mistake): it must fail, and, when the entry says so, with a given
diagnosis id of the catalogue or a given fragment in its messages. `make verify` runs every answer of every
exercise in ONE pytest session (`pytest --kata-answers=answers/`: each test of an exercise runs once per answer
of that exercise) and names every answer that is misjudged. An answer stores only what differs from
solutions/NN_name/ (or from the stub, with `base = "stub"`).

An entry ([[valid]] or [[wrong]] in answers/NN_name.toml):
    why        one line: what makes it valid, or what it gets wrong (required)
    base       "solution" (default) or "stub": the folder the changes apply to
    files      {path = "content"}: files written (created or replaced), as UTF-8 unless `encoding` says
    encoding   {path = "utf-8-sig" | "latin-1" | ...}: write that file in this encoding (a BOM, a PEP 263 file)
    compiled   {path = "source"}: a bytecode file compiled from this source (a leftover .pyc)
    delete     [paths]: files or folders removed
    rename     {old = new}: files or folders moved
    diagnosis  (wrong only) the catalogue id its messages must carry, e.g. "K104"
    says       (wrong only) a fragment its messages must carry
    source     where the mistake was seen: the address of a public thread
    python     which Pythons it applies to, e.g. ">=3.12" (elsewhere it is not run, and verify says so)
"""
from __future__ import annotations

import py_compile
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from kata import EXERCISES, ROOT, SOLUTIONS

ANSWERS = ROOT / "answers"
KINDS = ("valid", "wrong")
KEYS = {"why", "base", "files", "encoding", "compiled", "delete", "rename", "diagnosis", "says", "source", "python"}


@dataclass
class Answer:
    exercise: str
    kind: str  # "valid" or "wrong"
    number: int  # 1, 2, ... within its kind
    why: str
    base: str = "solution"
    files: dict[str, str] = field(default_factory=dict)
    encoding: dict[str, str] = field(default_factory=dict)
    compiled: dict[str, str] = field(default_factory=dict)
    delete: list[str] = field(default_factory=list)
    rename: dict[str, str] = field(default_factory=dict)
    diagnosis: str = ""
    says: str = ""
    source: str = ""
    python: str = ""
    tree: Path | None = None  # where it was written out: tree / exercise is its exercise folder

    @property
    def key(self) -> str:
        """`07_specific_items@valid.2`: how results and verify name it."""
        return f"{self.exercise}@{self.kind}.{self.number}"

    @property
    def param_id(self) -> str:
        return f"@{self.kind}.{self.number}"

    def applies(self, version=None) -> bool:
        if not self.python:
            return True
        from packaging.specifiers import SpecifierSet

        v = version or sys.version_info
        return f"{v[0]}.{v[1]}" in SpecifierSet(self.python)


class CorpusError(ValueError):
    pass


def load(folder: Path = ANSWERS) -> dict[str, list[Answer]]:
    """{exercise: [answers]} from every answers/NN_name.toml."""
    corpus: dict[str, list[Answer]] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        exercise = path.stem
        with open(path, "rb") as f:
            try:
                data = tomllib.load(f)
            except tomllib.TOMLDecodeError as e:
                raise CorpusError(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {e}") from None
        unknown = set(data) - set(KINDS)
        if unknown:
            raise CorpusError(f"{path.name}: unknown table(s) {sorted(unknown)}; use [[valid]] and [[wrong]]")
        answers = corpus.setdefault(exercise, [])
        for kind in KINDS:
            for number, entry in enumerate(data.get(kind, []), 1):
                bad = set(entry) - KEYS
                if bad or not str(entry.get("why", "")).strip():
                    raise CorpusError(f"{path.name}: [[{kind}]] #{number}: "
                                      + (f"unknown key(s) {sorted(bad)}" if bad else "says nothing in `why`"))
                if kind == "valid" and (entry.get("diagnosis") or entry.get("says")):
                    raise CorpusError(f"{path.name}: [[valid]] #{number}: a valid answer has no diagnosis")
                answers.append(Answer(exercise, kind, number, **entry))
    return corpus


def materialize(corpus: dict[str, list[Answer]], into: Path, solutions: Path = SOLUTIONS,
                stubs: Path = EXERCISES) -> dict[str, list[Answer]]:
    """Write every answer that applies to this Python as its own tree under `into`; return those answers."""
    written: dict[str, list[Answer]] = {}
    for exercise, answers in corpus.items():
        for answer in answers:
            if not answer.applies():
                continue
            tree = into / f"{exercise}-{answer.kind}-{answer.number}"
            folder = tree / exercise
            shutil.copytree((stubs if answer.base == "stub" else solutions) / exercise, folder,
                            ignore=shutil.ignore_patterns("__pycache__"))
            for old, new in answer.rename.items():
                (folder / new).parent.mkdir(parents=True, exist_ok=True)
                (folder / old).rename(folder / new)
            for relative in answer.delete:
                target = folder / relative
                shutil.rmtree(target) if target.is_dir() else target.unlink()
            for relative, content in answer.files.items():
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content.encode(answer.encoding.get(relative, "utf-8")))
            for relative, source in answer.compiled.items():
                target = folder / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                scratch = tree / "compiled-from" / Path(relative).with_suffix(".py").name
                scratch.parent.mkdir(parents=True, exist_ok=True)
                scratch.write_text(source, encoding="utf-8")
                py_compile.compile(str(scratch), cfile=str(target), dfile=str(folder / Path(relative).name),
                                   doraise=True)
                shutil.rmtree(scratch.parent)
            answer.tree = tree
            written.setdefault(exercise, []).append(answer)
    return written


def misjudged(corpus: dict[str, list[Answer]], results: dict[str, dict]) -> list[str]:
    """What verify reports: every answer judged against its kind, by its key and why."""
    from kata.harness.report import is_complete

    problems = []
    for answers in corpus.values():
        for a in answers:
            if not a.applies():
                continue
            entry = results.get(a.key)
            where = f"answers/{a.exercise}.toml [[{a.kind}]] #{a.number} ({a.why})"
            if entry is None:
                problems.append(f"{a.key}: no test ran for {where}")
            elif a.kind == "valid" and not is_complete(entry):
                first = next(iter(entry["messages"]), "").strip().splitlines()
                problems.append(f"{a.key}: a VALID answer is rejected: {where}\n      the kata said: "
                                + "\n      ".join(first[:6]))
            elif a.kind == "wrong" and is_complete(entry):
                problems.append(f"{a.key}: a WRONG answer is accepted: {where}")
            elif a.kind == "wrong":
                said = "\n".join(entry["messages"])
                if a.diagnosis and f"[{a.diagnosis}]" not in said:
                    problems.append(f"{a.key}: fails, but without the diagnosis {a.diagnosis}: {where}\n"
                                    f"      the kata said: " + "\n      ".join(said.strip().splitlines()[:6]))
                if a.says and a.says not in said:
                    problems.append(f"{a.key}: fails, but its messages never say {a.says!r}: {where}\n"
                                    f"      the kata said: " + "\n      ".join(said.strip().splitlines()[:6]))
    return problems


def counts(corpus: dict[str, list[Answer]]) -> dict[str, tuple[int, int]]:
    """{exercise: (valid, wrong)}."""
    return {e: (sum(a.kind == "valid" for a in answers), sum(a.kind == "wrong" for a in answers))
            for e, answers in corpus.items()}
