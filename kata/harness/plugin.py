"""The kata's pytest plugin (loaded by the root conftest.py): options, the `ex` fixture, reporting.

Data flow: tests/test_NN_name.py asks for `ex` -> an ExerciseFolder for <tree>/NN_name, with the
interpreter state saved and the exercise folder first on sys.path -> the test loads or runs learner code
through it -> the state is restored -> each test's outcome is filed under its exercise -> at the end
kata.harness.report prints the progress view and, with --kata-json, the per-exercise results are written out.
"""
from __future__ import annotations

import builtins
import functools
import gc
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from kata import manifest
from kata.maintainer import checksums
from kata.diagnoses import explain
from kata.harness import isolation, learner, report, verdict


def pytest_addoption(parser):
    group = parser.getgroup("kata")
    group.addoption("--solutions", action="store_true", help="test solutions/ instead of exercises/")
    group.addoption("--exercises", metavar="DIR", help="test this exercises folder (default: exercises/)")
    group.addoption("--kata-json", metavar="FILE", help="write per-exercise results to FILE as JSON")
    group.addoption("--kata-verdict", metavar="READ,WRITE", help="grading only (kata/harness/verdict.py): read "
                    "the token from the first descriptor, write each test's outcome to the second")
    group.addoption("--kata-answers", metavar="DIR", help="run every test once per answer of the corpus in DIR "
                    "(answers/NN_name.toml), against that answer; results are filed as NN_name@valid.1 ...")
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
    # pytest keeps the assertion-rewritten test modules as bytecode and never checks the path they were
    # compiled at, so after `mv kata python-kata` the tests' code objects would still name the old path
    # (exercise 29 compares a warning's file with the test's). Under a prefix, the cache mirrors each
    # file's absolute path: a moved clone never reads the old entries. (The grader sets its own prefix.)
    if not sys.pycache_prefix:
        sys.pycache_prefix = str(config.rootpath / ".kata" / "bytecode")
    # Learner code is compiled from source every run: a private, empty, read-only-in-effect bytecode
    # folder means a stale .pyc (an edit in the same second with the same size) can never be used, and
    # no __pycache__ is written next to the learner's files.
    # (Set once collection is over, see pytest_collection_finish.)
    config.kata_run = _session_folder()  # pycache/ and tmp/ (each test's ex.tmp_path)
    config.kata_pycache = config.kata_run / "pycache"
    config.kata_pycache.mkdir()
    config.kata_answers = None
    if config.getoption("kata_answers"):  # the answer corpus: every answer is a tree of its own
        from kata.maintainer import corpus

        config.kata_tree = config.kata_run / "answers"
        config.kata_answers = corpus.materialize(corpus.load(Path(config.getoption("kata_answers"))),
                                                 config.kata_tree, config.rootpath / "solutions",
                                                 config.rootpath / "exercises")
    if sys.executable not in learner._startup_modules:  # a learner subprocess, started now: see there
        try:
            learner.start_startup_probe(config.kata_run)
        except OSError:
            pass  # the first test that needs it tries again, and copes
    mode = config.getoption("kata_report")
    config.kata_focused = mode == "focused" or (mode == "auto" and config.option.verbose <= 0)
    results = Results(config)
    config.kata_verdict = bool(config.getoption("kata_verdict"))
    if config.kata_verdict:  # grading: the token never sits anywhere but in the channel (see verdict.py)
        read, write = (int(fd) for fd in config.getoption("kata_verdict").split(","))
        with os.fdopen(read, "rb") as pipe:
            results.speak = verdict.channel(write, pipe.readline(200).decode("ascii").strip(),
                                            verdict.install(config.rootpath))
    config.pluginmanager.register(results, "kata-results")
    # A learner's worst mistakes must not end or hang the run: os._exit() in exercise code becomes an
    # exception (os._exit(0) would end pytest with status 0, as if every exercise passed), and a thread
    # that never ends cannot keep the process from exiting (see _exit_despite_threads).
    isolation.guard_learner_code((config.kata_tree,))
    config.kata_threads = set(threading.enumerate())
    config.kata_hard_stop = _terminal_copy()
    config.add_cleanup(functools.partial(_exit_despite_threads, config))
    config.kata_guard = Guard(Guard.GRADING if config.kata_verdict else ())
    if config.kata_focused:
        config.kata_saved_options = (config.option.tbstyle, config.option.reportchars)
        config.option.tbstyle = "no"
        config.option.reportchars = "N"
        config.option.verbose = -1


