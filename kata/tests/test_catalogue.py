"""The diagnosis catalogue is its own test corpus: every entry's erroneous example, made into a small exercise
folder and run the way the entry says (imported in this process through the real `ex` machinery, or run as
a script / with -m in a subprocess), must get exactly that entry's id in the message a learner would read, and
its fix must run clean. So an entry cannot land without an example that proves its detector.

The subprocess replays all start at once, in threads, while the in-process ones run: one session, about a
second of wall time.
"""
from __future__ import annotations

import builtins
import os
import py_compile
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest

from kata import ROOT
from kata.__main__ import COMMANDS
from kata.diagnoses import catalogue, explain
from kata.harness import isolation, learner

ENTRIES = catalogue.entries()
IDS = re.compile(r"\[(K\d{3})\] more: `make explain ID=\1`")
EXERCISE = "00_example"
FAMILY_DIGITS = {"finding": "1", "names": "2", "shadowing": "3", "packages": "4", "starting": "5", "source": "6",
                 "runtime": "7"}


# More cases of some entries: another form of the same mistake, which its detector must recognise too.
MORE = {
    "K201-dotted": ("K201", catalogue.Example(  # 'xport' is not a package: the script is named like it
        files={"xport.py": "import xport.v56\n"}, run="script xport.py",
        fix={"xport.py": None, "report.py": "import json\n"}, fix_run="script report.py")),
    "K303-package": ("K303", catalogue.Example(  # smtplib imports email.utils, and gets the learner's email.py
        files={"email.py": "import smtplib\n"}, run="script email.py",
        fix={"email.py": None, "mailer.py": "import smtplib\n"}, fix_run="script mailer.py")),
    "K102-from": ("K102", catalogue.Example(
        files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {}\n", "shop/cart.py": "from prices import PRICES\n"},
        run="import shop.cart", fix={"shop/cart.py": "from .prices import PRICES\n"})),
    "K701-called": ("K701", catalogue.Example(  # input() inside a function, called from the top level
        files={"main.py": "def ask():\n    return input('Name? ')\n\n\nask()\n"}, run="import main",
        fix={"main.py": "def ask():\n    return input('Name? ')\n\n\nif __name__ == '__main__':\n    ask()\n"})),
    "K211-stdlib": ("K211", catalogue.Example(
        files={"main.py": "print(math.pi)\n"}, run="import main", fix={"main.py": "import math\n\nprint(math.pi)\n"})),
}
CASES = {**{e.id: (e.id, e.example) for e in ENTRIES}, **MORE}


