"""Running a learner's code safely: in-process loading in isolation, subprocess runs, source checks.

Tests never import learner code themselves. They receive an `ExerciseFolder` (the `ex` fixture) and call
`ex.load("mymodule")`, `ex.run("main.py")`, `ex.assert_import(...)`. Every learner mistake met here becomes
one `pytest.fail(..., pytrace=False)` whose text (built by kata.explain) names the file and line and says
what to do, so a beginner never reads a traceback through this file.
"""
from __future__ import annotations

import ast
import atexit
import builtins
import faulthandler
import importlib
import importlib.machinery
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from kata import explain

# A module body that timed out once is not run again in the same session: one infinite loop should cost
# one timeout, not one per test of the exercise.
_timed_out: dict[tuple[Path, str], str] = {}
# Likewise for a learner program run in a subprocess: the same command that timed out once is not run again.
_timed_out_runs: dict[tuple, tuple[Result, float]] = {}

SUBPROCESS_TIMEOUT = float(os.environ.get("KATA_SUBPROCESS_TIMEOUT", "5"))

# Module state below is only ever mutated, never rebound: plugin.Guard watches this module's names.
_input_calls = [0]  # how often learner code called input() this session
_learner_roots: list[Path] = []  # the tree under test, set by the plugin: code in it is the learner's
exit_attempts: list[dict] = []  # os._exit() calls made by learner code, turned into LearnerExit
_startup_modules: dict[str, frozenset[str]] = {}  # what a fresh `python` has loaded before any user code
_learner_files: dict[str, bool] = {}  # code filename -> whether it is under _learner_roots
real_exit = os._exit


def fail(message: str):
    pytest.fail(message, pytrace=False)


class InputCalled(EOFError):
    """Raised by the stand-in for input(): tests never wait for a keyboard."""


def _no_input(prompt=""):
    _input_calls[0] += 1
    raise InputCalled("input() was called, but the tests cannot type an answer")


class LearnerExit(SystemExit):
    """os._exit() called by learner code. The real one would end pytest on the spot with the learner's
    status (os._exit(0): no report, and exit status 0 as if every exercise passed); this exception ends
    only the code that called it, and the test fails with an explanation."""

    def __init__(self, status, attempt: dict):
        super().__init__(status)
        self.attempt = attempt


class ThreadStopped(SystemExit):
    """Raised inside a learner's thread that was still running when its test ended (a SystemExit, so
    the thread ends without a traceback)."""


def _guarded_exit(status):
    """Stands in for os._exit: the real thing for the harness and pytest (pytest-timeout's thread
    method uses it), an exception for code in the tree under test."""
    frame = sys._getframe(1)
    if not learner_code_on(frame):
        real_exit(status)
    attempt = {"status": status, "where": explain.frame_location(frame, tuple(_learner_roots)),
               "thread": threading.current_thread().name, "reported": False}
    exit_attempts.append(attempt)
    raise LearnerExit(status, attempt)


def guard_learner_code(roots: tuple[Path, ...]):
    """From now on, code under `roots` is the learner's: os._exit() called from it raises LearnerExit
    instead of ending Python, and TimeLimit traces it when it will not stop."""
    _learner_roots[:] = [Path(r).resolve() for r in roots]
    _learner_files.clear()
    os._exit = _guarded_exit
    platform_module = sys.modules.get("posix") or sys.modules.get("nt")
    if platform_module is not None:
        platform_module._exit = _guarded_exit


def learner_code_on(frame) -> bool:
    """Whether `frame` or one of its callers runs code from the tree under test."""
    while frame is not None:
        if is_learner_file(frame.f_code.co_filename):
            return True
        frame = frame.f_back
    return False


def is_learner_file(filename: str) -> bool:
    known = _learner_files.get(filename)
    if known is None:
        known = _learner_files[filename] = explain.inside(filename, _learner_roots)
    return known