def pytest_generate_tests(metafunc):
    """With --kata-answers: each test of an exercise once per answer of that exercise (`test_x[@valid.2]`)."""
    answers = metafunc.config.kata_answers
    if answers is not None and "ex" in metafunc.fixturenames:
        mine = answers.get(exercise_of(metafunc.definition.nodeid) or "", [])
        if mine:
            metafunc.parametrize("kata_answer", mine, ids=[a.param_id for a in mine], indirect=True)


def pytest_collection_modifyitems(config, items):
    if config.kata_answers is not None:  # tests of exercises without answers have nothing to judge
        keep = [item for item in items if "kata_answer" in getattr(getattr(item, "callspec", None), "params", {})]
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
    # The focused view is for exercises; a run of anything else (the harness's own tests) keeps
    # pytest's usual failure reports.
    if config.kata_focused and config.getoption("kata_report") == "auto" \
            and not all(exercise_of(item.nodeid) for item in items):
        config.kata_focused = False
        config.option.tbstyle, config.option.reportchars = config.kata_saved_options


@pytest.hookimpl(tryfirst=True)
def pytest_collection_finish(session):
    # Only now: collection imports the test files, never learner code, and until here pytest can use (and
    # write) its cache of the assertion-rewritten tests in tests/__pycache__ (rewriting all of them
    # costs about 0.15 s per run).
    sys.pycache_prefix = str(session.config.kata_pycache)
    if session.config.kata_verdict:
        verdict.seal()
        # the tests' own helpers too: a helper replaced by a no-op would let its test pass
        tests = session.config.rootpath / "tests"
        session.config.kata_guard.watch([m for m in list(sys.modules.values()) if isinstance(
            getattr(m, "__file__", None), str) and Path(m.__file__).parent == tests])
    sys.dont_write_bytecode = True
    # pytest, the plugins and the collected tests live until the end: take them out of the garbage
    # collector's sight. Otherwise every full collection during the run, and the five pytest makes at its
    # end (for unraisable exceptions), walk all of them again: about 0.1 s per run.
    gc.freeze()


def pytest_unconfigure(config):
    learner.stop_startup_probe()
    shutil.rmtree(getattr(config, "kata_run", ""), ignore_errors=True)
    if getattr(config, "kata_hard_stop", None) is not None:
        config.kata_hard_stop.close()


def pytest_sessionstart(session):
    session.config.kata_session = session
    # A learner's thread stopped by the harness (ThreadStopped) or calling os._exit (LearnerExit) ends
    # quietly; the test that started it reports it. Other thread errors go on to pytest's own hook.
    previous = threading.excepthook
    quiet = (isolation.ThreadStopped, isolation.LearnerExit)
    threading.excepthook = lambda args: None if issubclass(args.exc_type, quiet) else previous(args)


def _terminal_copy():
    """A file on the terminal's stderr that stays there while pytest captures output: where the last-resort
    hard stop (isolation.TimeLimit) prints, before it ends the process."""
    try:
        return os.fdopen(os.dup(sys.__stderr__.fileno()), "w")
    except (AttributeError, OSError, ValueError):  # no real stderr (an IDE, pythonw)
        return None


def _exit_despite_threads(config):
    """At the very end of the session: if learner code left threads running that are not daemons, Python
    would wait for them for ever after the report. End the process with the session's exit status."""
    left = [t for t in threading.enumerate() if t.is_alive() and not t.daemon and t not in config.kata_threads]
    if left:
        session = getattr(config, "kata_session", None)
        status = int(session.exitstatus) if session is not None else 1
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        isolation.real_exit(status)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item, settings):
    """The per-test time limit, enforced by isolation.TimeLimit (pytest-timeout's setting and message,
    but learner code cannot swallow it). Where SIGALRM is missing (Windows) or off the main thread,
    pytest-timeout's own thread method runs."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        return None
    try:
        from pytest_timeout import is_debugging
    except ImportError:
        is_debugging = None
    check = None if settings.disable_debugger_detection else is_debugging
    limit = isolation.TimeLimit(settings.timeout, item.config.kata_hard_stop, check)
    item.cancel_timeout = limit.cancel
    item.kata_deadline = limit.deadline
    limit.start()
    return True


def exercise_of(nodeid: str) -> str | None:
    """tests/test_07_specific_items.py::test_x -> 07_specific_items"""
    path = nodeid.split("::", 1)[0]
    stem = Path(path).stem
    if Path(path).parent.as_posix() == "tests" and stem.startswith("test_"):
        return stem[len("test_"):]
    return None


_ANSWER_ID = re.compile(r"\[(?:.*-)?(@\w+\.\d+)(?:-.*)?\]$")


def result_key(nodeid: str) -> str | None:
    """Where a test's outcome is filed: its exercise, or with --kata-answers `07_specific_items@valid.2`."""
    name = exercise_of(nodeid)
    answer = _ANSWER_ID.search(nodeid)
    return f"{name}{answer.group(1)}" if name and answer else name


