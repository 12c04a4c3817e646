"""`python -m kata verify` (`make verify`): prove the kata is consistent, or list what is wrong.

(a) every test passes against solutions/; (b) every exercise's tests fail against its pristine stub;
(c) info.toml, exercises/, solutions/, tests/ and the README's exercise list agree; (d) the harness's
own tests (kata/tests/) pass; (e) `make watch` works (kata/tests/test_watch.py): a save re-runs only its exercise, the others
come from the cache, and where file events never arrive the watch notices and polls;
(f) the answer corpus (answers/): every valid answer passes, every wrong one fails (with the diagnosis it
names), all in one pytest session. The pytest runs go in parallel.

(e) needs watchdog (requirements-watch.txt; `make verify` installs it when it can). Without it, (e) is reported loudly as
NOT RUN and counted as such, never as passed; the exit status then depends on (a)-(d) only, so a fresh
clone that could not install the watcher can still verify.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kata import EXERCISES, ROOT, SOLUTIONS, TESTS, manifest
from kata.maintainer import checksums, corpus
from kata.commands import listing
from kata.harness.report import is_complete

NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def structure(exercises: list[manifest.Exercise]) -> list[str]:
    """Problems with the manifest and the folders (c)."""
    problems = []
    names = [e.name for e in exercises]
    if len(set(names)) != len(names):
        problems.append("info.toml lists an exercise twice: " + ", ".join(n for n in names if names.count(n) > 1))
    for i, e in enumerate(exercises, 1):
        if not NAME.match(e.name):
            problems.append(f"info.toml: {e.name!r} is not a folder name like 07_specific_items")
        elif int(e.number) != i:
            problems.append(f"info.toml: {e.name} is exercise #{i} in the list; number it {i:02d}")
        if not e.title.strip():
            problems.append(f"info.toml: {e.name} has no title")
        if len(e.hints) < 2:
            problems.append(f"info.toml: {e.name} has {len(e.hints)} hints; give at least 2 tiers")
        if not e.files:
            problems.append(f"info.toml: {e.name} lists no files to edit")
        for tree in (EXERCISES, SOLUTIONS):
            readme = tree / e.name / "README.md"
            if not readme.is_file() or not readme.read_text(encoding="utf-8").strip():
                problems.append(f"{readme.relative_to(ROOT)} is missing or empty")
        a, b = EXERCISES / e.name / "README.md", SOLUTIONS / e.name / "README.md"
        if a.is_file() and b.is_file() and a.read_bytes() != b.read_bytes():
            problems.append(f"{b.relative_to(ROOT)} differs from {a.relative_to(ROOT)}; copy it over")
        for f in e.files:
            if not (SOLUTIONS / e.name / f).exists() and not (EXERCISES / e.name / f).exists():
                problems.append(f"info.toml: {e.name} names file {f}, in neither exercises/ nor solutions/")
    folders = {
        "exercises/": {p.name for p in EXERCISES.iterdir() if p.is_dir()} if EXERCISES.is_dir() else set(),
        "solutions/": {p.name for p in SOLUTIONS.iterdir() if p.is_dir()} if SOLUTIONS.is_dir() else set(),
        "tests/": {p.stem[5:] for p in TESTS.glob("test_*.py")},
    }
    for where, found in folders.items():
        for name in sorted(set(names) - found):
            problems.append(f"{name} is in info.toml but has no {where}" + ("test file" if where == "tests/"
                                                                              else " folder"))
        for name in sorted(found - set(names)):
            problems.append(f"{where}{name} is not listed in info.toml")
    for test_file in sorted(TESTS.glob("test_*.py")):
        problems += reaches_past_ex(test_file)
    if checksums.compute() != checksums.stored():
        problems.append("kata/checksums.json is out of date (tests, harness, config or exercise stubs changed): "
                        "run `python -m kata checksums --update` and commit it")
    readme = (ROOT / "README.md").read_text(encoding="utf-8") if (ROOT / "README.md").is_file() else ""
    if listing.markdown(exercises) not in readme:
        problems.append("README.md's exercise list is out of date with info.toml; paste the output of "
                        "`python -m kata list --markdown` between its exercise-list markers")
    return problems


# A test reaches learner code only through the `ex` fixture (kata/harness/learner.py): these would reach the
# learner's interpreter directly, past what `ex` isolates and restores around each test.
NOT_IN_TESTS = {"importlib", "types", "warnings", "builtins", "inspect", "gc", "ctypes", "subprocess", "os",
                "threading", "signal", "kata.harness"}
SYS_IN_TESTS = {"version_info", "stdlib_module_names", "builtin_module_names", "platform", "implementation"}
FIXTURES_NOT_IN_TESTS = {"capsys", "capfd", "capsysbinary", "capfdbinary", "monkeypatch"}


def reaches_past_ex(path: Path) -> list[str]:
    """Where a test file reaches the learner's interpreter other than through `ex` (check (c))."""
    import ast

    shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    found = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        for name in names:
            if any(name == n or name.startswith(n + ".") for n in NOT_IN_TESTS):
                found.append(f"{shown}, line {node.lineno}: imports {name}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sys" \
                and node.attr not in SYS_IN_TESTS:
            found.append(f"{shown}, line {node.lineno}: uses sys.{node.attr}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found += [f"{shown}, line {node.lineno}: {node.name}() asks for the fixture {a.arg}"
                      for a in node.args.args if a.arg in FIXTURES_NOT_IN_TESTS]
    return [f"{f} (tests reach learner code only through `ex`: see CONTRIBUTING.md)" for f in found]


def start_pytest(args: list[str], log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(ROOT), "-c",
           str(ROOT / "pytest.ini"), *args]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)


