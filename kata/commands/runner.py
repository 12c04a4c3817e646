"""`python -m kata test [EXERCISE] [--solutions] [pytest options]` (`make test [EX=07] [ARGS=...]`):
the learner's run. With no exercise: every exercise, as the one-screen progress report; with one (`07`,
`07_specific_items` or `specific_items`): its tests with every failure in full. pytest's own options are
accepted too (`python -m pytest --help` lists them)."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from kata import ROOT, manifest


def pytest_args(argv: list[str]) -> list[str]:
    """Turn `[07] [--solutions] [-v ...]` into pytest arguments."""
    args = list(argv)
    if args and not args[0].startswith("-"):
        exercise = manifest.find(args.pop(0))
        args = [str(ROOT / exercise.test_file), "--kata-report=full", "--no-header", *args]
    return ["--rootdir", str(ROOT), "-c", str(ROOT / "pytest.ini"), *args]


def main(argv: list[str]) -> int:
    try:
        args = pytest_args(argv)
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
    import pytest

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return int(pytest.main(args))
    # In GitHub Actions (a learner's fork, see .github/workflows/kata.yml): also write the progress table
    # to the run's summary page, from the per-exercise results.
    with tempfile.TemporaryDirectory(prefix="kata-summary-") as tmp:
        given = [a for a in args if a.startswith("--kata-json")]
        out = Path(tmp) / "results.json"
        if given:
            out = Path(given[-1].partition("=")[2] or args[args.index(given[-1]) + 1])
        else:
            args.append(f"--kata-json={out}")
        code = int(pytest.main(args))
        results = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    step_summary(Path(summary), results)
    return code


def step_summary(path: Path, results: dict[str, dict]):
    """Append a Markdown progress table (and the tamper warning) to GitHub's step summary file."""
    from kata.maintainer import checksums
    from kata.harness.report import is_complete

    exercises = manifest.load()
    done = sum(is_complete(results.get(e.name)) for e in exercises)
    lines = [f"## Python Modules & Packages Kata: {done}/{len(exercises)} complete", ""]
    changed = checksums.changed_machinery(ROOT)
    if changed:
        warning = (f"The kata's test machinery differs from what was shipped ({len(changed)} file(s): "
                   f"{', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''}). Your instructor grades with "
                   f"the original tests, so this result may not be theirs.")
        lines += [f"> ⚠️ **Warning:** {warning}", ""]
        if os.environ.get("GITHUB_ACTIONS") == "true":
            print(f"::warning title=Kata test machinery changed::{warning}")
    lines += ["| # | exercise | state | tests passed |", "| --- | --- | --- | --- |"]
    for e in exercises:
        entry = results.get(e.name)
        state = "✅ complete" if is_complete(entry) else "❌ not yet" if entry else "– not run"
        passed = f"{entry['passed']}/{entry['passed'] + entry['failed']}" if entry else "–"
        lines.append(f"| {e.number} | {e.name} | {state} | {passed} |")
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")


def results(extra: list[str] = (), timeout: float | None = None) -> dict[str, dict]:
    """Run the tests quietly in a subprocess and return the per-exercise results (see kata.harness.plugin)."""
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
