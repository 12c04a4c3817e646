"""Grading mode (`--kata-verdict=FD`, set only by `make grade`): a verdict that learner code cannot forge
with a generic payload. The learner's own `make test` never loads any of this.

Three layers, in the sandboxed test process of kata/grading/grade.py:
- The verdict channel. The grader sends this process, on stdin (never argv or the environment), a random
  token and the pytest arguments; each test's outcome goes to the results pipe as one line carrying the
  token, as soon as the test ends. The token lives only in the locals of a suspended generator (`channel`),
  which refuses to speak while learner code is on the stack. The grader counts only lines with the token,
  for the node ids its own trusted collection found, each once, and only when the run ended with the final
  line: writing to every file descriptor, exiting "cleanly" (os.execv, os._exit in a thread, atexit,
  pytest's Exit) or ending the session early cannot make a test pass.
- An audit hook (sys.addaudithook, which cannot be removed) that refuses, whenever code from outside the
  trusted roots (the standard library, site-packages, the grader's copy of the machinery) is on the call
  stack: replacing or forking the process (exec*, fork, system), signalling processes (kill), ctypes,
  frames (sys._getframe called by learner code, or handed to it by inspect, logging or traceback: LEAKERS;
  tb_frame, gi_frame, cr_frame, ag_frame, but in traceback's own formatting: CONSUMERS), making or
  replacing code objects (code.__new__, marshal, setting __code__), compiling code under a trusted file
  name that is not that file's text, and opening /proc; and, whoever asks, tracing, monitoring and
  garbage-collector introspection (sys.settrace, sys._current_frames, gc.get_objects/get_referrers/
  get_referents). Signal handlers installed by learner code get no frame (they would see the test's).
- Sealing: after collection the references pytest keeps in module globals (the assertion helper's config
  and item, the mark generator's config, the debugger's plugin manager) are dropped, so no attribute walk
  from sys.modules, sys.meta_path or the interpreter's hooks reaches the session, its items or the plugins
  (the object_graph forgery of kata/tests/hostile.py walks it).

What it leaves open is in docs/INSTRUCTORS.md: learner code still runs in the process that runs the tests.
"""
from __future__ import annotations

import os
import sys
import sysconfig
import threading
from pathlib import Path

# Refused while code from outside the trusted roots is on the stack. (Starting a program through
# subprocess stays allowed: exercise 33 asks for it; the sandbox contains it, and it cannot speak for the
# harness.)
REFUSED = frozenset({
    "os.exec", "os.fork", "os.forkpty", "os.spawn", "os.system", "os.kill", "os.killpg", "signal.pthread_kill",
    "pty.spawn", "os.startfile", "ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata",
    "ctypes.cdata/buffer", "ctypes.addressof", "ctypes.call_function", "ctypes.create_string_buffer",
    "ctypes.create_unicode_buffer", "ctypes.string_at", "ctypes.wstring_at", "ctypes.get_errno", "ctypes.set_errno",
    "ctypes.seh_exception", "code.__new__", "function.__new__", "marshal.loads", "marshal.load",
    "sys._getframe", "cpython.remote_debugger_script", "sys.remote_exec",
})
# Refused whoever asks, but the harness's own time limit and thread stopper: they hand out frames and
# objects of the whole process (a trace function set in a new thread sees every frame).
ALWAYS = frozenset({"sys.settrace", "sys.setprofile", "sys.monitoring.register_callback", "sys._current_frames",
                    "sys._current_exceptions", "gc.get_objects", "gc.get_referrers", "gc.get_referents"})
FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
CHECKED = REFUSED | ALWAYS | {"object.__getattr__", "object.__setattr__", "compile", "open", "os.listdir",
                              "os.scandir", "import"}
NO_IMPORT = frozenset({"ctypes", "_ctypes"})
ISOLATION = os.path.join("kata", "harness", "isolation.py")
EXEMPT = frozenset({"_trace_learner_lines", "_untrace", "_guarded_exit", "restore", "_stop_new_threads",
                    "_raise_in_thread", "_alarm", "start", "cancel", "leftovers", "__init__"})
# sys._getframe is common in the standard library and in packages, always to read the caller's module
# name (namedtuple, typing, enum, dataclasses, typing_extensions): allowed to trusted code, except for the
# functions that hand the frame out, when their caller is learner code.
LEAKERS = {("inspect.py", "currentframe"), ("inspect.py", "stack"), (os.path.join("logging", "__init__.py"), "<lambda>"),
           (os.path.join("logging", "__init__.py"), "currentframe"), ("traceback.py", "walk_stack")}
# Frames of a traceback or generator: refused to any stack with learner code on it, but to traceback's own
# walk while it formats one (traceback.print_exc() in exercise code).
CONSUMERS = (("traceback.py", "walk_tb"), ("traceback.py", "_walk_tb_with_full_positions"),
             ("traceback.py", "walk_stack"))

class Refused(RuntimeError):
    """What learner code gets for an operation that grading does not allow."""


def trusted_roots(machinery: Path) -> tuple[str, ...]:
    roots = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"], str(machinery)}
    roots |= {p for p in sys.path if p and ("site-packages" in p or "dist-packages" in p)}
    return tuple(sorted({os.path.realpath(r) + os.sep for r in roots} | {r.rstrip(os.sep) + os.sep for r in roots}))


