"""`python -m kata <command>`: every Makefile target, for machines without make (Windows included). Any
Python >= 3.10 will do: the first command creates .venv from the pinned requirements and runs in it
(kata/bootstrap.py)."""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "test": ("kata.commands.runner", "run the tests: every exercise, or one (`test 07`); --solutions, pytest options"),
    "watch": ("kata.commands.watch", "re-run the tests on every save (`watch 07`: one exercise)"),
    "hint": ("kata.commands.hint", "the next hint, current exercise or `hint 07`; --level N, --solution"),
    "explain": ("kata.diagnoses.catalogue", "every diagnosis id with its title; `explain K101`: what it means"),
    "list": ("kata.commands.listing", "every exercise with its state (--update-readme: rewrite README's list)"),
    "reset": ("kata.commands.reset", "restore as shipped, after a backup: `reset 07`, or `reset --all`"),
    "compare": ("kata.commands.compare", "once an exercise passes: your files against solutions/ (`compare 07`)"),
    "verify": ("kata.maintainer.verify", "maintainers: prove the kata is consistent"),
    "grade": ("kata.grading.grade", "instructors: `grade PATH --report FILE [--jobs N] [--timeout S] [--only 01,02]`"),
    "bench": ("kata.maintainer.bench", "maintainers: measure the kata's speed"),
    "checksums": ("kata.maintainer.checksums", "maintainers: check (or --update) kata/checksums.json"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m kata <command> [arguments]", "", "commands:"]
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "`python -m kata <command> --help` describes one command."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if argv[0] not in COMMANDS:
        print(f"Unknown command {argv[0]!r}.\n\n{usage()}", file=sys.stderr)
        return 2
    if {"-h", "--help"} & set(argv[1:]):  # the command's own description; never runs it
        print(importlib.import_module(COMMANDS[argv[0]][0]).__doc__.strip())
        return 0
    module = importlib.import_module(COMMANDS[argv[0]][0])
    try:
        return module.main(argv[1:])
    except BrokenPipeError:  # `python -m kata list | head`
        sys.stderr.close()
        return 0


def run(argv: list[str]) -> int:
    """`python -m kata`: into the kata's venv first (a re-run there replaces this process), then main().
    Only the program does this: main() called in-process (the harness's tests) never re-runs anything."""
    if argv and argv[0] in COMMANDS and not {"-h", "--help"} & set(argv[1:]):
        from kata import bootstrap

        code = bootstrap.bootstrap(argv)
        if code is not None:
            return code
    return main(argv)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
