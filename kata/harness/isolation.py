"""Keeping one exercise's learner code from affecting anything else in the test process.

- InterpreterState: everything learner code may change in the interpreter (sys, sys.modules, builtins,
  standard modules, cwd, environment, signal handlers, atexit...), captured before a test and put back
  after it; threads and os._exit() calls it leaves behind are reported.
- os._exit() called by learner code raises LearnerExit instead of ending pytest (os._exit(0) would end the
  run with status 0, as if every exercise passed).
- TimeLimit: the per-test time limit, which learner code cannot swallow with `except:`.
"""
from __future__ import annotations

import atexit
import itertools
import operator
import builtins
import faulthandler
import importlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from kata.diagnoses import explain

# Module state below is only ever mutated, never rebound: plugin.Guard watches this module's names.
_learner_roots: list[Path] = []  # the tree under test, set by the plugin: code in it is the learner's
exit_attempts: list[dict] = []  # os._exit() calls made by learner code, turned into LearnerExit
_learner_files: dict[str, bool] = {}  # code filename -> whether it is under _learner_roots
real_exit = os._exit

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
        if len(now) != len(self.sys_vars) or not unchanged(now, self.sys_vars):
            for name in [n for n in now if n not in self.sys_vars]:
                delattr(sys, name)
            for name, value in self.sys_vars.items():
                if now.get(name, _MISSING) is not value:
                    setattr(sys, name, value)
        put_back(vars(builtins), self.builtins)
        for module, saved in self.module_vars.items():
            now = vars(module)
            if unchanged(now, saved):
                continue
            for name, value in saved.items():
                if now.get(name, _MISSING) is not value:
                    now[name] = value
        os.chdir(self.cwd)
        sys.path[:] = self.path
        sys.meta_path[:] = self.meta_path
        sys.path_hooks[:] = self.path_hooks
        sys.path_importer_cache.clear()
        for name in sys.modules.keys() - self.modules.keys():  # (a set difference, computed in C)
            del sys.modules[name]
        if not unchanged(sys.modules, self.modules):
            for name, module in self.modules.items():
                if sys.modules.get(name) is not module:
                    sys.modules[name] = module
        for func in self.atexit_added:
            atexit.unregister(func)
        sys.argv[:] = self.argv
        # Only what differs: pytest itself changes PYTEST_CURRENT_TEST between setup and teardown, and
        # clearing and refilling the whole environment costs a putenv/unsetenv per variable.
        environ = dict(os.environ)
        if environ != self.environ:
            for name in environ.keys() - self.environ.keys():
                del os.environ[name]
            for name, value in self.environ.items():
                if environ.get(name) != value:
                    os.environ[name] = value
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
            # The test is out of learner code and on its way to its report, which may take seconds (a
            # print loop leaves hundreds of megabytes of captured output): the hard stop is for learner code.
            self._untrace()
            if self.hard_stop_file is not None:
                faulthandler.cancel_dump_traceback_later()
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


def put_back(namespace: dict, saved: dict):
    """Make `namespace` equal to `saved` again without ever emptying it (this code needs builtins)."""
    if len(namespace) == len(saved) and unchanged(namespace, saved):
        return
    for name in [n for n in namespace if n not in saved]:
        del namespace[name]
    namespace.update(saved)


def unchanged(now: dict, saved: dict, _all=all, _map=map, _is=operator.is_, _repeat=itertools.repeat) -> bool:
    """Every name of `saved` is still bound in `now` to the very same object: the common case after a
    test, checked in C (map, operator.is_) rather than one name at a time; else the caller repairs. (The
    functions are bound at definition: learner code that replaces builtins.all cannot make it say yes.)"""
    return _all(_map(_is, _map(now.get, saved.keys(), _repeat(_MISSING)), saved.values()))

