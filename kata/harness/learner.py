"""Running a learner's code safely: in-process loading in isolation, subprocess runs, source checks.

Tests never import learner code themselves. They receive an `ExerciseFolder` (the `ex` fixture) and call
`ex.load("mymodule")`, `ex.run("main.py")`, `ex.assert_import(...)`. Every learner mistake met here becomes
one `pytest.fail(..., pytrace=False)` whose text (built by kata.diagnoses.explain) names the file and line and says
what to do, so a beginner never reads a traceback through this file. (What keeps learner code from
affecting the test process itself, and later exercises, is in kata/harness/isolation.py.)
"""
from __future__ import annotations

import ast
import builtins
import contextlib
import importlib
import importlib.machinery
import importlib.util
import math
import os
import subprocess
import sys
import time
import types
import venv
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest

from kata.diagnoses import explain, facts
from kata.harness import isolation, sources

# A module body that timed out once is not run again in the same session: one infinite loop should cost
# one timeout, not one per test of the exercise.
_timed_out: dict[tuple[Path, str], str] = {}
# Likewise for a learner program run in a subprocess: the same command that timed out once is not run again.
_timed_out_runs: dict[tuple, tuple[Result, float]] = {}

SUBPROCESS_TIMEOUT = float(os.environ.get("KATA_SUBPROCESS_TIMEOUT", "5"))


# Module state below is only ever mutated, never rebound: plugin.Guard watches this module's names.
_input_calls = [0]  # how often learner code called input() this session
_startup_modules: dict[str, frozenset[str]] = {}  # what a fresh `python` has loaded before any user code
_startup_probe: dict[str, subprocess.Popen] = {}  # the `python` finding that out, started early
STARTUP_PROBE = [sys.executable, "-c", "import sys; print(' '.join(sys.modules))"]


def fail(message: str):
    pytest.fail(message, pytrace=False)


class InputCalled(EOFError):
    """Raised by the stand-in for input(): tests never wait for a keyboard."""


def _no_input(prompt=""):
    _input_calls[0] += 1
    raise InputCalled("input() was called, but the tests cannot type an answer")


def purge(name: str):
    """Forget `name` and every `name.*`, so the next import reads this exercise's files."""
    for key in [k for k in sys.modules if k == name or k.startswith(name + ".")]:
        del sys.modules[key]


def _record(w: warnings.WarningMessage) -> WarningRecord:
    return WarningRecord(w.category, tuple(c.__name__ for c in w.category.__mro__), str(w.message), w.filename,
                         w.lineno)


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
    started: str = ""  # how: "script", "module" (-m) or "code" (-c), for the diagnosis
    target: str = ""  # the script's path or the module's name
    folder: str = ""  # the exercise folder
    path: tuple[str, ...] = ()  # the learner folders at the start of its sys.path


