"""`python -m kata reset EX` / `reset --all` (`make reset EX=07`, `make reset-all`): restore exercises
exactly as shipped, after backing the learner's attempt up into .kata-backups/<timestamp>/ (ignored by git).
`reset --restore EX` (`make restore EX=07`) puts back the latest backup that reset made of EX (what is
there now is backed up first, into .kata-backups/<timestamp>-before-restore/).

"As shipped" is defined by the checksums in kata/checksums.json; the files themselves come from the
newest commit in the git history whose copy of the exercise matches them, so it works even after the
learner has committed their attempts.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time

from kata import EXERCISES, ROOT, manifest
from kata.maintainer import checksums
from kata.commands import hint

BACKUPS = ROOT / ".kata-backups"


def _git(*args: str, text: bool = True):
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=text, check=True).stdout


def shipped_files(name: str) -> dict[str, str]:
    prefix = f"exercises/{name}/"
    return {p: h for p, h in checksums.stored()["exercises"].items() if p.startswith(prefix)}


def find_shipped(name: str) -> dict[str, bytes]:
    """The shipped files of exercise `name` (path -> content), from git history."""
    wanted = shipped_files(name)
    if not wanted:
        raise LookupError(f"kata/checksums.json does not list exercises/{name}.")
    try:
        commits = _git("rev-list", "HEAD", "--", f"exercises/{name}").split()
    except (OSError, subprocess.CalledProcessError):
        raise LookupError("this folder is not a git clone (or git is not installed), so the shipped version "
                          "cannot be recovered. Download the kata again and copy the exercise folder over.")
    for commit in commits:
        listed = _git("ls-tree", "-r", "--name-only", commit, "--", f"exercises/{name}").split("\n")
        paths = sorted(p for p in listed if p)
        if paths != sorted(wanted):
            continue
        contents = {p: _git("show", f"{commit}:{p}", text=False) for p in paths}
        if all(checksums.digest(contents[p]) == wanted[p] for p in paths):
            return contents
    raise LookupError(f"no commit in this clone's history holds exercises/{name} as shipped. If you cloned "
                      f"from a fork, fetch the original kata and run `git checkout <its main> -- exercises/{name}`.")


def current_matches(name: str) -> bool:
    now = {p: h for p, h in checksums.exercises().items() if p.startswith(f"exercises/{name}/")}
    return now == shipped_files(name)


def confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        return True
    return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")


def reset(names: list[str], assume_yes: bool = False) -> int:
    restore = {}
    unchanged = [name for name in names if current_matches(name)]
    if unchanged:
        print(f"exercises/{unchanged[0]}/ is already as shipped." if len(unchanged) == 1 else
              f"{len(unchanged)} of {len(names)} exercises are already as shipped.")
    for name in names:
        if name in unchanged:
            continue
        try:
            restore[name] = find_shipped(name)
        except LookupError as e:
            print(f"Cannot reset {name}: {e}", file=sys.stderr)
            return 1
    if not restore:
        return 0
    listed = ", ".join(restore)
    if not assume_yes and not confirm(f"Replace {listed} with the shipped version? Your files are backed up "
                                      f"first."):
        print("Nothing changed.")
        return 1
    backup = BACKUPS / time.strftime("%Y%m%d-%H%M%S")
    for name, files in restore.items():
        folder = EXERCISES / name
        if folder.exists():
            target = backup / name
            shutil.copytree(folder, target, ignore=shutil.ignore_patterns("__pycache__"))
            print(f"Backed up your attempt: {target.relative_to(ROOT)}/")
            shutil.rmtree(folder)
        for path, content in files.items():
            (ROOT / path).parent.mkdir(parents=True, exist_ok=True)
            (ROOT / path).write_bytes(content)
        print(f"Restored exercises/{name}/ as shipped.")
    hint.forget(list(restore))  # starting again: hints start again from the first
    return 0


def latest_backup(name: str):
    """The newest .kata-backups/<timestamp>/<name>/ that reset made (not restore's own)."""
    found = sorted(p for p in BACKUPS.glob(f"*/{name}") if p.is_dir() and not p.parent.name.endswith("-before-restore"))
    return found[-1] if found else None


def restore(name: str, assume_yes: bool = False) -> int:
    source = latest_backup(name)
    if source is None:
        print(f"There is no backup of {name} in {BACKUPS.relative_to(ROOT)}/: `make reset EX=..` makes one "
              f"before it resets an exercise.", file=sys.stderr)
        return 1
    shown = source.relative_to(ROOT).as_posix()
    if not assume_yes and not confirm(f"Replace exercises/{name}/ with your backup {shown}/?"):
        print("Nothing changed.")
        return 1
    folder = EXERCISES / name
    if folder.exists() and not current_matches(name):
        keep = BACKUPS / (time.strftime("%Y%m%d-%H%M%S") + "-before-restore") / name
        shutil.copytree(folder, keep, ignore=shutil.ignore_patterns("__pycache__"))
        print(f"Backed up what was there: {keep.relative_to(ROOT)}/")
    tmp = folder.with_name(folder.name + ".kata-restoring")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source, tmp)
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    print(f"Restored exercises/{name}/ from {shown}/.")
    return 0


def main(argv: list[str]) -> int:
    args = [a for a in argv if a not in ("--yes", "-y")]
    assume_yes = len(args) != len(argv)
    exercises = manifest.load()
    if args == ["--all"]:
        return reset([e.name for e in exercises], assume_yes)
    if args[:1] == ["--restore"]:
        if len(args) != 2:
            print("Which exercise? For example: make restore EX=07  (or: python -m kata reset --restore 07)",
                  file=sys.stderr)
            return 2
        try:
            return restore(manifest.find(args[1], exercises).name, assume_yes)
        except LookupError as e:
            print(e, file=sys.stderr)
            return 2
    if len(args) != 1:
        print("Which exercise? For example: make reset EX=07  (or: python -m kata reset 07; "
              "every exercise: make reset-all)", file=sys.stderr)
        return 2
    try:
        return reset([manifest.find(args[0], exercises).name], assume_yes)
    except LookupError as e:
        print(e, file=sys.stderr)
        return 2
