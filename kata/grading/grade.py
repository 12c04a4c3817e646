"""`python -m kata grade SUBMISSION [--report FILE] [--csv FILE] [--jobs N]` (`make grade`): instructors' trusted grading.

SUBMISSION is a learner's clone, or a folder of clones (each subfolder with an `exercises/` folder). Only the
submission's `exercises/` is used: it is copied into a temporary folder (symbolic links that point outside it
are dropped) and graded with THIS checkout's tests, conftest, harness and pytest.ini. Nothing else from the
submission is run or imported; its tests/, conftest.py and kata/ are only hashed, to say whether they differ
from what was shipped (kata/checksums.json).

A submission's exercises run in one pytest session inside a bubblewrap sandbox (kata/grading/sandbox.py:
read-only system, only its exercise folders and the grader's snapshot visible, private /tmp, no network, own
PID namespace, cleared environment, limits), with no input and its output thrown away, killed with everything
it started at a wall-clock bound; when that session does not end normally, each exercise runs again alone in
a sandbox of its own. Without bwrap grading refuses, unless --no-sandbox says otherwise. An exercise is
complete only when its run ended normally within the bound, passed exactly the number of tests a trusted
`pytest --collect-only` of this checkout expects and failed none. A static scan of every file of the exercise
comes first: code that imports the test machinery (pytest, pluggy, the kata, conftest, ctypes), names pytest's
internals, calls os._exit or hides code (bytecode, archives, a text file it execs) is not graded as complete.
The harness runs in grading mode (kata/harness/verdict.py): each test's outcome arrives on a pipe as a line
carrying a random token that learner code cannot reach, and only such lines, for the node ids of the trusted
collection, count.
What this does and does not protect
against: docs/INSTRUCTORS.md.

Report (--report FILE): {"complete", "total", "exercises": [{"name", "complete", "passed", "total",
"message"}], "machinery_differs": [paths], "problem"?}; for a folder of clones {"submissions": {name: report}};
with --no-sandbox also "unprotected": what was not protected.
Gradebook (--csv FILE): a header (name, complete, total, then each exercise's name), then one row per learner
with 1 or 0 for each exercise.
Exit status: 0 when every exercise is complete, 1 when not, 2 when grading could not be done or trusted.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import io
import json
import os
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from kata import ROOT, manifest
from kata.grading import sandbox
from kata.maintainer import checksums

DEFAULT_TIMEOUT = 60.0
EXIT_GRACE = 3.0  # seconds a test process may take to exit once it has written its results
MAX_MESSAGE = 600  # characters of failure text kept per exercise in the report
MAX_RESULTS = 5_000_000  # bytes: bigger results are not read
# A submission's exercises/ beyond these is not graded (a clone with a 10 GB file must not fill the disk).
MAX_FILE, MAX_TOTAL, MAX_ENTRIES = 5 << 20, 50 << 20, 20_000
LAUNCH = ROOT / "kata" / "grading" / "launch.py"
# What each sandboxed run executes: pytest with the venv's site-packages as a plain folder (-S: no .pth runs).
# Grading mode of the harness (kata/harness/verdict.py); no assertion rewriting or debugger, whose module
# globals would lead learner code to the session.
VERDICT_ARGS = ("-p", "no:assertion", "-p", "no:debugging")
# Modules exercise code has no reason to touch: importing one is how a submission reaches the test machinery.
FORBIDDEN_MODULES = {"pytest", "_pytest", "pluggy", "kata", "conftest", "ctypes"}
# Names of pytest's and the harness's internals that a forged pass would reach for; no exercise needs them.
INTERNALS = {"call_and_report", "from_item_and_call", "runtestprotocol", "longrepr", "ihook", "pluginmanager",
             "hookimpl", "kata_guard", "pytest_runtest_logreport", "pytest_runtest_makereport",
             "pytest_runtest_protocol"}
MACHINERY_NOTE = ("not used for grading: the grader used its own copy; a difference may also just mean the "
                  "learner cloned an older or newer version of the kata")


@dataclass
class Grade:
    name: str
    complete: bool
    passed: int
    total: int
    message: str


# -- which tests count --------------------------------------------------------------------------------

def snapshot_machinery(into: Path) -> Path:
    """Copy this checkout's test machinery (what kata/checksums.json covers) to `into`, and grade from there:
    the verdicts then come from one consistent copy even if the checkout is edited while grading runs, and
    the copy's fingerprint before and after tells whether anything rewrote it."""
    for relative in list(checksums.machinery(ROOT)) + ["kata/checksums.json"]:
        target = into / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, target)
    return into


def python(pycache: Path, machinery: Path, *, write_bytecode: bool = False) -> list[str]:
    """The command that runs pytest for grading (kata/grading/boot.py, its arguments on stdin): -I (no
    PYTHON* variable, no working folder on sys.path), -S (no .pth file runs), bytecode only from the grader's
    private prefix; -B in the sandboxed runs, which see that prefix read-only anyway."""
    return [sys.executable, "-I", "-S", *([] if write_bytecode else ["-B"]), "-X", f"pycache_prefix={pycache}",
            "-X", "utf8", str(machinery / "kata" / "grading" / "boot.py"), sandbox.site_packages()]


