"""`make watch`, functionally (not timed; `make bench` does the timing): the watcher starts, shows the
report, re-runs once after a save, and then shows the new state.

It needs pytest-watch, which `make watch` installs on first use and `make verify` installs when it can.
`make verify` leaves this file out when pytest-watch cannot be imported and then says loudly that the
watch check did not run (it is not counted as passed); run directly, the import below fails instead.
"""
import shutil

import pytest_watch  # noqa: F401  (the watcher runs in a child process; fail here, clearly, if it is missing)

from kata import ROOT
from kata.maintainer import fixture_kata as fk
from kata.maintainer.bench import Watcher, exercise_state, save

RERUN_WINDOW = 1.5  # seconds: a second run for the same save would have started well within this


def test_the_watcher_reruns_once_per_save_and_shows_the_new_state(tmp_path):
    root = fk.make(tmp_path / "kata", {"01_edit": {"mymodule.py": "VALUE = 1\n"}},
                   {"01_edit": "def test_value(ex):\n    assert ex.load('mymodule').VALUE == 2, 'VALUE should be 2'\n"})
    # a checkout of its own: `python -m kata watch` watches the exercises/ next to the kata package it runs
    shutil.copytree(ROOT / "kata", root / "kata", ignore=shutil.ignore_patterns("__pycache__", "tests"))
    source = root / "exercises" / "01_edit" / "mymodule.py"
    watcher = Watcher(root)
    try:
        assert watcher.wait_for_runs(1, timeout=60), f"no first report:\n{watcher.text[-3000:]}"
        assert exercise_state(watcher.last_report(), "01_edit") is False, watcher.last_report()

        save(source, "VALUE = 2\n", "rename")  # the way vim and atomic-save editors write
        assert watcher.wait_for_runs(2, timeout=60), f"no re-run after a save:\n{watcher.text[-3000:]}"
        report = watcher.last_report()
        assert exercise_state(report, "01_edit") is True, report
        assert "Just completed: 01_edit" in report, report

        save(source, "VALUE = 3\n", "write")  # the way most editors write
        assert watcher.wait_for_runs(3, timeout=60), f"no re-run after a second save:\n{watcher.text[-3000:]}"
        assert watcher.wait_for_runs(4, timeout=RERUN_WINDOW) is None, "one save gave two runs"
        assert watcher.runs_started() == 3, watcher.text[-3000:]
        assert exercise_state(watcher.last_report(), "01_edit") is False, watcher.last_report()
        if watcher.raw is not None:
            assert watcher.raw.count(b"\x1b[2J") >= 3, "the screen is not cleared before each run"
    finally:
        watcher.stop()
    assert watcher.proc.poll() is not None, "the watcher is still running after Ctrl+C"
    assert not list((root / "exercises").rglob("__pycache__")), "a run wrote bytecode next to the learner's files"
