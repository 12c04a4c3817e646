"""`python -m kata compare [EX]` (`make compare EX=07`): once an exercise passes, your files next to the
reference solution in solutions/, as a unified diff. Before it passes the solution stays hidden: it says
so and points to the hints. Without EX: the exercise you completed last (the one before the current
one), or the current one when none before it is complete."""
from __future__ import annotations

import difflib
import sys

from kata import EXERCISES, SOLUTIONS, kata_command, manifest
from kata.commands import hint, runner
from kata.harness.report import is_complete


def default_exercise(exercises: list[manifest.Exercise]) -> manifest.Exercise:
    results = runner.results()
    current = next((i for i, e in enumerate(exercises) if not is_complete(results.get(e.name))), len(exercises))
    return exercises[current - 1] if current > 0 else exercises[0]


def files(folder) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def diff(name: str) -> str:
    mine, theirs = files(EXERCISES / name), files(SOLUTIONS / name)
    out = []
    for path in sorted(mine.keys() | theirs.keys()):
        a, b = mine.get(path), theirs.get(path)
        if a == b:
            continue
        a_lines = a.decode("utf-8", "replace").splitlines(keepends=True) if a is not None else []
        b_lines = b.decode("utf-8", "replace").splitlines(keepends=True) if b is not None else []
        out += difflib.unified_diff(a_lines, b_lines, f"exercises/{name}/{path}" if a is not None else "/dev/null",
                                    f"solutions/{name}/{path}" if b is not None else "/dev/null")
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)


def main(argv: list[str]) -> int:
    exercises = manifest.load()
    try:
        exercise = manifest.find(argv[0], exercises) if argv else default_exercise(exercises)
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
    entry = runner.results([exercise.number]).get(exercise.name)
    if not is_complete(entry):
        checks = f" ({entry['passed']}/{entry['passed'] + entry['failed']} checks pass)" if entry else ""
        seen = hint._seen().get(exercise.name, 0)
        print(f"{exercise.number} {exercise.title} has not passed yet{checks}, so the reference solution stays "
              f"hidden: finding the way is the exercise.\n"
              f"  Details:  make test EX={exercise.number}\n"
              f"  A hint:   make hint EX={exercise.number}  (you have seen {seen} of {len(exercise.hints)}; "
              f"without make: {kata_command('hint ' + exercise.number)})")
        return 1
    text = diff(exercise.name)
    print(f"{exercise.number} {exercise.title} passes. Your files (-) next to the reference solution (+):\n")
    print(text.rstrip("\n") if text else "Your files are exactly the reference solution.")
    if text:
        print("\nBoth pass the same checks: a difference is another way to say it, not a mistake.")
    return 0
