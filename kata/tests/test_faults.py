"""Fault injection: a learner's worst mistakes never break the kata.

Each case copies real, solved exercises (their solutions/ folder and their real tests/test_*.py) into a
small throwaway kata, breaks ONE exercise in one way, runs the learner's run on it in a subprocess with a
wall-clock bound (bytecode writing on, as on a learner's machine), and checks that
  (1) the run ends in bounded time,
  (2) only the broken exercise fails: every other exercise keeps its verdict,
  (3) the messages name the broken exercise and file and say what to do, with no traceback through the
      harness, and the printed report shows them,
  (4) nothing in the kata changed apart from the injected fault (no stray file, no __pycache__),
  (5) the exit code is non-zero.
Faults that cannot disturb each other share a run (each in its own exercise, with healthy copies before and
after them); the faults that end or hang a whole process get small runs of their own; the runs go in
parallel. A fault that breaks nothing (a learner's own conftest.py, an os.chdir) must leave its exercise
complete.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from kata import ROOT
from kata.maintainer import checksums
from kata.maintainer import fixture_kata as fk

TIMEOUT = 2  # the per-test time limit in these runs (the kata's own is 5 s)
WALL = 45  # no run may take longer than this, whatever the fault

pytestmark = pytest.mark.timeout(WALL + 15)  # the runs are bounded by WALL; the kata's 5 s is for exercises


# -- building a kata from real exercises ------------------------------------------------------------
def solved(name: str) -> dict[str, bytes]:
    folder = ROOT / "solutions" / name
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def real_tests(name: str) -> str:
    return (ROOT / "tests" / f"test_{name}.py").read_text(encoding="utf-8")


Change = Callable[[Path], None]  # injects a fault, given the exercise's folder


def append(relative: str, text: str | bytes) -> Change:
    def change(folder: Path):
        path = folder / relative
        old = path.read_bytes()
        new = text.encode() if isinstance(text, str) else text
        path.write_bytes(old + (b"" if old.endswith(b"\n") else b"\n") + new)
    return change


def write(files: dict[str, str | bytes]) -> Change:
    def change(folder: Path):
        for relative, content in files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode() if isinstance(content, str) else content)
    return change


def both(*changes: Change) -> Change:
    def change(folder: Path):
        for c in changes:
            c(folder)
    return change


def delete(relative: str = "") -> Change:
    def change(folder: Path):
        path = folder / relative
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return change


def rename(new_name: str) -> Change:
    return lambda folder: folder.rename(folder.parent / new_name)


@dataclass
class Fault:
    base: str  # the solved exercise this one is a copy of
    change: Change
    expect: tuple[str, ...] = ()  # phrases its messages must contain ({ex}: its folder); () = stays complete


@dataclass
class Kata:
    faults: dict[str, Fault]
    healthy: dict[str, str] = field(default_factory=dict)  # name -> the solved exercise it copies
    extra: dict[str, tuple[dict, str]] = field(default_factory=dict)  # name -> (files, test source)
    entry: str = "pytest"  # the learner's command: `python -m pytest`, or `python -m kata test`
    args: tuple[str, ...] = ()  # more options for it
    timeout: float = TIMEOUT
    output: tuple[str, ...] = ()  # phrases the printed output must contain ({ex}: the first fault's folder)
    verdicts: bool = True  # False: the run is stopped outright, so there are no results to compare

    def build(self, root: Path) -> Path:
        exercises, tests = {}, {}
        for name, base in {**self.healthy, **{n: f.base for n, f in self.faults.items()}}.items():
            exercises[name], tests[name] = solved(base), real_tests(base)
        for name, (files, source) in self.extra.items():
            exercises[name], tests[name] = files, source
        fk.make(root, exercises, tests)
        if self.entry == "kata":  # `python -m kata test` runs the kata its package is in: copy it here
            shutil.copytree(ROOT / "kata", root / "kata", ignore=shutil.ignore_patterns("tests", "__pycache__"))
            (root / "kata" / "checksums.json").write_text(json.dumps(checksums.compute(root)), encoding="utf-8")
        for name, fault in self.faults.items():
            fault.change(root / "exercises" / name)
        return root

    def run(self, root: Path) -> fk.Run:
        """The learner's run, bounded by WALL seconds."""
        if self.entry == "pytest":
            try:
                return fk.run(root, "-o", f"timeout={self.timeout}", *self.args, timeout=WALL)
            except subprocess.TimeoutExpired:
                return fk.Run(-1, f"the run did not end within {WALL} s", {}, WALL)
        out = root.parent / f"{root.name}-results.json"
        env = fk.learner_env()
        del env["PYTHONPATH"]  # the kata package is the copy in root
        started = time.monotonic()
        try:
            done = subprocess.run([sys.executable, "-m", "kata", "test", "-p", "no:cacheprovider", "-o",
                                   f"timeout={self.timeout}", f"--kata-json={out}", *self.args], cwd=root, env=env,
                                  capture_output=True, text=True, timeout=WALL)
        except subprocess.TimeoutExpired:
            return fk.Run(-1, f"the run did not end within {WALL} s", {}, WALL)
        results = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
        return fk.Run(done.returncode, done.stdout + done.stderr, results, time.monotonic() - started)


