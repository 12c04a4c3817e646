"""`python -m kata watch [EXERCISE]` (`make watch`): re-run the tests on every save under exercises/.

pytest-watch's watcher (watchdog underneath) does the watching; for each save it clears the screen and
starts `python -m kata watch --run [EXERCISE]`, which prints a one-line header (so a re-run with the same
result is still visibly a new run) and then exactly what `make test [EX=..]` prints: the focused report,
which says when an exercise has just been completed and which one is next.

pytest-watch is driven through its `watch()` function, not its command line: the command line first
runs `pytest --collect-only` in-process to find an ini file, which fails with pytest >= 8 (and costs a
pytest start-up).
"""
from __future__ import annotations

import os
import sys
import time

from kata import EXERCISES, ROOT, manifest
from kata.commands import runner

# Debounce: after the first file event, wait until no new event has come for this long, then run once.
# An editor's save is a burst of events (write; or write a temporary file and rename it; chmod) a few ms
# apart, so 50 ms merges a save into one run with a wide margin while adding little to save->verdict.
# A run is never interrupted (wait=True); a save during a run gives one more run after it.
SPOOL_MS = 50
# What a learner may edit: modules, package data, pyproject.toml (not README.md).
EXTENSIONS = [".py", ".toml", ".txt", ".cfg", ".json", ".ini"]


def interpreter() -> str:
    """pytest-watch splits its runner command on spaces, so name this interpreter by a path without
    spaces if there is one: relative to the repository (the runner's working folder), e.g. .venv/bin/python."""
    if " " not in sys.executable:
        return sys.executable
    try:
        relative = os.path.relpath(sys.executable, ROOT)
    except ValueError:  # Windows: another drive
        return sys.executable
    return relative if " " not in relative else sys.executable


class _QuickerPolling:
    """The `time` module as pytest-watch's watcher sees it. It looks at its queue of file events every
    0.1 s (time.sleep(0.1)), so a save waited 50 ms on average before its run started; 20 ms costs nothing."""

    POLL = 0.02

    def __getattr__(self, name):
        return getattr(time, name)

    def sleep(self, seconds: float):
        time.sleep(min(seconds, self.POLL))


def run_once(argv: list[str]) -> int:
    # pytest-watch may pass the watched folders on as arguments; we choose what to test ourselves
    args = [a for a in argv if a not in (str(EXERCISES), str(EXERCISES.relative_to(ROOT)))]
    which = f" (exercise {args[0]})" if args and not args[0].startswith("-") else ""
    print(f"Watching exercises/{which}: ran at {time.strftime('%H:%M:%S')}. Save a file to run again; "
          f"Ctrl+C stops.", flush=True)
    return runner.main(args)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--run"]:
        return run_once(argv[1:])
    if argv and not argv[0].startswith("-"):
        try:
            manifest.find(argv[0])  # a typo in EX=.. is reported once, not on every save
        except LookupError as e:
            print(e, file=sys.stderr)
            return 2
    try:
        from pytest_watch.watcher import watch
    except ImportError:
        print("pytest-watch is not installed. `make watch` installs it; without make:\n"
              "  python -m pip install -r requirements-watch.txt", file=sys.stderr)
        return 2
    import pytest_watch.watcher

    pytest_watch.watcher.time = _QuickerPolling()
    os.chdir(ROOT)
    watch(entries=[str(EXERCISES)], extensions=EXTENSIONS, beep_on_failure=False, auto_clear=True, wait=True,
          runner=interpreter(), spool=SPOOL_MS, quiet=True, pytest_args=["-m", "kata", "watch", "--run", *argv])
    print("Stopped watching.")
    return 0
