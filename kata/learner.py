"""Running a learner's code safely: in-process loading in isolation, subprocess runs, source checks.

Tests never import learner code themselves. They receive an `ExerciseFolder` (the `ex` fixture) and call
`ex.load("mymodule")`, `ex.run("main.py")`, `ex.assert_import(...)`. Every learner mistake met here becomes
one `pytest.fail(..., pytrace=False)` whose text (built by kata.explain) names the file and line and says
what to do, so a beginner never reads a traceback through this file.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from kata import explain

# A module body that timed out once is not run again in the same session: one infinite loop should cost
# one timeout, not one per test of the exercise.
_timed_out: dict[tuple[Path, str], str] = {}

SUBPROCESS_TIMEOUT = float(os.environ.get("KATA_SUBPROCESS_TIMEOUT", "5"))


def fail(message: str):
    pytest.fail(message, pytrace=False)


class InputCalled(EOFError):
    """Raised by the stand-in for input(): tests never wait for a keyboard."""


def _no_input(prompt=""):
    raise InputCalled("input() was called, but the tests cannot type an answer")


class InterpreterState:
    """Everything a learner module may change in this interpreter, captured so it can be put back.

    Restoring it after each test is what keeps one exercise's mistakes (a changed sys.path, a patched
    builtin, an os.chdir, a fake entry in sys.modules) from leaking into the next exercise.
    """

    def __init__(self):
        self.path = list(sys.path)
        self.meta_path = list(sys.meta_path)
        self.path_hooks = list(sys.path_hooks)
        self.modules = dict(sys.modules)
        self.builtins = dict(vars(builtins))
        self.argv = list(sys.argv)
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.recursion_limit = sys.getrecursionlimit()
        self.alarm = signal.getsignal(signal.SIGALRM) if hasattr(signal, "SIGALRM") else None

    def restore(self, learner_roots: tuple[Path, ...]):
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
        _put_back(vars(builtins), self.builtins)
        sys.argv[:] = self.argv
        if os.environ != self.environ:
            os.environ.clear()
            os.environ.update(self.environ)
        sys.stdin, sys.stdout, sys.stderr = self.streams
        sys.setrecursionlimit(self.recursion_limit)
        if self.alarm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGALRM, self.alarm)
        importlib.invalidate_caches()


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


class ExerciseFolder:
    """One exercise's folder as seen by its tests (the `ex` fixture)."""

    def __init__(self, name: str, root: Path, tmp_path: Path, pycache: Path):
        self.name = name
        self.root = root  # the tree under test: exercises/, solutions/ or a submission's exercises/
        self.dir = (root / name).resolve()
        self.tmp_path = tmp_path
        self.pycache = pycache

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

    # -- loading in this interpreter ----------------------------------------------------------------
    def load(self, name: str) -> ModuleType:
        """Import module or package `name` from this exercise's folder, fresh, and return it."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir)))
        key = (self.dir, name)
        if key in _timed_out:
            fail(_timed_out[key])
        purge(name.partition(".")[0])  # the whole package: a stale parent would keep old submodules
        importlib.invalidate_caches()
        saved_builtins = dict(vars(builtins))
        try:
            module = importlib.import_module(name)
        except pytest.fail.Exception as e:
            if not explain.is_timeout(e):
                raise
            _timed_out[key] = problem = explain.import_timeout(name, e, self.root)
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as e:  # SyntaxError, ImportError, SystemExit, InputCalled, anything
            problem = explain.import_error(name, e, self.dir, self.root)
        else:
            problem = None
        finally:
            _put_back(vars(builtins), saved_builtins)  # the checks below need a sane len(), str()...
        if problem:
            fail(problem)  # outside the except block, so pytest shows no chained traceback
        places = module_location(module)
        if not places or not all(p.is_relative_to(self.dir) for p in places):
            where = ", ".join(str(p) for p in places) or "nowhere on disk"
            fail(f"`import {name}` found {where}, not a file in {self.show(self.dir)}/. "
                 f"Is the file missing or misnamed?")
        return module

    def assert_regular_package(self, name: str) -> ModuleType:
        """Load package `name` and insist it is a regular package with its own __init__.py."""
        folder = self.path(name.replace(".", "/"))
        init = folder / "__init__.py"
        if folder.is_dir() and not init.is_file():
            fail(explain.namespace_package(self.show(folder), self.show(init)))
        package = self.load(name)
        if getattr(package, "__file__", None) is None or not isinstance(package.__path__, list):
            fail(explain.namespace_package(self.show(folder), self.show(init)))
        if Path(package.__file__).resolve() != init.resolve():
            fail(f"`import {name}` loaded {package.__file__}, expected {self.show(init)}.")
        return package

    # -- running in a fresh interpreter -------------------------------------------------------------
    def env(self, pythonpath: list[Path] | None = None) -> dict[str, str]:
        """The environment of a learner subprocess: no stale bytecode, nothing written next to sources."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONPYCACHEPREFIX=str(self.pycache),
                   PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
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
            fail(explain.missing_folder(self.show(self.dir)))
        return self._python(["-m", module, *args], f"python -m {module} (in {self.show(self.dir)}/)",
                            stdin, cwd, [self.dir] if pythonpath is None else pythonpath, timeout, check)

    def run_code(self, code: str, *, pythonpath: list[Path] | None = None, cwd: Path | None = None,
                 timeout: float = SUBPROCESS_TIMEOUT, check: bool = True, what: str = "") -> Result:
        """`python -c code`, with this exercise's folder on the import path: for checks that need a
        fresh interpreter (shadowed standard modules, circular imports, first-import effects)."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir)))
        return self._python(["-c", code], what or f"python -c {code!r}", None, cwd,
                            [self.dir] if pythonpath is None else pythonpath, timeout, check)

    def _python(self, argv, label, stdin, cwd, pythonpath, timeout, check) -> Result:
        cwd = cwd or self.tmp_path
        try:
            done = subprocess.run([sys.executable, *argv], cwd=cwd, env=self.env(pythonpath),
                                  input=stdin or "", capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=timeout)
            result = Result(label, done.returncode, done.stdout, done.stderr)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
            result = Result(label, None, out, err)
        if check:
            self.expect_success(result, timeout)
        return result

    def expect_success(self, result: Result, timeout: float = SUBPROCESS_TIMEOUT):
        if result.returncode is None:
            fail(f"`{result.command}` did not finish within {timeout:g} s. Look for an endless loop, or an "
                 f"input() the program waits on (the tests type nothing).")
        if result.returncode != 0:
            fail(explain.process_error(result, self.root))
