"""`python -m kata.maintainer.versions` (`make versions`): `make verify` on every Python 3.10-3.15 found.

Interpreters come from pyenv's versions folder (`pyenv root`/versions/*/bin/python3.X: real paths, unlike the
`python3.X` shims, which only run whichever version pyenv has selected) and from PATH. Each gets its own venv,
`.venv-3.X`, so the learner's `.venv` is never touched. Runs one version at a time: `make verify` already
uses the machine's cores. Exits non-zero when any version fails or none is found.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kata import ROOT

MINORS = (10, 11, 12, 13, 14, 15)


def pyenv_root() -> Path | None:
    if shutil.which("pyenv"):
        try:
            done = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=30)
            if done.returncode == 0 and done.stdout.strip():
                return Path(done.stdout.strip())
        except (OSError, subprocess.TimeoutExpired):
            pass
    for candidate in (os.environ.get("PYENV_ROOT"), Path.home() / ".pyenv"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def version_of(python: Path) -> tuple[int, int] | None:
    try:
        done = subprocess.run([str(python), "-c", "import sys; print(*sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = done.stdout.split()
    return (int(parts[0]), int(parts[1])) if done.returncode == 0 and len(parts) == 2 else None


def find() -> dict[str, Path]:
    """{"3.X": interpreter}: pyenv's newest patch release of each minor version first, then PATH."""
    found: dict[str, Path] = {}
    root = pyenv_root()
    shims = (root / "shims").resolve() if root else None
    candidates: list[tuple[int, Path]] = []
    if root and (root / "versions").is_dir():
        def patch(p: Path) -> tuple:
            return tuple(int(x) if x.isdigit() else -1 for x in p.parent.parent.name.split("."))
        for minor in MINORS:
            paths = sorted((root / "versions").glob(f"*/bin/python3.{minor}"), key=patch, reverse=True)
            candidates += [(minor, p) for p in paths]
    for minor in MINORS:
        on_path = shutil.which(f"python3.{minor}")
        if on_path and (shims is None or Path(on_path).resolve().parent != shims):
            candidates.append((minor, Path(on_path)))
    for minor, path in candidates:
        key = f"3.{minor}"
        if key not in found and version_of(path) == (3, minor):
            found[key] = path
    return found


def main(argv: list[str] | None = None) -> int:
    interpreters = find()
    if not interpreters:
        print("No Python 3.10-3.15 interpreter found (looked in `pyenv root`/versions and on PATH).",
              file=sys.stderr)
        return 1
    rows = []
    for version, python in sorted(interpreters.items(), key=lambda kv: int(kv[0].split(".")[1])):
        print(f"== make verify on Python {version} ({python})", flush=True)
        started = time.monotonic()
        done = subprocess.run(["make", "--no-print-directory", "verify", f"VENV=.venv-{version}",
                               f"PYTHON={python}"], cwd=ROOT)
        seconds = time.monotonic() - started
        rows.append((version, python, done.returncode, seconds))
        print(flush=True)
    print("| Python | interpreter | make verify | time |")
    print("| --- | --- | --- | --- |")
    for version, python, code, seconds in rows:
        print(f"| {version} | {python} | {'passed' if code == 0 else f'FAILED (exit {code})'} | {seconds:.1f}s |")
    missing = [f"3.{m}" for m in MINORS if f"3.{m}" not in interpreters]
    if missing:
        print(f"\nNot found: Python {', '.join(missing)}.")
    return 0 if all(code == 0 for _, _, code, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