def child_env() -> dict[str, str]:
    """The base environment of every learner subprocess (see ExerciseFolder.env)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    return env


def start_startup_probe(cwd: Path):
    """Start finding out which modules a fresh `python` loads before any user code (for
    _hide_shadowed_stdlib). The plugin starts it with the session, so it runs while the tests are
    collected instead of making the first test that needs it wait for a whole interpreter start-up."""
    _startup_probe[sys.executable] = subprocess.Popen(
        STARTUP_PROBE, cwd=cwd, env=child_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True)


def stop_startup_probe(probe: subprocess.Popen | None = None):
    """End a probe nobody waited for (or one that failed), so no child outlives the session."""
    for p in [probe] if probe is not None else [_startup_probe.pop(k) for k in list(_startup_probe)]:
        if p.poll() is None:
            p.kill()
        p.communicate()


# -- values crossing from learner code to a test ------------------------------------------------------
PLAIN_TYPES = (str, int, float, bool, type(None), bytes)
PLAIN_LIMIT = 10_000  # items: a value bigger than this is not compared item by item


class Foreign:
    """A learner value that is not plain data (a str subclass, an object whose __eq__ always says yes,
    unittest.mock.ANY...). It equals nothing: a value check must never pass because of what the learner's
    object says about itself."""

    def __init__(self, value):
        self.type_name = type(value).__name__
        plain_base = next((t.__name__ for t in type(value).__mro__[1:] if t in PLAIN_TYPES + (list, tuple, dict,
                                                                                            set, frozenset)), None)
        self.description = f"a {self.type_name} object" + (f" (a subclass of {plain_base})" if plain_base else "")

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = object.__hash__

    def __repr__(self):
        return f"<{self.description}>"


def plain(value, _depth: int = 0):
    """`value` as plain data of exactly the builtin types (str, int, float, bool, None, bytes, and lists,
    tuples, dicts, sets of them), or a Foreign that equals nothing. What a test compares (and all that would
    cross from a separate worker, were learner code ever run in one)."""
    kind = type(value)
    if kind in PLAIN_TYPES:
        return value
    if _depth > 20 or kind not in (list, tuple, dict, set, frozenset) or len(value) > PLAIN_LIMIT:
        return Foreign(value)
    if kind is dict:
        items = [(plain(k, _depth + 1), plain(v, _depth + 1)) for k, v in value.items()]
        if any(isinstance(k, Foreign) for k, _ in items):
            return Foreign(value)
        return dict(items)
    items = [plain(v, _depth + 1) for v in value]
    if kind in (set, frozenset) and any(isinstance(v, Foreign) for v in items):
        return Foreign(value)
    return kind(items)


def same(got, expected, tolerance: float | None = None) -> bool:
    """Whether learner value `got` is `expected`: the same builtin types all the way down (True is not 1,
    1.0 is not 1, a str subclass is not a str) and equal; floats within `tolerance` (relative) if given."""
    got = plain(got)

    def equal(a, b) -> bool:
        if type(a) is not type(b):
            return False
        if type(a) is float and tolerance is not None:
            return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance * 1e-3)
        if type(a) in (list, tuple):
            return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b))
        if type(a) is dict:
            return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
        return a == b

    return equal(got, expected)


@dataclass(frozen=True)
class WarningRecord:
    """A warning learner code emitted, as plain data."""

    category: type  # the warning's class
    kinds: tuple[str, ...]  # the names of its class and base classes: "DeprecationWarning" in w.kinds
    message: str
    filename: str
    lineno: int


@dataclass(frozen=True)
class Access:
    """What `ex.access(obj, name)` saw: the value, the warnings emitted meanwhile, and the file and line that
    made the access (a warning with the right stacklevel points there)."""

    value: object
    warnings: list[WarningRecord]
    at: tuple[str, int]


@dataclass(frozen=True)
class Spec:
    """importlib.util.find_spec() of a learner module, as plain data."""

    name: str
    origin: str | None
    locations: list[str] | None  # submodule_search_locations: a package's folders
    kind: str  # "source", "bytecode", "extension", "namespace", "builtin", "frozen", "zip" or "other"


@dataclass(frozen=True)
class Venv:
    """A virtual environment made by ex.venv(): its folder, its interpreter, and the interpreter it was made
    from (which is in no venv)."""

    prefix: Path
    python: Path
    base: Path


@dataclass
class Output:
    """What learner code printed (ex.output())."""

    out: str
    err: str


def _imports_by_call(value, module: str) -> bool:
    """Whether `value` is `importlib.import_module("module")`, `import_module(...)` or `__import__(...)`."""
    if not (isinstance(value, ast.Call) and len(value.args) == 1 and isinstance(value.args[0], ast.Constant)):
        return False
    func, named = value.func, value.args[0].value
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "importlib":
        func = ast.Name(func.attr)
    if not isinstance(func, ast.Name) or not isinstance(named, str):
        return False
    if func.id == "__import__":  # __import__("a.b") returns the top-level package a
        return named.partition(".")[0] == module
    return func.id == "import_module" and named == module


def _spec_kind(spec) -> str:
    loader = spec.loader
    if spec.origin in (None, "namespace") and spec.submodule_search_locations is not None:
        return "namespace"
    for kind, loader_type in (("builtin", importlib.machinery.BuiltinImporter),
                              ("frozen", importlib.machinery.FrozenImporter),
                              ("source", importlib.machinery.SourceFileLoader),
                              ("bytecode", importlib.machinery.SourcelessFileLoader),
                              ("extension", importlib.machinery.ExtensionFileLoader)):
        if isinstance(loader, loader_type) or loader is loader_type:
            return kind
    return "zip" if type(loader).__name__ == "zipimporter" else "other"


class ExerciseFolder:
    """One exercise's folder as seen by its tests (the `ex` fixture).

    A test reaches learner code ONLY through this object and what it returns (modules, functions, values):
    the learner's interpreter, its sys.modules, sys.path, output, input and warnings are all behind methods
    here. Learner code runs in the test's own process (grading adds a sandbox and kata/harness/verdict.py);
    keeping it behind this object is what would let a separate worker run it, values crossing as plain data."""

    def __init__(self, name: str, root: Path, tmp_path: Path, pycache: Path, capture=None):
        self.name = name
        self.root = root  # the tree under test: exercises/, solutions/ or a submission's exercises/
        self.dir = (root / name).resolve()
        self.tmp_path = tmp_path
        self.pycache = pycache
        self.deadline: float | None = None  # time.monotonic() when the test's time limit runs out
        self._capture = capture  # pytest's capsys, for ex.output()

    def fail(self, message: str):
        """Fail the test with a clean message (no traceback)."""
        fail(message)

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
        """The file's text, decoded as Python decodes it (a BOM, a PEP 263 coding line)."""
        path = self.require_file(relative)
        try:
            return sources.text(path)
        except UnicodeDecodeError as e:
            problem = explain.bad_encoding(self.show(path), e, path, self.root)
        except SyntaxError as e:  # an unknown encoding in the coding line
            problem = explain.syntax_error(e, self.root)
        fail(problem)  # outside the except block: no chained traceback

    def tree(self, relative: str) -> ast.Module:
        """The file's AST, parsed from its bytes exactly as import parses it."""
        self.source(relative)  # a file Python cannot decode gets that message, not a syntax error's
        path = self.path(relative)
        try:
            return sources.parse(path)
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

    def module_bindings(self, relative: str, module: str) -> dict[str, int]:
        """The names that the top level of a file binds to the module `module` by importing it, each with its
        line: `import math` and `import math.x` (both bind `math`), `import math as m`, and
        `m = importlib.import_module("math")` (or `import_module(...)`, `__import__(...)`). An assignment from
        another name (`m = math`) is not an import and is not counted; nor is an import inside a function."""
        top = module.partition(".")[0]
        found: dict[str, int] = {}
        for node in self.tree(relative).body:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname and a.name == module or not a.asname and top == module == a.name.partition(".")[0]:
                        found.setdefault(a.asname or top, node.lineno)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and _imports_by_call(node.value, module):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        found.setdefault(target.id, node.lineno)
        return found

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
        advice = (on_name_error(error) if on_name_error else "") or \
            explain.diagnosis(facts.from_exception(error, self.dir, self.root, started="call"))
        fail(f"{self.where(error)}\nNameError: {error}.\n{advice}")

    def explain_none(self, relative: str, function: str, printed: str = "") -> str:
        """Why the function `function` of file `relative` returned None, read from its source (a `return
        x.sort()`, a print() instead of a return, no return at all), as the catalogue's message; "" when none
        applies. printed: what the call printed, if the test captured it."""
        path = self.require_file(relative)
        tree = self.tree(relative)
        node = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and n.name == function), None)
        line = node.lineno if node else 1
        found = facts.Facts("ReturnedNone", frozenset({"ReturnedNone"}), "", where=(str(path), line, ""),
                            folder=self.dir, root=self.root.resolve(), started="call", target=function,
                            extra={"function": function, "printed": printed})
        return explain.diagnosis(found)

    # -- loading in this interpreter ----------------------------------------------------------------
    def load(self, name: str, diagnose=None, *, path: list[Path] | None = None, fresh: bool = True,
             on_name_error=None, on_error=None) -> ModuleType:
        """Import module or package `name` from this exercise's folder, fresh, and return it.

        path: folders (or zip files) put first on sys.path for the rest of the test, in this order; the module
        must then come from one of them (a copy of a package in ex.tmp_path, src/, a zip archive).
        fresh=False: a plain `import name`, which returns the module already in sys.modules if there is one.
        When the import fails, `diagnose()` (if given) may return the exercise's own explanation of a
        classic mistake, used instead of the general one; an empty string keeps the general one.
        When it fails with a NameError, `on_name_error(error)` (if given) may return the exercise's advice for
        that name (`error.name`), as in `call`; an empty string keeps the general advice.
        on_error(error) (if given) may return the exercise's whole message for the exception that the import
        raised (read from the exception object: its type, `.name`, `.obj`); an empty string keeps the others."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        places = [Path(p) for p in path] if path is not None else [self.dir]
        if path is not None:
            sys.path[:0] = [str(p) for p in places if str(p) not in sys.path]
        key = (self.dir, name, tuple(map(str, places)))
        if key in _timed_out:
            fail(_timed_out[key])
        if not fresh and name in sys.modules:
            return sys.modules[name]
        if fresh:
            purge(name.partition(".")[0])  # the whole package: a stale parent would keep old submodules
        importlib.invalidate_caches()
        return self._import(name, key, lambda: importlib.import_module(name), places, diagnose, on_name_error,
                            on_error)

    def reload(self, module: ModuleType) -> ModuleType:
        """importlib.reload(module) in the learner's interpreter; its errors become teaching failures."""
        name = module.__name__
        return self._import(name, (self.dir, name, "reload"), lambda: importlib.reload(module),
                            [Path(p).parent for p in module_location(module)] or [self.dir], None)

    def _import(self, name: str, key, run, places: list[Path], diagnose, on_name_error=None,
                on_error=None) -> ModuleType:
        saved_builtins = dict(vars(builtins))
        hidden = self._hide_shadowed_stdlib()
        inputs = _input_calls[0]
        error = None
        try:
            module = run()
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
            isolation.put_back(vars(builtins), saved_builtins)
            for hidden_name in hidden:
                purge(hidden_name)
            sys.modules.update(hidden)
        if error is not None:
            if isinstance(error, pytest.fail.Exception):
                _timed_out[key] = problem = explain.import_timeout(name, error, self.root,
                                                                   asked_input=_input_calls[0] > inputs)
            else:
                if isinstance(error, isolation.LearnerExit):
                    error.attempt["reported"] = True
                problem = explain.import_error(name, error, self.dir, self.root)
                advice = on_name_error(error) if on_name_error and isinstance(error, NameError) else ""
                if advice:
                    problem = f"{self.where(error)}\nImporting `{name}` raised NameError: {error}.\n{advice}"
                problem = (on_error and on_error(error)) or problem
            error = None
            fail((diagnose and diagnose()) or problem)  # outside the except block: no chained traceback
        found = module_location(module)
        allowed = [p.resolve() for p in places]
        if not found or not all(any(f.is_relative_to(a) for a in allowed) for f in found):
            where = ", ".join(str(p) for p in found) or "nowhere on disk"
            fail(f"`import {name}` found {where}, not a file in {', '.join(self.show(p) + '/' for p in places)}. "
                 f"Is the file missing or misnamed?")
        return module

    def import_error(self, name: str, *, path: list[Path] | None = None) -> BaseException | None:
        """For a test that expects an import to FAIL: import `name` fresh as `load` does (with `path` first
        on sys.path for the rest of the test) and return the exception it raised, or None if it worked."""
        if path is not None:
            sys.path[:0] = [str(p) for p in path if str(p) not in sys.path]
        purge(name.partition(".")[0])
        importlib.invalidate_caches()
        saved_builtins = dict(vars(builtins))
        try:
            importlib.import_module(name)
        except pytest.fail.Exception:  # the test's time limit
            raise
        except (KeyboardInterrupt, GeneratorExit):
            raise
        except BaseException as e:
            return e
        finally:
            isolation.put_back(vars(builtins), saved_builtins)
        return None

    def find(self, name: str, *, path: list[Path] | None = None) -> Spec | None:
        """importlib.util.find_spec(name) in the learner's interpreter, after forgetting any loaded copy of its
        top-level package: where `import name` would load it from, or None if it would fail."""
        if path is not None:
            sys.path[:0] = [str(p) for p in path if str(p) not in sys.path]
        purge(name.partition(".")[0])
        importlib.invalidate_caches()
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
        if spec is None:
            return None
        locations = spec.submodule_search_locations
        return Spec(spec.name, spec.origin, list(locations) if locations is not None else None, _spec_kind(spec))

    def purge(self, name: str):
        """Forget module `name` and its submodules in the learner's interpreter (the next import runs them)."""
        purge(name)

    # -- the learner's interpreter ----------------------------------------------------------------------
    @property
    def modules(self):
        """The learner interpreter's sys.modules, read-only: `"pkg.sub" in ex.modules`, `ex.modules.get(...)`."""
        return types.MappingProxyType(sys.modules)

    def sys_path(self) -> list[str]:
        """A copy of the learner interpreter's sys.path."""
        return [str(p) for p in sys.path]

    def output(self) -> Output:
        """What learner code printed since the test started or since the last call."""
        if self._capture is None:
            fail("ex.output() needs pytest's output capture (run the tests without -s / --capture=no).")
        captured = self._capture.readouterr()
        return Output(captured.out, captured.err)

    def typing(self, *answers: str):
        """From now on input() in learner code returns these answers in order; asking for more fails."""
        queue = list(answers)

        def typed(prompt=""):
            if not queue:
                _input_calls[0] += 1
                raise InputCalled(f"input() was called more often than the {len(answers)} answer(s) the test typed")
            return queue.pop(0)

        builtins.input = typed

    def set_argv(self, *args: str):
        """sys.argv of the learner's interpreter (as in `python -c "..." args`: argv[0] is "-c")."""
        sys.argv[:] = ["-c", *args]

    def chdir(self, folder: Path):
        """The working folder of learner code (put back after the test)."""
        os.chdir(folder)

    def new_module(self, name: str, source: str = "", doc: str | None = None) -> ModuleType:
        """A module made by the test (not from the exercise folder) in the learner's interpreter, its body
        `source`. Not registered in sys.modules."""
        module = types.ModuleType(name, doc)
        exec(compile(source, f"<module {name} made by the test>", "exec"), vars(module))
        return module

    def standard_module(self, name: str) -> ModuleType:
        """The standard library's module `name` as the learner's interpreter has it (never a file of the
        exercise with that name)."""
        module = sys.modules.get(name)
        if module is None or any(p.is_relative_to(self.root.resolve()) for p in module_location(module)):
            saved, saved_module = list(sys.path), sys.modules.pop(name, None)
            sys.path[:] = [p for p in sys.path if not Path(p or ".").resolve().is_relative_to(self.root.resolve())]
            try:
                module = importlib.import_module(name)
            finally:
                sys.path[:] = saved
                if saved_module is not None:
                    sys.modules[name] = saved_module
        return module

    def execute(self, code: str) -> dict[str, object]:
        """Run the test's own `code` (e.g. "from toolbox import *") in the learner's interpreter, in a fresh
        namespace, and return that namespace (without __builtins__). Exceptions propagate."""
        namespace: dict[str, object] = {}
        exec(compile(code, "<code run by the test>", "exec"), namespace)
        namespace.pop("__builtins__", None)
        return namespace

    @staticmethod
    def names(obj) -> frozenset[str]:
        """The names defined in a module (or any object's namespace): vars(obj), as a set of names."""
        return frozenset(vars(obj))

    @staticmethod
    def type_name(obj) -> str:
        return type(obj).__name__

    plain = staticmethod(plain)
    same = staticmethod(same)

    @contextlib.contextmanager
    def warnings(self):
        """Record every warning learner code emits inside the block (whatever the filters say):
        `with ex.warnings() as caught: ...` gives a list of WarningRecord."""
        records: list[WarningRecord] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                yield records
            finally:
                records += [_record(w) for w in caught]

    def access(self, obj, name: str) -> Access:
        """getattr(obj, name) from a known line, recording the warnings it emits (AttributeError propagates)."""
        with self.warnings() as caught:
            value, line = getattr(obj, name), sys._getframe().f_lineno  # one line: the one Access.at names
        return Access(value, caught, (__file__, line))

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
            found = probe = None
            try:
                if sys.executable not in _startup_probe:  # not started with the session
                    start_startup_probe(self.tmp_path)
                probe = _startup_probe.pop(sys.executable)
                out, _ = probe.communicate(timeout=10)
                found = frozenset(out.split()) if probe.returncode == 0 else None
            except (OSError, subprocess.SubprocessError):
                if probe is not None:
                    stop_startup_probe(probe)
            _startup_modules[sys.executable] = found if found else frozenset(sys.modules)  # unknown: hide none
        return _startup_modules[sys.executable]

    def assert_regular_package(self, name: str, loaded: ModuleType | None = None) -> ModuleType:
        """Load package `name` (or take the one the test `loaded` already: a second fresh import would run
        __init__.py twice) and insist it is a regular package with its own __init__.py."""
        folder = self.path(name.replace(".", "/"))
        init = folder / "__init__.py"
        if folder.is_dir() and not init.is_file():
            fail(explain.namespace_package(folder, self.root))
        package = self.load(name) if loaded is None else loaded
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
        env = child_env()
        folders = [self.dir, *(pythonpath or [])]
        if any(next(Path(f).rglob("__pycache__"), None) for f in folders if Path(f).is_dir()):
            env["PYTHONPYCACHEPREFIX"] = str(self.pycache)
        if pythonpath:
            env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
        return env

    def run(self, script: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
            pythonpath: list[Path] | None = None, timeout: float = SUBPROCESS_TIMEOUT,
            check: bool = True, python: Path | None = None) -> Result:
        """`python <script> args...` from a temporary working folder (so nothing lands in the repo).
        python: another interpreter than the learner's (one from ex.venv())."""
        path = self.require_file(script)
        return self._python([str(path), *args], f"python {self.show(path)}", stdin, cwd, pythonpath,
                            timeout, check, python, ("script", str(path), [path.parent, *(pythonpath or [])]))

    def run_module(self, module: str, *args: str, stdin: str | None = None, cwd: Path | None = None,
                   pythonpath: list[Path] | None = None, timeout: float = SUBPROCESS_TIMEOUT,
                   check: bool = True, python: Path | None = None, flags: tuple[str, ...] = (),
                   what: str = "") -> Result:
        """`python -m module args...` with this exercise's folder on the import path; flags: interpreter
        options before -m, such as ("-P",); what: the command as the messages show it."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        options = "".join(f" {f}" for f in flags)
        folders = [self.dir] if pythonpath is None else pythonpath
        return self._python([*flags, "-m", module, *args], what or f"python{options} -m {module} (in {self.show(self.dir)}/)",
                            stdin, cwd, folders, timeout, check, python,
                            ("module", module, [cwd or self.tmp_path, *folders]))

    def run_code(self, code: str, *, pythonpath: list[Path] | None = None, cwd: Path | None = None,
                 timeout: float = SUBPROCESS_TIMEOUT, check: bool = True, what: str = "",
                 python: Path | None = None) -> Result:
        """`python -c code`, with this exercise's folder on the import path: for checks that need a
        fresh interpreter (shadowed standard modules, circular imports, first-import effects)."""
        if not self.dir.is_dir():
            fail(explain.missing_folder(self.show(self.dir), self.dir))
        folders = [self.dir] if pythonpath is None else pythonpath
        return self._python(["-c", code], what or f"python -c {code!r}", None, cwd, folders, timeout, check, python,
                            ("code", code, [cwd or self.tmp_path, *folders]))

    def venv(self, name: str = "venv") -> Venv:
        """A new virtual environment ex.tmp_path/name, without pip (about 10 ms): an interpreter of its own,
        with its own empty site-packages, for ex.run*(python=...)."""
        prefix = self.tmp_path / name
        venv.create(prefix, with_pip=False, symlinks=os.name != "nt")
        scripts = prefix / ("Scripts" if os.name == "nt" else "bin")
        python = scripts / ("python.exe" if os.name == "nt" else "python")
        if os.name == "nt":
            base = Path(sys.base_prefix) / "python.exe"
        else:
            base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        return Venv(prefix, python, base if base.is_file() else Path(getattr(sys, "_base_executable", sys.executable)))

    def _python(self, argv, label, stdin, cwd, pythonpath, timeout, check, python=None,
                how=("", "", ())) -> Result:
        key = (self.dir, tuple(argv), stdin, str(cwd) if cwd else None, str(pythonpath), str(python))
        if key in _timed_out_runs:  # an endless loop costs one timeout, not one per test
            result, timeout = _timed_out_runs[key]
        else:
            requested = timeout
            if self.deadline is not None:  # finish before the test's own time limit strikes mid-wait
                timeout = max(0.1, min(timeout, self.deadline - time.monotonic() - 0.5))
            result = None
            try:
                done = subprocess.run([str(python or sys.executable), *argv], cwd=cwd or self.tmp_path, env=self.env(pythonpath),
                                      input=stdin or "", capture_output=True, text=True, encoding="utf-8",
                                      errors="replace", timeout=timeout)
                result = Result(label, done.returncode, done.stdout, done.stderr)
                result = self._how(result, how)
            except subprocess.TimeoutExpired as e:
                out = e.stdout.decode("utf-8", "replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
                err = e.stderr.decode("utf-8", "replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
                result = self._how(Result(label, None, out, err, timeout), how)
                if timeout >= min(requested, 1.0):  # not merely squeezed by a test that was nearly out of time
                    _timed_out_runs[key] = (result, timeout)
            except pytest.fail.Exception as e:  # the test's time limit (subprocess.run killed the program)
                if not explain.is_timeout(e):
                    raise
            if result is None:
                check, result = True, self._how(Result(label, None, "", "", timeout), how)
        if check:
            self.expect_success(result, timeout)
        return result

    def _how(self, result: Result, how) -> Result:
        started, target, folders = how
        result.started, result.target, result.folder = started, target, str(self.dir)
        result.path = tuple(str(Path(p)) for p in folders)
        return result

    def expect_success(self, result: Result, timeout: float = SUBPROCESS_TIMEOUT):
        if result.returncode is None:
            fail(explain.process_timeout(result, round(result.timeout or timeout, 1), self.root))
        if result.returncode != 0:
            fail(explain.process_error(result, self.root))
