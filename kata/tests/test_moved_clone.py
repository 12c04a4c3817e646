"""A clone moved or renamed after its first run (`mv kata python-kata`) behaves exactly like a fresh one.

The first runs leave every cache a learner's machine keeps (bytecode writing on): pytest's cache, the
kata's own __pycache__ folders, the bytecode of the rewritten tests. Then the folder moves, and the same
runs must give the same verdicts.
"""
import shutil
import subprocess
import sys

from kata import ROOT
from kata.maintainer import fixture_kata as fk

SKIP = shutil.ignore_patterns(".git", ".venv*", ".kata", ".kata-backups", ".pytest_cache", "__pycache__")


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=root, env=fk.learner_env(root),
                          capture_output=True, text=True, timeout=170)


def test_a_moved_clone_gives_the_same_verdicts(tmp_path):
    first = tmp_path / "kata"
    shutil.copytree(ROOT, first, ignore=SKIP)
    shutil.rmtree(first / "exercises")
    shutil.copytree(ROOT / "solutions", first / "exercises")
    before = [run(first), run(first, "--solutions")]
    assert [r.returncode for r in before] == [0, 0], before[0].stdout[-3000:] + before[1].stdout[-3000:]
    assert any(first.rglob("test_*.pyc")), "the first run should have cached the rewritten tests"
    moved = tmp_path / "python-kata"
    first.rename(moved)
    after = [run(moved), run(moved, "--solutions")]
    assert [r.returncode for r in after] == [0, 0], after[0].stdout[-3000:] + after[1].stdout[-3000:]