def materialise(base: Path, name: str, example: catalogue.Example, fixed: bool) -> Path:
    """The example as a tree under test: base/<name>-<broken|fixed>/00_example/..."""
    root = base / f"{name}-{'fixed' if fixed else 'broken'}"
    folder = root / EXERCISE
    for relative, source in example.compiled.items():
        target = folder / relative.format(tag=sys.implementation.cache_tag)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = base / "compiled-from" / name / Path(relative).name.split(".")[0]
        scratch = scratch.with_suffix(".py")
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_text(source, encoding="utf-8")
        py_compile.compile(str(scratch), cfile=str(target), dfile=str(target.with_suffix(".py")), doraise=True)
    files = {**example.files, **(example.fix if fixed else {})}
    for relative, content in files.items():
        target = folder / relative
        if content is None:
            target.unlink(missing_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def folder_for(root: Path, tmp: Path) -> learner.ExerciseFolder:
    scratch = tmp / f"{root.name}-scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    return learner.ExerciseFolder(EXERCISE, root, scratch, tmp / "pycache")


def how_run(example: catalogue.Example, fixed: bool) -> str:
    return example.fix_run if fixed and example.fix_run else example.run


def run_subprocess(example: catalogue.Example, root: Path, tmp: Path, fixed: bool) -> str:
    """The message a learner reads for a script or -m example ("" when it ran clean)."""
    ex = folder_for(root, tmp)
    how, _, target = how_run(example, fixed).partition(" ")
    try:
        if how == "script":
            result = ex.run(target, check=False, timeout=example.seconds)
        else:
            result = ex.run_module(target, check=False, timeout=example.seconds, cwd=ex.tmp_path)
        if result.returncode == 0 and "Traceback" in result.stderr:  # a child process died (multiprocessing)
            result.returncode = 1
        ex.expect_success(result, example.seconds)
    except pytest.fail.Exception as e:
        return str(e.msg)
    return ""


def run_in_process(example: catalogue.Example, root: Path, tmp: Path, fixed: bool, monkeypatch) -> str:
    """The message a learner reads for an import (or call) example, through ex.load as a test would."""
    ex = folder_for(root, tmp)
    how, _, target = how_run(example, fixed).partition(" ")
    state = isolation.InterpreterState()
    sys.path.insert(0, str(ex.dir))
    with monkeypatch.context() as patch:
        patch.setattr(builtins, "input", learner._no_input)
        patch.chdir(ex.tmp_path)
        try:
            if how == "import":
                ex.load(target)
            else:  # call MODULE.FUNCTION, as a test calls a learner function
                module_name, _, function = target.rpartition(".")
                module = ex.load(module_name)
                try:
                    value = getattr(module, function)()
                except Exception as e:  # what the kata's pytest hook explains
                    return explain.failure(SimpleNamespace(value=e, tb=e.__traceback__), (root,), root, 1.0) or ""
                if value is None:  # what a test asks when a function returned None
                    return ex.explain_none(Path(module.__file__).relative_to(ex.dir).as_posix(), function)
        except pytest.fail.Exception as e:
            return str(e.msg)
        finally:
            state.restore((root,))
    return ""


def replay(name, example, base, fixed, monkeypatch=None):
    root = materialise(base, name, example, fixed)
    if how_run(example, fixed).split()[0] in ("script", "module"):
        return run_subprocess(example, root, base, fixed)
    return run_in_process(example, root, base, fixed, monkeypatch)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """{(case, fixed): message} for every example and every fix."""
    base = tmp_path_factory.mktemp("catalogue")
    jobs = [(name, fixed) for name in CASES for fixed in (False, True)]
    outside = [(n, f) for n, f in jobs if how_run(CASES[n][1], f).split()[0] in ("script", "module")]
    messages = {}
    # the examples' code is learner code: os._exit() in it must raise LearnerExit, not end this pytest
    roots, real = list(isolation._learner_roots), os._exit
    isolation.guard_learner_code((*roots, base))
    with ThreadPoolExecutor(4) as pool, pytest.MonkeyPatch.context() as monkeypatch:
        futures = {(n, f): pool.submit(replay, n, CASES[n][1], base, f) for n, f in outside}
        for n, f in jobs:
            if (n, f) not in outside:
                messages[(n, f)] = replay(n, CASES[n][1], base, f, monkeypatch)
        messages.update({key: future.result() for key, future in futures.items()})
    isolation._learner_roots[:] = roots
    isolation._learner_files.clear()
    os._exit = real
    return messages


@pytest.mark.parametrize("name", list(CASES))
def test_the_example_gets_exactly_its_diagnosis(replayed, name):
    expected, example = CASES[name]
    message = replayed[(name, False)]
    assert IDS.findall(message) == [expected], (
        f"{name}'s example ({example.run}) should be diagnosed {expected} and only that; the kata said:\n{message}")
    for internal in ("Traceback", "kata/harness", "kata/diagnoses", 'File "'):
        assert internal not in message, f"{name}: {internal!r} in:\n{message}"


@pytest.mark.parametrize("name", list(CASES))
def test_the_fix_runs_clean(replayed, name):
    message = replayed[(name, True)]
    assert message == "", f"{name}'s fixed example should run without any message; the kata said:\n{message}"


def test_every_entry_is_complete_and_ids_are_stable():
    assert len(ENTRIES) >= 40
    for e in ENTRIES:
        assert re.fullmatch(r"K[1-7]\d\d", e.id), e.id
        assert e.title and e.title[0].islower() or e.title[0] in "`N", f"{e.id}: {e.title!r}"
        assert len(e.explanation.split()) >= 25, f"{e.id}: the long explanation is too short"
        assert e.example.files and e.example.run.split()[0] in ("import", "script", "module", "call"), e.id
        assert e.example.fix or e.example.fix_run, f"{e.id}: no fix"
        for url in e.seen_in:
            assert url.startswith("https://"), f"{e.id}: {url}"
        family = e.detect.__module__.rpartition(".")[2]
        assert FAMILY_DIGITS[family] == e.id[1], f"{e.id} is in the family {family}, K{FAMILY_DIGITS[family]}xx"


def test_explain_lists_every_id_and_prints_each_explanation(capsys):
    # catalogue.main itself: kata.__main__.main would first move into the kata's venv (bootstrap)
    assert COMMANDS["explain"][0] == catalogue.__name__
    kata_main = catalogue.main
    assert kata_main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(e.id for e in ENTRIES)
    for e in ENTRIES:
        assert kata_main([e.id.lower()]) == 0
        out = capsys.readouterr().out
        assert out.startswith(f"{e.id}: {e.title}") and "Erroneous example" in out and "Fixed:" in out, out
    assert kata_main(["K999"]) == 2


def test_the_makefile_has_the_explain_target():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^explain:.*\n\t@\$\(PY\) -m kata explain \$\(ID\)", makefile, re.M), "make explain ID=..."
