"""The kata's pytest plugin (loaded by the root conftest.py): options, the `ex` fixture, reporting.

Data flow: tests/test_NN_name.py asks for `ex` -> an ExerciseFolder for <tree>/NN_name, with the
interpreter state saved and the exercise folder first on sys.path -> the test loads or runs learner code
through it -> the state is restored -> each test's outcome is filed under its exercise -> at the end
kata.report prints the progress view and, with --kata-json, the per-exercise results are written out.
"""
from __future__ import annotations

import builtins
import json
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from kata import checksums, explain, learner, manifest, report


def pytest_addoption(parser):
    group = parser.getgroup("kata")
    group.addoption("--solutions", action="store_true", help="test solutions/ instead of exercises/")
    group.addoption("--exercises", metavar="DIR", help="test this exercises folder (default: exercises/)")
    group.addoption("--kata-json", metavar="FILE", help="write per-exercise results to FILE as JSON")
    group.addoption("--kata-report", choices=("auto", "focused", "full"), default="auto",
                    help="focused: progress and the current exercise only; full: every failure (default: "
                         "focused unless -v is given)")


def tree_under_test(config) -> Path:
    if config.getoption("exercises"):
        return Path(config.getoption("exercises")).resolve()
    return config.rootpath / ("solutions" if config.getoption("solutions") else "exercises")


def exercise_list(config) -> list[manifest.Exercise]:
    """The manifest of the kata being run (the rootdir's info.toml), in order."""
    path = config.rootpath / "info.toml"
    return manifest.load(path) if path.is_file() else []


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    config.kata_tree = tree_under_test(config)
    # Learner code is compiled from source every run: a private, empty, read-only-in-effect bytecode
    # folder means a stale .pyc (an edit in the same second with the same size) can never be used, and
    # no __pycache__ is written next to the learner's files.
    config.kata_pycache = Path(tempfile.mkdtemp(prefix="kata-pycache-"))
    sys.pycache_prefix = str(config.kata_pycache)
    sys.dont_write_bytecode = True
    mode = config.getoption("kata_report")
    config.kata_focused = mode == "focused" or (mode == "auto" and config.option.verbose <= 0)
    config.pluginmanager.register(Results(config), "kata-results")
    config.kata_guard = Guard()
    if config.kata_focused:
        config.kata_saved_options = (config.option.tbstyle, config.option.reportchars)
        config.option.tbstyle = "no"
        config.option.reportchars = "N"
        config.option.verbose = -1


def pytest_collection_modifyitems(config, items):
    # The focused view is for exercises; a run of anything else (the harness's own tests) keeps
    # pytest's usual failure reports.
    if config.kata_focused and config.getoption("kata_report") == "auto" \
            and not all(exercise_of(item.nodeid) for item in items):
        config.kata_focused = False
        config.option.tbstyle, config.option.reportchars = config.kata_saved_options


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "kata_pycache", ""), ignore_errors=True)


def exercise_of(nodeid: str) -> str | None:
    """tests/test_07_specific_items.py::test_x -> 07_specific_items"""
    path = nodeid.split("::", 1)[0]
    stem = Path(path).stem
    if Path(path).parent.as_posix() == "tests" and stem.startswith("test_"):
        return stem[len("test_"):]
    return None


@pytest.fixture
def ex(request, tmp_path, monkeypatch):
    """This test's exercise folder, with the interpreter isolated around the test."""
    name = exercise_of(request.node.nodeid)
    assert name, f"{request.node.nodeid}: the `ex` fixture works only in tests/test_<exercise>.py"
    config = request.config
    folder = learner.ExerciseFolder(name, config.kata_tree, tmp_path, config.kata_pycache)
    state = learner.InterpreterState()
    # Only this exercise's folder, then the standard library and installed packages: nothing from the
    # repository (the kata's own modules, tests/, other exercises) can be imported by accident.
    sys.path[:] = [str(folder.dir)] + [p for p in sys.path if p and not _inside_repo(p, config)]
    # Through monkeypatch (which `ex` depends on, so it is undone last): a test's own
    # monkeypatch.setattr(builtins, "input", ...) then unwinds in order and nothing leaks.
    monkeypatch.setattr(builtins, "input", learner._no_input)
    try:
        yield folder
    finally:
        state.restore((config.kata_tree,))
        tampered = config.kata_guard.repair()
        if tampered:
            learner.fail(f"Code in {folder.show(folder.dir)}/ changed the test machinery ({', '.join(tampered[:4])}), "
                         f"so no result of this test can be trusted. Exercise code must not touch pytest or "
                         f"the kata's harness.")


