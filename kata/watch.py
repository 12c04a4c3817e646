"""`python -m kata watch [EXERCISE]` (`make watch`): re-run the tests on every save under exercises/.

pytest-watch does the watching. It runs `python -m kata watch --run ...` for each batch of changes, which
clears nothing itself (pytest-watch's --clear does) and prints the focused report; the report says when
an exercise has just been completed and which one is next.
"""
from __future__ import annotations

import os
import sys

from kata import EXERCISES, ROOT, runner

# Debounce: wait this long after the first change event for the editor's other events of the same save
# (write, rename, chmod) before running, so one save gives one run.
SPOOL_MS = 100
EXTENSIONS = ".py,.toml,.txt,.cfg,.json"


def ptw_args(argv: list[str]) -> list[str]:
    # pytest-watch splits --runner on spaces, so name the interpreter by a path without spaces if we can
    python = os.path.relpath(sys.executable, ROOT) if " " not in os.path.relpath(sys.executable, ROOT) \
        else sys.executable
    return ["--runner", f"{python} -m kata watch --run", "--spool", str(SPOOL_MS), "--clear", "--nobeep",
            "--wait", "--quiet", "--ext", EXTENSIONS, str(EXERCISES.relative_to(ROOT)), "--", *argv]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--run"]:
        # pytest-watch passes the watched folder on as a pytest argument; we choose what to test ourselves
        args = [a for a in argv[1:] if a != str(EXERCISES.relative_to(ROOT))]
        return runner.main(args)
    try:
        from pytest_watch.command import main as ptw
    except ImportError:
        print("pytest-watch is not installed. `make watch` installs it; without make:\n"
              "  python -m pip install -r requirements-watch.txt", file=sys.stderr)
        return 2
    os.chdir(ROOT)
    print("Watching exercises/ — save a file to re-run the tests. Stop with Ctrl+C.")
    return ptw(ptw_args(argv)) or 0
