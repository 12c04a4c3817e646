"""`python -m kata grade SUBMISSION [--report FILE] [--jobs N]` (`make grade`): instructors' trusted grading.

SUBMISSION is a learner's clone, or a folder of clones (each subfolder with an `exercises/` folder). Only the
submission's `exercises/` is used: it is copied into a temporary folder (symbolic links that point outside it
are dropped) and graded with THIS checkout's tests, conftest, harness and pytest.ini. Nothing else from the
submission is run or imported; its tests/, conftest.py and kata/ are only hashed, to say whether they differ
from what was shipped (kata/checksums.json).

Each exercise runs in its own pytest process, in a fresh working folder, with no input and its output thrown
away, in a new process group that is killed at a wall-clock bound. An exercise is complete only when that
process wrote its results, exited 0 within the bound, passed exactly the number of tests a trusted
`pytest --collect-only` of this checkout expects and failed none. A cheap static scan of the exercise's
Python files comes first: code that imports the test machinery (pytest, pluggy, the kata, conftest, ctypes),
names pytest's internals or calls os._exit is not graded as complete. What this does and does not protect
against: docs/INSTRUCTORS.md.

Report (--report FILE): {"complete", "total", "exercises": [{"name", "complete", "passed", "total",
"message"}], "machinery_differs": [paths]}; for a folder of clones {"submissions": {name: report}}.
Exit status: 0 when every exercise is complete, 1 when not, 2 when grading could not be done or trusted.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from kata import ROOT, manifest
from kata.maintainer import checksums

DEFAULT_TIMEOUT = 60.0
EXIT_GRACE = 3.0  # seconds a test process may take to exit once it has written its results
MAX_MESSAGE = 600  # characters of failure text kept per exercise in the report
MAX_RESULTS = 5_000_000  # bytes: a bigger results file is not read
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


def expected_tests(machinery: Path, exercises: list[manifest.Exercise], env: dict[str, str],
                   timeout: float) -> dict[str, int]:
    """Number of tests per exercise, from a `pytest --collect-only` of the machinery's tests/.

    Collection imports the test modules only; they never import learner code (CONTRIBUTING.md), and the
    exercises folder given is an empty one anyway.
    """
    counts = {e.name: 0 for e in exercises}
    with tempfile.TemporaryDirectory(prefix="kata-grade-collect-") as tmp:
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(machinery), "-c",
             str(machinery / "pytest.ini"), f"--exercises={tmp}", "--kata-report=full", "-q", "--collect-only",
             str(machinery / "tests")],
            cwd=tmp, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
            errors="replace", timeout=timeout)
    for line in done.stdout.splitlines():
        path, sep, _ = line.strip().partition("::")
        if sep and path.startswith("tests/test_") and path.endswith(".py"):
            name = path[len("tests/test_"):-len(".py")]
            if name in counts:
                counts[name] += 1
    if done.returncode not in (0, 5) and not any(counts.values()):
        raise RuntimeError(f"collecting this checkout's tests failed (pytest exit {done.returncode}):\n"
                           + "\n".join((done.stdout + done.stderr).splitlines()[-20:]))
    return counts


# -- the submission -----------------------------------------------------------------------------------

def submissions_in(path: Path) -> dict[str, Path] | None:
    """{name: clone}: one clone (path has exercises/) or each subfolder that is one. None if neither."""
    if (path / "exercises").is_dir():
        return {path.resolve().name: path}
    if not path.is_dir():
        return None
    found = {p.name: p for p in sorted(path.iterdir())
             if p.is_dir() and not p.name.startswith(".") and (p / "exercises").is_dir()}
    return found or None


def copy_exercises(clone: Path, into: Path) -> tuple[Path, dict[str, list[str]]]:
    """Copy clone/exercises/ to into/exercises/; return it and {exercise: [problems]} for dropped links.

    Only directories, regular files and symbolic links are copied (a named pipe would block the copy);
    a link whose target is not inside the copy (an absolute path, or ../ out of the exercises folder, e.g.
    into the instructor's own files) is removed, so the grade depends on the submission's files only.
    """
    def ignore(folder, names):
        skipped = set()
        for n in names:
            mode = os.lstat(os.path.join(folder, n)).st_mode
            if n == "__pycache__" or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                skipped.add(n)
        return skipped

    source = clone / "exercises"
    if source.is_symlink():
        raise ValueError(f"{source} is a symbolic link, not the learner's own folder")
    target = into / "exercises"
    shutil.copytree(source, target, symlinks=True, ignore=ignore)
    root = target.resolve()
    dropped: dict[str, list[str]] = {}
    for dirpath, dirnames, filenames in os.walk(target):
        for n in dirnames + filenames:
            link = Path(dirpath) / n
            if link.is_symlink() and not link.resolve().is_relative_to(root):
                relative = link.relative_to(target)
                dropped.setdefault(relative.parts[0], []).append(
                    f"exercises/{relative.as_posix()} is a symbolic link to {os.readlink(link)}, outside the "
                    f"exercises folder; it was left out (the grade uses the submission's own files only)")
                link.unlink()
    return target, dropped


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
    problems = []
    if not folder.is_dir():
        return problems
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        shown = "exercises/" + path.relative_to(tree).as_posix()
        problems += [f"{shown}, line {line}: {what}" for line, what in scan_source(text)]
    return problems


# -- running one exercise -----------------------------------------------------------------------------

def child_env(pycache: Path) -> dict[str, str]:
    """The grader's environment without anything that changes how Python or pytest start. Bytecode is read
    and written only in this grading run's private folder: nothing cached elsewhere is trusted. (Learner
    code itself is always compiled from source: see kata/harness/plugin.py.)"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST_"))}
    env.update(PYTHONPYCACHEPREFIX=str(pycache), PYTHONIOENCODING="utf-8")
    return env


