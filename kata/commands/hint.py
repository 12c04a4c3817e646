"""`python -m kata hint [EX] [--level N|--solution]` (`make hint EX=07`): tiered hints from info.toml,
for the current exercise (the first incomplete one) when EX is not given.

Each call shows the next hint for that exercise (remembered in .kata/hints.json, an ignored file), so
the learner gets a nudge first and more only when they ask again. The solution is never shown unless
asked for explicitly with --solution.
"""
from __future__ import annotations

import json
import sys

from kata import ROOT, SOLUTIONS, kata_command, manifest
from kata.commands import runner
from kata.harness.report import is_complete

STATE = ROOT / ".kata" / "hints.json"


def _seen() -> dict[str, int]:
    try:
        return json.loads(STATE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def forget(names: list[str]):
    """Start the hints of these exercises again from the first (after `make reset`)."""
    seen = _seen()
    if any(name in seen for name in names):
        STATE.write_text(json.dumps({k: v for k, v in seen.items() if k not in names}, indent=1),
                         encoding="utf-8")


def current() -> manifest.Exercise | None:
    """The first incomplete exercise (runs the tests, about a second)."""
    results = runner.results()
    return next((e for e in manifest.load() if not is_complete(results.get(e.name))), None)


def main(argv: list[str]) -> int:
    args = list(argv)
    try:
        exercise = manifest.find(args.pop(0)) if args and not args[0].startswith("-") else current()
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
    if exercise is None:
        print("Every exercise is complete: no hint needed!")
        return 0
    if "--solution" in args:
        folder = SOLUTIONS / exercise.name
        print(f"The finished version of {exercise.name} is in {folder.relative_to(ROOT)}/ .")
        paths = [p for f in exercise.files for p in ([folder / f] if (folder / f).is_file()
                                                       else sorted((folder / f).rglob("*.py")))]
        for path in paths:
            print(f"\n--- {path.relative_to(ROOT)} ---\n{path.read_text(encoding='utf-8')}")
        return 0
    hints = exercise.hints
    seen = _seen()
    if "--level" in args:
        try:
            level = int(args[args.index("--level") + 1])
        except (IndexError, ValueError):
            print("--level takes a number, e.g. --level 2", file=sys.stderr)
            return 2
    else:
        level = min(seen.get(exercise.name, 0) + 1, len(hints))
    if not 1 <= level <= len(hints):
        print(f"{exercise.name} has hints 1 to {len(hints)}.", file=sys.stderr)
        return 2
    print(f"Hint {level}/{len(hints)} for {exercise.number} {exercise.title}:\n")
    print("  " + hints[level - 1].replace("\n", "\n  "))
    if level < len(hints):
        again = (f"`make hint EX={exercise.number} LEVEL={level + 1}`  (without make: "
                 f"{kata_command(f'hint {exercise.number} --level {level + 1}')})" if "--level" in args
                 else "Run the same command again")
        print(f"\nStill stuck? {again} for hint {level + 1}.")
    else:
        print(f"\nThat was the last hint. Try once more first! To see the finished code: "
              f"make hint EX={exercise.number} SOLUTION=1  (without make: "
              f"{kata_command(f'hint {exercise.number} --solution')})")
    seen[exercise.name] = max(level, seen.get(exercise.name, 0))
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(seen, indent=1), encoding="utf-8")
    return 0
