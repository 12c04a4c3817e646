"""`make grade`: trusted grading of learners' clones (kata/grading/grade.py), and the fork CI's step summary.

Submissions are built in a temporary folder from this repository's exercises/ (stubs) or solutions/ and graded
by `python -m kata grade` in subprocesses. The two gradings start together (module fixture) so that the
seconds one of them spends waiting on a lingering process overlap with the other's work.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata import ROOT, manifest
from kata.grading import grade, sandbox

BOUND = 120  # seconds any grading here may take before the test fails (it takes a few)
pytestmark = pytest.mark.timeout(BOUND + 30)  # pytest.ini's 5 s is for exercises
SUBSET = "01,02,11"
FORGED_PASS = """
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    rep.outcome = "passed"
    return rep
"""
# An in-process forgery that needs no name the static scan knows: it rewrites pytest's reports. The Guard
# must notice it, and the test that loaded it must not count as passed.
REPORT_FORGERY = """
import sys
_runner = sys.modules["_py" + "test.runner"]
_reports = sys.modules["_py" + "test.reports"]
_car = getattr(_runner, "call_and_" + "report")
_make = vars(_reports.TestReport)["from_item_and_" + "call"].__func__
def _forged_make(cls, item, call):
    rep = _make(cls, item, call)
    rep.outcome = "passed"
    setattr(rep, "long" + "repr", None)
    return rep
def _forged_car(item, when, log=True, **kw):
    rep = _car(item, when, log=False, **kw)
    rep.outcome = "passed"
    setattr(rep, "long" + "repr", None)
    if log:
        getattr(getattr(item, "i" + "hook"), "pytest_runtest_" + "logreport")(report=rep)
    return rep