def run_exercise(exercise: manifest.Exercise, tree: Path, expected: int, machinery: Path, env: dict[str, str],
                 timeout: float, problems: list[str]) -> Grade:
    def grade(passed: int, message: str, complete: bool = False) -> Grade:
        return Grade(exercise.name, complete, passed, expected, message)

    test_file = machinery / exercise.test_file
    if expected == 0 or not test_file.is_file():
        return grade(0, f"This checkout has no tests for {exercise.name} ({exercise.test_file}), so it cannot be "
                        f"graded.")
    if problems:
        return grade(0, "Not graded: " + "; ".join(problems[:5]))
    found = scan_exercise(tree / exercise.name, tree)
    if found:
        return grade(0, "Not graded: exercise code must not touch the test machinery (pytest, pluggy, the kata "
                        "harness, conftest, ctypes, os._exit). " + "; ".join(found[:5]))
    with tempfile.TemporaryDirectory(prefix=f"kata-grade-{exercise.number}-") as tmp:
        tmp = Path(tmp)
        (tmp / "cwd").mkdir()
        out = tmp / "results.json"
        cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(machinery), "-c",
               str(machinery / "pytest.ini"), f"--exercises={tree}", "--kata-report=full", f"--kata-json={out}",
               str(test_file)]
        posix = hasattr(os, "killpg")
        proc = subprocess.Popen(cmd, cwd=tmp / "cwd", env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=posix,
                                creationflags=0 if posix else subprocess.CREATE_NEW_PROCESS_GROUP)
        code, lingered = wait(proc, out, timeout)
        _kill_group(proc, posix)  # also whatever the exercise left running in its process group
        if code is None:
            proc.wait()
            if lingered:
                return grade(0, f"The tests finished, but the test process did not exit within {EXIT_GRACE:g} s "
                                f"after them and was stopped: something the exercise's code started (a thread "
                                f"that never ends, which Python waits for before it exits) kept it alive.")
            return grade(0, f"The tests did not finish within {timeout:g} s and were stopped. Look for code that "
                            f"never ends: an endless loop at import, a thread that never stops (the process "
                            f"cannot exit until it does), or input().")
        wrote = out.is_file()
        try:
            if wrote and out.stat().st_size > MAX_RESULTS:
                raise ValueError("too large")
            entry = json.loads(out.read_text(encoding="utf-8")).get(exercise.name) if wrote else None
        except (OSError, ValueError, AttributeError):
            return grade(0, "The test process's results could not be read, so they cannot be trusted.")
    if not wrote:
        return grade(0, f"The exercise's code ended the test process early (exit status {code}, for example with "
                        f"os._exit() or a crash of the interpreter), so its tests never finished.")
    if entry is None:
        return grade(0, f"No test of this exercise ran (pytest exit status {code}).")
    try:
        passed, failed = int(entry["passed"]), int(entry["failed"])
        messages = [str(m) for m in entry.get("messages", [])]
    except (KeyError, TypeError, ValueError):
        return grade(0, "The test process's results are malformed, so they cannot be trusted.")
    if passed > expected or passed < 0 or failed < 0:
        return grade(0, f"The results claim {passed} passed and {failed} failed tests, but this exercise has "
                        f"{expected}: they cannot be trusted.")
    if failed == 0 and passed == expected and code == 0:
        return grade(passed, "", complete=True)
    if failed == 0 and passed == expected:
        return grade(passed, f"Every test passed, but the test process exited with status {code}, so the result "
                             f"is not trusted.")
    first = messages[0].strip() if messages else "(no message)"
    text = f"{passed}/{expected} tests pass. First problem: {first}"
    return grade(passed, text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 3] + "...")


def wait(proc: subprocess.Popen, results: Path, timeout: float) -> tuple[int | None, bool]:
    """(exit status or None if it had to be stopped, whether it lingered after writing its results).

    Bounded by `timeout`; once the results exist the process gets EXIT_GRACE seconds to exit, so a thread
    that never ends costs seconds, not the whole bound."""
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


def _kill_group(proc: subprocess.Popen, posix: bool):
    try:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        elif proc.poll() is None:
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        pass


# -- tamper evidence for the grader itself ------------------------------------------------------------

