"""Teaching messages: where a learner's code went wrong, and the catalogue's diagnosis of why.

This module finds the learner's file and line (for the message's first line), gathers the facts of a failure
(kata/diagnoses/facts.py) and asks the catalogue (kata/diagnoses/catalogue.py) what they mean; it decides
nothing from the wording of an exception. Nothing here runs learner code.
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
from kata.diagnoses import catalogue, facts

STDLIB = facts.STDLIB


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
def _exercise_folder(path: Path, root: Path) -> Path:
    """The exercise folder a learner file is in (the first folder under the tree under test)."""
    try:
        return root.resolve() / Path(path).resolve().relative_to(root.resolve()).parts[0]
    except (ValueError, IndexError):
        return Path(path).parent


def diagnosis(found: facts.Facts) -> str:
    """The catalogue's short message for these facts ("" when no entry recognises them)."""
    d = catalogue.diagnose(found)
    return str(d) if d else ""


SAME_MISTAKE = "The same mistake as above"
_IDS = re.compile(r"\[(K\d{3})\] more: `make explain ID=")


def diagnosis_ids(message: str) -> set[str]:
    """The catalogue ids a message carries."""
    return set(_IDS.findall(message or ""))


def first_location(message: str) -> str:
    """The first "file.py, line N" a message names ("" for none)."""
    found = re.search(r"[\w./-]+\.py, line \d+", message or "")
    return found.group(0) if found else ""


def same_mistake(ids: set[str]) -> str:
    """What a later test of the same exercise says when it fails for a diagnosis already given."""
    shown = ", ".join(f"[{i}]" for i in sorted(ids))
    return f"{SAME_MISTAKE} ({shown}): this check fails because of it too."


def _said(found: facts.Facts) -> str:
    """Python's own last line, for the learner to connect with what they saw."""
    return f"{found.kind}: {found.msg}" if found.msg else found.kind


def syntax_error(e: SyntaxError, root: Path) -> str:
    """A learner file that Python cannot decode or parse (met by an import or by a source check)."""
    folder = _exercise_folder(Path(e.filename), root) if e.filename else root
    found = facts.from_exception(e, folder, root)
    where = show_path(Path(e.filename), root) if e.filename else "a file of this exercise"
    line = (e.text or "").strip()
    return f"{where}, line {e.lineno}" + (f": `{line}`" if line else "") + f"\n{diagnosis(found)}"


def bad_encoding(where: str, e: UnicodeDecodeError, path: Path | None = None, root: Path | None = None) -> str:
    line = e.object[:e.start].count(b"\n") + 1 if isinstance(e.object, bytes) else None
    at = f", line {line}," if line else ""
    text = (f"{where}{at} is not valid UTF-8 text (byte {e.start}). Save the file as UTF-8 in your editor, or "
            f"retype the unusual characters.")
    if path is not None and root is not None:
        found = facts.Facts("SyntaxError", frozenset({"SyntaxError"}), str(e), where=(str(path), line or 0, ""),
                            folder=_exercise_folder(path, root), root=Path(root).resolve())
        return f"{where}{at}\n{diagnosis(found) or text}"
    return text


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
    parts = Path(folder).resolve().relative_to(_exercise_folder(folder, root)).parts
    found = facts.Facts("ImportError", facts.kinds_of("ImportError"), "", name=".".join(parts),
                        folder=_exercise_folder(folder, root), root=Path(root).resolve())
    return diagnosis(found) or f"{show_path(folder, root)}/ has no __init__.py."


def is_timeout(e: BaseException) -> bool:
    return "Timeout" in str(e) and "pytest-timeout" in str(e)


def import_timeout(name: str, e: BaseException, root: Path, asked_input: bool = False) -> str:
    where = learner_frame(e.__traceback__, (root.resolve(),))
    limit = re.search(r">([\d.]+)s", str(e))  # our own timeout's text (isolation.py), not Python's
    seconds = f"{float(limit.group(1)):g} s" if limit else "the time limit"
    text = f"Importing `{name}` did not finish within {seconds}"
    if where:
        text += f"; it was still running {describe(where, root)}"
    folder = _exercise_folder(Path(where[0]), root) if where else root
    found = facts.Facts("Timeout", frozenset({"Timeout"}), seconds, where=where, folder=folder,
                        root=Path(root).resolve(), started="import", target=name,
                        extra={"input": asked_input})
    return f"{text}.\n{diagnosis(found)}"


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


def _plain_exit(e: BaseException) -> bool:
    return isinstance(e, SystemExit) or type(e).__name__ in ("LearnerExit", "InputCalled")


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
    found = facts.from_exception(e, folder, root, started="import", target=name)
    said = "" if _plain_exit(e) or found.kind in ("RecursionError",) else f"{_said(found)}\n"
    text = diagnosis(found)
    if text.startswith("Importing this module raised"):  # K707 says what Python said itself
        said = ""
    return prefix + (said + text if text else
                     f"Importing `{name}` raised {type(e).__name__}: {e}\nCode at the top level of a module runs "
                     f"when it is imported; fix the line above so the import succeeds.")


def found_imports(nodes) -> str:
    if not nodes:
        return "\nRight now it has no import statements at its top level."
    import ast

    shown = "; ".join(ast.unparse(n) for n in nodes[:6])
    return f"\nIts top-level imports now: {shown}"


# -- errors in a subprocess -------------------------------------------------------------------------
def process_error(result, root: Path) -> str:
    """Explain a learner program that exited with an error, from its stderr."""
    err = result.stderr.strip()
    lines = err.splitlines()
    last = lines[-1] if lines else f"exit status {result.returncode}"
    folder = Path(getattr(result, "folder", "") or root)
    found = facts.from_stderr(err, folder, root, started=getattr(result, "started", "") or "script",
                              target=getattr(result, "target", ""), sys_path=list(getattr(result, "path", ())))
    at = describe(found.where, root)
    text = f"`{result.command}` failed (exit status {result.returncode})"
    text += f" at {at}" if at else ""
    known = diagnosis(found)
    return text + (f":\n    {last}\n{known}" if known else f":\n    {last}")


def process_timeout(result, seconds: float, root: Path | None = None) -> str:
    """A learner program that did not finish in time."""
    where = {"folder": Path(result.folder).resolve()} if getattr(result, "folder", "") else {}
    found = facts.Facts("Timeout", frozenset({"Timeout"}), f"{seconds:g} s", started=getattr(result, "started", "")
                        or "script", target=getattr(result, "target", ""), stderr=result.stderr or "",
                        **where, **({"root": Path(root).resolve()} if root is not None else {}))
    return f"`{result.command}` did not finish within {seconds:g} s.\n{diagnosis(found)}"


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
    folder = _exercise_folder(Path(where[0]), root)
    if is_timeout(e):
        found = facts.Facts("Timeout", frozenset({"Timeout"}), f"{timeout:g} s", where=where, folder=folder,
                            root=Path(root).resolve(), started="call")
    else:
        found = facts.from_exception(e, folder, root, started="call", tb=excinfo.tb)
    known = diagnosis(found)
    if known and (is_timeout(e) or _plain_exit(e) or isinstance(e, RecursionError)):
        return f"{at}\n{known}"
    text = f"{at}\n{type(e).__name__}: {e}"
    return f"{text}\n{known}" if known else text
