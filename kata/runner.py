"""`python -m kata test [EXERCISE] [pytest options]`: the learner's run (also behind `make test`)."""
from __future__ import annotations

import sys

from kata import ROOT, manifest


def pytest_args(argv: list[str]) -> list[str]:
    """Turn `[07] [--solutions] [-v ...]` into pytest arguments."""
    args = list(argv)
    if args and not args[0].startswith("-"):
        exercise = manifest.find(args.pop(0))
        args = [str(ROOT / exercise.test_file), "--kata-report=full", *args]
    return ["--rootdir", str(ROOT), "-c", str(ROOT / "pytest.ini"), *args]


def main(argv: list[str]) -> int:
    try:
        args = pytest_args(argv)
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
    import pytest

    return int(pytest.main(args))


def results(extra: list[str] = (), timeout: float | None = None) -> dict[str, dict]:
    """Run the tests quietly in a subprocess and return the per-exercise results (see kata.plugin)."""
    import json
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="kata-results-") as tmp:
        out = Path(tmp) / "results.json"
        subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--tb=no",
                        "--kata-report=full", f"--kata-json={out}", *pytest_args(list(extra))],
                       cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
        return json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
