"""`python -m kata <command>`: every Makefile target, for machines without make (Windows included)."""
import importlib
import sys

COMMANDS = {
    "test": ("kata.runner", "run the exercises' tests (optionally one: `test 07`)"),
    "watch": ("kata.watch", "re-run the tests on every save"),
    "hint": ("kata.hint", "show the next hint for an exercise: `hint 07`"),
    "list": ("kata.listing", "list every exercise with its state"),
    "reset": ("kata.reset", "restore an exercise as shipped (backs up your attempt): `reset 07`"),
    "verify": ("kata.verify", "maintainers: prove the kata is consistent"),
    "grade": ("kata.grade", "instructors: grade a learner's clone"),
    "bench": ("kata.bench", "maintainers: measure the kata's speed"),
    "checksums": ("kata.checksums", "maintainers: check (or --update) kata/checksums.json"),
}


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = ["usage: python -m kata <command> [arguments]", "", "commands:"]
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in COMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if argv[0] not in COMMANDS:
        print(f"Unknown command {argv[0]!r}.\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(COMMANDS[argv[0]][0])
    try:
        return module.main(argv[1:])
    except BrokenPipeError:  # `python -m kata list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
