"""What the catalogue's detectors decide from: the facts of one failure, never the wording of a message.

A `Facts` is built either from a live exception (learner code imported or called in this process: the
exception object itself, its traceback, the learner's sys.modules) or from a learner program's stderr (a
subprocess: the traceback's frames and its last line, parsed into the same fields). Either way it adds what
is on disk: the learner files of the exercise and their ASTs (read as bytes, as import reads them), leftover
bytecode, names that collide with the standard library, and how the code was started (import, script, -m).
"""
from __future__ import annotations

import ast
import builtins
import functools
import re
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from kata.harness import sources

STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) - {"__future__"}
BUILTIN_MODULES = frozenset(sys.builtin_module_names)
Where = tuple  # (filename, line, source line)


@dataclass
class Facts:
    kind: str  # the exception's type name ("ModuleNotFoundError"), or an event: "Timeout", "Exit"
    kinds: frozenset[str]  # that type and its bases: "ImportError" in f.kinds
    msg: str = ""  # str(exception), for display (no detector matches on it)
    name: str | None = None  # ImportError.name (the module), NameError.name, AttributeError.name
    path: str | None = None  # ImportError.path: the file of the module a from-import read
    wanted: str | None = None  # `from m import wanted`: the name that was missing
    owner: str | None = None  # AttributeError: the name of the module that lacks the attribute
    owner_initializing: bool = False  # ... and that module was still running its body (a cycle)
    where: Where | None = None  # the innermost frame in a learner file (for SyntaxError: the bad line)
    top: Where | None = None  # the outermost frame in a learner file
    frames: list[tuple[str, int]] = field(default_factory=list)  # every frame, innermost last
    folder: Path = Path(".")  # the exercise folder
    root: Path = Path(".")  # the tree under test (exercises/, solutions/...)
    started: str = "import"  # "import", "script", "module", "code", "call"
    target: str = ""  # the module imported or run with -m, or the script's path
    sys_path: list[str] = field(default_factory=list)
    modules: dict[str, str] = field(default_factory=dict)  # learner modules loaded: name -> file
    error: BaseException | None = None
    stderr: str = ""
    extra: dict = field(default_factory=dict)  # details of an event: {"input": True} for a loop that asked

    # -- learner files ------------------------------------------------------------------------------
    @functools.cached_property
    def files(self) -> list[Path]:
        """Every file of the exercise (bytecode caches included), sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p for p in self.folder.rglob("*") if p.is_file())

    @functools.cached_property
    def sources(self) -> list[Path]:
        return [p for p in self.files if p.suffix == ".py" and "__pycache__" not in p.parts]

    def tree(self, path: Path | str) -> ast.Module | None:
        return _tree(str(Path(path).resolve()))

    def show(self, path: Path | str) -> str:
        from kata.diagnoses.explain import show_path
        return show_path(Path(path), self.root)

    @property
    def failing_file(self) -> Path | None:
        return Path(self.where[0]) if self.where else None

    @property
    def failing_dir(self) -> Path:
        """The folder of the file that failed (a package's folder, for a file inside one)."""
        return self.failing_file.parent if self.failing_file else self.folder

    def statement(self) -> ast.stmt | None:
        """The innermost statement of the failing file that holds the failing line."""
        if not self.where:
            return None
        tree = self.tree(self.where[0])
        if tree is None:
            return None
        best = None
        for node in ast.walk(tree):
            if isinstance(node, ast.stmt) and node.lineno <= self.where[1] <= (node.end_lineno or node.lineno):
                if best is None or node.lineno >= best.lineno:
                    best = node
        return best

    def imports_in(self, path: Path) -> set[str]:
        """The absolute module names a file imports, anywhere in it (`import a.b` gives a and a.b)."""
        tree = self.tree(path)
        found = set()
        for node in ast.walk(tree) if tree else ():
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for n in names:
                parts = n.split(".")
                found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        return found

    def package_of(self, path: Path) -> str:
        """The dotted package a file's folder makes, climbing while there is an __init__.py ("" for none)."""
        parts, folder = [], Path(path).parent
        while (folder / "__init__.py").is_file():
            parts.insert(0, folder.name)
            folder = folder.parent
        return ".".join(parts)

    def base_of(self, path: Path) -> Path:
        """The folder above the top package a file is in (the folder that must be on sys.path)."""
        folder = Path(path).parent
        while (folder / "__init__.py").is_file():
            folder = folder.parent
        return folder

    def search_dirs(self) -> list[Path]:
        """The learner's folders Python searched for a top-level module, in order."""
        inside = []
        for entry in self.sys_path:
            p = Path(entry or ".")
            try:
                p = p.resolve()
            except OSError:
                continue
            if p.is_relative_to(self.folder) and p not in inside:
                inside.append(p)
        return inside or [self.folder]

    def module_names(self, folder: Path) -> list[str]:
        """The importable names in a folder: x.py files and folders."""
        if not folder.is_dir():
            return []
        return sorted({p.stem for p in folder.glob("*.py")} |
                      {p.name for p in folder.iterdir() if p.is_dir() and p.name != "__pycache__"})

    def shadowing(self, name: str) -> Path | None:
        """A learner file or folder on the search path named `name` (top level), if any."""
        for folder in self.search_dirs():
            for candidate in (folder / f"{name}.py", folder / name):
                if candidate.is_file() or (candidate.is_dir() and (candidate / "__init__.py").is_file()):
                    return candidate
        return None

    def defined_names(self, path: Path | str) -> list[str]:
        """The names a module's top level defines, from its source."""
        tree = self.tree(path) if path and str(path).endswith(".py") else None
        names = []
        for node in tree.body if tree else ():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            elif isinstance(node, ast.Assign):
                names += [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.append(node.target.id)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names += [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
        return [n for n in dict.fromkeys(names) if not n.startswith("__")]


@functools.lru_cache(maxsize=512)
def _tree(path: str) -> ast.Module | None:
    try:
        return sources.parse(Path(path))
    except (OSError, SyntaxError, ValueError):
        return None


def standard_importers(name: str, modules, file_of) -> list[str]:
    """The modules among `modules` whose own source (every file of the package, for a package) imports `name`
    absolutely, read from their files: `file_of(module)` gives a module's __file__, or None when there is no
    claim to make about it. So a message can name the library module that gets the learner's file."""
    found = []
    for module in sorted(set(modules) - {name}):
        where = file_of(module)
        if not where or not where.endswith(".py"):
            continue
        files = sorted(Path(where).parent.glob("*.py")) if Path(where).name == "__init__.py" else [Path(where)]
        for file in files:
            tree = _tree(str(file))
            if tree is not None and name in {a.name.partition(".")[0] for n in ast.walk(tree)
                                              if isinstance(n, ast.Import) for a in n.names} | {
                    n.module.partition(".")[0] for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}:
                found.append(module)
                break
    return found


@functools.lru_cache(maxsize=1)
def installed_modules() -> dict[str, str]:
    """{top-level module name: its distribution} for the packages installed in this interpreter (site-packages),
    read from their metadata: the names a learner file must not take either, as a standard module's."""
    from importlib import metadata

    return {name: dists[0] for name, dists in sorted(metadata.packages_distributions().items())
            if name.isidentifier()}


def kinds_of(type_name: str) -> frozenset[str]:
    cls = getattr(builtins, type_name, None)
    if isinstance(cls, type) and issubclass(cls, BaseException):
        return frozenset(c.__name__ for c in cls.__mro__)
    return frozenset({type_name})


def _inside(filename: str, roots) -> bool:
    from kata.diagnoses.explain import inside
    return inside(filename, roots)


def from_exception(e: BaseException, folder: Path, root: Path, *, started: str = "import", target: str = "",
                   tb=None) -> Facts:
    """The facts of an exception raised in this process by learner code."""
    roots = (Path(root).resolve(),)
    tb = tb if tb is not None else e.__traceback__
    frames = [(f.f_code.co_filename, line) for f, line in traceback.walk_tb(tb)]
    learner = [(fn, ln) for fn, ln in frames if _inside(fn, roots)]
    where = top = None
    if learner:
        where = (learner[-1][0], learner[-1][1], sources.line(learner[-1][0], learner[-1][1]))
        top = (learner[0][0], learner[0][1], sources.line(learner[0][0], learner[0][1]))
    if isinstance(e, SyntaxError) and e.filename and _inside(e.filename, roots):
        where = (e.filename, e.lineno or 0, (e.text or "").strip())
    facts = Facts(type(e).__name__, frozenset(c.__name__ for c in type(e).__mro__), str(e),
                  getattr(e, "name", None), getattr(e, "path", None), getattr(e, "name_from", None),
                  where=where, top=top, frames=frames, folder=Path(folder).resolve(), root=Path(root).resolve(),
                  started=started, target=target, sys_path=list(sys.path), error=e)
    if isinstance(e, AttributeError):
        obj = getattr(e, "obj", None)
        if type(obj).__name__ == "module":
            facts.owner = getattr(obj, "__name__", None)
            spec = getattr(obj, "__spec__", None)
            facts.owner_initializing = bool(getattr(spec, "_initializing", False))
    if isinstance(e, ImportError) and facts.wanted is None:
        facts.wanted = _wanted_name(facts)
    facts.modules = {name: str(Path(m.__file__).resolve()) for name, m in list(sys.modules.items())
                     if isinstance(getattr(m, "__file__", None), str) and _inside(m.__file__, roots)}
    return facts


_FRAME = re.compile(r'^  File "([^"]+)", line (\d+)', re.M)
_NOT_UTF8 = re.compile(r"Non-UTF-8 code starting with .* in file (.+) on line (\d+)")
_LAST = re.compile(r"^([A-Za-z_][\w.]*)(?::\s?(.*))?$")


def from_stderr(stderr: str, folder: Path, root: Path, *, started: str, target: str, sys_path: list[str]) -> Facts:
    """The facts of a learner program that died with a traceback, rebuilt from its stderr."""
    roots = (Path(root).resolve(),)
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    # the exception line: the last line that is not indented (a chained or child traceback may precede)
    last = next((ln for ln in reversed(lines) if not ln.startswith(" ") and _LAST.match(ln)), "")
    match = _LAST.match(last)
    type_name = match.group(1).rpartition(".")[2] if match else ""
    msg = (match.group(2) or "") if match else (lines[-1] if lines else "")
    frames = [(fn, int(ln)) for fn, ln in _FRAME.findall(stderr)]
    frames += [(fn, int(ln)) for fn, ln in _NOT_UTF8.findall(stderr)]
    learner = [(fn, ln) for fn, ln in frames if _inside(fn, roots)]
    where = top = None
    if learner:
        where = (learner[-1][0], learner[-1][1], sources.line(learner[-1][0], learner[-1][1]))
        top = (learner[0][0], learner[0][1], sources.line(learner[0][0], learner[0][1]))
    facts = Facts(type_name, kinds_of(type_name), msg, where=where, top=top, frames=frames,
                  folder=Path(folder).resolve(), root=Path(root).resolve(), started=started, target=target,
                  sys_path=sys_path, stderr=stderr)
    # the structured parts of CPython's own messages, which an exception object would carry as attributes
    if "ModuleNotFoundError" in facts.kinds:
        m = re.search(r"No module named '([^']+)'", msg)
        facts.name = m.group(1) if m else None
    elif "ImportError" in facts.kinds:
        # `... from 'm' (path)`, or for a module still running its body (a cycle):
        # `... from partially initialized module 'm' (most likely due to a circular import) (path)`
        m = re.search(r"cannot import name '([^']+)' from (?:partially initialized module )?'([^']+)'"
                      r"(?: \(most likely due to a circular import\))?(?: \((.+?)\))?", msg)
        if m:
            facts.wanted, facts.name, facts.path = m.group(1), m.group(2), m.group(3)
            if facts.path and not facts.path.endswith((".py", ".pyc")):
                facts.path = None
    elif "AttributeError" in facts.kinds:
        m = re.search(r"module '([\w.]+)' has no attribute '(\w+)'", msg)
        if m:
            facts.owner, facts.name = m.group(1), m.group(2)
            facts.owner_initializing = msg.startswith("partially initialized")
    elif "NameError" in facts.kinds:
        m = re.search(r"name '(\w+)' is not defined", msg)
        facts.name = m.group(1) if m else None
    if "ImportError" in facts.kinds and facts.wanted is None:
        facts.wanted = _wanted_name(facts)
    return facts


def _wanted_name(facts: Facts) -> str | None:
    """For `from m import a, b` that failed: the listed name m's file does not define (from the ASTs)."""
    statement = facts.statement()
    if not isinstance(statement, ast.ImportFrom) or not facts.path or not facts.path.endswith(".py"):
        return None
    defined = set(facts.defined_names(facts.path))
    missing = [a.name for a in statement.names if a.name != "*" and a.name not in defined
               and not (Path(facts.path).parent / f"{a.name}.py").is_file()]
    return missing[0] if missing else None
