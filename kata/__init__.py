"""The kata's own tooling: the pytest harness and the commands behind the Makefile.

Every command is `python -m kata <command>`; see kata/__main__.py.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
SOLUTIONS = ROOT / "solutions"
TESTS = ROOT / "tests"
MANIFEST = ROOT / "info.toml"
