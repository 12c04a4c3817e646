"""The kata's own tooling: the pytest harness and the commands behind the Makefile.

Every command is `python -m kata <command>`; see kata/__main__.py.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"
TESTS = ROOT / "tests"
MANIFEST = ROOT / "info.toml"


def kata_command(arguments: str) -> str:
    """How to run `python -m kata <arguments>` without make, with this checkout's interpreter
    (`.venv/bin/python -m kata hint 07`; a bare `python` may not have pytest)."""
    import os
    import sys

    try:
        python = os.path.relpath(sys.executable, ROOT)
    except ValueError:  # Windows: another drive
        python = sys.executable
    if python.startswith(".."):
        python = sys.executable
    return f"{python} -m kata {arguments}"
