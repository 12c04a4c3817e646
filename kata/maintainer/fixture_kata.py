"""Small throwaway katas for the harness's own tests: write one into a temporary folder, run the learner's
run on it in a subprocess (as a learner's machine would: bytecode writing allowed), read the verdicts."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from kata import ROOT


@dataclass
class Run:
    returncode: int
    output: str
    results: dict[str, dict]
    seconds: float

    def message(self, exercise: str) -> str:
        return "\n".join(self.results[exercise]["messages"])

    def complete(self, exercise: str) -> bool:
        entry = self.results.get(exercise)
        return bool(entry) and entry["failed"] == 0 and entry["passed"] > 0


def write(root: Path, files: dict[str, str | bytes]):
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")


def make(root: Path, exercises: dict[str, dict[str, str | bytes]], tests: dict[str, str]) -> Path:
    """A kata at `root` with the real harness (conftest.py, pytest.ini, the kata package on PYTHONPATH),
    `exercises` ({folder: {file: content}}) and `tests` ({folder: test module source})."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "conftest.py", root / "conftest.py")
    shutil.copy(ROOT / "pytest.ini", root / "pytest.ini")
    manifest = "".join(f'[[exercises]]\nname = "{name}"\ntitle = "{name}"\nfiles = []\nhints = ["a", "b"]\n\n'
                       for name in sorted(tests))
    (root / "info.toml").write_text(manifest, encoding="utf-8")
    for name, files in exercises.items():
        (root / "exercises" / name).mkdir(parents=True, exist_ok=True)
        write(root / "exercises" / name, files)
    write(root, {f"tests/test_{name}.py": source for name, source in tests.items()})
    return root


def learner_env(kata: Path = ROOT) -> dict[str, str]:
    """A learner's environment, with the kata package of `kata` importable: this machine sets
    PYTHONDONTWRITEBYTECODE, learners' machines don't."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env["PYTHONPATH"] = str(kata)
    return env


def run(root: Path, *args: str, timeout: float = 60) -> Run:
    out = root.parent / f"{root.name}-results.json"
    out.unlink(missing_ok=True)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", f"--kata-json={out}",
                           *args], cwd=root, env=learner_env(), capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - started
    results = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    return Run(done.returncode, done.stdout + done.stderr, results, seconds)


def files_of(root: Path) -> dict[str, bytes | None]:
    """Every file under root with its content, and every folder (None), for "the run changed nothing"
    checks; skipping what a real checkout's .gitignore ignores and a run may write: pytest's cache, .kata/
    (the rewritten tests' bytecode) and the bytecode of the kata's own modules. Bytecode next to learner code under
    exercises/ is NOT skipped."""
    def ignored(path: Path) -> bool:
        parts = path.relative_to(root).parts
        return parts[0] in (".pytest_cache", ".kata") or ("__pycache__" in parts and parts[0] != "exercises")
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*")) if (p.is_file() or p.is_dir()) and not ignored(p)}
