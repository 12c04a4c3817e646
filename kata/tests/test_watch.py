"""`make watch`, functionally (not timed; `make bench` does the timing): a save re-runs only the exercise
it changed (the others' states come from the cache and stay on screen), once per save, with the new
verdict; Enter re-runs, `h` shows a hint, `q` quits; the cache outlives the session; where file events
never arrive the watch notices, says so, and polls.

It needs watchdog (requirements-watch.txt), which `make watch` installs on first use and `make verify`
installs when it can. `make verify` leaves this file out when watchdog cannot be imported and then says
loudly that the watch check did not run (it is not counted as passed); run directly, the import fails.
"""
import shutil
from pathlib import Path

import watchdog  # noqa: F401  (the watcher runs in a child process; fail here, clearly, if it is missing)

from kata import ROOT
from kata.maintainer import fixture_kata as fk
from kata.maintainer.bench import Watcher, exercise_state, save

WAIT = 60  # seconds before a missing run counts as never coming (generous: the machine is shared)
RERUN_WINDOW = 1.5  # seconds: a second run for the same save would have started well within this
TEST = """\
import os
import time


def test_value(ex):
    with open(os.environ["KATA_TEST_RUNLOG"], "a") as log:  # which exercises really ran, in order
        log.write("{name}\\n")
    while os.path.exists(os.environ["KATA_TEST_RUNLOG"] + ".slow"):  # a run that lasts until the test says
        time.sleep(0.05)
    assert ex.load("mymodule").VALUE == 2, "VALUE should be 2"
"""


def kata(tmp_path: Path, name: str) -> Path:
    names = ("01_edit", "02_done", "03_later")
    root = fk.make(tmp_path / name, {n: {"mymodule.py": f"VALUE = {2 if n == '02_done' else 1}\n"} for n in names},
                   {n: TEST.format(name=n) for n in names})
    # a checkout of its own: `python -m kata watch` watches the exercises/ next to the kata package it runs
    shutil.copytree(ROOT / "kata", root / "kata", ignore=shutil.ignore_patterns("__pycache__", "tests"))
    return root


def ran(log: Path) -> list[str]:
    return log.read_text().split() if log.is_file() else []


def test_a_save_reruns_only_its_exercise_and_the_grid_keeps_the_others(tmp_path, monkeypatch):
    root = kata(tmp_path, "events")
    log = tmp_path / "events.log"
    monkeypatch.setenv("KATA_TEST_RUNLOG", str(log))
    monkeypatch.setenv("KATA_WATCH_POLL", "0")
    source = root / "exercises" / "01_edit" / "mymodule.py"
    watcher = Watcher(root)
    try:
        assert watcher.wait_for_runs(1, WAIT), f"no first view:\n{watcher.text[-3000:]}"
        report = watcher.last_report()
        assert [exercise_state(report, n) for n in ("01_edit", "02_done", "03_later")] == [False, True, False], report
        assert sorted(ran(log)) == ["01_edit", "02_done", "03_later"]

        save(source, "VALUE = 2\n", "rename")  # the way vim and atomic-save editors write
        assert watcher.wait_for_runs(2, WAIT), f"no re-run after a save:\n{watcher.text[-3000:]}"
        report = watcher.last_report()
        assert ran(log)[3:] == ["01_edit"], f"a save of 01_edit re-ran {ran(log)[3:]}"
        assert [exercise_state(report, n) for n in ("01_edit", "02_done", "03_later")] == [True, True, False], report
        assert "Just completed: 01_edit" in report and "2 from cache" in report, report

        save(source, "VALUE = 3\n", "write")  # the way most editors write
        assert watcher.wait_for_runs(3, WAIT), f"no re-run after a second save:\n{watcher.text[-3000:]}"
        assert watcher.wait_for_runs(4, timeout=RERUN_WINDOW) is None, "one save gave two runs"
        assert exercise_state(watcher.last_report(), "01_edit") is False, watcher.last_report()
        assert ran(log)[3:] == ["01_edit", "01_edit"]
        open(source, "a").close()  # a file event ("closed") with no change: what a save's late event looks like
        assert watcher.wait_for_runs(4, timeout=RERUN_WINDOW) is None, "an event without a change gave a run"

        watcher.press(b"\r")  # Enter: the current exercise again, though nothing changed
        assert watcher.wait_for_runs(4, WAIT), f"Enter gave no run:\n{watcher.text[-3000:]}"
        assert ran(log)[3:] == ["01_edit", "01_edit", "01_edit"]
        watcher.press(b"h")
        assert watcher.wait_for("Hint 1/2 for 01", WAIT), f"`h` showed no hint:\n{watcher.text[-3000:]}"

        # During a run, a save and a key press are kept, and give one run after it
        slow = Path(str(log) + ".slow")
        slow.touch()
        save(root / "exercises" / "03_later" / "mymodule.py", "VALUE = 2\n", "write")
        assert watcher.wait_for("running 03_later", WAIT), watcher.text[-3000:]
        save(source, "VALUE = 2\n", "write")
        # (the run ends only once the watch has said it kept both: a file event can take a while to arrive)
        assert watcher.wait_for("a save came in: kept for after this run", WAIT), watcher.text[-3000:]
        watcher.press(b"\r")
        assert watcher.wait_for("`Enter` pressed: kept for after this run", WAIT), watcher.text[-3000:]
        slow.unlink()
        assert watcher.wait_for_runs(6, WAIT), f"a save during a run was lost:\n{watcher.text[-3000:]}"
        assert watcher.wait_for_runs(7, timeout=RERUN_WINDOW) is None, "what came during a run gave two runs"
        assert ran(log)[-2:] == ["03_later", "01_edit"], ran(log)
        assert exercise_state(watcher.last_report(), "01_edit") is True, watcher.last_report()

        if watcher.raw is not None:
            assert watcher.raw.count(b"\x1b[2J") >= 4, "the screen is not cleared before each view"
        watcher.press(b"q")
        assert watcher.wait_closed(WAIT), "q did not end the watch"
    finally:
        watcher.stop()
    assert not list((root / "exercises").rglob("__pycache__")), "a run wrote bytecode next to the learner's files"

    # A new session starts from the cache: nothing ran again, every state is shown
    before = len(ran(log))
    watcher = Watcher(root)
    try:
        assert watcher.wait_for_runs(1, WAIT), f"no first view:\n{watcher.text[-3000:]}"
        report = watcher.last_report()
        assert len(ran(log)) == before, f"unchanged exercises ran again: {ran(log)[before:]}"
        assert [exercise_state(report, n) for n in ("01_edit", "02_done", "03_later")] == [True, True, True], report
    finally:
        watcher.stop()


