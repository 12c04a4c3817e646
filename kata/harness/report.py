"""The focused progress view: one screen with the progress bar, every exercise's state, and the details
of the current exercise (the first incomplete one) only."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from kata import kata_command, manifest
from kata.diagnoses.explain import show_path

MAX_MESSAGES = 3
MAX_MESSAGE_LINES = 10
WIDTH = 78


def marks(encoding: str | None = None) -> tuple[str, str, str]:
    """Done, to do, current: symbols if the terminal can show them (a Windows console may not)."""
    encoding = encoding or getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "✔✘▶".encode(encoding)
        return "✔", "✘", "▶"
    except (UnicodeEncodeError, LookupError):
        return "+", "-", ">"


def is_complete(entry: dict | None) -> bool:
    return bool(entry) and entry["failed"] == 0 and entry["passed"] > 0


def render(ordered: list[manifest.Exercise], results: dict[str, dict], tree: Path,
           previously_complete: set[str] | None = None) -> str:
    exercises = list(ordered)
    for e in exercises:
        results.setdefault(e.name, {"passed": 0, "failed": 0, "messages": [
            f"No test ran for this exercise. Is {e.test_file} missing?"]})
    unknown = sorted(set(results) - {e.name for e in exercises})
    done = [e for e in exercises if is_complete(results[e.name])]
    total = len(exercises)
    lines = ["", "=" * WIDTH]
    bar_width = 40
    filled = round(bar_width * len(done) / total) if total else 0
    lines.append(f"Progress: [{'#' * filled}{'.' * (bar_width - filled)}] {len(done)}/{total} complete")
    lines.append("")
    current = next((e for e in exercises if not is_complete(results[e.name])), None)
    done_mark, todo_mark, current_mark = marks()
    cells = [f"{done_mark if is_complete(results[e.name]) else current_mark if e is current else todo_mark} "
             f"{e.name[:22]:<22}" for e in exercises]
    rows = (len(cells) + 2) // 3
    for r in range(rows):
        lines.append("  " + "  ".join(cells[r + rows * c] for c in range(3) if r + rows * c < len(cells)))
    for name in unknown:
        lines.append(f"  ? {name}: tests/test_{name}.py has no entry in info.toml")
    just_done = [e.name for e in done if e.name not in previously_complete] \
        if previously_complete is not None else []
    if just_done:
        lines += ["", f"Just completed: {', '.join(just_done)}. Well done!"]
    lines.append("")
    if current is None:
        lines.append("Every exercise is complete. Congratulations: you know how Python finds, loads and "
                     "runs modules and packages!" if total else "No exercise was run.")
    else:
        folder = tree / current.name
        lines.append(f"Current exercise: {current.number} {current.title}  ({show_path(folder, tree)}/)")
        lines.append(f"  Read:  {show_path(folder / 'README.md', tree)}")
        if current.files:
            lines.append("  Edit:  " + ", ".join(show_path(folder / f, tree) + ("" if (folder / f).exists()
                                                                               else " (create it)")
                                             for f in current.files))
        entry = results[current.name]
        lines.append(f"  Checks passing: {entry['passed']}/{entry['passed'] + entry['failed']}")
        messages = list(dict.fromkeys(entry["messages"]))  # several checks often fail for one reason
        for message in messages[:MAX_MESSAGES]:
            wrapped = [part for line in message.splitlines() or ["(no message)"]
                       for part in textwrap.wrap(line, WIDTH - 4, subsequent_indent="  ") or [""]]
            if len(wrapped) > MAX_MESSAGE_LINES:
                wrapped = wrapped[:MAX_MESSAGE_LINES - 1] + [f"(cut: `make test EX={current.number}` shows all)"]
            lines.append("  - " + wrapped[0])
            lines += ["    " + t for t in wrapped[1:]]
        if len(messages) > MAX_MESSAGES:
            lines.append(f"  ... and {len(messages) - MAX_MESSAGES} more: "
                         f"`make test EX={current.number}` shows them all.")
        lines.append(f"  Stuck? `make hint EX={current.number}`  (without make: "
                     f"{kata_command('hint ' + current.number)})")
    lines.append("=" * WIDTH)
    return "\n".join(lines) + "\n"