class Guard:
    """Notices (and undoes) learner code that patches pytest or the harness to forge a pass.

    It records every attribute of the modules that decide a verdict, and of the classes they define,
    and after each test compares them by identity. In-process grading cannot stop every determined
    forgery (see `make grade`, which adds process isolation), but this one catches the plain ones:
    `pytest.fail = ...`, `_pytest.runner.call_and_report = ...`, `Results.pytest_runtest_logfinish = ...`.
    """

    MODULES = ("pytest", "_pytest.outcomes", "_pytest.runner", "_pytest.reports", "_pytest.python",
               "_pytest.main", "_pytest.terminal", "_pytest.fixtures", "pluggy", "pluggy._callers",
               "pluggy._hooks", "kata.plugin", "kata.learner", "kata.explain", "kata.report", "json")

    def __init__(self):
        self.saved = {}
        for name in self.MODULES:
            module = sys.modules.get(name)
            if module is None:
                continue
            self.saved[name] = (vars(module), dict(vars(module)))
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == name:
                    self.saved[f"{name}.{value.__name__}"] = (value, dict(vars(value)))

    def repair(self) -> list[str]:
        tampered = []
        for label, (owner, attributes) in self.saved.items():
            now = owner if isinstance(owner, dict) else vars(owner)
            for attr, value in attributes.items():
                if now.get(attr, _MISSING) is not value:
                    tampered.append(f"{label}.{attr}")
                    if isinstance(owner, dict):
                        owner[attr] = value
                    else:
                        setattr(owner, attr, value)
        return tampered


_MISSING = object()


def _inside_repo(entry: str, config) -> bool:
    path = Path(entry).resolve()
    return path.is_relative_to(config.rootpath) or path.is_relative_to(config.kata_tree)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    if rep.failed and call.excinfo is not None:
        tree = item.config.kata_tree
        timeout = item.config.getini("timeout")
        message = explain.failure(call.excinfo, (tree,), tree, float(timeout or 0))
        if message:
            rep.longrepr = message
    return rep


class Results:
    """Files every test's outcome under its exercise; reports and writes them at the end."""

    def __init__(self, config):
        self.config = config
        self.exercises: dict[str, dict] = {}  # name -> {"passed", "failed", "messages"}
        self.phases: dict[str, list] = {}

    def entry(self, name: str) -> dict:
        return self.exercises.setdefault(name, {"passed": 0, "failed": 0, "messages": []})

    def pytest_collectreport(self, report):
        name = exercise_of(report.nodeid)
        if report.failed and name:
            entry = self.entry(name)
            entry["failed"] += 1
            entry["messages"].append(f"{report.nodeid} could not be loaded:\n{report.longreprtext}")

    def pytest_runtest_logreport(self, report):
        self.phases.setdefault(report.nodeid, []).append(report)

    def pytest_runtest_logfinish(self, nodeid, location):
        name = exercise_of(nodeid)
        reports = self.phases.pop(nodeid, [])
        if name is None:
            return
        entry = self.entry(name)
        bad = [r for r in reports if r.failed or r.skipped]
        if bad or not any(r.when == "call" for r in reports):
            entry["failed"] += 1
            entry["messages"].extend(_message(r) for r in bad)
        else:
            entry["passed"] += 1

    def pytest_sessionfinish(self, session, exitstatus):
        path = self.config.getoption("kata_json")
        if path:
            Path(path).write_text(json.dumps(self.exercises, indent=1), encoding="utf-8")

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        changed = checksums.changed_machinery(config.rootpath) if self.exercises else []
        if changed:
            terminalreporter.write_line("")
            terminalreporter.write_line(
                f"WARNING: the kata's test machinery differs from what was shipped ({len(changed)} file(s): "
                f"{', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''}). Results from this checkout "
                f"may not be what your instructor's grading sees.", red=True, bold=True)
        if config.kata_focused and self.exercises:
            saved = config.cache.get("kata/complete", None) if getattr(config, "cache", None) else None
            previous = set(saved) if saved is not None else None
            complete = {n for n, e in self.exercises.items() if report.is_complete(e)}
            terminalreporter.write(report.render(exercise_list(config), self.exercises, config.kata_tree,
                                                 previous))
            if getattr(config, "cache", None) and config.kata_tree == config.rootpath / "exercises":
                config.cache.set("kata/complete", sorted(complete | ((previous or set()) - set(self.exercises))))


def _message(rep) -> str:
    if rep.skipped:
        return f"{rep.nodeid} was skipped, and a skipped check never counts as passed."
    return rep.longreprtext.strip()
