"""Teaching messages: turn what went wrong in a learner's code into what to do about it.

Each message names the file and line the learner should look at and says, in a sentence or two, what
Python did and how to fix it. Nothing here runs learner code; it only reads exceptions, tracebacks
and folder contents.
"""
from __future__ import annotations

import difflib
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from kata import ROOT

STDLIB = set(getattr(sys, "stdlib_module_names", ())) - {"__future__"}


# -- where ------------------------------------------------------------------------------------------
def show_path(path: Path, root: Path | None = None) -> str:
    """A path as the learner knows it, relative to the tree under test when possible."""
    path = Path(path)
    for base in (root.resolve().parent if root else None, ROOT):
        if base is not None:
            try:
                return path.resolve().relative_to(base).as_posix()
            except ValueError:
                pass
    return str(path)


def learner_frame(tb: TracebackType | None, roots: tuple[Path, ...],
                  innermost: bool = True) -> tuple[str, int, str] | None:
    """The innermost (or outermost) traceback entry in a learner's file: (filename, line, source line)."""
    found = None
    for frame, lineno in traceback.walk_tb(tb):
        filename = frame.f_code.co_filename
        if _inside(filename, roots):
            found = (filename, lineno, _line(filename, lineno))
            if not innermost:
                break
    return found


def _inside(filename: str, roots) -> bool:
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return False
    return any(path.is_relative_to(r) for r in roots)


def _line(filename: str, lineno: int) -> str:
    try:
        lines = Path(filename).read_text(encoding="utf-8", errors="replace").splitlines()
        return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
    except OSError:
        return ""


def _at(where: tuple[str, int, str] | None, root: Path) -> str:
    if not where:
        return ""
    filename, lineno, line = where
    text = f"{show_path(Path(filename), root)}, line {lineno}"
    return text + (f": `{line}`" if line else "")


# -- errors while importing -------------------------------------------------------------------------
def syntax_error(e: SyntaxError, root: Path) -> str:
    where = show_path(Path(e.filename), root) if e.filename else "a file of this exercise"
    line = (e.text or "").strip()
    text = f"{where}, line {e.lineno}: Python cannot read this file: {e.msg}."
    if line:
        text += f"\n    {line}"
    if isinstance(e, IndentationError):
        return text + "\nCheck the indentation: the lines of one block must start at the same column."
    return text + ("\nFix the syntax there (look for a missing `:`, bracket or quote on this line or the one "
                   "before). Nothing in the exercise can run until the file parses.")


def bad_encoding(where: str, e: UnicodeDecodeError) -> str:
    return (f"{where} is not valid UTF-8 text (byte {e.start}). Save the file as UTF-8 in your editor, or "
            f"retype the unusual characters.")


def missing_folder(where: str) -> str:
    return (f"The exercise folder {where}/ is missing (deleted or renamed?). Restore it with "
            f"`make reset EX={Path(where).name}` or `git checkout -- {where}`.")


def namespace_package(folder: str, init: str) -> str:
    return (f"{folder}/ has no __init__.py, so Python imported it as a namespace package: a folder with no "
            f"code of its own, no __file__ and no place for package-level names. Create the file {init} "
            f"(it may be empty) to make it a regular package.")


def is_timeout(e: BaseException) -> bool:
    return "Timeout" in str(e) and "pytest-timeout" in str(e)


def import_timeout(name: str, e: BaseException, root: Path) -> str:
    where = learner_frame(e.__traceback__, (root.resolve(),))
    limit = re.search(r">([\d.]+)s", str(e))
    seconds = f"{float(limit.group(1)):g} s" if limit else "the time limit"
    text = f"Importing `{name}` did not finish within {seconds}"
    if where:
        text += f"; it was still running {_at(where, root)}"
    return text + (".\nCode at the top level of a module runs the moment it is imported. Look for a loop that "
                   "never ends there, or move the work into a function.")