@pytest.fixture
def kata_answer(request):
    """The corpus answer this test runs against (--kata-answers), else None."""
    return getattr(request, "param", None)


@pytest.fixture
def ex(request, monkeypatch, capsys, kata_answer):
    """This test's exercise folder, with the interpreter isolated around the test."""
    name = exercise_of(request.node.nodeid)
    assert name, f"{request.node.nodeid}: the `ex` fixture works only in tests/test_<exercise>.py"
    config = request.config
    tmp_path = _scratch_folder(request)
    tree = kata_answer.tree if kata_answer is not None else config.kata_tree
    folder = learner.ExerciseFolder(name, tree, tmp_path, config.kata_pycache, capsys)
    if not folder.dir.is_dir():
        learner.fail(explain.missing_folder(folder.show(folder.dir), folder.dir))
    folder.deadline = getattr(request.node, "kata_deadline", None)
    state = isolation.InterpreterState()
    # Only this exercise's folder, then the standard library and installed packages: nothing from the
    # repository (the kata's own modules, tests/, other exercises) can be imported by accident.
    sys.path[:] = [str(folder.dir)] + [p for p in sys.path if p and not _inside_repo(p, config)]
    # Through monkeypatch (which `ex` depends on, so it is undone last): a test's own
    # monkeypatch.setattr(builtins, "input", ...) then unwinds in order and nothing leaks.
    monkeypatch.setattr(builtins, "input", learner._no_input)
    # Learner code runs from a temporary folder, never from the repository: a file it writes with a
    # relative name (open("notes.txt", "w") at import) lands there, as in ex.run's subprocesses.
    monkeypatch.chdir(tmp_path)
    saved_builtins = dict(vars(builtins)) if config.kata_verdict else None
    try:
        yield folder
    finally:
        # (grading: a builtin replaced by learner code may have made the test's own checks lie)
        lied = [f"builtins.{k}" for k in set(saved_builtins) | set(vars(builtins)) if k not in ("input", "_")
                and vars(builtins).get(k, _MISSING) is not saved_builtins.get(k, _MISSING)] if saved_builtins else []
        state.restore((config.kata_tree,))
        left = state.leftovers(folder.dir, config.kata_tree)
        tampered = lied + config.kata_guard.repair()
        if tampered:
            # Filed by node id as well: a patched report (e.g. a replaced call_and_report) could otherwise
            # turn the failure below into a pass. Results counts this test as failed regardless.
            config.kata_guard.flagged[request.node.nodeid] = tampered
            learner.fail(f"Code in {folder.show(folder.dir)}/ changed the test machinery ({', '.join(tampered[:4])}), "
                         f"so no result of this test can be trusted. Exercise code must not touch pytest or "
                         f"the kata's harness.")
        if left:
            learner.fail(left)
        _release_scratch(config, tmp_path)


class Guard:
    """Notices (and undoes) learner code that patches pytest or the harness to forge a pass.

    It records every attribute of the modules that decide a verdict, and of the classes they define,
    and after each test compares them by identity. In-process grading cannot stop every determined
    forgery (see `make grade`, which adds process isolation), but this one catches the plain ones:
    `pytest.fail = ...`, `_pytest.runner.call_and_report = ...`, `Results.pytest_runtest_logfinish = ...`.
    """

    MODULES = ("pytest", "_pytest.outcomes", "_pytest.runner", "_pytest.reports", "_pytest.python",
               "_pytest.main", "_pytest.terminal", "_pytest.fixtures", "pluggy", "pluggy._callers",
               "pluggy._hooks", "kata.harness.plugin", "kata.harness.learner", "kata.harness.isolation", "kata.diagnoses.explain", "kata.harness.report",
               "json")

    # Grading also watches what the tests themselves compute with (a replaced ast.walk would blind a check).
    GRADING = ("ast", "types", "re", "math", "operator", "functools", "itertools", "pathlib", "os.path",
               "importlib", "importlib.util", "importlib.machinery", "_pytest.skipping", "_pytest.nodes",
               "_pytest.capture", "_pytest.warnings", "pluggy._manager", "kata.harness.verdict",
               "kata.harness.sources", "kata.diagnoses.facts")

    def __init__(self, extra: tuple[str, ...] = ()):
        self.flagged: dict[str, list[str]] = {}  # node id -> what its exercise code changed
        self.saved = {}
        self.watch([sys.modules[name] for name in self.MODULES + extra if name in sys.modules])

    def watch(self, modules):
        for module in modules:
            name = module.__name__
            self.saved[name] = (vars(module), dict(vars(module)))
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == name:
                    self.saved[f"{name}.{value.__name__}"] = (value, dict(vars(value)))

    def repair(self, _unchanged=isolation.unchanged) -> list[str]:
        tampered = []
        for label, (owner, attributes) in self.saved.items():
            now = owner if isinstance(owner, dict) else vars(owner)
            if _unchanged(now, attributes):  # nearly always: checked in C
                continue
            for attr, value in attributes.items():
                if now.get(attr, _MISSING) is not value:
                    tampered.append(f"{label}.{attr}")
                    if isinstance(owner, dict):
                        owner[attr] = value
                    else:
                        setattr(owner, attr, value)
        return tampered