def grader_fingerprint(machinery: Path) -> dict[str, str]:
    """Hashes of what decides a verdict: the machinery snapshot and the installed pytest, pluggy and
    pytest-timeout sources. Compared before and after grading: learner code runs as your user and could
    rewrite them."""
    import _pytest
    import pluggy
    import pytest_timeout

    result = {f"kata:{k}": v for k, v in checksums.machinery(machinery).items()}
    for base in (Path(_pytest.__file__).parent, Path(pluggy.__file__).parent, Path(pytest_timeout.__file__),
                 Path(sys.modules["pytest"].__file__).parent):
        for p in [base] if base.is_file() else sorted(base.rglob("*.py")):
            result[f"installed:{p}"] = checksums.digest(p.read_bytes())
    return result


# -- reports ------------------------------------------------------------------------------------------

def report_of(grades: list[Grade], machinery: list[str]) -> dict:
    return {"complete": sum(g.complete for g in grades), "total": len(grades),
            "exercises": [asdict(g) for g in grades], "machinery_differs": machinery}


def cell(text: str, width: int = 160) -> str:
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= width else text[:width - 3] + "..."


def markdown(name: str, report: dict) -> str:
    lines = [f"## {name}: {report['complete']}/{report['total']} complete", "",
             "| exercise | state | tests passed | message |", "| --- | --- | --- | --- |"]
    for e in report["exercises"]:
        lines.append(f"| {e['name']} | {'✅ complete' if e['complete'] else '❌ incomplete'} | "
                     f"{e['passed']}/{e['total']} | {cell(e['message'])} |")
    lines.append("")
    if report["machinery_differs"]:
        files = report["machinery_differs"]
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


# -- the command --------------------------------------------------------------------------------------

def grade_all(clones: dict[str, Path], exercises: list[manifest.Exercise], jobs: int,
              timeout: float) -> tuple[dict[str, dict], list[str]]:
    """({name: report}, [files that decide verdicts and changed while grading ran])."""
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as tmp:
        tmp = Path(tmp)
        machinery = snapshot_machinery(tmp / "machinery")
        (tmp / "pycache").mkdir()
        env = child_env(tmp / "pycache")
        before = grader_fingerprint(machinery)
        expected = expected_tests(machinery, exercises, env, timeout)
        trees, dropped, differs, broken = {}, {}, {}, {}
        for i, (name, clone) in enumerate(clones.items()):
            differs[name] = differing_machinery(clone)
            try:
                trees[name], dropped[name] = copy_exercises(clone, tmp / f"submission-{i}")
            except (OSError, ValueError, shutil.Error) as e:
                broken[name] = f"The submission's exercises/ could not be copied: {e}"
        pairs = [(name, e) for name in clones for e in exercises]

        def one(pair):
            name, e = pair
            if name in broken:
                return Grade(e.name, False, 0, expected[e.name], broken[name])
            return run_exercise(e, trees[name], expected[e.name], machinery, env, timeout,
                                dropped[name].get(e.name, []))

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            grades = list(pool.map(one, pairs))
        after = grader_fingerprint(machinery)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    results: dict[str, list[Grade]] = {name: [] for name in clones}
    for (name, _), g in zip(pairs, grades):
        results[name].append(g)
    return {name: report_of(gs, differs[name]) for name, gs in results.items()}, changed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m kata grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("submission", help="a learner's clone, or a folder of clones")
    parser.add_argument("--report", metavar="FILE", help="write the report as JSON to FILE")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="exercises graded at once "
                        "(default: the number of CPUs)")
    parser.add_argument("--only", metavar="EXERCISES", help="grade only these, e.g. 01,02,11 (for testing)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"wall-clock bound per exercise in seconds (default {DEFAULT_TIMEOUT:g})")
    args = parser.parse_args(argv)

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
    started = time.monotonic()
    pristine = checksums.changed_machinery(ROOT)
    if pristine:
        print(f"Note: this checkout's own test machinery differs from kata/checksums.json ({', '.join(pristine[:5])}"
              f"{', ...' if len(pristine) > 5 else ''}); grading uses it as it is.\n", file=sys.stderr)
    try:
        reports, changed = grade_all(clones, exercises, args.jobs, args.timeout)
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print(f"Grading failed: {e}", file=sys.stderr)
        return 2

    single = len(clones) == 1 and (Path(args.submission) / "exercises").is_dir()
    for name, report in reports.items():
        print(markdown(name, report))
    if not single:
        print(summary(reports))
    document = next(iter(reports.values())) if single else {"submissions": reports}
    if args.report:
        Path(args.report).write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Graded {len(clones)} submission(s) x {len(exercises)} exercise(s) in "
          f"{time.monotonic() - started:.1f}s" + (f"; report: {args.report}" if args.report else "") + ".")
    if changed:
        print(f"\nGRADING CANNOT BE TRUSTED: files that decide the verdicts changed while grading ran "
              f"({', '.join(changed[:8])}{', ...' if len(changed) > 8 else ''}). Learner code runs as your user and "
              f"may have rewritten them: restore the kata's environment (e.g. `make clean`) and grade again, in a "
              f"disposable environment (see docs/INSTRUCTORS.md).", file=sys.stderr)
        return 2
    return 0 if all(r["complete"] == r["total"] for r in reports.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
