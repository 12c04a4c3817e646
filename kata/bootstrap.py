"""The kata's virtual environment: `python -m kata <command>` with any Python >= 3.10 and no venv creates
`.venv` from the pinned requirements on first use, then re-runs itself inside it (the Makefile makes the
same venv through `python -m kata.bootstrap`, so make and python -m kata share it).

A venv is ready when it holds a stamp newer than requirements.txt, as make judges its targets
(`.kata-requirements`). A kata venv that is running already (`.venv`, or make versions' `.venv-3.X`) is used
as it is; any other interpreter, however much it has installed, hands over to `.venv`: a pytest without
pytest-timeout would run with no time limit. `watch`, `verify` and `bench` also try requirements-watch.txt
(watchdog, stamp `.kata-watch-requirements`), best-effort as the Makefile does: without it watch polls. A
running kata venv leaves that to make, which has just tried.

Written for old Pythons too, so that they get the version message rather than a syntax error.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MINIMUM = (3, 10)
ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BASE, WATCH = "requirements.txt", "requirements-watch.txt"
STAMPS = {BASE: ".kata-requirements", WATCH: ".kata-watch-requirements",
          "requirements-lint.txt": ".kata-lint-requirements"}  # make lint-ci's own .venv-lint
BEST_EFFORT = {"watch": (WATCH,), "verify": (WATCH,), "bench": (WATCH,)}
RERUN = "KATA_BOOTSTRAPPED"  # set for the re-run inside the venv: it must not bootstrap again


def version_problem(version=sys.version_info) -> str:
    if tuple(version[:2]) >= MINIMUM:
        return ""
    return (f"The kata needs Python {MINIMUM[0]}.{MINIMUM[1]} or newer; this is "
            f"{'.'.join(map(str, version[:3]))}. Install a newer Python, then run for example "
            f"`python3.12 -m kata test` (Windows: `py -3.12 -m kata test`) or `make PYTHON=python3.12 test`.")


def python_of(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def works(python: Path) -> bool:
    return python.exists() and subprocess.call([str(python), "-c", ""], stderr=subprocess.DEVNULL) == 0


def stale(venv: Path, files, root: Path = ROOT) -> list:
    """The requirements files (of `files`, those that exist) whose stamp in `venv` is missing or older;
    all of them when the venv has no interpreter (a Python upgrade can leave one dangling)."""
    if not python_of(venv).exists():
        return [name for name in files if (root / name).is_file()]
    out = []
    for name in files:
        source, stamp = root / name, venv / STAMPS[name]
        if source.is_file() and (not stamp.is_file() or stamp.stat().st_mtime < source.stat().st_mtime):
            out.append(name)
    return out


def plan(command: str, prefix: Path, in_venv: bool, root: Path = ROOT) -> tuple:
    """What `python -m kata <command>` must do first, from the running interpreter's `prefix`:
    ("run",) here; ("install", venv, required, best_effort) into `venv`, then run there; ("switch", venv):
    re-run in `venv`, which is ready."""
    if not (root / BASE).is_file():  # a kata copied without its requirements (the harness's own tests)
        return ("run",)
    here = in_venv and (prefix / STAMPS[BASE]).is_file()  # a kata venv: .venv, or make versions' .venv-3.X
    venv = prefix if here else root / VENV.name
    missing = stale(venv, [BASE], root)
    tries = stale(venv, BEST_EFFORT.get(command, ()), root) if missing or not here else []
    if missing or tries:
        return ("install", venv, missing, [f for f in tries if f not in missing])
    return ("run",) if here else ("switch", venv)


def ensure(venv: Path, required, best_effort=(), root: Path = ROOT) -> bool:
    """Create `venv` if it is missing or broken, install the requirements files into it, stamp each one."""
    python = python_of(venv)
    if not works(python):
        print(f"Creating {venv.name} (first run only)...", flush=True)
        done = subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], capture_output=True, text=True)
        if done.returncode != 0:
            print(done.stdout + done.stderr, file=sys.stderr)
            print(f"Could not create {venv}. On Debian or Ubuntu, install the venv module first: "
                  f"sudo apt install python{sys.version_info[0]}.{sys.version_info[1]}-venv", file=sys.stderr)
            return False
    for name in [*required, *best_effort]:
        if name == WATCH:
            print("Installing the watcher (first use only)...", flush=True)
        done = subprocess.call([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                "-r", str(root / name)], cwd=root)
        if done == 0:
            (venv / STAMPS[name]).touch()
        elif name in required and name != WATCH:  # without watchdog, watch polls
            print(f"Could not install {name} into {venv.name} (pip exit {done}; see above).", file=sys.stderr)
            return False
        else:
            print(f"Could not install the watcher ({name}): `watch` looks for changes by polling.", file=sys.stderr)
    return True


def rerun(venv: Path, argv: list) -> int:
    """`python -m kata <argv>` again, with the venv's interpreter."""
    python = str(python_of(venv))
    command = [python, "-m", "kata", *argv]
    env = {**os.environ, RERUN: "1"}
    sys.stdout.flush()
    if os.name != "nt":
        os.execve(python, command, env)  # replaces this process: Ctrl+C and the exit status are the venv's
    try:  # Windows has no real exec
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 130


def bootstrap(argv: list) -> int | None:
    """None: go on here; else the exit status to end with (after a re-run in the venv, or a failure)."""
    problem = version_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    again = os.environ.pop(RERUN, None)  # read once: the tests' own subprocesses never see it
    prefix = Path(sys.prefix).resolve()
    step = plan(argv[0], prefix, sys.prefix != sys.base_prefix)
    if step[0] == "install":
        if again and step[1] != prefix:
            print(f"{step[1]} is still not ready after it was set up; remove it and try again.", file=sys.stderr)
            return 1
        if not ensure(step[1], step[2], step[3]):
            return 1
        if step[1] == prefix:  # installed into the running venv: its new packages import from here on
            import importlib
            importlib.invalidate_caches()
            return None
        step = ("switch", step[1])
    if step[0] == "switch":
        if again:
            print(f"{step[1]} was not used by its own interpreter; run {python_of(step[1])} -m kata directly.",
                  file=sys.stderr)
            return 1
        return rerun(step[1], argv)
    return None


def main(argv: list) -> int:
    """`python -m kata.bootstrap --venv DIR FILE...` (the Makefile): make DIR ready for those files."""
    problem = version_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    venv = Path(argv[1]).resolve() if argv[:1] == ["--venv"] else VENV
    files = argv[2:] if argv[:1] == ["--venv"] else argv
    return 0 if ensure(venv, stale(venv, files)) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