_MISSING = object()


def _session_folder() -> Path:
    """This session's private folder, removed at its end. Its name carries the process id, so the folder
    of a session that could not clean up (killed, or ended by the hard stop) is removed by a later one."""
    temp = Path(tempfile.gettempdir())
    if os.name == "posix":  # (on Windows, os.kill(pid, 0) would end that process)
        for old in temp.glob("kata-run-*-*"):
            pid = old.name.split("-")[2]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"kata-run-{os.getpid()}-", dir=temp)).resolve()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, for example
        return True
    return True


def _scratch_folder(request) -> Path:
    """An empty folder for one test (ex.tmp_path, the working folder of its learner code): one mkdir in
    the session's folder, removed at its end; pytest's tmp_path costs about 1 ms per test more. The
    previous test's folder is used again when that test left it exactly as it got it (see
    _release_scratch): most tests write nothing there, and a mkdir here, with its removal at the end,
    costs about 0.5 ms."""
    config = request.config
    free = config.__dict__.pop("kata_scratch_free", None)
    if free is not None:
        return free
    config.kata_scratch_count = getattr(config, "kata_scratch_count", 0) + 1
    name = f"{config.kata_scratch_count}_{_NOT_IN_NAME.sub('_', request.node.name)[:40]}"
    folder = config.kata_run / "tmp" / name
    folder.mkdir(parents=True)
    config.kata_scratch_mode = folder.stat().st_mode
    return folder


def _release_scratch(config, folder: Path):
    """After a test that went cleanly (no threads left, nothing tampered with): its scratch folder may serve
    the next test if it is still an empty, plain folder with the mode it was made with."""
    try:
        if folder.lstat().st_mode != config.kata_scratch_mode:
            return
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                config.kata_scratch_free = folder
    except OSError:
        pass


_NOT_IN_NAME = re.compile(r"[^\w.-]")


def _inside_repo(entry: str, config) -> bool:
    # sys.path is the same before nearly every test: resolve each entry once per session
    key = (entry, os.getcwd())
    cache = config.__dict__.setdefault("kata_inside_repo", {})
    if key not in cache:
        path = Path(entry).resolve()
        cache[key] = path.is_relative_to(config.rootpath) or path.is_relative_to(config.kata_tree)
    return cache[key]


MAX_SECTION = 5000  # characters of captured output shown per section: a print loop can write gigabytes


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    rep.sections = [(title, _shorten(text)) for title, text in rep.sections]
    if call.excinfo is not None and isinstance(call.excinfo.value, isolation.LearnerExit):
        call.excinfo.value.attempt["reported"] = True
    if rep.failed and call.excinfo is not None:
        tree = item.config.kata_tree
        timeout = item.config.getini("timeout")
        message = explain.failure(call.excinfo, (tree,), tree, float(timeout or 0))
        if message:
            rep.longrepr = message
        # One diagnosis once per exercise: a later test that fails for the same mistake, at the same place,
        # says only that.
        text = message or rep.longreprtext
        ids = explain.diagnosis_ids(text)
        keys = {(i, explain.first_location(text)) for i in ids}
        seen = item.config.__dict__.setdefault("kata_diagnosed", {}).setdefault(result_key(item.nodeid), set())
        if keys and keys <= seen:
            rep.longrepr = explain.same_mistake(ids)
        seen |= keys
    return rep