def import_error(name: str, e: BaseException, folder: Path, root: Path) -> str:
    """Why `import name` failed, for an exception raised while importing it."""
    if isinstance(e, SyntaxError):
        return syntax_error(e, root)
    where = learner_frame(e.__traceback__, (root.resolve(),))
    at = _at(where, root)
    top = learner_frame(e.__traceback__, (root.resolve(),), innermost=False)
    if top and top != where:  # the error is inside a function: name the top-level line that called it
        at += f"\n  (called while importing, from {_at(top, root)})"
    prefix = f"{at}\n" if at else ""
    if isinstance(e, SystemExit):
        return (f"{prefix}Importing `{name}` ended the program (sys.exit() or `raise SystemExit`). Importing a "
                f"module must not stop Python: move that code into a function, or under "
                f"`if __name__ == \"__main__\":`.")
    if type(e).__name__ == "InputCalled":
        return (f"{prefix}Importing `{name}` called input(). Code at the top level of a module runs on import, "
                f"and an import must never wait for the keyboard: move it into a function, or under "
                f"`if __name__ == \"__main__\":`.")
    if isinstance(e, (ImportError, AttributeError)):
        known = classic_import_error(e, folder, root, expected=name)
        if known:
            return prefix + known
    if isinstance(e, RecursionError):
        return (f"{prefix}Importing `{name}` recursed without end (RecursionError): a function calls itself, "
                f"or two call each other, with no case that stops.")
    return (f"{prefix}Importing `{name}` raised {type(e).__name__}: {e}\nCode at the top level of a module runs "
            f"when it is imported; fix the line above so the import succeeds.")


def classic_import_error(e: BaseException, folder: Path, root: Path, expected: str = "") -> str | None:
    """The teaching message for the classic import mistakes, or None when this is not one of them."""
    message = str(e)
    shadow = shadowing_file(message, folder)
    if shadow:
        return (f"{show_path(shadow, root)} has the same name as the standard library's `{shadow.stem}` "
                f"module, and Python finds your file first (the script's folder comes first on sys.path). "
                f"Rename it, for example to my_{shadow.stem}.py, and update the imports that use it.\n"
                f"(Python said: {message})")
    if "partially initialized module" in message:
        return (f"Circular import: two modules import from each other, so one of them asked for a name the other "
                f"had not defined yet. (Python said: {message})\nMove the shared code into a third module, or use "
                f"`import module` and write `module.name` where it is used instead of `from module import name`.")
    if "attempted relative import with no known parent package" in message:
        return ("A relative import (`from . import x` or `from .x import y`) only works inside a package. This "
                "file was run as a script, so Python does not know its package. Run it as a module from the "
                "folder above the package: `python -m package.module`.")
    if "attempted relative import beyond top-level package" in message:
        return ("A relative import climbs above the top-level package: each dot after the first goes up one "
                "package, and there is nothing above the top one. Use fewer dots, or an absolute import. "
                f"(Python said: {message})")
    if "(unknown location)" in message:
        package = re.search(r"from '([\w.]+)'", message)
        pkg = package.group(1) if package else "the package"
        pkg_dir = folder / pkg.replace(".", "/")
        return (f"{message}.\n`{pkg}` was imported as a namespace package (\"unknown location\"): "
                + namespace_package(show_path(pkg_dir, root), show_path(pkg_dir / '__init__.py', root)))
    if isinstance(e, ModuleNotFoundError) and e.name:
        missing = e.name
        top = missing.split(".")[0]
        sibling = folder / f"{top}.py"
        if sibling.is_file() and (folder / "__init__.py").is_file():
            package = folder.name
            return (f"No module named `{missing}`: {show_path(sibling, root)} is a module of the package "
                    f"`{package}`, and inside a package its modules are not top-level names. Import it "
                    f"relatively, `from .{top} import ...`, or by its full name, `from {package}.{top} import "
                    f"...`.")
        candidates = [p.stem for p in folder.glob("*.py")] + [p.name for p in folder.iterdir() if p.is_dir()] \
            if folder.is_dir() else []
        close = difflib.get_close_matches(top, [c for c in candidates if c != top], n=1) or \
            difflib.get_close_matches(top, sorted(STDLIB - {top}), n=1, cutoff=0.8)
        guess = f" Did you mean `{close[0]}`?" if close else ""
        if "." in missing:
            parent = missing.rsplit(".", 1)[0]
            expected_at = f"{show_path(folder / missing.replace('.', '/'), root)}.py"
            return (f"No module named `{missing}`: Python looked inside the package `{parent}` for "
                    f"{expected_at} (or a folder of that name) and found nothing.{guess}")
        return (f"No module named `{missing}`: Python looked for {show_path(folder / (top + '.py'), root)} (or a "
                f"folder {show_path(folder / top, root)}/), then in the standard library and installed "
                f"packages (the folders on sys.path), and found none.{guess} Check the spelling of the import, and that the "
                f"file is where Python looks.")
    cannot = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", message)
    if cannot:
        wanted, module_name = cannot.groups()
        names = defined_names(message)
        close = difflib.get_close_matches(wanted, names, n=1)
        guess = f" Did you mean `{close[0]}`?" if close else (
            f" It defines: {', '.join(names[:12])}." if names else "")
        return (f"`from {module_name} import {wanted}`: the module `{module_name}` has no name `{wanted}`.{guess} "
                f"Check the spelling in the import (or, if it is really missing, define `{wanted}` in that module).")
    if isinstance(e, AttributeError) and "has no attribute" in message:
        return None
    return None