def pytest_args(machinery: Path, tree: Path | str, *rest: str) -> list[str]:
    return ["-p", "no:cacheprovider", "--rootdir", str(machinery), "-c", str(machinery / "pytest.ini"),
            f"--exercises={tree}", "--kata-report=full", *rest]


def expected_tests(machinery: Path, exercises: list[manifest.Exercise], pycache: Path,
                   timeout: float, ids: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Number of tests per exercise, from a `pytest --collect-only` of the machinery's tests/.

    Collection imports the test modules only; they never import learner code (CONTRIBUTING.md), and the
    exercises folder given is an empty one anyway. This trusted run also fills the private bytecode prefix
    that the sandboxed runs then read (read-only): they need not compile pytest and the tests again.
    """
    counts = {e.name: 0 for e in exercises}
    ids = {} if ids is None else ids
    with tempfile.TemporaryDirectory(prefix="kata-grade-collect-") as tmp:
        done = subprocess.run(
            python(pycache, machinery, write_bytecode=True),
            input=json.dumps(pytest_args(machinery, tmp, *VERDICT_ARGS, "-q", "--collect-only",
                                         str(machinery / "tests"))) + "\n",
            cwd=tmp, env=sandbox.ENV, capture_output=True, text=True, encoding="utf-8", errors="replace",
            timeout=timeout)
    for line in done.stdout.splitlines():
        path, sep, _ = line.strip().partition("::")
        if sep and path.startswith("tests/test_") and path.endswith(".py"):
            name = path[len("tests/test_"):-len(".py")]
            if name in counts:
                counts[name] += 1
                ids.setdefault(name, []).append(line.strip())
    if done.returncode not in (0, 5) and not any(counts.values()):
        raise RuntimeError(f"collecting this checkout's tests failed (pytest exit {done.returncode}):\n"
                           + "\n".join((done.stdout + done.stderr).splitlines()[-20:]))
    return counts


# -- the submission -----------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """Text from a submission, safe to print and to store: no control characters (escape sequences could
    rewrite the instructor's terminal), no bidirectional overrides, undecodable bytes of file names shown
    as U+FFFD."""
    text = str(text).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub("", text.replace("\t", " "))


def submissions_in(path: Path) -> dict[str, Path] | None:
    """{name: clone}: one clone (path has exercises/), or every subfolder of a folder of clones (one without
    exercises/ is listed, to be reported as such). None if neither."""
    if os.path.lexists(path / "exercises"):
        return {clean(path.resolve().name): path}
    if not path.is_dir():
        return None
    try:
        folders = sorted(p for p in path.iterdir() if not p.name.startswith(".") and p.is_dir())
    except OSError:
        return None
    if not any(os.path.lexists(p / "exercises") for p in folders):
        return None
    return {clean(p.name): p for p in folders}


class Unusable(ValueError):
    """The submission as a whole cannot be graded (the message says why)."""


def copy_exercises(clone: Path, into: Path) -> tuple[Path, dict[str, list[str]]]:
    """Copy clone/exercises/ to into/exercises/; return it and {exercise: [problems]} (a file left out).

    Never follows a link while copying: only folders, regular files and links are copied (a named pipe would
    block the copy), a link is kept only when it points inside its own exercise folder (not to the
    instructor's files, not to another exercise), and the copy is bounded in size and number of files.
    An unreadable or too large file leaves its exercise ungraded, not the class."""
    source = clone / "exercises"
    if os.path.islink(source):
        raise Unusable("exercises/ is a symbolic link, not the learner's own folder")
    if not source.is_dir():
        raise Unusable("the submission has no exercises/ folder")
    target = into / "exercises"
    target.mkdir(parents=True)
    problems: dict[str, list[str]] = {}
    budget = {"bytes": 0, "entries": 0}

    def note(relative: str, what: str):
        problems.setdefault(relative.split("/")[0], []).append(f"exercises/{clean(relative)} {what}")

    def walk(src: str, dst: str, relative: str, depth: int):
        if depth > 40:
            note(relative, "is nested too deeply; it was left out")
            return
        try:
            entries = sorted(os.scandir(src), key=lambda e: e.name)
        except OSError as e:
            note(relative, f"could not be read ({e.strerror}); it was left out")
            return
        for entry in entries:
            budget["entries"] += 1
            if budget["entries"] > MAX_ENTRIES:
                raise Unusable(f"exercises/ holds more than {MAX_ENTRIES} files and folders")
            rel = f"{relative}/{entry.name}" if relative else entry.name
            if entry.name == "__pycache__":
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as e:
                note(rel, f"could not be read ({e.strerror}); it was left out")
                continue
            out = os.path.join(dst, entry.name)
            if stat.S_ISDIR(info.st_mode):
                os.mkdir(out)
                walk(entry.path, out, rel, depth + 1)
            elif stat.S_ISLNK(info.st_mode):
                link = os.readlink(entry.path)
                inside = os.path.normpath(os.path.join(os.path.dirname(rel), link))
                if os.path.isabs(link) or "/" not in rel or inside.split("/")[0] != rel.split("/")[0] \
                        or inside.startswith(".."):
                    note(rel, f"is a symbolic link to {clean(link)}, outside its exercise folder; it was left "
                              f"out (the grade uses the submission's own files only)")
                else:
                    os.symlink(link, out)
            elif stat.S_ISREG(info.st_mode):
                if info.st_size > MAX_FILE:
                    note(rel, f"is larger than {MAX_FILE >> 20} MB; it was left out")
                    continue
                budget["bytes"] += info.st_size
                if budget["bytes"] > MAX_TOTAL:
                    raise Unusable(f"exercises/ holds more than {MAX_TOTAL >> 20} MB")
                try:
                    fd = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
                    with os.fdopen(fd, "rb") as f:
                        data = f.read(MAX_FILE + 1)
                except OSError as e:
                    note(rel, f"could not be read ({e.strerror}); it was left out")
                    continue
                with open(out, "wb") as f:
                    f.write(data[:MAX_FILE])
    walk(str(source), str(target), "", 0)
    return target, problems


def differing_machinery(clone: Path) -> list[str]:
    """The submission's copies of the test machinery that differ from what this checkout shipped, as
    "path (changed|added|missing)". Read as data only, never run; only regular files are read (a link or a
    named pipe counts as changed)."""
    shipped = checksums.stored(ROOT).get("machinery", {})
    found: dict[str, str] = {}
    for pattern in checksums.MACHINERY:
        for p in clone.glob(pattern):
            relative = p.relative_to(clone).as_posix()
            try:
                mode = os.lstat(p).st_mode
                found[relative] = checksums.digest(p.read_bytes()) if stat.S_ISREG(mode) and \
                    os.lstat(p).st_size < 10_000_000 else "not a regular file"
            except OSError:
                found[relative] = "unreadable"
    if not found:
        return []  # only exercises/ was handed in: nothing to compare
    kinds = {p: "missing" if p not in found else "added" if p not in shipped else "changed"
             for p in set(shipped) | set(found) if shipped.get(p) != found.get(p)}
    order = {"changed": 0, "added": 1, "missing": 2}
    return [f"{p} ({kind})" for p, kind in sorted(kinds.items(), key=lambda pk: (order[pk[1]], pk[0]))]


# -- the static scan ----------------------------------------------------------------------------------

def scan_source(text: str) -> list[tuple[int, str]]:
    """[(line, what)] for code that reaches for the test machinery. Cheap and literal: it catches the
    plain ways (import pytest, os._exit(0), __import__("pytest"), sys.modules["pytest"], rep.longrepr),
    not obfuscation (names built at run time)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []  # the tests report syntax errors with a teaching message

    def forbidden(module: str | None) -> bool:
        return bool(module) and module.split(".")[0] in FORBIDDEN_MODULES

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"imports {a.name}") for a in node.names if forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if forbidden(node.module):
                found.append((node.lineno, f"imports from {node.module}"))
            elif node.module == "os" and any(a.name == "_exit" for a in node.names):
                found.append((node.lineno, "imports os._exit"))
        elif isinstance(node, ast.Attribute) and node.attr == "_exit":
            found.append((node.lineno, "uses os._exit"))
        elif isinstance(node, ast.Attribute) and node.attr in INTERNALS:
            found.append((node.lineno, f"uses .{node.attr}, an internal of the test machinery"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in INTERNALS:
            found.append((node.lineno, f"names {node.value!r}, an internal of the test machinery"))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
            if func in ("__import__", "import_module", "find_spec") and isinstance(first, str) \
                    and forbidden(first):
                found.append((node.lineno, f"imports {first} by name"))
            if func in ("getattr", "setattr", "delattr") and len(node.args) > 1 \
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "_exit":
                found.append((node.lineno, "uses os._exit"))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, str) and forbidden(node.slice.value):
            found.append((node.lineno, f"reaches {node.slice.value!r} by name"))
    return found


def scan_exercise(folder: Path, tree: Path) -> list[str]:
    """What the scan finds in every file of the exercise folder (links are not followed): Python files,
    any other text (code a stub could exec: the whole file, each line, each fenced block), the Python
    files inside a zip archive; compiled code it cannot read (.pyc, extension modules) is itself a finding."""
    problems = []
    if not folder.is_dir() or folder.is_symlink():
        return problems
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = Path(dirpath) / name
            shown = "exercises/" + clean(path.relative_to(tree).as_posix())
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as f:
                    data = f.read(MAX_FILE + 1)
            except OSError:
                continue
            problems += [f"{shown}{where}: {what}" for where, what in scan_bytes(name, data)]
    return problems


def scan_bytes(name: str, data: bytes) -> list[tuple[str, str]]:
    """[(", line N" or " (member)", what)] for one file's content."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in (".pyc", ".pyo"):
        return [("", "is compiled bytecode, which the scan cannot read (graded code must be source)")]
    if suffix in (".so", ".pyd", ".dylib", ".dll"):
        return [("", "is a compiled extension module, which the scan cannot read")]
    if data[:4] == b"PK\x03\x04" or suffix in (".zip", ".whl", ".egg"):
        found = []
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for member in archive.infolist()[:1000]:
                    if member.file_size <= MAX_FILE:
                        found += [(f" ({clean(member.filename)}{w})", what)
                                  for w, what in scan_bytes(member.filename, archive.read(member))]
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            found.append(("", "is an archive the scan cannot read"))
        return found
    text = data.decode("utf-8", errors="replace")
    found = {(line, what) for line, what in scan_source(text)}
    if not found and suffix != ".py":  # code hidden in a text file: each line, each fenced block
        for number, line in enumerate(text.splitlines(), 1):
            found |= {(number, what) for _, what in scan_source(line.strip())}
        for block in re.finditer(r"```[^\n]*\n(.*?)```", text, re.S):
            first = text.count("\n", 0, block.start(1)) + 1
            found |= {(first + line - 1, what) for line, what in scan_source(block.group(1))}
    return [(f", line {line}", what) for line, what in sorted(found)]


# -- running one exercise -----------------------------------------------------------------------------

def local_env() -> dict[str, str]:
    """Without the sandbox (--no-sandbox): the grader's environment minus what changes how Python or
    pytest start (the command's -I ignores PYTHON* anyway)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_"))}


class Results:
    """The bytes a run writes to its results pipe, read as they come (a pipe never fills a disk)."""

    END = b" end\t\t"  # the last line the harness writes (anyone may write it: it only shortens the wait)

    def __init__(self, fd: int):
        self.data = bytearray()
        self.ended = False
        self.too_large = False
        self.thread = threading.Thread(target=self._read, args=(fd,), daemon=True)
        self.thread.start()

    def _read(self, fd: int):
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                if len(self.data) + len(chunk) > MAX_RESULTS:
                    self.too_large = True
                    continue  # keep draining, so the writer never blocks on a full pipe
                self.data += chunk
                if not self.ended and self.END in self.data[-len(chunk) - len(self.END):]:
                    self.ended = True

    def exists(self) -> bool:
        """Whether the run has written its last line (then it has EXIT_GRACE seconds to exit)."""
        return self.ended


@dataclass
class Run:
    """What one sandboxed pytest run did: its exit status (None: stopped), whether it lingered after its
    results, and its results ({exercise: entry}) or None when there were none or they could not be read."""
    code: int | None
    lingered: bool
    results: dict | None
    unreadable: bool = False  # (or contradictory)


def run_pytest(test_files: list[Path], tree: Path, folders: list[Path], machinery: Path, pycache: Path,
               timeout: float, sandboxed: bool, ids: dict[str, list[str]]) -> Run:
    """Run these test files in grading mode: the outcome of each test arrives on a pipe as a line carrying
    a random token that only the harness's verdict channel holds (kata/harness/verdict.py)."""
    token = secrets.token_hex(16)
    token_read, token_write = os.pipe()
    read_fd, write_fd = os.pipe()
    arguments = pytest_args(machinery, tree, *VERDICT_ARGS, f"--kata-verdict={token_read},{write_fd}",
                            *map(str, test_files))
    args = python(pycache, machinery)
    cgroup = None
    with tempfile.TemporaryDirectory(prefix="kata-grade-run-") as tmp:
        if sandboxed:
            if os.getuid() == 0:
                cgroup = sandbox.make_cgroup(f"kata-grade-{os.getpid()}-{threading.get_ident()}")
            cmd = sandbox.limited(sandbox.command(args, [machinery, pycache, *folders], cwd="/tmp/cwd"), cgroup)
            env, cwd = sandbox.ENV, "/"
        else:
            cmd, env, cwd = args, local_env(), tmp
        try:
            os.write(token_write, token.encode() + b"\n")
            os.close(token_write)
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True,
                                    pass_fds=(token_read, write_fd))
        finally:
            os.close(write_fd)
            os.close(token_read)
        try:
            proc.stdin.write(json.dumps(arguments).encode() + b"\n")
            proc.stdin.close()
        except OSError:
            pass
        results = Results(read_fd)
        code, lingered = wait(proc, results, timeout)
        _kill_group(proc)  # also whatever the exercise left running in its process group
        proc.wait()
        sandbox.remove_cgroup(cgroup)
        results.thread.join(10)
    if results.too_large or results.thread.is_alive():
        return Run(code, lingered, None, unreadable=True)
    return Run(code, lingered, *outcomes(bytes(results.data), token, ids))


def outcomes(data: bytes, token: str, ids: dict[str, list[str]]) -> tuple[dict | None, bool]:
    """({exercise: {"passed", "failed", "messages"}} or None when the run did not end, whether the lines
    contradict each other). Only lines with the token count, only for the node ids of this checkout's own
    collection, and a test reported twice makes its exercise untrustworthy."""
    exercise_of = {nodeid: name for name, nodeids in ids.items() for nodeid in nodeids}
    seen: dict[str, str] = {}
    messages: dict[str, list[str]] = {}
    ended = contradicted = False
    for line in data.split(b"\n"):
        prefix, _, rest = line.partition(b" ")
        if prefix != token.encode() or not rest:
            continue  # not the harness's: learner code cannot know the token
        try:
            kind, nodeid, message = rest.decode("utf-8").split("\t", 2)
            message = json.loads(message)
        except ValueError:
            contradicted = True
            continue
        if kind == "end":
            ended = True
            continue
        name = exercise_of.get(nodeid) or exercise_of.get(next((i for i in exercise_of if i.startswith(nodeid + "::")), ""))
        if name is None:
            continue
        if kind == "collect":
            messages.setdefault(name, []).append(str(message))
            continue
        if nodeid in seen or kind not in ("passed", "failed"):
            contradicted = True
        seen[nodeid] = kind
        if kind == "failed":
            messages.setdefault(name, []).append(str(message))
    if not ended:
        return None, contradicted
    report = {}
    for name in {exercise_of[n] for n in seen} | set(messages):
        passed = sum(seen.get(n) == "passed" for n in ids[name])
        report[name] = {"passed": passed, "failed": len(ids[name]) - passed, "messages": messages.get(name, [])}
    return report, contradicted


def not_gradable(exercise: manifest.Exercise, tree: Path, expected: int, machinery: Path,
                 problems: list[str]) -> Grade | None:
    """The grade of an exercise that is not run at all (no tests here, a file left out, the scan's findings)."""
    def grade(message: str) -> Grade:
        return Grade(exercise.name, False, 0, expected, clean(message))

    if expected == 0 or not (machinery / exercise.test_file).is_file():
        return grade(f"This checkout has no tests for {exercise.name} ({exercise.test_file}), so it cannot be "
                     f"graded.")
    if problems:
        return grade("Not graded: " + "; ".join(problems[:5]))
    found = scan_exercise(tree / exercise.name, tree)
    if found:
        return grade("Not graded: exercise code must not touch the test machinery (pytest, pluggy, the kata "
                     "harness, conftest, ctypes, os._exit) nor hide code from this scan. " + "; ".join(found[:5]))
    if not (tree / exercise.name).is_dir() or (tree / exercise.name).is_symlink():
        return grade(f"exercises/{exercise.name}/ is missing from the submission.")
    return None


def verdict(exercise: manifest.Exercise, expected: int, run: Run, timeout: float, alone: bool) -> Grade:
    """The grade an exercise gets from a run (`alone`: the run had only this exercise, so its exit status
    is this exercise's)."""
    def grade(passed: int, message: str, complete: bool = False) -> Grade:
        return Grade(exercise.name, complete, passed, expected, clean(message))

    code = run.code
    if code is None:
        if run.lingered:
            return grade(0, f"The tests finished, but the test process did not exit within {EXIT_GRACE:g} s "
                            f"after them and was stopped: something the exercise's code started (a thread "
                            f"that never ends, which Python waits for before it exits) kept it alive.")
        return grade(0, f"The tests did not finish within {timeout:g} s and were stopped. Look for code that "
                        f"never ends: an endless loop at import, a thread that never stops (the process "
                        f"cannot exit until it does), or input().")
    if code in (112, 126, 127):
        return grade(0, f"The sandbox could not be started (exit {code}), so nothing was run.")
    if run.unreadable:
        return grade(0, "The test process's results could not be read, so they cannot be trusted.")
    if run.results is None:
        return grade(0, f"The exercise's code ended the test process early (exit status {code}, for example with "
                        f"os._exit(), a crash of the interpreter or a limit of the sandbox: CPU "
                        f"{sandbox.LIMITS['cpu']} s, memory {sandbox.LIMITS['memory'] >> 20} MB, files "
                        f"{sandbox.LIMITS['file_size'] >> 20} MB), so its tests never finished.")
    entry = run.results.get(exercise.name)
    if entry is None:
        return grade(0, f"No test of this exercise ran (pytest exit status {code}).")
    try:
        passed, failed = int(entry["passed"]), int(entry["failed"])
        messages = [str(m) for m in entry.get("messages", [])]
    except (KeyError, TypeError, ValueError, AttributeError):
        return grade(0, "The test process's results are malformed, so they cannot be trusted.")
    if passed > expected or passed < 0 or failed < 0:
        return grade(0, f"The results claim {passed} passed and {failed} failed tests, but this exercise has "
                        f"{expected}: they cannot be trusted.")
    if failed == 0 and passed == expected and (code == 0 or not alone and code == 1):
        return grade(passed, "", complete=True)
    if failed == 0 and passed == expected:
        return grade(passed, f"Every test passed, but the test process exited with status {code}, so the result "
                             f"is not trusted.")
    first = messages[0].strip() if messages else "(no message)"
    text = f"{passed}/{expected} tests pass. First problem: {first}"
    return grade(passed, text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 3] + "...")


def grade_submission(exercises: list[manifest.Exercise], tree: Path, expected: dict[str, int], machinery: Path,
                     pycache: Path, timeout: float, problems: dict[str, list[str]], sandboxed: bool,
                     pool: ThreadPoolExecutor, ids: dict[str, list[str]]) -> list[Grade]:
    """One sandboxed pytest session for all of a submission's exercises (a process start costs as much as
    running an exercise's tests). Only when that session did not end normally (killed, crashed, stopped at
    the bound) is each of its exercises run again alone, in a sandbox of its own, so one exercise's crash
    costs the others nothing."""
    grades = {e.name: not_gradable(e, tree, expected[e.name], machinery, problems.get(e.name, []))
              for e in exercises}
    todo = [e for e in exercises if grades[e.name] is None]
    if todo:
        run = run_pytest([machinery / e.test_file for e in todo], tree, [tree / e.name for e in todo], machinery,
                         pycache, timeout, sandboxed, ids)
        if run.code in (0, 1) and run.results is not None and not run.lingered:
            grades.update({e.name: verdict(e, expected[e.name], run, timeout, alone=len(todo) == 1) for e in todo})
        else:
            def alone(e):
                again = run_pytest([machinery / e.test_file], tree, [tree / e.name], machinery, pycache, timeout,
                                   sandboxed, ids)
                return verdict(e, expected[e.name], again, timeout, alone=True)
            grades.update(zip([e.name for e in todo], pool.map(alone, todo)))
    return [grades[e.name] for e in exercises]


def run_exercise(exercise: manifest.Exercise, tree: Path, expected: int, machinery: Path, pycache: Path,
                 timeout: float, problems: list[str], sandboxed: bool, ids: dict[str, list[str]]) -> Grade:
    """One exercise alone, in a sandbox of its own."""
    early = not_gradable(exercise, tree, expected, machinery, problems)
    if early is not None:
        return early
    run = run_pytest([machinery / exercise.test_file], tree, [tree / exercise.name], machinery, pycache, timeout,
                     sandboxed, ids)
    return verdict(exercise, expected, run, timeout, alone=True)


def wait(proc: subprocess.Popen, results, timeout: float) -> tuple[int | None, bool]:
    """(exit status or None if it had to be stopped, whether it lingered after writing its results).

    Bounded by `timeout`; once the results exist (`results.exists()`) the process gets EXIT_GRACE seconds
    to exit, so a thread that never ends costs seconds, not the whole bound."""
    deadline = time.monotonic() + timeout
    written_at = None
    while True:
        try:
            return proc.wait(timeout=0.05), False
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if written_at is None and results.exists():
            written_at = now
        if now >= deadline:
            return None, False
        if written_at is not None and now - written_at > EXIT_GRACE:
            return None, True


def _kill_group(proc: subprocess.Popen):
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        elif proc.poll() is None:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


# -- tamper evidence for the grader itself ------------------------------------------------------------

def _tree_digests(label: str, base: Path, by_content: bool = True) -> dict[str, str]:
    """{label:path: fingerprint} of every file under `base`: its content's hash, or (by_content=False, for
    the thousands of files of site-packages) its size, inode, mtime and ctime, which no write and no
    os.utime leaves unchanged (ctime cannot be set back)."""
    def one(p: str) -> str:
        info = os.lstat(p)
        if stat.S_ISLNK(info.st_mode):
            return f"link:{os.readlink(p)}"
        if not stat.S_ISREG(info.st_mode):
            return "other"
        if not by_content:
            return f"{info.st_size}:{info.st_ino}:{info.st_mtime_ns}:{info.st_ctime_ns}"
        return checksums.digest(Path(p).read_bytes())

    paths = [str(base)] if base.is_file() else [os.path.join(d, n) for d, _, names in os.walk(base) for n in names]
    found = {}
    for p in sorted(paths):
        try:
            found[f"{label}:{p}"] = one(p)
        except OSError:
            found[f"{label}:{p}"] = "unreadable"
    return found


def grader_fingerprint(machinery: Path, pycache: Path | None = None) -> dict[str, str]:
    """Hashes of what decides a verdict: the machinery snapshot, the grader's bytecode prefix, everything in
    the venv's site-packages (pytest, pluggy, pytest-timeout, their bytecode, every .pth file), and this
    checkout's machinery with any bytecode beside it. Compared before and after grading: a change means
    something escaped or bypassed the sandbox, and no report is written."""
    result = {f"kata:{k}": v for k, v in checksums.machinery(machinery).items()}
    result.update(_tree_digests("installed", Path(sandbox.site_packages()), by_content=False))
    if pycache is not None:
        result.update(_tree_digests("bytecode", pycache))
    for part in ("kata", "tests", "conftest.py", "pytest.ini"):
        result.update(_tree_digests("checkout", ROOT / part))
    return result


# -- reports ------------------------------------------------------------------------------------------

def report_of(grades: list[Grade], machinery: list[str], problem: str = "") -> dict:
    report = {"complete": sum(g.complete for g in grades), "total": len(grades),
              "exercises": [asdict(g) for g in grades], "machinery_differs": [clean(m) for m in machinery]}
    if problem:
        report["problem"] = clean(problem)
    return report


def cell(text: str, width: int = 160) -> str:
    text = " ".join(clean(text).split()).replace("|", "\\|")
    return text if len(text) <= width else text[:width - 3] + "..."


def markdown(name: str, report: dict) -> str:
    lines = [f"## {cell(name)}: {report['complete']}/{report['total']} complete", ""]
    if report.get("problem"):
        lines += [f"Not graded: {cell(report['problem'], 400)}", ""]
    lines += ["| exercise | state | tests passed | message |", "| --- | --- | --- | --- |"]
    for e in report["exercises"]:
        lines.append(f"| {e['name']} | {'✅ complete' if e['complete'] else '❌ incomplete'} | "
                     f"{e['passed']}/{e['total']} | {cell(e['message'])} |")
    lines.append("")
    if report["machinery_differs"]:
        files = [cell(f) for f in report["machinery_differs"]]
        lines.append(f"Note: the submission's test machinery differs from what was shipped ({len(files)} file(s): "
                     f"{', '.join(files[:8])}{', ...' if len(files) > 8 else ''}); {MACHINERY_NOTE}.")
    else:
        lines.append("The submission's test machinery matches what was shipped (it was not used either way).")
    return "\n".join(lines) + "\n"


def summary(reports: dict[str, dict]) -> str:
    lines = ["## Class summary", "", "| submission | complete | machinery differs |", "| --- | --- | --- |"]
    for name, r in reports.items():
        lines.append(f"| {cell(name)} | {r['complete']}/{r['total']} | "
                     f"{len(r['machinery_differs']) or 'no'}{' file(s)' if r['machinery_differs'] else ''} |")
    done = sum(r["complete"] == r["total"] for r in reports.values())
    lines += ["", f"{done} of {len(reports)} submission(s) complete."]
    return "\n".join(lines) + "\n"


def gradebook(reports: dict[str, dict]) -> list[list]:
    """The rows of a gradebook CSV, as course platforms import it: a header, then one row per learner: name,
    complete, total, then 1 or 0 for each exercise (in the kata's order)."""
    names = list(dict.fromkeys(e["name"] for r in reports.values() for e in r["exercises"]))
    rows = [["name", "complete", "total", *names]]
    for learner, report in reports.items():
        done = {e["name"]: int(bool(e["complete"])) for e in report["exercises"]}
        name = " ".join(clean(learner).split())  # one line, as the Markdown tables show it
        if name[:1] in ("=", "+", "-", "@"):  # a spreadsheet would run it as a formula
            name = "'" + name
        rows.append([name, report["complete"], report["total"], *(done.get(n, 0) for n in names)])
    return rows


def csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def write_report(path: Path, text: str):
    """Atomically: a temporary file in the same folder, then renamed over `path`. A rename replaces a
    symbolic link planted at `path` instead of writing through it, and a reader never sees half a report."""
    folder = path.parent
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# -- the command --------------------------------------------------------------------------------------

def grade_all(clones: dict[str, Path], exercises: list[manifest.Exercise], jobs: int, timeout: float,
              sandboxed: bool = True) -> tuple[dict[str, dict], list[str]]:
    """({name: report}, [files that decide verdicts and changed while grading ran])."""
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as tmp:
        tmp = Path(tmp)
        machinery = snapshot_machinery(tmp / "machinery")
        pycache = tmp / "pycache"
        pycache.mkdir()
        ids: dict[str, list[str]] = {}
        expected = expected_tests(machinery, exercises, pycache, timeout, ids)
        before = grader_fingerprint(machinery, pycache)
        trees, dropped, differs, broken = {}, {}, {}, {}
        for i, (name, clone) in enumerate(clones.items()):
            try:
                differs[name] = differing_machinery(clone)
            except (OSError, ValueError, RuntimeError) as e:
                differs[name] = [f"(could not be compared: {e})"]
            try:
                trees[name], dropped[name] = copy_exercises(clone, tmp / f"submission-{i}")
            except Unusable as e:
                broken[name] = f"{e}."
            except (OSError, ValueError, RuntimeError) as e:
                broken[name] = f"The submission's exercises/ could not be copied: {e}"
        graded = [name for name in clones if name not in broken]
        # Submissions in parallel; a submission's fallback runs (exercise by exercise) use a second pool, so
        # they never wait for a free thread held by their own submission.
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool, \
                ThreadPoolExecutor(max_workers=max(1, jobs)) as alone:
            def one(name):
                try:
                    return grade_submission(exercises, trees[name], expected, machinery, pycache, timeout,
                                            dropped[name], sandboxed, alone, ids)
                except (OSError, ValueError, RuntimeError, subprocess.SubprocessError) as error:
                    return [Grade(e.name, False, 0, expected[e.name], clean(f"Could not be graded: {error}"))
                            for e in exercises]
            results = dict(zip(graded, pool.map(one, graded)))
        after = grader_fingerprint(machinery, pycache)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    for name in broken:
        results[name] = [Grade(e.name, False, 0, expected[e.name], broken[name]) for e in exercises]
    return {name: report_of(results[name], differs[name], broken.get(name, "")) for name in clones}, changed


def hardened() -> bool:
    """Whether this interpreter was started the way launch.py needs (see there)."""
    return bool(sys.flags.isolated and sys.flags.no_site and sys.dont_write_bytecode)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("submission", help="a learner's clone, or a folder of clones")
    parser.add_argument("--report", metavar="FILE", help="write the report as JSON to FILE")
    parser.add_argument("--csv", metavar="FILE", help="also write a gradebook to FILE: one row per learner (name, "
                        "complete, total, then 1/0 per exercise)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="exercises graded at once "
                        "(default: the number of CPUs)")
    parser.add_argument("--only", metavar="EXERCISES", help="grade only these, e.g. 01,02,11 (for testing)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"wall-clock bound per exercise in seconds (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the bubblewrap sandbox "
                        "(where it cannot run): learner code then runs unprotected, as your user; the report says so")
    args = parser.parse_args(argv)
    if not hardened():  # `python -m kata grade`: start again the way launch.py describes
        return subprocess.call([sys.executable, "-I", "-S", "-B", str(LAUNCH), *argv])

    clones = submissions_in(Path(args.submission))
    if not clones:
        print(f"{args.submission}: neither a clone of the kata (no exercises/ folder) nor a folder of clones.",
              file=sys.stderr)
        return 2
    exercises = manifest.load()
    if args.only:
        try:
            exercises = [manifest.find(k, exercises) for k in args.only.split(",") if k.strip()]
        except LookupError as e:
            print(e, file=sys.stderr)
            return 2
    if args.no_sandbox:
        print(sandbox.UNPROTECTED + "\n", file=sys.stderr)
    else:
        problem = sandbox.problem()
        if problem:
            print(sandbox.HOW_TO_GET.format(problem=problem), file=sys.stderr)
            return 2
    started = time.monotonic()
    pristine = checksums.changed_machinery(ROOT)
    if pristine:
        print(f"Note: this checkout's own test machinery differs from kata/checksums.json ({', '.join(pristine[:5])}"
              f"{', ...' if len(pristine) > 5 else ''}); grading uses it as it is.\n", file=sys.stderr)
    try:
        reports, changed = grade_all(clones, exercises, args.jobs, args.timeout, not args.no_sandbox)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"Grading failed: {e}", file=sys.stderr)
        return 2
    if changed:
        print(f"GRADING CANNOT BE TRUSTED: files that decide the verdicts changed while grading ran "
              f"({', '.join(changed[:8])}{', ...' if len(changed) > 8 else ''}). No report was written. Restore the "
              f"kata's environment (`make clean`, then a fresh checkout) and grade again, in the sandbox "
              f"(see docs/INSTRUCTORS.md).", file=sys.stderr)
        return 2

    single = len(clones) == 1 and os.path.lexists(Path(args.submission) / "exercises")
    for name, report in reports.items():
        print(markdown(name, report))
    if not single:
        print(summary(reports))
    if args.no_sandbox:
        print(sandbox.UNPROTECTED + "\n")
    document = next(iter(reports.values())) if single else {"submissions": reports}
    if args.no_sandbox:
        document = {**document, "unprotected": sandbox.UNPROTECTED}
    if args.report:
        try:
            write_report(Path(args.report), json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        except OSError as e:
            print(f"The report could not be written to {args.report}: {e}", file=sys.stderr)
            return 2
    if args.csv:
        try:
            write_report(Path(args.csv), csv_text(gradebook(reports)))
        except OSError as e:
            print(f"The gradebook could not be written to {args.csv}: {e}", file=sys.stderr)
            return 2
    print(f"Graded {len(clones)} submission(s) x {len(exercises)} exercise(s) in "
          f"{time.monotonic() - started:.1f}s" + (f"; report: {args.report}" if args.report else "") + ".")
    return 0 if all(r["complete"] == r["total"] for r in reports.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