# Standard modules whose attributes learner code might rebind (`sys.exit = ...`, `os.getcwd = ...`,
# `random.randint = ...`): put back after every test. (json and pytest are plugin.Guard's: it flags them.)
PROTECTED_MODULES = ("os", "os.path", "importlib", "importlib.util", "importlib.machinery", "io", "threading",
                     "signal", "atexit", "subprocess", "shutil", "pathlib", "tempfile", "time", "math", "random")
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGALRM") if hasattr(signal, name))


class InterpreterState:
    """Everything a learner module may change in this interpreter, captured so it can be put back.

    Restoring it after each test is what keeps one exercise's mistakes (a changed sys.path, a patched
    builtin, an os.chdir, a fake entry in sys.modules, `sys.exit = ...`, a signal handler, an atexit
    callback) from leaking into the next exercise. `leftovers()` then deals with what cannot be put
    back: threads still running, and os._exit() calls that nobody saw.
    """

    def __init__(self):
        self.sys_vars = dict(vars(sys))  # sys.path, sys.modules... by identity, and every other attribute
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.modules = dict(sys.modules)
        self.builtins = dict(vars(builtins))
        self.module_vars = {module: dict(vars(module)) for module in
                            filter(None, (sys.modules.get(name) for name in PROTECTED_MODULES))}
        self.argv = list(sys.argv)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.recursion_limit = sys.getrecursionlimit()
        self.switch_interval = sys.getswitchinterval()
        self.trace, self.profile = sys.gettrace(), sys.getprofile()
        self.main_thread = threading.current_thread() is threading.main_thread()
        self.handlers = {s: signal.getsignal(s) for s in _SIGNALS} if self.main_thread else {}
        self.threads = set(threading.enumerate())
        self.exits = len(exit_attempts)
        # atexit callbacks registered by learner code are unregistered afterwards: one registered as
        # `atexit.register(os._exit, 0)` would otherwise turn a failing run's exit status into 0.
        self.atexit_added: list = []
        original_register = atexit.register

        def register(func, *args, **kwargs):
            self.atexit_added.append(func)
            return original_register(func, *args, **kwargs)

        atexit.register = register

    def restore(self, learner_roots: tuple[Path, ...]):
        # First what the rest of this method calls: sys's, the builtins' and os's own names.
        now = vars(sys)
        for name in [n for n in now if n not in self.sys_vars]:
            delattr(sys, name)
        for name, value in self.sys_vars.items():
            if now.get(name, _MISSING) is not value:
                setattr(sys, name, value)
        _put_back(vars(builtins), self.builtins)
        for module, saved in self.module_vars.items():
            now = vars(module)
            for name, value in saved.items():
                if now.get(name, _MISSING) is not value:
                    now[name] = value
        os.chdir(self.cwd)
        sys.path[:] = self.path
        sys.meta_path[:] = self.meta_path
        sys.path_hooks[:] = self.path_hooks
        sys.path_importer_cache.clear()
        for name in list(sys.modules):
            if name not in self.modules:
                del sys.modules[name]
        for name, module in self.modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
        for func in self.atexit_added:
            atexit.unregister(func)
        sys.argv[:] = self.argv
        if os.environ != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        sys.stdin, sys.stdout, sys.stderr = self.streams
        sys.setrecursionlimit(self.recursion_limit)
        sys.setswitchinterval(self.switch_interval)
        sys.settrace(self.trace)
        sys.setprofile(self.profile)
        if self.main_thread:
            for signum, handler in self.handlers.items():
                if handler is not None:
                    signal.signal(signum, handler)
        importlib.invalidate_caches()

    def leftovers(self, folder: Path, root: Path) -> str | None:
        """What the test's learner code left behind that cannot just be put back, as a teaching message
        (or None): threads still running (they are stopped if possible: a busy one would slow every later
        test, and a non-daemon one keeps Python from exiting), and os._exit() calls that were swallowed
        or made in a thread."""
        problems = []
        for thread, where in self._stop_new_threads():
            problems.append(explain.thread_left_running(thread.name, where, root))
        for attempt in exit_attempts[self.exits:]:
            mine = attempt["where"] and explain.inside(attempt["where"][0], [folder])
            if not attempt["reported"] and mine:
                problems.append(explain.exit_called(attempt, root))
            attempt["reported"] = True
        return "\n".join(problems) or None

    def _stop_new_threads(self) -> list[tuple[threading.Thread, tuple | None]]:
        new = [t for t in threading.enumerate() if t not in self.threads and t.is_alive()]
        if not new:
            return []
        deadline = time.monotonic() + 0.1  # a thread about to finish may finish
        for thread in new:
            thread.join(max(0.0, deadline - time.monotonic()))
        frames = sys._current_frames()
        running = [t for t in new if t.is_alive()]
        found = [(t, _thread_location(t, frames.get(t.ident))) for t in running if not t.daemon]
        for attempt in range(2):  # twice: a `try/except` in the thread may swallow the first
            for thread in running:
                if thread.is_alive():
                    _raise_in_thread(thread, ThreadStopped)
            deadline = time.monotonic() + 0.1
            for thread in running:
                thread.join(max(0.0, deadline - time.monotonic()))
        return found


