"""`python -m kata test [EXERCISE] [pytest options]`: the learner's run (also behind `make test`)."""
from __future__ import annotations

import sys

from kata import ROOT, manifest


def pytest_args(argv: list[str]) -> list[str]:
    """Turn `[07] [--solutions] [-v ...]` into pytest arguments."""
    args = list(argv)
    if args and not args[0].startswith("-"):
        exercise = manifest.find(args.pop(0))
        args = [str(ROOT / exercise.test_file), "--kata-report=full", *args]
    return ["--rootdir", str(ROOT), "-c", str(ROOT / "pytest.ini"), *args]


def main(argv: list[str]) -> int:
    try:
        args = pytest_args(argv)
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
    import pytest

    return int(pytest.main(args))
