"""`python -m kata <command>` without make: any Python >= 3.10 hands over to the kata's own venv, made from the
pinned requirements with the Makefile's stamps (kata/bootstrap.py). The decisions are checked on throwaway
folders; one real run, with an interpreter that has no pytest, re-runs itself in this run's venv (shared
through a link: no install, no network)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import ROOT, bootstrap
from kata.bootstrap import BASE, STAMPS, WATCH


def kata(root: Path, watch: bool = True) -> Path:
    root.mkdir()
    (root / BASE).write_text("pytest\n")
    if watch:
        (root / WATCH).write_text("pytest-watch\n")
    return root


def venv(path: Path, *stamped: str) -> Path:
    python = bootstrap.python_of(path)
    python.parent.mkdir(parents=True)
    python.write_text("")
    for name in stamped:
        (path / STAMPS[name]).touch()
    return path


def test_a_fresh_clone_installs_into_dot_venv(tmp_path):
    root = kata(tmp_path / "kata")
    outside = Path(sys.base_prefix)
    assert bootstrap.plan("test", outside, False, root) == ("install", root / ".venv", [BASE], [])
    # watch, verify and bench also try watchdog, best-effort (without it watch polls)
    for command in ("watch", "verify", "bench"):
        assert bootstrap.plan(command, outside, False, root) == ("install", root / ".venv", [BASE], [WATCH])


def test_any_other_interpreter_hands_over_to_a_ready_venv(tmp_path):
    root = kata(tmp_path / "kata")
    venv(root / ".venv", BASE)
    other = venv(tmp_path / "learners-own-venv")  # pytest may be there, pytest-timeout may not
    for prefix, in_venv in ((other, True), (Path(sys.base_prefix), False)):
        assert bootstrap.plan("test", prefix, in_venv, root) == ("switch", root / ".venv")
    assert bootstrap.plan("watch", other, True, root) == ("install", root / ".venv", [], [WATCH])
    (root / ".venv" / STAMPS[WATCH]).touch()
    assert bootstrap.plan("watch", other, True, root) == ("switch", root / ".venv")
    assert bootstrap.plan("test", root / ".venv", True, root) == ("run",)


def test_a_kata_venv_that_runs_is_kept_and_refreshed_when_the_pins_change(tmp_path):
    root = kata(tmp_path / "kata")
    versions = venv(root / ".venv-3.12", BASE)  # make versions' venv: used as it is, .venv untouched
    # watchdog is missing: make, which runs this venv's interpreter, has just tried it
    assert bootstrap.plan("test", versions, True, root) == bootstrap.plan("watch", versions, True, root) == ("run",)
    newer = (versions / STAMPS[BASE]).stat().st_mtime + 10
    os.utime(root / BASE, (newer, newer))  # requirements.txt edited after the install
    assert bootstrap.plan("test", versions, True, root) == ("install", versions, [BASE], [])
    assert bootstrap.plan("verify", versions, True, root) == ("install", versions, [BASE], [WATCH])


def test_a_venv_without_its_interpreter_is_made_again(tmp_path):
    root = kata(tmp_path / "kata")
    broken = venv(root / ".venv", BASE, WATCH)
    bootstrap.python_of(broken).unlink()  # e.g. the Python it was made with was uninstalled
    assert bootstrap.plan("watch", Path(sys.base_prefix), False, root) == ("install", broken, [BASE], [WATCH])


def test_a_kata_without_requirements_runs_where_it_is(tmp_path):
    (tmp_path / "copy").mkdir()  # the harness's own throwaway katas
    assert bootstrap.plan("test", Path(sys.base_prefix), False, tmp_path / "copy") == ("run",)


def test_an_old_python_gets_a_message():
    assert "needs Python 3.10 or newer; this is 3.9.18" in bootstrap.version_problem((3, 9, 18))
    assert bootstrap.version_problem((3, 10, 0)) == bootstrap.version_problem((3, 15, 2)) == ""


def base_interpreter() -> list[str]:
    """This venv's base Python, which has no pytest (-S hides a site-packages that has one)."""
    base = getattr(sys, "_base_executable", "")
    if not base or Path(base).resolve() == Path(sys.executable).resolve():
        base = str(Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}")
    has_pytest = subprocess.run([base, "-c", "import pytest"], capture_output=True).returncode == 0
    return [base, "-S"] if has_pytest else [base]


def test_an_interpreter_without_pytest_reruns_the_command_in_the_venv(tmp_path):
    here = Path(sys.prefix)
    if sys.prefix == sys.base_prefix or bootstrap.stale(here, [BASE], ROOT) or not (here / STAMPS[BASE]).is_file():
        pytest.skip("not running in a ready kata venv (make verify always does): nothing to share offline")
    copy = tmp_path / "clone"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv*", ".kata*", ".pytest_cache",
                                                               "__pycache__", "exercises"))
    shutil.copytree(ROOT / "solutions", copy / "exercises")
    (copy / ".venv").symlink_to(here, target_is_directory=True)
    python = base_interpreter()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", bootstrap.RERUN)}
    assert subprocess.run([*python, "-c", "import pytest"], env=env, capture_output=True).returncode != 0
    done = subprocess.run([*python, "-m", "kata", "test", "01"], cwd=copy, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "passed" in done.stdout and "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr


def jsonc(path: Path) -> dict:
    """VS Code's JSON with // comments (none of these files has // inside a string)."""
    import json
    import re
    return json.loads(re.sub(r"^\s*//.*$", "", path.read_text(encoding="utf-8"), flags=re.M))


def test_codespaces_and_vs_code_run_every_exercise_from_dot_venv():
    from kata import manifest

    created = jsonc(ROOT / ".devcontainer" / "devcontainer.json")["postCreateCommand"].split()
    assert created[:5] == ["python", "-m", "kata.bootstrap", "--venv", ".venv"] and BASE in created, created
    settings = jsonc(ROOT / ".vscode" / "settings.json")
    assert settings["python.testing.pytestEnabled"] is True, settings
    folders = [ROOT / a for a in settings["python.testing.pytestArgs"] if not a.startswith("-")]
    missing = [e.test_file for e in manifest.load()
               if not any((ROOT / e.test_file).is_relative_to(f) for f in folders)]
    assert not missing, f"the Testing view would not list {missing}"