_MISSING = object()


def _thread_location(thread: threading.Thread, frame) -> tuple[str, int, str] | None:
    """Where a learner's thread is running now, or else where its function is defined."""
    where = explain.frame_location(frame, tuple(_learner_roots)) if frame is not None else None
    code = getattr(getattr(thread, "_target", None), "__code__", None)
    if where is None and code is not None and explain.inside(code.co_filename, _learner_roots):
        where = (code.co_filename, code.co_firstlineno, explain.source_line(code.co_filename, code.co_firstlineno))
    return where


def _raise_in_thread(thread: threading.Thread, exception: type[BaseException]):
    """Raise `exception` in another thread at its next Python instruction (it cannot interrupt a thread
    blocked in a C call, e.g. waiting on a lock: that one is left, and plugin ends the process anyway)."""
    try:
        import ctypes
    except ImportError:  # a Python without ctypes: leave the thread be
        return
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exception))


class TimeLimit:
    """The per-test time limit (replaces pytest-timeout's signal method; same setting, same message).

    pytest-timeout raises once when time is up, and learner code can swallow that: a retry loop such as
    `while True: try: x = int(input()) except: print("again")` catches the timeout like any other error
    and runs on forever. Here, after the limit, the alarm repeats every AGAIN seconds for as long as
    learner code is on the stack, and it also sets a trace function that raises at the next line of
    learner code (inside an `except:` block too, where nothing catches it). For code that never
    returns to Python at all (a C-level loop such as `sum(itertools.count())`) the hard stop, after
    hard_grace() more seconds, has faulthandler print where it was and end the process with status 1.
    """

    MESSAGE = "Timeout (>%ss) from pytest-timeout."  # explain.is_timeout() recognises it
    AGAIN = 0.2

    def __init__(self, seconds: float, hard_stop_file=None, debugger_check=None):
        self.seconds = seconds
        self.hard_stop_file = hard_stop_file
        self.debugger_check = debugger_check
        self.fired = False
        self.trace = None
        self.deadline = time.monotonic() + seconds

    @staticmethod
    def hard_grace(seconds: float) -> float:
        return max(3.0, seconds)

    def start(self):
        signal.signal(signal.SIGALRM, self._alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds, self.AGAIN)
        if self.hard_stop_file is not None:
            faulthandler.dump_traceback_later(self.seconds + self.hard_grace(self.seconds), exit=True,
                                              file=self.hard_stop_file)

    def cancel(self):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if self.hard_stop_file is not None:
            faulthandler.cancel_dump_traceback_later()
        self._untrace()

    def _untrace(self):
        if self.trace is not None:
            sys.settrace(self.trace[0])
            self.trace = None

    def _alarm(self, signum, frame):
        __tracebackhide__ = True
        if self.debugger_check is not None and self.debugger_check():
            return
        if self.fired and not learner_code_on(frame):
            self._untrace()  # the test is out of learner code and on its way to its report
            return
        if self.fired:
            self._trace_learner_lines(frame)
        self.fired = True
        pytest.fail(self.MESSAGE % self.seconds)

    def _trace_learner_lines(self, frame):
        message = self.MESSAGE % self.seconds

        def trace(f, event, arg):
            if not is_learner_file(f.f_code.co_filename):
                return None  # no line events for the harness's own frames
            # Not on "exception" events: raising there only swaps the exception that the `except` is
            # about to catch (and CPython drops a trace function that raises; the next alarm sets it again).
            if event in ("line", "call"):
                pytest.fail(message)
            return trace

        if self.trace is None:
            self.trace = (sys.gettrace(),)
        while frame is not None:
            if is_learner_file(frame.f_code.co_filename):
                frame.f_trace = trace
            frame = frame.f_back
        sys.settrace(trace)