# -- the faults -------------------------------------------------------------------------------------
M = "mymodule.py"  # 01_first_module's module: every test of 01 loads it with ex.load, one calls greet()
FIRST, IMPORT, PACKAGE = "01_first_module", "02_import_module", "11_first_package"
AROUND = {FIRST: FIRST, IMPORT: IMPORT, PACKAGE: PACKAGE, "90_first_module": FIRST, "91_import_module": IMPORT,
          "92_first_package": PACKAGE}
LOOP = ("{ex}/mymodule.py, line", f"did not finish within {TIMEOUT} s")

# What must be true again after every other exercise, whatever 33_meddles did: the last exercise checks it.
LEAK_CHECK = ({"README.md": "Checks that nothing leaked out of the other exercises.\n"}, '''
    import builtins, json, os, signal, sys

    SIGINT_AT_START = signal.getsignal(signal.SIGINT)  # collection runs no learner code; a run in the
    # background starts with Ctrl+C ignored, so "as it was" is the check, not default_int_handler

    def test_nothing_leaked(ex):
        assert sum([1, 2]) == 3 and callable(open) and not hasattr(builtins, "helper")
        assert "/nonexistent" not in sys.path and sys.modules["json"] is json
        assert "mymodule_twin" not in sys.modules and "MEDDLED" not in os.environ
        assert type(sys.exit).__name__ == "builtin_function_or_method"
        assert sys.dont_write_bytecode and sys.pycache_prefix
        assert 1000 <= sys.getrecursionlimit() < 100000
        assert type(os.getcwd).__name__ == "builtin_function_or_method" and callable(os.chdir)
        assert signal.getsignal(signal.SIGINT) is SIGINT_AT_START, "Ctrl+C must still stop the run"
        assert os.getcwd() == str(ex.tmp_path), "learner code runs from the test's temporary folder"
''')

