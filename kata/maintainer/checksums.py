"""`python -m kata checksums [--update]`: checksums of what the kata ships (kata/checksums.json): the
learner-facing test machinery (tests, conftest, harness, config), which a learner must not change, and the
pristine exercise stubs, which `make reset` restores.

`python -m kata checksums --update` rewrites the file (maintainers, after changing any of it);
`make verify` fails when it is out of date; every learner run warns when the machinery differs.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from kata import ROOT

STORE = ROOT / "kata" / "checksums.json"
MACHINERY = ["conftest.py", "pytest.ini", "info.toml", "requirements.txt", "Makefile", "tests/*.py",
             "kata/*.py", "kata/*/*.py"]
NOT_MACHINERY = ("kata/tests/",)  # the harness's own tests: a learner's run never uses them


def digest(data: bytes) -> str:
    # Line endings are normalised so a Windows checkout (core.autocrlf) hashes the same.
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def machinery(root: Path = ROOT) -> dict[str, str]:
    files = sorted({p for pattern in MACHINERY for p in root.glob(pattern) if p.is_file()
                    and not p.relative_to(root).as_posix().startswith(NOT_MACHINERY)})
    return {p.relative_to(root).as_posix(): digest(p.read_bytes()) for p in files}


def exercises(root: Path = ROOT) -> dict[str, str]:
    folder = root / "exercises"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {p.relative_to(root).as_posix(): digest(p.read_bytes()) for p in files}


def compute(root: Path = ROOT) -> dict[str, dict[str, str]]:
    return {"machinery": machinery(root), "exercises": exercises(root)}


def stored(root: Path = ROOT) -> dict[str, dict[str, str]]:
    path = root / "kata" / "checksums.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"machinery": {}, "exercises": {}}


def changed_machinery(root: Path = ROOT) -> list[str]:
    """Files of the test machinery that differ from what was shipped (changed, added or deleted)."""
    if not (root / "kata").is_dir():  # a throwaway kata of the harness's own tests, not a checkout
        return []
    shipped, now = stored(root).get("machinery", {}), machinery(root)
    return sorted(p for p in set(shipped) | set(now) if shipped.get(p) != now.get(p))


def main(argv: list[str]) -> int:
    if "--update" in argv:
        STORE.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"Wrote {STORE.relative_to(ROOT)}.")
        return 0
    differ = sorted(p for kind, files in compute().items() for p in set(files) | set(stored()[kind])
                    if files.get(p) != stored()[kind].get(p))
    print("\n".join(differ) if differ else "Everything matches kata/checksums.json.")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