def _put_back(namespace: dict, saved: dict):
    """Make `namespace` equal to `saved` again without ever emptying it (this code needs builtins)."""
    for name in [n for n in namespace if n not in saved]:
        del namespace[name]
    namespace.update(saved)


def purge(name: str):
    """Forget `name` and every `name.*`, so the next import reads this exercise's files."""
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]


def module_location(module: ModuleType) -> list[Path]:
    """Where a module came from: its file, or every folder of a (namespace) package."""
    if getattr(module, "__file__", None):
        return [Path(module.__file__).resolve()]
    return [Path(p).resolve() for p in getattr(module, "__path__", [])]


@dataclass
class Result:
    """What a learner program did when run in a subprocess."""

    command: str
    returncode: int | None  # None: it did not finish in time and was killed
    stdout: str
    stderr: str
    timeout: float | None = None  # the time it was given, when it did not finish


class ExerciseFolder:
    """One exercise's folder as seen by its tests (the `ex` fixture)."""

    def __init__(self, name: str, root: Path, tmp_path: Path, pycache: Path):
        self.name = name
        self.root = root  # the tree under test: exercises/, solutions/ or a submission's exercises/
        self.dir = (root / name).resolve()
        self.tmp_path = tmp_path
        self.pycache = pycache
        self.deadline: float | None = None  # time.monotonic() when the test's time limit runs out

    # -- paths --------------------------------------------------------------------------------------
    def path(self, relative: str) -> Path:
        return self.dir / relative

    def show(self, path: Path | str) -> str:
        """A path as the learner knows it: `exercises/07_specific_items/geometry.py`."""
        return explain.show_path(Path(path), self.root)

    def require_file(self, relative: str) -> Path:
        path = self.path(relative)
        if not path.is_file():
            fail(f"{self.show(path)} does not exist. Create it (check the spelling: file names are "
                 f"case-sensitive and must end in .py for a module).")
        return path

    # -- source checks ------------------------------------------------------------------------------
    def source(self, relative: str) -> str:
        path = self.require_file(relative)
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            problem = explain.bad_encoding(self.show(path), e)
        fail(problem)  # outside the except block: no chained traceback

    def tree(self, relative: str) -> ast.Module:
        text = self.source(relative)
        try:
            return ast.parse(text, filename=str(self.path(relative)))
        except SyntaxError as e:
            problem = explain.syntax_error(e, self.root)
        fail(problem)

    def imports(self, relative: str) -> list[ast.Import | ast.ImportFrom]:
        """The import statements at the top level of a file (not inside functions or `if` blocks)."""
        return [n for n in self.tree(relative).body if isinstance(n, (ast.Import, ast.ImportFrom))]

    def assert_import(self, relative: str, module: str, *, alias: str | None = None):
        """`import module` (or `import module as alias`) stands at the top level of the file."""
        for node in self.imports(relative):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == module and a.asname == alias:
                        return
        wanted = f"import {module}" + (f" as {alias}" if alias else "")
        fail(f"{self.show(self.path(relative))} needs the statement `{wanted}` at its top level "
             f"(not inside a function).{explain.found_imports(self.imports(relative))}")

    def assert_from_import(self, relative: str, module: str, names: set[str], *, level: int = 0,
                           exactly: bool = True):
        """`from module import a, b` stands at the top level; with exactly=True, no other names."""
        dots = "." * level
        imported: set[str] = set()
        for node in self.imports(relative):
            if isinstance(node, ast.ImportFrom) and (node.module or "") == module and node.level == level:
                imported |= {a.asname or a.name for a in node.names}
        wanted = f"from {dots}{module} import {', '.join(sorted(names))}"
        found = explain.found_imports(self.imports(relative))
        if "*" in imported:
            fail(f"{self.show(self.path(relative))} uses `from {dots}{module} import *`. A star import "
                 f"hides which names a module uses; write `{wanted}`.{found}")
        missing = names - imported
        extra = imported - names
        for node in self.imports(relative):
            if isinstance(node, ast.ImportFrom) and (node.module or "") == module and node.level != level \
                    and missing & {a.asname or a.name for a in node.names}:
                fail(f"{self.show(self.path(relative))}, line {node.lineno}: `{ast.unparse(node)}` has "
                     f"{node.level or 'no'} leading dot(s); this file needs `{wanted}`. In a relative import the "
                     f"first dot is this file's own package and each further dot climbs one package up.")
        if missing or (exactly and extra):
            detail = []
            if missing:
                detail.append(f"missing: {', '.join(sorted(missing))}")
            if exactly and extra:
                detail.append(f"not wanted: {', '.join(sorted(extra))}")
            fail(f"{self.show(self.path(relative))} should import exactly what it uses with "
                 f"`{wanted}` at its top level ({'; '.join(detail)}).{found}")

    def assert_no_star_import(self, relative: str):
        for node in ast.walk(self.tree(relative)):
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                fail(f"{self.show(self.path(relative))}, line {node.lineno}: `from {node.module} import *` "
                     f"is still there. Import the names you need explicitly.")

    # -- calling learner functions ------------------------------------------------------------------
    def where(self, error: BaseException, default: str = "") -> str:
        """`exercises/07_x/geometry.py, line 7: `code`` for the learner's line that raised `error`."""
        at = explain.describe(explain.learner_frame(error.__traceback__, (self.dir,)), self.root)
        return at or self.show(self.path(default) if default else self.dir)

    def call(self, module: ModuleType, function: str, *args, missing: str = "", on_name_error=None):
        """module.function(*args). A missing function, or a NameError inside it, becomes one failure naming
        the learner's line, with the exercise's own advice `on_name_error(error)` when given."""
        if not callable(getattr(module, function, None)):
            fail(missing or f"{module.__name__} does not define the function `{function}`.")
        try:
            return getattr(module, function)(*args)
        except NameError as e:
            error = e  # fail below, outside the `except`, so the report shows no chained traceback
        advice = on_name_error(error) if on_name_error else explain.NAME_ERROR_ADVICE
        fail(f"{self.where(error)}\nNameError: {error}.\n{advice}")

    # -- loading in this interpreter ----------------------------------------------------------------
    def load(self, name: str, diagnose=None) -> ModuleType:
        """Import module or package `name` from this exercise's folder, fresh, and return it.

        When the import fails, `diagnose()` (if given) may return the exercise's own explanation of a
        classic mistake, used instead of the general one; an empty string keeps the general one."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        key = (self.dir, name)
        if key in _timed_out:
            fail(_timed_out[key])
        purge(name.partition(".")[0])  # the whole package: a stale parent would keep old submodules
        importlib.invalidate_caches()
        saved_builtins = dict(vars(builtins))
        hidden = self._hide_shadowed_stdlib()
        inputs = _input_calls[0]
        error = None
        try:
            module = importlib.import_module(name)
        except pytest.fail.Exception as e:
            if not explain.is_timeout(e):
                raise
            error = e
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as e:  # SyntaxError, ImportError, SystemExit, InputCalled, anything
            error = e
        finally:
            # Before any message is worked out: it needs a sane len(), str()... (`builtins.len = ...`)
            _put_back(vars(builtins), saved_builtins)
            for hidden_name in hidden:
                purge(hidden_name)
            sys.modules.update(hidden)
        if error is not None:
            if isinstance(error, pytest.fail.Exception):
                _timed_out[key] = problem = explain.import_timeout(name, error, self.root,
                                                                   asked_input=_input_calls[0] > inputs)
            else:
                if isinstance(error, LearnerExit):
                    error.attempt["reported"] = True
                problem = explain.import_error(name, error, self.dir, self.root)
            error = None
            fail((diagnose and diagnose()) or problem)  # outside the except block: no chained traceback
        places = module_location(module)
        if not places or not all(p.is_relative_to(self.dir) for p in places):
            where = ", ".join(str(p) for p in places) or "nowhere on disk"
            fail(f"`import {name}` found {where}, not a file in {self.show(self.dir)}/. "
                 f"Is the file missing or misnamed?")
        return module

    def _hide_shadowed_stdlib(self) -> dict[str, ModuleType]:
        """Take the standard modules that a file in this folder shadows out of sys.modules while learner
        code is imported, and return them (load puts them back afterwards).

        In a fresh `python`, exercises/NN/random.py hides the standard `random` from every module in the
        folder. In this process `random` was imported long ago, so `import random` would quietly get the
        real one from sys.modules and a test would pass where the learner's own `python main.py` fails.
        Modules a fresh interpreter has loaded before any user code (os, io, site...), built-in ones (sys,
        time) and frozen ones cannot be shadowed, and are left alone."""
        names = {p.stem for p in self.dir.glob("*.py")} | {p.parent.name for p in self.dir.glob("*/__init__.py")}
        candidates = sorted(n for n in names & explain.STDLIB if n in sys.modules and n not in sys.builtin_module_names)
        if not candidates:
            return {}
        startup = self._startup_modules()
        hidden = {}
        for name in candidates:
            if name in startup or importlib.machinery.FrozenImporter.find_spec(name) is not None:
                continue
            for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
                hidden[key] = sys.modules.pop(key)
        return hidden

    def _startup_modules(self) -> frozenset[str]:
        """The modules a fresh `python` (as ex.run starts it) has loaded before running any user code."""
        if sys.executable not in _startup_modules:
            try:
                done = subprocess.run([sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],
                                      cwd=self.tmp_path, env=self.env(), capture_output=True, text=True,
                                      timeout=10)
                found = frozenset(done.stdout.split()) if done.returncode == 0 else None
            except (OSError, subprocess.SubprocessError):
                found = None
            _startup_modules[sys.executable] = found if found else frozenset(sys.modules)  # unknown: hide none
        return _startup_modules[sys.executable]

    def assert_regular_package(self, name: str) -> ModuleType:
        """Load package `name` and insist it is a regular package with its own __init__.py."""
        folder = self.path(name.replace(".", "/"))
        init = folder / "__init__.py"
        if folder.is_dir() and not init.is_file():
            fail(explain.namespace_package(folder, self.root))
        package = self.load(name)
        if getattr(package, "__file__", None) is None or not isinstance(package.__path__, list):
            fail(explain.namespace_package(folder, self.root))
        if Path(package.__file__).resolve() != init.resolve():
            fail(f"`import {name}` loaded {package.__file__}, expected {self.show(init)}.")
        return package

    # -- running in a fresh interpreter -------------------------------------------------------------
    def env(self, pythonpath: list[Path] | None = None) -> dict[str, str]:
        """The environment of a learner subprocess: no stale bytecode, nothing written next to sources.

        Nothing is written (PYTHONDONTWRITEBYTECODE), so the child compiles the learner's files from
        source. Only a __pycache__ the learner made by running Python in the exercise themselves could
        be stale: then all bytecode is read from our private, empty folder instead. Not always, because
        that also makes every child recompile the standard library it imports (pathlib: 110 ms, not 20).
        """
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
        folders = [self.dir, *(pythonpath or [])]
        if any(next(Path(f).rglob("__pycache__"), None) for f in folders if Path(f).is_dir()):
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        if pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
        return env

    def run(self, script: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
            pythonpath: list[Path] | None = None, timeout: float = SUBPROCESS_TIMEOUT,
            check: bool = True) -> Result:
        """`python <script> args...` from a temporary working folder (so nothing lands in the repo)."""
        path = self.require_file(script)
        return self._python([str(path), *args], f"python {self.show(path)}", stdin, cwd, pythonpath,
                            timeout, check)

    def run_module(self, module: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
                   pythonpath: list[Path] | None = None, timeout: float = SUBPROCESS_TIMEOUT,
                   check: bool = True) -> Result:
        """`python -m module args...` with this exercise's folder on the import path."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        return self._python(["-m", module, *args], f"python -m {module} (in {self.show(self.dir)}/)",
                            stdin, cwd, [self.dir] if pythonpath is None else pythonpath, timeout, check)

    def run_code(self, code: str, *, pythonpath: list[Path] | None = None, cwd: Path | None = None,
                 timeout: float = SUBPROCESS_TIMEOUT, check: bool = True, what: str = "") -> Result:
        """`python -c code`, with this exercise's folder on the import path: for checks that need a
        fresh interpreter (shadowed standard modules, circular imports, first-import effects)."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        return self._python(["-c", code], what or f"python -c {code!r}", None, cwd,
                            [self.dir] if pythonpath is None else pythonpath, timeout, check)

    def _python(self, argv, label, stdin, cwd, pythonpath, timeout, check) -> Result:
        key = (self.dir, tuple(argv), stdin, str(cwd) if cwd else None, str(pythonpath))
        if key in _timed_out_runs:  # an endless loop costs one timeout, not one per test
            result, timeout = _timed_out_runs[key]
        else:
            requested = timeout
            if self.deadline is not None:  # finish before the test's own time limit strikes mid-wait
                timeout = max(0.1, min(timeout, self.deadline - time.monotonic() - 0.5))
            result = None
            try:
                done = subprocess.run([sys.executable, *argv], cwd=cwd or self.tmp_path, env=self.env(pythonpath),
                                      input=stdin or "", capture_output=True, text=True, encoding="utf-8",
                                      errors="replace", timeout=timeout)
                result = Result(label, done.returncode, done.stdout, done.stderr)
            except subprocess.TimeoutExpired as e:
                out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
                err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
                result = Result(label, None, out, err, timeout)
                if timeout >= min(requested, 1.0):  # not merely squeezed by a test that was nearly out of time
                    _timed_out_runs[key] = (result, timeout)
            except pytest.fail.Exception as e:  # the test's time limit (subprocess.run killed the program)
                if not explain.is_timeout(e):
                    raise
            if result is None:
                check, result = True, Result(label, None, "", "", timeout)
        if check:
            self.expect_success(result, timeout)
        return result

    def expect_success(self, result: Result, timeout: float = SUBPROCESS_TIMEOUT):
        if result.returncode is None:
            timeout = result.timeout or timeout
            fail(f"`{result.command}` did not finish within {round(timeout, 1):g} s. Look for an endless loop, "
                 f"or an input() the program waits on (the tests type nothing).")
        if result.returncode != 0:
            fail(explain.process_error(result, self.root))