def test_when_file_events_never_arrive_the_watch_says_so_and_polls(tmp_path, monkeypatch):
    """KATA_WATCH_DEAF=1 drops every file event, as a Docker bind mount or WSL's /mnt/c do."""
    root = kata(tmp_path, "deaf")
    log = tmp_path / "deaf.log"
    monkeypatch.setenv("KATA_TEST_RUNLOG", str(log))
    monkeypatch.setenv("KATA_WATCH_DEAF", "1")
    monkeypatch.setenv("KATA_WATCH_POLL", "0")
    watcher = Watcher(root)
    try:
        assert watcher.wait_for_runs(1, WAIT), f"no first view:\n{watcher.text[-3000:]}"
        save(root / "exercises" / "03_later" / "mymodule.py", "VALUE = 2\n", "write")
        assert watcher.wait_for_runs(2, WAIT), f"the save was never noticed:\n{watcher.text[-3000:]}"
        report = watcher.last_report()
        assert "do not arrive" in report and "looking every" in report, report
        assert exercise_state(report, "03_later") is True, report
        assert ran(log)[3:] == ["03_later"]
        save(root / "exercises" / "01_edit" / "mymodule.py", "VALUE = 2\n", "write")  # now by polling
        assert watcher.wait_for_runs(3, WAIT), f"polling did not notice a save:\n{watcher.text[-3000:]}"
        assert exercise_state(watcher.last_report(), "01_edit") is True, watcher.last_report()
        assert watcher.wait_for_runs(4, timeout=RERUN_WINDOW) is None, "one save gave two runs"
    finally:
        watcher.stop()


def test_polling_is_chosen_up_front_where_events_are_known_not_to_arrive(tmp_path, monkeypatch):
    """Also the plain path: each run a new `python -m pytest`."""
    root = kata(tmp_path, "poll")
    monkeypatch.setenv("KATA_TEST_RUNLOG", str(tmp_path / "poll.log"))
    monkeypatch.setenv("KATA_WATCH_POLL", "1")  # what a 9p/drvfs/nfs/cifs mount gets
    monkeypatch.setenv("KATA_WATCH_FORK", "0")  # and a new process per run, as where there is no fork (Windows)
    watcher = Watcher(root)
    try:
        assert watcher.wait_for_runs(1, WAIT), f"no first view:\n{watcher.text[-3000:]}"
        assert "looking every" in watcher.last_report(), watcher.last_report()
        save(root / "exercises" / "01_edit" / "mymodule.py", "VALUE = 2\n", "touch")  # a save without changes
        assert watcher.wait_for_runs(2, WAIT), f"polling did not notice a save:\n{watcher.text[-3000:]}"
        assert "ran 01_edit" in watcher.last_report() and "2 from cache" in watcher.last_report()
        assert ran(tmp_path / "poll.log")[3:] == ["01_edit"]
    finally:
        watcher.stop()
