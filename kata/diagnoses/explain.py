"""Teaching messages: turn what went wrong in a learner's code into what to do about it.

Each message names the file and line the learner should look at and says, in a sentence or two, what
Python did and how to fix it. Nothing here runs learner code; it only reads exceptions, tracebacks
and folder contents.
"""
from __future__ import annotations

import difflib
import functools
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from kata import ROOT

NAME_ERROR_ADVICE = ("The name is used here but was never defined or imported in this file. Add the import it "
                     "needs (or fix the spelling).")
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


def frame_location(frame, roots: tuple[Path, ...]) -> tuple[str, int, str] | None:
    """The innermost frame of a running stack (`frame`, then its callers) in a learner's file."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if _inside(filename, roots):
            return filename, frame.f_lineno, _line(filename, frame.f_lineno)
        frame = frame.f_back
    return None


def _inside(filename: str, roots) -> bool:
    if not filename or filename.startswith("<"):  # <frozen ...>, <string>
        return False
    path = _resolved(filename)
    return path is not None and any(path.is_relative_to(r) for r in roots)


@functools.lru_cache(maxsize=4096)
def _resolved(filename: str) -> Path | None:
    """Path(filename).resolve(), cached: every traceback frame is looked up (about 2,000 per run)."""
    try:
        return Path(filename).resolve()
    except (OSError, ValueError):
        return None


def _line(filename: str, lineno: int) -> str:
    try:
        lines = Path(filename).read_text(encoding="utf-8", errors="replace").splitlines()
        return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""
    except OSError:
        return ""


inside, source_line = _inside, _line


def describe(where: tuple[str, int, str] | None, root: Path) -> str:
    if not where:
        return ""
    filename, lineno, line = where
    text = f"{show_path(Path(filename), root)}, line {lineno}"
    return text + (f": `{line}`" if line else "")


# -- errors while importing -------------------------------------------------------------------------
def syntax_error(e: SyntaxError, root: Path) -> str:
    where = show_path(Path(e.filename), root) if e.filename else "a file of this exercise"
    line = (e.text or "").strip()
    if "codec can't decode" in str(e.msg) or "Non-UTF-8 code" in str(e.msg):
        return (f"{where}, line {e.lineno}: Python cannot read this line: it is not UTF-8 text, the encoding "
                f"Python expects in a source file (a character such as é or ’ was saved in another encoding)."
                + (f"\n    {line}" if line else "") +
                "\nSave the file as UTF-8 in your editor (often under File > Save with Encoding), or retype "
                "the unusual characters on that line.")
    text = f"{where}, line {e.lineno}: Python cannot read this file: {e.msg}."
    if line:
        text += f"\n    {line}"
    if isinstance(e, IndentationError):
        return text + "\nCheck the indentation: the lines of one block must start at the same column."
    return text + ("\nFix the syntax there (look for a missing `:`, bracket or quote on this line or the one "
                   "before). Nothing in the exercise can run until the file parses.")


def bad_encoding(where: str, e: UnicodeDecodeError) -> str:
    line = e.object[:e.start].count(b"\n") + 1 if isinstance(e.object, bytes) else None
    at = f", line {line}," if line else ""
    return (f"{where}{at} is not valid UTF-8 text (byte {e.start}). Save the file as UTF-8 in your editor, or "
            f"retype the unusual characters.")


def missing_folder(where: str, folder: Path | None = None) -> str:
    """An exercise folder that is not there; names a sibling that looks like it was renamed from it."""
    name = Path(where).name
    text = f"The exercise folder {where}/ is missing (deleted or renamed?)."
    if folder is not None and folder.parent.is_dir():
        others = sorted(p.name for p in folder.parent.iterdir() if p.is_dir() and p.name != name)
        number = name.split("_", 1)[0]
        alike = [n for n in others if n.split("_", 1)[0] == number] or \
            difflib.get_close_matches(name, others, n=1, cutoff=0.7)
        if alike:
            text += (f" There is a folder {Path(where).parent.as_posix()}/{alike[0]}/: if that is it, rename it "
                     f"back to {name}.")
    return text + f" To get it back as shipped: `make reset EX={name}` or `git checkout -- {where}`."


def namespace_package(folder: Path, root: Path) -> str:
    """The folder `folder` was imported as a namespace package for lack of an __init__.py."""
    text = (f"{show_path(folder, root)}/ has no __init__.py, so Python imported it as a namespace package: a folder "
            f"with no code of its own, no __file__ and no place for package-level names. ")
    misnamed = difflib.get_close_matches("__init__.py", [p.name for p in folder.iterdir() if p.is_file()]
                                         if folder.is_dir() else [], n=1, cutoff=0.6)
    if misnamed:
        return text + (f"There is a file {misnamed[0]!r}: the name must be exactly __init__.py (two underscores "
                       f"on each side, ending in .py). Rename it.")
    return text + f"Create the file {show_path(folder / '__init__.py', root)} (it may be empty)."


def is_timeout(e: BaseException) -> bool:
    return "Timeout" in str(e) and "pytest-timeout" in str(e)


def import_timeout(name: str, e: BaseException, root: Path, asked_input: bool = False) -> str:
    where = learner_frame(e.__traceback__, (root.resolve(),))
    limit = re.search(r">([\d.]+)s", str(e))
    seconds = f"{float(limit.group(1)):g} s" if limit else "the time limit"
    text = f"Importing `{name}` did not finish within {seconds}"
    if where:
        text += f"; it was still running {describe(where, root)}"
    if asked_input:
        return text + (".\nIt called input(), which fails in the tests (they cannot type), and a loop with "
                       "`try`/`except` asked again and again. Code at the top level of a module runs the moment "
                       "it is imported: move the question into a function, or under "
                       "`if __name__ == \"__main__\":`.")
    return text + (".\nCode at the top level of a module runs the moment it is imported. Look for a loop that "
                   "never ends there, or move the work into a function.")


_EXIT_ADVICE = ("os._exit() stops Python on the spot: no cleanup, no error message, and an exit status that "
                "can say all went well. Remove it; to end a program, return from your main function or call "
                "sys.exit() under `if __name__ == \"__main__\":`.")


def exit_called(attempt: dict, root: Path) -> str:
    """os._exit() called by learner code in a thread, or inside a `try` that swallowed it."""
    at = describe(attempt.get("where"), root)
    how = f"in the thread {attempt['thread']}" if attempt.get("thread") != "MainThread" else "in a `try` block"
    return f"{at}\nThis called os._exit({attempt.get('status')!r}) {how}. {_EXIT_ADVICE}"


def thread_left_running(name: str, where: tuple[str, int, str] | None, root: Path) -> str:
    at = f"{describe(where, root)}\n" if where else ""
    return (f"{at}A thread started by this exercise's code ({name}) was still running when the test ended. "
            f"Python waits for every thread that is not a daemon before it exits, so this program would never "
            f"end. Make the thread's function return, and do not start threads when a module is imported.")


def import_error(name: str, e: BaseException, folder: Path, root: Path) -> str:
    """Why `import name` failed, for an exception raised while importing it."""
    if isinstance(e, SyntaxError):
        return syntax_error(e, root)
    where = learner_frame(e.__traceback__, (root.resolve(),))
    at = describe(where, root)
    top = learner_frame(e.__traceback__, (root.resolve(),), innermost=False)
    if top and top != where:  # the error is inside a function: name the top-level line that called it
        at += f"\n  (called while importing, from {describe(top, root)})"
    prefix = f"{at}\n" if at else ""
    if type(e).__name__ == "LearnerExit":
        return f"{prefix}Importing `{name}` called os._exit(). {_EXIT_ADVICE}"
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
    if isinstance(e, NameError):
        return (f"{prefix}Importing `{name}` raised NameError: {e}\n{NAME_ERROR_ADVICE}")
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
                "package, and there is nothing above the top one. Count the packages between this file and the "
                "module it needs, and use that many dots plus one. "
                f"(Python said: {message})")
    if "(unknown location)" in message:
        package = re.search(r"from '([\w.]+)'", message)
        pkg = package.group(1) if package else "the package"
        pkg_dir = folder / pkg.replace(".", "/")
        return (f"{message}.\n`{pkg}` was imported as a namespace package (\"unknown location\"): "
                + namespace_package(pkg_dir, root))
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
        base = folder  # the folder on sys.path: climb out of the package the failing file is in
        while (base / "__init__.py").is_file():
            base = base.parent
        if "." in missing:
            parent, _, last = missing.rpartition(".")
            parent_dir = base / parent.replace(".", "/")
            close = difflib.get_close_matches(last, [n for n in _module_names(parent_dir) if n != last], n=1)
            guess = f" Did you mean `{parent}.{close[0]}`?" if close else ""
            return (f"No module named `{missing}`: Python looked inside the package `{parent}` for "
                    f"{show_path(parent_dir / last, root)}.py (or a folder of that name) and found nothing.{guess}")
        close = difflib.get_close_matches(top, [n for n in _module_names(base) if n != top], n=1) or \
            difflib.get_close_matches(top, sorted(STDLIB - {top}), n=1, cutoff=0.8)
        guess = f" Did you mean `{close[0]}`?" if close else ""
        return (f"No module named `{missing}`: Python looked for {show_path(base / top, root)}.py (or a folder "
                f"{show_path(base / top, root)}/), then in the standard library and installed packages (the folders "
                f"on sys.path), and found none.{guess} Check the spelling of the import, and that the file is where "
                f"Python looks.")
    cannot = re.search(r"cannot import name '(\w+)' from '([\w.]+)'", message)
    if cannot:
        wanted, module_name = cannot.groups()
        names = defined_names(message)
        close = difflib.get_close_matches(wanted, names, n=1)
        if close:
            advice = f" Did you mean `{close[0]}`? Fix the spelling in the import."
        else:
            advice = (f" It defines: {', '.join(names[:12])}." if names else "") + \
                f" Check the spelling in the import (or, if it is really missing, define `{wanted}` in that module)."
        return f"`from {module_name} import {wanted}`: the module `{module_name}` has no name `{wanted}`.{advice}"
    if isinstance(e, AttributeError) and "has no attribute" in message:
        return None
    return None


def _module_names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted({p.stem for p in folder.glob("*.py")} | {p.name for p in folder.iterdir() if p.is_dir()})


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
_NOT_UTF8 = re.compile(r"Non-UTF-8 code starting with .* in file (.+) on line (\d+)")


def process_error(result, root: Path) -> str:
    """Explain a learner program that exited with an error, from its stderr."""
    err = result.stderr.strip()
    lines = err.splitlines()
    last = lines[-1] if lines else f"exit status {result.returncode}"
    where = None
    for filename, lineno in _FRAME.findall(err) + _NOT_UTF8.findall(err):
        if _inside(filename, (root.resolve(),)):
            where = (filename, int(lineno), _line(filename, int(lineno)))
    at = describe(where, root)
    text = f"`{result.command}` failed (exit status {result.returncode})"
    text += f" at {at}" if at else ""
    error_type, _, detail = last.partition(":")
    folder = Path(where[0]).parent if where else root
    fake = _exception_like(error_type.strip(), detail.strip())
    known = classic_import_error(fake, folder, root) if fake is not None else None
    text += f":\n{known}" if known else f":\n    {last}"
    if "EOFError" in last:
        text += "\nThe program called input(), and the tests typed nothing. Does it ask for input it should not?"
    if "Non-UTF-8 code" in last or "codec can't decode" in last:
        text += ("\nThe file is not UTF-8 text, the encoding Python expects in a source file. Save it as UTF-8 in "
                 "your editor, or retype the unusual characters.")
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
    at = describe(where, root)
    if is_timeout(e):
        return (f"{at}\nThis code did not finish within {timeout:g} s: is there a loop that never ends?")
    if type(e).__name__ == "InputCalled":
        return f"{at}\nThis calls input(), but the tests cannot type. Take the value as a parameter instead."
    if type(e).__name__ == "LearnerExit":
        return f"{at}\nThis calls os._exit(). {_EXIT_ADVICE}"
    if isinstance(e, SystemExit):
        return f"{at}\nThis ends the program (sys.exit()). A function the tests call must return instead."
    folder = Path(where[0]).parent
    known = classic_import_error(e, folder, root) if isinstance(e, (ImportError, AttributeError)) else None
    text = f"{at}\n{type(e).__name__}: {e}"
    if known:
        return f"{text}\n{known}"
    if isinstance(e, NameError):
        return f"{text}\n{NAME_ERROR_ADVICE}"
    if isinstance(e, AttributeError) and getattr(e, "name", None) and getattr(e, "obj", None) is not None:
        close = difflib.get_close_matches(e.name, [n for n in dir(e.obj) if not n.startswith("__")], n=1)
        if close:
            return f"{text}\nDid you mean `{close[0]}`? Check the spelling."
    if isinstance(e, RecursionError):
        return f"{at}\nRecursionError: a function calls itself (or two call each other) with no case that stops."
    return text