RUNS = {
    # Mistakes that stay inside their own exercise. Healthy copies run before and after them.
    "shared": Kata(healthy=AROUND, extra={"99_leak_check": LEAK_CHECK}, output=(
        "Current exercise: 21", "{ex}/mymodule.py, line", "Fix the syntax"), faults={
        "21_syntax_error": Fault(FIRST, append(M, "def shout(text)\n    return text.upper()\n"),
                                 ("{ex}/mymodule.py, line", "expected ':'", "Fix the syntax", "[K604]")),
        "22_bad_utf8": Fault(FIRST, append(M, b'WELCOME = "Bienvenue au caf\xe9"\n'),
                             ("{ex}/mymodule.py, line 7", "not UTF-8", "Save the file as UTF-8", "[K601]")),
        "24_bad_utf8_checked": Fault(IMPORT, append("main.py", b"# na\xefve\n"),
                                     ("{ex}/main.py, line 6", "not UTF-8 text", "Save the file as UTF-8", "[K601]")),
        "25_recursion": Fault(FIRST, append(M, "def countdown(n):\n    return countdown(n - 1)\n\n\ncountdown(3)\n"),
                              ("{ex}/mymodule.py, line 8", "RecursionError", "no case that stops", "[K706]")),
        "26_exception": Fault(FIRST, append(M, "SETTINGS = {}\nTIMEOUT = SETTINGS['timeout']\n"),
                              ("{ex}/mymodule.py, line 8", "KeyError", "fix the line above", "[K707]")),
        "27_loop_at_import": Fault(FIRST, append(M, "while True:\n    pass\n"), LOOP + ("loop",)),
        "28_loop_in_function": Fault(FIRST, append(M, "def greet(name):\n    while True:\n        pass\n"),
                                     LOOP + ("loop that never ends",)),
        "29_input": Fault(FIRST, append(M, "name = input('Your name? ')\n"),
                          ("{ex}/mymodule.py, line 7", "called input()", "move it into a function", "[K701]")),
        "30_sys_exit": Fault(FIRST, append(M, "import sys\nsys.exit('Goodbye!')\n"),
                             ("{ex}/mymodule.py, line 8", "ended the program", "__main__", "[K703]")),
        "31_raise_systemexit": Fault(FIRST, append(M, "raise SystemExit\n"),
                                     ("{ex}/mymodule.py, line 7", "ended the program", "move that code")),
        "32_chdir": Fault(FIRST, append(M, "import os\nos.chdir('/')\n")),
        "33_writes_files": Fault(FIRST, append(M, (
            "import os\nwith open('notes.txt', 'w') as f:\n    f.write('hello')\n"
            "os.makedirs('output/logs', exist_ok=True)\n"))),
        "34_meddles": Fault(FIRST, append(M, (
            "import builtins, os, sys\n"
            "sys.path.insert(0, '/nonexistent')\nsys.path.append(os.path.dirname(os.path.abspath(__file__)))\n"
            "sys.modules['json'] = None\nsys.modules['mymodule_twin'] = sys.modules[__name__]\n"
            "builtins.sum = lambda *args: 0\nbuiltins.open = None\nbuiltins.helper = 'leaked'\n"
            "sys.exit = lambda *args: None\nsys.dont_write_bytecode = False\nsys.pycache_prefix = None\n"
            "os.getcwd = lambda: '/'\nos.environ['MEDDLED'] = '1'\nsys.setrecursionlimit(100000)\n"
            "import signal\nsignal.signal(signal.SIGINT, lambda *args: print('no'))\nos.chdir = None\n"))),
        "35_shadows_stdlib": Fault(FIRST, both(
            write({"random.py": "def pick(items):\n    return items[0]\n",
                   "json.py": "raise RuntimeError('this is my own json.py')\n"}),
            append(M, "import random\nSTYLE = random.choice(['plain', 'fancy'])\n")),
            ("{ex}/mymodule.py, line 8", "{ex}/random.py has the same name as the standard library",
             "Rename it", "[K301]")),
        "36_folder_deleted": Fault(FIRST, delete(), ("{ex}/ is missing", "make reset EX=36_folder_deleted")),
        "37_folder_renamed": Fault(FIRST, rename("37_folder_renamed_old"),
                                   ("{ex}/ is missing", "{ex}_old/: if that is it, rename it back")),
        "38_init_deleted": Fault(PACKAGE, delete("mypackage/__init__.py"),
                                 ("{ex}/mypackage/ has no __init__.py", "needs the file {ex}/mypackage/__init__.py",
                                  "[K406]")),
        "39_extra_package": Fault(PACKAGE, write({
            "helpers/__init__.py": "raise RuntimeError('an extra package, never imported by the tests')\n",
            "../mypackage/__init__.py": "raise RuntimeError('a package outside every exercise')\n",
            "../mymodule.py": "raise RuntimeError('a module outside every exercise')\n"})),
        # A learner's own tests and conftest files change nothing: 40's greet is wrong, and stays wrong.
        "40_learner_tests": Fault(FIRST, both(
            append(M, "def greet(name):\n    return 'Hi ' + name\n"),
            write({"test_mine.py": "def test_mine():\n    assert False\n",
                   "conftest.py": "raise RuntimeError('the learner conftest.py was loaded')\n",
                   "../conftest.py": (
                       "import pytest\n\n@pytest.hookimpl(wrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
                       "    rep = yield\n    rep.outcome = 'passed'\n    return rep\n"),
                   "../test_everything.py": "def test_all():\n    assert False\n"})),
            ("greet('Ada')", "'Hi Ada'")),
    }),
    # More endless loops, in a run of their own so that their time limits pass in parallel with the above;
    # with every failure in full (`make test EX=NN` shows them so): 22's gigabytes of output are cut short.
    "loops": Kata(healthy={FIRST: FIRST, "90_first_module": FIRST}, args=("--kata-report=full",), output=(
        "{ex}/mymodule.py, line", "did not finish within", "more characters not shown"), faults={
        "21_input_retry": Fault(FIRST, append(M, (
            "while True:\n    try:\n        age = int(input('Age? '))\n        break\n"
            "    except:\n        print('Please type a number.')\n")),
            ("{ex}/mymodule.py, line", "did not finish", "called input()", "`try`/`except`")),
        "22_print_flood": Fault(FIRST, append(M, "while True:\n    print('spam ' * 20)\n"), LOOP),
        "23_loop_in_script": Fault(IMPORT, append("main.py", "while True:\n    pass\n"),
                                   ("`python {ex}/main.py` did not finish within", "endless loop",
                                    "{ex}/main.py, line")),  # 6 or 7: where it stops differs by version
        # catches the time limit itself, in a loop: only a time limit that strikes again can end it
        "24_swallows_timeout": Fault(FIRST, append(M, (
            "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n"
            "        pass\n")), LOOP),
    }),
    # os._exit() from learner code, at import, in a called function and at exit, through `python -m kata test`:
    # os._exit(0) would end the run at once with exit status 0, as if every exercise passed.
    "exits": Kata(entry="kata", healthy={FIRST: FIRST, "90_first_module": FIRST},
                  output=("Current exercise: 21", "{ex}/mymodule.py, line 8", "os._exit"), faults={
        "21_os_exit_at_import": Fault(FIRST, append(M, "import os\nos._exit(0)\n"),
                                      ("{ex}/mymodule.py, line 8: `os._exit(0)`", "stops Python on the spot")),
        "22_os_exit_in_function": Fault(FIRST, append(M, "import os\n\ndef greet(name):\n    os._exit(0)\n"),
                                        ("{ex}/mymodule.py, line 10", "os._exit", "Remove it")),
        "23_os_exit_in_thread": Fault(FIRST, append(M, (
            "import os, threading\n\ndef leave():\n    os._exit(0)\n\n\n"
            "threading.Thread(target=leave).start()\n")), ("{ex}/mymodule.py, line 10", "os._exit(0) in the thread")),
        "24_exit_at_exit": Fault(FIRST, append(M, "import atexit, os\natexit.register(os._exit, 0)\n")),
    }),
    # Threads that never end (asleep, or busy): Python would wait for them for ever after the report.
    "threads": Kata(healthy={FIRST: FIRST, "90_first_module": FIRST}, output=("Current exercise: 21", "thread"),
                    faults={
        "21_thread_waits": Fault(FIRST, append(M, (
            "import threading\n\ndef wait_forever():\n    threading.Event().wait()\n\n\n"
            "threading.Thread(target=wait_forever).start()\n")),
            ("{ex}/mymodule.py, line 10", "thread", "still running", "never end")),
        "22_thread_spins": Fault(FIRST, append(M, (
            "import threading\n\ndef spin():\n    while True:\n        pass\n\n\n"
            "threading.Thread(target=spin).start()\n")), ("{ex}/mymodule.py, line 1", "thread", "never end")),
    }),
    # A loop in C that never returns to Python: no signal handler can run, so the hard stop ends the process.
    "hard": Kata(healthy={FIRST: FIRST}, timeout=1, verdicts=False, output=("Timeout", "{ex}/mymodule.py"), faults={
        "21_c_loop": Fault(FIRST, append(M, "import itertools\nTOTAL = sum(itertools.count())\n")),
    }),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every run, in parallel: {name: (kata, root, files before the run, Run)}."""
    built = {name: kata.build(tmp_path_factory.mktemp(name) / "kata") for name, kata in RUNS.items()}
    before = {name: fk.files_of(root) for name, root in built.items()}
    with ThreadPoolExecutor(len(RUNS)) as pool:
        futures = {name: pool.submit(RUNS[name].run, root) for name, root in built.items()}
    return {name: (RUNS[name], built[name], before[name], futures[name].result()) for name in RUNS}


CASES = [(run, name) for run, kata in RUNS.items() if kata.verdicts for name in kata.faults]


@pytest.mark.parametrize("run_name", list(RUNS))
def test_the_run_ends_in_bounded_time_with_a_failing_exit_code(runs, run_name):
    kata, root, before, run = runs[run_name]
    assert run.returncode != -1, f"{run_name}: {run.output}"
    # 1, tests failed (after a hard stop: faulthandler's exit status, or a crash while it printed)
    assert run.returncode == 1 or (not kata.verdicts and run.returncode != 0), \
        f"{run_name}: exit code {run.returncode}:\n{run.output[-3000:]}"
    assert len(run.output) < 100_000, f"{run_name}: {len(run.output)} characters of output"


@pytest.mark.parametrize("run_name", list(RUNS))
def test_the_output_names_the_first_faulted_exercise(runs, run_name):
    kata, root, before, run = runs[run_name]
    first = f"exercises/{min(kata.faults)}"
    for phrase in kata.output:
        assert phrase.replace("{ex}", first) in run.output, f"{run_name}: {phrase!r} not in:\n{run.output[-3000:]}"


@pytest.mark.parametrize("run_name", [name for name, kata in RUNS.items() if kata.verdicts])
def test_every_other_exercise_keeps_its_verdict(runs, run_name):
    kata, root, before, run = runs[run_name]
    assert set(run.results) == set(kata.healthy) | set(kata.extra) | set(kata.faults), run.output[-3000:]
    for name in [*kata.healthy, *kata.extra, *(n for n, f in kata.faults.items() if not f.expect)]:
        assert run.complete(name), f"{name} should be complete: {run.results.get(name)}"


@pytest.mark.parametrize("run_name,name", [case for case in CASES if RUNS[case[0]].faults[case[1]].expect])
def test_the_faulted_exercise_fails_with_a_teaching_message(runs, run_name, name):
    kata, root, before, run = runs[run_name]
    assert not run.complete(name), f"{name} should fail: {run.results.get(name)}"
    message = run.message(name)
    for phrase in kata.faults[name].expect:
        phrase = phrase.replace("{ex}", f"exercises/{name}")
        assert phrase in message, f"{name}: {phrase!r} not in:\n{message}"
    for internal in ("Traceback", "kata/harness/learner.py", "kata/harness/isolation.py", "kata/harness/plugin.py", "_pytest", 'File "'):
        assert internal not in message, f"{name}: {internal!r} in:\n{message}"


@pytest.mark.parametrize("run_name", list(RUNS))
def test_the_run_changes_nothing_but_the_fault(runs, run_name):
    kata, root, before, run = runs[run_name]
    after = fk.files_of(root)
    assert sorted(set(after) - set(before)) == [], "new files or folders"
    assert sorted(set(before) - set(after)) == [], "lost files or folders"
    assert [path for path in before if before[path] != after[path]] == [], "changed files"