MIN_VALID, MIN_WRONG = 3, 2  # answers per exercise in the corpus
KATA_TESTS = ROOT / "kata" / "tests"
# name -> test files of kata/tests run in that session ([]: all the others)
HARNESS_GROUPS = {"harness": [], "harness (attacks)": ["test_attacks.py", "test_forgeries.py"],
                  "harness (grading)": ["test_grade.py"],
                  "harness (faults)": ["test_faults.py"]}
WATCH_TEST = ROOT / "kata" / "tests" / "test_watch.py"


def main(argv: list[str]) -> int:
    started = time.monotonic()
    watch_available = importlib.util.find_spec("watchdog") is not None
    exercises = manifest.load()
    problems = structure(exercises)
    try:
        answers = corpus.load()
    except corpus.CorpusError as e:
        problems.append(f"(c) the answer corpus cannot be read: {e}")
        answers = {}
    problems += [f"(c) answers/{name}.toml: there is no exercise {name} in info.toml"
                 for name in sorted(set(answers) - {e.name for e in exercises})]
    # Every exercise is judged against the space of answers, not the reference alone (CONTRIBUTING.md).
    tally = corpus.counts(answers)
    problems += [f"(c) answers/{e.name}.toml: {valid} valid and {wrong} wrong answer(s); every exercise needs at "
                 f"least {MIN_VALID} valid and {MIN_WRONG} wrong ones" for e in exercises
                 for valid, wrong in [tally.get(e.name, (0, 0))] if valid < MIN_VALID or wrong < MIN_WRONG]
    failed_checks = {"(c) metadata and folders"} if problems else set()
    with tempfile.TemporaryDirectory(prefix="kata-verify-") as tmp:
        tmp = Path(tmp)
        runs = {
            "solutions": start_pytest(["--solutions", "--kata-report=full", "-q", f"--kata-json={tmp / 's.json'}",
                                       str(TESTS)], tmp / "solutions.log"),
            "stubs": start_pytest(["--kata-report=full", "-q", "--tb=no", f"--kata-json={tmp / 'x.json'}",
                                   str(TESTS)], tmp / "stubs.log"),
        }
        # The harness's tests mostly wait on the katas and gradings they start: in parallel sessions, not one.
        for group, files in HARNESS_GROUPS.items():
            chosen = [str(KATA_TESTS / f) for f in files] if files else \
                [str(KATA_TESTS), f"--ignore={WATCH_TEST}", *(f"--ignore={KATA_TESTS / f}"
                                                             for fs in HARNESS_GROUPS.values() for f in fs)]
            runs[group] = start_pytest(["-q", "-rs", *chosen], tmp / f"{group}.log")
        if answers:
            runs["answers"] = start_pytest([f"--kata-answers={corpus.ANSWERS}", "--kata-report=full", "-q",
                                            "--tb=no", f"--kata-json={tmp / 'a.json'}", str(TESTS)],
                                           tmp / "answers.log")
        if watch_available:
            runs["watch"] = start_pytest(["-q", str(WATCH_TEST)], tmp / "watch.log")
        codes = {name: proc.wait() for name, proc in runs.items()}
        logs = {name: (tmp / f"{name}.log").read_text(encoding="utf-8", errors="replace") for name in runs}
        solved = _results(tmp / "s.json")
        pristine = _results(tmp / "x.json")
        judged = _results(tmp / "a.json")

    # (a) solutions pass
    not_passing = [e.name for e in exercises if not is_complete(solved.get(e.name))]
    if codes["solutions"] != 0 or not_passing:
        problems.append(f"(a) the tests fail against solutions/ (pytest exit {codes['solutions']}) for: "
                        f"{', '.join(not_passing) or 'see the log'}\n" + _tail(logs["solutions"], 60))
        failed_checks.add("(a) solutions pass")
    # (b) stubs fail
    if codes["stubs"] not in (0, 1):
        problems.append(f"(b) the run against exercises/ broke (pytest exit {codes['stubs']}):\n"
                        + _tail(logs["stubs"], 30))
        failed_checks.add("(b) stubs fail")
    else:
        already = [e.name for e in exercises if is_complete(pristine.get(e.name))]
        untested = [e.name for e in exercises if e.name not in pristine]
        for name in already:
            problems.append(f"(b) {name}: its stub in exercises/ already passes all its tests; the exercise "
                            f"teaches nothing until a test fails on the stub")
        for name in untested:
            problems.append(f"(b) {name}: no test ran against its stub")
        if already or untested:
            failed_checks.add("(b) stubs fail")
    # (d) harness tests
    for group in HARNESS_GROUPS:
        if codes[group] != 0:
            problems.append(f"(d) the {group} tests failed (pytest exit {codes[group]}):\n" + _tail(logs[group], 60))
            failed_checks.add("(d) harness tests")

    # (f) the answer corpus
    if answers:
        wrong = corpus.misjudged(answers, judged)
        if codes["answers"] not in (0, 1) and not judged:
            wrong.insert(0, f"the corpus run broke (pytest exit {codes['answers']}):\n" + _tail(logs["answers"], 30))
        problems += [f"(f) {w}" for w in wrong]
        if wrong:
            failed_checks.add("(f) answer corpus")
    # (e) the watcher
    if watch_available and codes["watch"] != 0:
        problems.append(f"(e) `make watch` does not work (pytest exit {codes['watch']}):\n"
                        + _tail(logs["watch"], 60))
        failed_checks.add("(e) watch")
    not_run = [] if watch_available else [
        "(e) the watch check (kata/tests/test_watch.py) did NOT run: watchdog is not installed in this "
        "environment, so `make watch` was not tested. `make verify` installs it when it can; by hand: "
        "python -m pip install -r requirements-watch.txt"]
    # A skipped test is not a passed one: say loudly what did not run (e.g. the attacks without bubblewrap).
    for group in HARNESS_GROUPS:
        skipped = re.search(r"(\d+) skipped", _last_line(logs[group]))
        if skipped:
            reasons = sorted({line.partition(": ")[2] or line for line in logs[group].splitlines()
                              if line.startswith("SKIPPED")})
            not_run.append(f"{skipped.group(1)} test(s) of the {group} session were SKIPPED: "
                           + ("; ".join(reasons[:3]) or "run `python -m pytest -rs kata/tests` to see why"))

    seconds = time.monotonic() - started
    if problems:
        print(f"make verify found {len(problems)} problem(s):\n")
        for p in problems:
            print(f"- {p}\n")
    else:
        applicable = sum(a.applies() for answers_ in answers.values() for a in answers_)
        print(f"make verify: {len(exercises)} exercises; solutions pass, every stub fails, metadata and folders "
              f"agree, {applicable} answers of the corpus judged right"
              f"{f' ({sum(map(len, answers.values())) - applicable} apply to other Pythons only)' if sum(map(len, answers.values())) > applicable else ''}"
              f", harness tests pass ({'; '.join(_last_line(logs[g]) for g in HARNESS_GROUPS)})"
              + (f", `make watch` works ({_last_line(logs['watch'])})." if watch_available else "."))
    for line in not_run:
        print(f"\n{'!' * 78}\nNOT RUN: {line}\n{'!' * 78}\n")
    ran = 6 - (not watch_available)
    print(f"({seconds:.1f}s)")
    # The last line alone in the form CI readers count: "verify: N passed, N failed".
    print(f"verify: {ran - len(failed_checks)} passed, {len(failed_checks)} failed"
          f"{f', {len(not_run)} NOT RUN' if not_run else ''}")
    return 1 if problems else 0


def _results(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _tail(text: str, n: int) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines()[-n:])


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1].strip() if lines else ""