def install(machinery: Path):
    """Install the audit hook (for the rest of the process's life) and return `untrusted(frame)`."""
    roots = trusted_roots(machinery)
    known: dict[str, bool] = {}
    busy = threading.local()

    def trusted_file(name: str) -> bool:
        verdict = known.get(name)
        if verdict is None:
            verdict = known[name] = name.startswith(roots) and ".." not in name or name.startswith("<frozen ")
        return verdict

    def untrusted(frame) -> bool:
        while frame is not None:
            if not trusted_file(frame.f_code.co_filename):
                return True
            frame = frame.f_back
        return False

    def matches(code, functions) -> bool:
        return any(code.co_name == name and code.co_filename.endswith(suffix) for suffix, name in functions) \
            and trusted_file(code.co_filename)

    def frame_refused(event: str, frame) -> bool:
        code, caller = frame.f_code, frame.f_back
        if event == "sys._getframe":
            if not trusted_file(code.co_filename):
                return True
            return matches(code, LEAKERS) and caller is not None and untrusted(caller)
        # tb_frame, gi_frame...: only traceback formatting, called from traceback itself
        return not (matches(code, CONSUMERS) and caller is not None and caller.f_code.co_filename == code.co_filename
                    and untrusted(frame))  # (untrusted(frame) is known: the stack has learner code)

    def harness(frame) -> bool:
        """Whether the harness's own time limit, exit guard or thread stopper does this (on learner code's
        stack: a signal handler, os._exit called by learner code)."""
        while frame is not None and trusted_file(frame.f_code.co_filename):
            if frame.f_code.co_name in EXEMPT and frame.f_code.co_filename.endswith(ISOLATION):
                return True
            frame = frame.f_back
        return False

    def hook(event, args):
        if event not in CHECKED or getattr(busy, "on", False):
            return
        if event == "import" and args[0].partition(".")[0] not in NO_IMPORT:
            return
        if event == "object.__getattr__" and args[1] not in FRAME_ATTRIBUTES:
            return
        if event == "object.__setattr__" and args[1] != "__code__":
            return
        if event in ("open", "os.listdir", "os.scandir") and not _proc(args[0]):
            return
        busy.on = True
        where = ""
        try:
            frame = sys._getframe(1)
            where = f" ({os.path.basename(frame.f_code.co_filename)}: {frame.f_code.co_name})"
            if harness(frame):
                return
            if event not in ALWAYS:
                if not untrusted(frame):
                    return
                if event == "compile" and _genuine(args[0], args[1], trusted_file):
                    return
                if event in ("sys._getframe", "object.__getattr__") and not frame_refused(event, frame):
                    return
        finally:
            busy.on = False
        raise Refused(f"grading does not allow {event} in exercise code{where}")

    sys.addaudithook(hook)
    _frameless_signals(untrusted)
    return untrusted


def _frameless_signals(untrusted):
    """signal.signal that gives a handler installed by learner code None for the interrupted frame."""
    import _signal
    import signal

    original = _signal.signal

    def signal_(signalnum, handler):
        if callable(handler) and untrusted(sys._getframe(1)):
            learner_handler = handler

            def handler(signum, frame):
                return learner_handler(signum, None)
        plain = getattr(signal, "_enum_to_int", lambda value: value)
        result = original(plain(signalnum), plain(handler))
        return signal._int_to_enum(result, signal.Handlers) if hasattr(signal, "_int_to_enum") else result

    signal_.__doc__ = original.__doc__
    signal.signal = _signal.signal = signal_


def _proc(path) -> bool:
    try:
        text = os.fsdecode(path) if not isinstance(path, int) else ""
    except (TypeError, ValueError):
        return False
    return text == "/proc" or text.startswith("/proc/") or text.startswith("/dev/fd")


def _genuine(source, filename, trusted_file) -> bool:
    """A compile under a name that is not trusted, or of exactly that trusted file's text (an import)."""
    name = os.fsdecode(filename) if isinstance(filename, (str, bytes)) else str(filename)
    if not trusted_file(name):
        return True
    if name.startswith("<"):
        return False
    try:
        with open(name, "rb") as f:
            data = f.read()
    except OSError:
        return False
    if isinstance(source, str):
        source = source.encode("utf-8")
    return isinstance(source, (bytes, bytearray)) and bytes(source).replace(b"\r\n", b"\n") == \
        data.replace(b"\r\n", b"\n")


def channel(fd: int, token: str, untrusted):
    """A generator that writes `token line` to `fd` for each line sent to it, refusing when learner code is on
    the stack. Prime it with next(); the token exists nowhere else in this process."""
    def speak():
        line = yield
        while True:
            if untrusted(sys._getframe(1)):
                line = yield False
                continue
            data = f"{token} {line}\n".encode("utf-8", "replace")
            while data:
                data = data[os.write(fd, data):]
            line = yield True

    speaker = speak()
    next(speaker)
    return speaker


def seal():
    """Drop the references to the session that pytest keeps in module globals (see the module doc)."""
    util = sys.modules.get("_pytest.assertion.util")
    if util is not None:
        util._config = None
        util._reprcompare = None
        util._assertion_pass = None
    structures = sys.modules.get("_pytest.mark.structures")
    if structures is not None:
        structures.MARK_GEN._config = None
    debugging = sys.modules.get("_pytest.debugging")
    if debugging is not None:
        for name in ("_pluginmanager", "_config"):
            setattr(debugging.pytestPDB, name, None)
    sys.meta_path[:] = [f for f in sys.meta_path if type(f).__module__ != "_pytest.assertion.rewrite"]