def defined_names(message: str) -> list[str]:
    """The top-level names of the module an ImportError message points at ("... (path/to/m.py)"),
    read from its source: the module in this process's sys.modules may be another one (a subprocess's
    error), or a half-initialised one."""
    path = re.search(r"\(([^()]+\.py)\)", message)
    if not path or not Path(path.group(1)).is_file():
        return []
    import ast

    try:
        tree = ast.parse(Path(path.group(1)).read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError, OSError):
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
    return [n for n in dict.fromkeys(names) if not n.startswith("__")]


def shadowing_file(message: str, folder: Path) -> Path | None:
    """A learner file named like a standard-library module that the error message mentions."""
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.py")):
        if path.stem in STDLIB and re.search(rf"\b{re.escape(path.stem)}\b", message):
            return path
    return None


def found_imports(nodes) -> str:
    if not nodes:
        return "\nRight now it has no import statements at its top level."
    import ast

    shown = "; ".join(ast.unparse(n) for n in nodes[:6])
    return f"\nIts top-level imports now: {shown}"


# -- errors in a subprocess -------------------------------------------------------------------------
_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def process_error(result, root: Path) -> str:
    """Explain a learner program that exited with an error, from its stderr."""
    err = result.stderr.strip()
    lines = err.splitlines()
    last = lines[-1] if lines else f"exit status {result.returncode}"
    where = None
    for filename, lineno in _FRAME.findall(err):
        if _inside(filename, (root.resolve(),)):
            where = (filename, int(lineno), _line(filename, int(lineno)))
    at = _at(where, root)
    text = f"`{result.command}` failed (exit status {result.returncode})"
    text += f" at {at}" if at else ""
    error_type, _, detail = last.partition(":")
    folder = Path(where[0]).parent if where else root
    fake = _exception_like(error_type.strip(), detail.strip())
    known = classic_import_error(fake, folder, root) if fake is not None else None
    text += f":\n{known}" if known else f":\n    {last}"
    if "EOFError" in last:
        text += "\nThe program called input(), and the tests typed nothing. Does it ask for input it should not?"
    return text


def _exception_like(type_name: str, detail: str) -> BaseException | None:
    if type_name == "ModuleNotFoundError":
        name = re.search(r"No module named '([\w.]+)'", detail)
        return ModuleNotFoundError(detail, name=name.group(1) if name else None)
    if type_name in ("ImportError", "AttributeError"):
        return ImportError(detail) if type_name == "ImportError" else AttributeError(detail)
    return None


def assertion(e: AssertionError) -> str | None:
    """A test's own teaching message, without pytest's introspection of the assert expression
    (`+  where False = hasattr(<module ...>)` helps a maintainer, not a beginner). A bare assert keeps
    pytest's full report."""
    message, _, _ = str(e).partition("\nassert ")
    if not message.strip() or message.startswith("assert "):
        return None
    first, *rest = message.strip().split("\n")
    return "\n".join([first] + [line[2:] if line.startswith("  ") else line for line in rest])


# -- any failed test --------------------------------------------------------------------------------
def failure(excinfo, roots: tuple[Path, ...], root: Path, timeout: float | None) -> str | None:
    """A short message for a failed test whose exception passed through learner code, else None
    (pytest then shows its usual report, which is right for a failing assertion in a test)."""
    e = excinfo.value
    where = learner_frame(excinfo.tb, roots)
    if where is None:
        return assertion(e) if isinstance(e, AssertionError) else None
    at = _at(where, root)
    if is_timeout(e):
        return (f"{at}\nThis code did not finish within {timeout:g} s: is there a loop that never ends?")
    if type(e).__name__ == "InputCalled":
        return f"{at}\nThis calls input(), but the tests cannot type. Take the value as a parameter instead."
    if isinstance(e, SystemExit):
        return f"{at}\nThis ends the program (sys.exit()). A function the tests call must return instead."
    folder = Path(where[0]).parent
    known = classic_import_error(e, folder, root) if isinstance(e, (ImportError, AttributeError)) else None
    text = f"{at}\n{type(e).__name__}: {e}"
    if known:
        return f"{text}\n{known}"
    if isinstance(e, NameError):
        return (f"{text}\nThe name is used here but was never defined or imported in this file. Add the import "
                f"it needs (or fix the spelling).")
    if isinstance(e, RecursionError):
        return f"{at}\nRecursionError: a function calls itself (or two call each other) with no case that stops."
    return text