class Results:
    """Files every test's outcome under its exercise; reports and writes them at the end."""

    def __init__(self, config):
        self.config = config
        self.exercises: dict[str, dict] = {}  # name -> {"passed", "failed", "messages"}
        self.speak = None  # grading: the verdict channel (verdict.channel)
        self.phases: dict[str, list] = {}
        self.subset: set[str] | None = None  # see pytest_collection_finish

    def entry(self, name: str) -> dict:
        return self.exercises.setdefault(name, {"passed": 0, "failed": 0, "messages": []})

    def pytest_deselected(self, items):
        self.deselected = True

    def pytest_collection_finish(self, session):
        """A run of some exercises only (`pytest tests/test_29_...`, `-k`) reports on those (self.subset)."""
        named = [a for a in session.config.args if "::" in a or Path(a.split("::")[0]).is_file()]
        if named or getattr(self, "deselected", False):
            self.subset = {result_key(item.nodeid) for item in session.items} - {None}

    def pytest_collectreport(self, report):
        name = result_key(report.nodeid)
        if report.failed and name:
            entry = self.entry(name)
            entry["failed"] += 1
            entry["messages"].append(f"{report.nodeid} could not be loaded:\n{report.longreprtext}")
            if self.speak is not None:
                self.speak.send(f"collect\t{report.nodeid}\t{json.dumps(entry['messages'][-1][:1500])}")

    def pytest_runtest_logreport(self, report):
        self.phases.setdefault(report.nodeid, []).append(report)

    def pytest_runtest_logfinish(self, nodeid, location):
        name = result_key(nodeid)
        reports = self.phases.pop(nodeid, [])
        if name is None:
            return
        entry = self.entry(name)
        bad = [r for r in reports if r.failed or r.skipped]
        flagged = self.config.kata_guard.flagged.get(nodeid)
        if bad or flagged or not any(r.when == "call" for r in reports):
            entry["failed"] += 1
            before = len(entry["messages"])
            entry["messages"].extend(_message(r) for r in bad)
            if flagged and not bad:
                entry["messages"].append(f"{nodeid}: the exercise's code changed the test machinery "
                                         f"({', '.join(flagged[:4])}), so this test cannot count as passed.")
            if self.speak is not None:
                first = entry["messages"][before] if len(entry["messages"]) > before else "(no message)"
                self.speak.send(f"failed\t{nodeid}\t{json.dumps(first[:1500])}")
        else:
            entry["passed"] += 1
            if self.speak is not None:
                self.speak.send(f"passed\t{nodeid}\t\"\"")

    def pytest_sessionfinish(self, session, exitstatus):
        if self.speak is not None:
            self.speak.send("end\t\t\"\"")
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
        if not self.exercises:
            return
        if config.kata_answers is not None:  # results are per answer, not per exercise: no progress grid
            passed = sorted(key for key, e in self.exercises.items() if report.is_complete(e))
            terminalreporter.write_line("")
            terminalreporter.write_line(
                f"Answer corpus: {len(self.exercises)} answers ran, {len(passed)} passed every test, "
                f"{len(self.exercises) - len(passed)} failed one. Whether each verdict is the right one "
                f"(valid passes, wrong fails) is judged by `make verify`, check (f).")
            return
        saved = config.cache.get("kata/complete", None) if getattr(config, "cache", None) else None
        previous = set(saved) if saved is not None else None
        complete = {n for n, e in self.exercises.items() if report.is_complete(e)}
        if config.kata_focused:
            terminalreporter.write(report.render(exercise_list(config), self.exercises, config.kata_tree,
                                                 previous, subset=self.subset))
        elif len(self.exercises) == 1 and complete:  # `make test EX=07` passed: say what is next
            ordered = exercise_list(config)
            known = previous if previous is not None and config.kata_tree == config.rootpath / "exercises" else set()
            following = report.next_exercise(ordered, complete | known, next(iter(complete)))
            terminalreporter.write_line("")
            terminalreporter.write_line(
                f"{next(iter(complete))} is complete. " + (
                    f"Next: {following.number} {following.title}: read "
                    f"{explain.show_path(config.kata_tree / following.name / 'README.md', config.kata_tree)} "
                    f"(make test EX={following.number})" if following else "Every exercise is complete."),
                green=True, bold=True)
        if getattr(config, "cache", None) and config.kata_tree == config.rootpath / "exercises":
            config.cache.set("kata/complete", sorted(complete | ((previous or set()) - set(self.exercises))))


def _shorten(text: str) -> str:
    if len(text) <= MAX_SECTION:
        return text
    return f"{text[:MAX_SECTION]}\n... ({len(text) - MAX_SECTION} more characters not shown)\n"


def _message(rep) -> str:
    if rep.skipped:
        return f"{rep.nodeid} was skipped, and a skipped check never counts as passed."
    return rep.longreprtext.strip()