setattr(_reports.TestReport, "from_item_and_" + "call", classmethod(_forged_make))
setattr(_runner, "call_and_" + "report", _forged_car)
"""


def clone(path: Path, tree: str = "solutions") -> Path:
    """A learner's clone at `path` whose exercises/ is this repository's solutions/ or exercises/."""
    shutil.copytree(ROOT / tree, path / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    return path


def prepend(path: Path, code: str):
    path.write_text(code + "\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# Where bubblewrap cannot run (not installed; a chroot, where the kernel refuses it user namespaces) the
# verdicts are still checked, without the sandbox; the sandbox itself is test_attacks.py's, which skips there.
UNSANDBOXED = ("--no-sandbox",) if sandbox.problem() else ()


def start(target: Path, report: Path, *args: str) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen([sys.executable, "-m", "kata", "grade", str(target), "--report", str(report), *args,
                             *UNSANDBOXED],
                            cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc, time.monotonic()


def finish(started: tuple[subprocess.Popen, float], report: Path) -> tuple[int, dict, str, float]:
    proc, t0 = started
    try:
        output, _ = proc.communicate(timeout=BOUND)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"grading did not end within {BOUND} s")
    seconds = time.monotonic() - t0
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    return proc.returncode, data, output, seconds


@pytest.fixture(scope="module")
def gradings(tmp_path_factory):
    base = tmp_path_factory.mktemp("grade")
    # (c) one fully solved clone, every exercise
    solved = clone(base / "solved")

    # a class of clones, graded on a subset of exercises
    klass = base / "class"
    # (a) the stubs, with tests, conftest and config rewritten to pass everything
    forged = clone(klass / "forged", "exercises")
    (forged / "tests").mkdir()
    for e in manifest.load():
        (forged / e.test_file).write_text("def test_ok():\n    pass\n", encoding="utf-8")
    (forged / "conftest.py").write_text(FORGED_PASS, encoding="utf-8")
    (forged / "pytest.ini").write_text("[pytest]\naddopts = -p no:kata\n", encoding="utf-8")
    (forged / "kata" / "harness").mkdir(parents=True)
    (forged / "kata" / "harness" / "plugin.py").write_text("", encoding="utf-8")
    # (b) os._exit(0) at import in one exercise, written so the static scan cannot see it; and a process
    # that kills itself, which no harness can catch: only the grader's process isolation
    exits = clone(klass / "exits")
    prepend(exits / "exercises" / "02_import_module" / "mymodule.py", 'exec("import os as o; o._exit(0)")')
    prepend(exits / "exercises" / "11_first_package" / "mypackage" / "__init__.py",
            "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    # (d) a never-ending non-daemon thread started at import in one exercise
    thread = clone(klass / "thread")
    prepend(thread / "exercises" / "01_first_module" / "mymodule.py",
            "import threading, time\nthreading.Thread(target=lambda: time.sleep(10**6)).start()")
    # caught before anything runs: the static scan (plain os._exit, a machinery import) and a link out
    static = clone(klass / "static")
    prepend(static / "exercises" / "01_first_module" / "mymodule.py", "import os\nos._exit(0)")
    prepend(static / "exercises" / "02_import_module" / "mymodule.py", "import _pytest.runner")
    shutil.rmtree(static / "exercises" / "11_first_package")
    (static / "exercises" / "11_first_package").symlink_to(ROOT / "solutions" / "11_first_package")
    # an in-process forgery of pytest's reports in a stub: the Guard's catch
    patched = clone(klass / "patched", "exercises")
    (patched / "exercises" / "01_first_module" / "mymodule.py").write_text(REPORT_FORGERY, encoding="utf-8")

    runs = {"solved": start(solved, base / "solved.json"),
            "class": start(klass, base / "class.json", "--only", SUBSET, "--timeout", "30")}
    return {"solved": finish(runs["solved"], base / "solved.json"),
            "class": finish(runs["class"], base / "class.json")}


def by_name(report: dict) -> dict[str, dict]:
    return {e["name"]: e for e in report["exercises"]}


def test_a_fully_solved_submission_scores_total_of_total(gradings):
    code, report, output, seconds = gradings["solved"]
    names = [e.name for e in manifest.load()]
    assert code == 0, output
    assert report["total"] == len(names) and report["complete"] == len(names), output
    assert [e["name"] for e in report["exercises"]] == names
    for e in report["exercises"]:
        assert e["complete"] and e["passed"] == e["total"] > 0 and e["message"] == "", e
    assert report["machinery_differs"] == []  # only exercises/ was handed in
    assert f"## solved: {len(names)}/{len(names)} complete" in output and "| 01_first_module |" in output


def test_rewritten_tests_and_conftest_change_nothing(gradings):
    code, data, output, _ = gradings["class"]
    assert code == 1, output
    report = data["submissions"]["forged"]
    assert report["complete"] == 0 and report["total"] == 3, report
    assert "conftest.py (changed)" in report["machinery_differs"]
    assert "tests/test_01_first_module.py (changed)" in report["machinery_differs"]
    assert "kata/harness/plugin.py (changed)" in report["machinery_differs"]
    assert "machinery differs from what was shipped" in output


def test_os_exit_at_import_fails_only_its_exercise(gradings):
    _, data, output, _ = gradings["class"]
    exercises = by_name(data["submissions"]["exits"])
    # (the harness turns os._exit in its own process into a failing test; its subprocess checks fail too)
    assert not exercises["02_import_module"]["complete"], exercises
    assert exercises["02_import_module"]["passed"] < exercises["02_import_module"]["total"], exercises
    assert not exercises["11_first_package"]["complete"], exercises
    # (grading refuses os.kill in exercise code; were it to get through, the process ends early)
    message = exercises["11_first_package"]["message"]
    assert "does not allow os.kill" in message or "ended the test process early" in message, exercises
    assert exercises["01_first_module"]["complete"], exercises


def test_a_thread_that_never_ends_is_stopped_and_fails_only_its_exercise(gradings):
    _, data, _, seconds = gradings["class"]
    exercises = by_name(data["submissions"]["thread"])
    assert not exercises["01_first_module"]["complete"]
    # the harness reports the thread; were it to keep the process alive, the grader stops it
    assert "thread" in exercises["01_first_module"]["message"], exercises["01_first_module"]
    assert exercises["02_import_module"]["complete"] and exercises["11_first_package"]["complete"], exercises
    # stopped by the harness or after the exit grace, never by the --timeout bound
    assert "did not finish within" not in exercises["01_first_module"]["message"], exercises["01_first_module"]


def test_the_static_scan_and_links_out_of_the_submission(gradings):
    _, data, _, _ = gradings["class"]
    exercises = by_name(data["submissions"]["static"])
    assert "line 2: uses os._exit" in exercises["01_first_module"]["message"], exercises
    assert "line 1: imports _pytest.runner" in exercises["02_import_module"]["message"], exercises
    assert "symbolic link" in exercises["11_first_package"]["message"], exercises
    assert data["submissions"]["static"]["complete"] == 0


def test_a_forgery_of_pytests_reports_is_caught_by_the_guard(gradings):
    _, data, _, _ = gradings["class"]
    entry = by_name(data["submissions"]["patched"])["01_first_module"]
    assert not entry["complete"] and entry["passed"] == 0, entry
    # (in grading, the Guard's failure inside the forged reporting breaks pytest's run: no test counts)
    assert "changed the test machinery" in entry["message"] or "No test of this exercise ran" in entry["message"], entry


def test_a_class_gets_one_table_each_and_a_summary(gradings):
    _, data, output, _ = gradings["class"]
    assert set(data["submissions"]) == {"forged", "exits", "thread", "static", "patched"}
    for name in data["submissions"]:
        assert f"## {name}: " in output
    assert "## Class summary" in output and "0 of 5 submission(s) complete." in output


def test_a_process_that_lingers_after_its_results_is_stopped_soon(tmp_path, monkeypatch):
    monkeypatch.setattr(grade, "EXIT_GRACE", 0.5)
    results = tmp_path / "results.json"
    script = f"open({str(results)!r}, 'w').write('{{}}'); import time; time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        assert grade.wait(proc, results, timeout=30) == (None, True)  # (None, False): stopped by the bound
        hung = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        try:
            assert grade.wait(hung, tmp_path / "never.json", timeout=1) == (None, False)
        finally:
            hung.kill()
            hung.wait()
    finally:
        proc.kill()
        proc.wait()


def test_the_solutions_never_trip_the_static_scan():
    for tree in (ROOT / "solutions", ROOT / "exercises"):
        for folder in sorted(p for p in tree.iterdir() if p.is_dir()):
            assert grade.scan_exercise(folder, tree) == [], folder


@pytest.mark.parametrize("code", [
    "import pytest", "from _pytest import runner", "import pluggy", "import ctypes", "import kata.harness.plugin",
    "import conftest", "import os\nos._exit(0)", "from os import _exit", "getattr(os, '_exit')(0)",
    "__import__('pytest')", "importlib.import_module('_pytest.runner')", "sys.modules['pytest'].fail = None",
    "rep.longrepr = None", "item.ihook",
])
def test_the_static_scan_catches_the_plain_ways_in(code):
    assert grade.scan_source(code), code


def test_not_a_submission_is_a_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kata", "grade", str(tmp_path)], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "neither a clone" in done.stderr, done.stderr


def test_the_ci_step_summary_has_the_progress_table(tmp_path):
    summary = tmp_path / "summary.md"
    done = subprocess.run([sys.executable, "-m", "kata", "test", "01", "--solutions", "-p", "no:cacheprovider"],
                          cwd=ROOT, env={**env(), "GITHUB_STEP_SUMMARY": str(summary)}, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "| # | exercise | state | tests passed |" in text
    assert "| 01 | 01_first_module | ✅ complete | 3/3 |" in text
    assert "| 02 | 02_import_module | – not run | – |" in text
