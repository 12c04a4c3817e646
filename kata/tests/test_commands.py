"""The learner's commands other than test and watch: exercise lookup, hint, list, reset, restore, compare."""
import json
import shutil
import subprocess
import sys

import pytest

from kata import ROOT, manifest
from kata.commands import hint, listing, runner


def test_an_exercise_is_found_by_number_or_name():
    assert manifest.find("7").name == manifest.find("07").name == "07_specific_items"
    assert manifest.find("specific_items").name == manifest.find("exercises/07_specific_items/").name
    with pytest.raises(LookupError, match="No exercise matches"):
        manifest.find("99")


def test_one_exercise_runs_its_own_test_file_in_full_detail():
    args = runner.pytest_args(["07", "-x"])
    assert str(ROOT / "tests" / "test_07_specific_items.py") in args
    assert "--kata-report=full" in args and args[-1] == "-x"


def test_hints_come_one_level_at_a_time(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hint, "STATE", tmp_path / "hints.json")
    levels = []
    for _ in range(4):
        assert hint.main(["01"]) == 0
        levels.append(capsys.readouterr().out.splitlines()[0])
    assert levels == ["Hint 1/3 for 01 Your first module:", "Hint 2/3 for 01 Your first module:",
                      "Hint 3/3 for 01 Your first module:", "Hint 3/3 for 01 Your first module:"]
    assert json.loads((tmp_path / "hints.json").read_text()) == {"01_first_module": 3}
    assert hint.main(["01", "--level", "1"]) == 0 and "Hint 1/3" in capsys.readouterr().out


def test_help_describes_a_command_and_runs_nothing(tmp_path, monkeypatch, capsys):
    from kata.__main__ import main

    monkeypatch.setattr(hint, "STATE", tmp_path / "hints.json")
    for command in ("test", "watch", "hint", "list", "reset", "compare", "verify", "grade", "bench", "checksums"):
        assert main([command, "--help"]) == 0
        assert f"python -m kata {command}" in capsys.readouterr().out
    assert not (tmp_path / "hints.json").exists()


def test_after_the_last_level_given_the_footer_names_the_next_level(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hint, "STATE", tmp_path / "hints.json")
    hint.main(["05", "--level", "2"])
    assert "LEVEL=3" in capsys.readouterr().out


def test_the_solution_is_shown_only_when_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(hint, "STATE", tmp_path / "hints.json")
    for _ in range(5):
        hint.main(["01"])
    assert "return f\"Hello" not in capsys.readouterr().out
    hint.main(["01", "--solution"])
    assert "return f\"Hello" in capsys.readouterr().out


def test_every_exercise_has_three_hint_tiers_and_a_readme_row():
    for exercise in manifest.load():
        assert len(exercise.hints) == 3, exercise.name
        assert f"[{exercise.name}](exercises/{exercise.name}/README.md)" in listing.markdown(manifest.load())


def _git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=kata", "-c", "user.email=kata@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_reset_restores_a_committed_attempt_and_backs_it_up(tmp_path):
    clone = tmp_path / "kata"
    shutil.copytree(ROOT, clone, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", ".pytest_cache",
                                                              ".kata", ".kata-backups"))
    _git(clone, "init", "-q")
    _git(clone, "add", "-A")
    _git(clone, "commit", "-qm", "as shipped")
    stub = clone / "exercises" / "01_first_module" / "mymodule.py"
    shipped = stub.read_bytes()
    stub.write_text("def greet(name):\n    return 'my attempt'\n")
    (stub.parent / "extra.py").write_text("X = 1\n")
    _git(clone, "add", "-A")
    _git(clone, "commit", "-qm", "my attempt")
    shutil.rmtree(clone / "exercises" / "11_first_package")  # deleted, not committed
    done = subprocess.run([sys.executable, "-m", "kata", "reset", "--all"], cwd=clone, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert stub.read_bytes() == shipped and not (stub.parent / "extra.py").exists()
    assert (clone / "exercises" / "11_first_package" / "mypackage" / "mathutils.py").is_file()
    backups = list((clone / ".kata-backups").glob("*/01_first_module/mymodule.py"))
    assert len(backups) == 1 and "my attempt" in backups[0].read_text()
    assert ".kata-backups/" in done.stdout

    # make restore EX=01: the attempt is back, from the latest backup
    done = subprocess.run([sys.executable, "-m", "kata", "reset", "--restore", "01"], cwd=clone, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "my attempt" in stub.read_text() and (stub.parent / "extra.py").is_file()
    assert "Restored exercises/01_first_module/" in done.stdout

    # make compare EX=01: no solution before the exercise passes; a diff against it after
    compare = [sys.executable, "-m", "kata", "compare", "01"]
    done = subprocess.run(compare, cwd=clone, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 1 and "has not passed yet" in done.stdout and "make hint EX=01" in done.stdout
    assert "solutions/01_first_module" not in done.stdout, done.stdout
    solution = (clone / "solutions" / "01_first_module" / "mymodule.py").read_text()
    stub.write_text("# my version\n" + solution)
    (stub.parent / "extra.py").unlink()
    done = subprocess.run(compare, cwd=clone, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "--- exercises/01_first_module/mymodule.py" in done.stdout and "-# my version" in done.stdout, done.stdout


def test_reset_starts_the_hints_again(tmp_path, monkeypatch):
    monkeypatch.setattr(hint, "STATE", tmp_path / "hints.json")
    hint.STATE.write_text(json.dumps({"01_first_module": 3, "02_import_module": 1}))
    hint.forget(["01_first_module"])
    assert json.loads(hint.STATE.read_text()) == {"02_import_module": 1}
