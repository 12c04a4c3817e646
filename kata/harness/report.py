"""The focused progress view: one screen with the progress bar, every exercise's state, and the details
of the current exercise (the first incomplete one) only."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from kata import kata_command, manifest
from kata.diagnoses.explain import SAME_MISTAKE, show_path

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


def link(text: str, path: Path, enabled: bool) -> str:
    """`text` as a terminal hyperlink (OSC 8) to `path` where the terminal shows them (see links_supported)."""
    if not enabled:
        return text
    return f"\x1b]8;;{Path(path).resolve().as_uri()}\x1b\\{text}\x1b]8;;\x1b\\"


def links_supported(stream=None) -> bool:
    """OSC 8 hyperlinks: only on a terminal known to show them (others may print the escape codes).
    KATA_LINKS=1 or 0 decides for any terminal."""
    import os

    forced = os.environ.get("KATA_LINKS")
    if forced in ("0", "1"):
        return forced == "1"
    stream = stream or sys.stdout
    if not getattr(stream, "isatty", lambda: False)() or os.environ.get("TERM") == "dumb":
        return False
    env = os.environ
    return bool(env.get("WT_SESSION") or env.get("KITTY_WINDOW_ID") or env.get("WEZTERM_PANE")
                or env.get("KONSOLE_VERSION") or env.get("TERM_PROGRAM") in ("iTerm.app", "vscode", "WezTerm",
                                                                               "Hyper", "ghostty", "Tabby")
                or int(env.get("VTE_VERSION", "0") or 0) >= 5000
                or any(t in env.get("TERM", "") for t in ("kitty", "alacritty", "foot", "ghostty")))


def next_exercise(ordered: list[manifest.Exercise], complete: set[str], after: str | None = None):
    """The exercise to do next: the first incomplete one after `after` (else the first incomplete one)."""
    names = [e.name for e in ordered]
    start = names.index(after) + 1 if after in names else 0
    for e in ordered[start:] + ordered[:start]:
        if e.name not in complete:
            return e
    return None


def render(ordered: list[manifest.Exercise], results: dict[str, dict], tree: Path,
           previously_complete: set[str] | None = None, *, subset: set[str] | None = None,
           header: tuple[str, ...] = ("",), footer: tuple[str, ...] = (), height: int | None = None, links: bool = False,
           focus: str | None = None, compact: bool = False) -> str:
    """The report. `subset`: a run of only these exercises (`pytest tests/test_29_...`), reported as such;
    `header`/`footer`: lines around it (the watch view's); `height`: cut the failure messages so that the
    whole view fits that many lines; `focus`: show this exercise's details instead of the current one's;
    `compact`: the watch view's layout (four columns, no rules, fewer lines: it must fit 80x24)."""
    exercises = [e for e in ordered if subset is None or e.name in subset]
    for e in exercises:
        results.setdefault(e.name, {"passed": 0, "failed": 0, "messages": [
            f"No test ran for this exercise. Is {e.test_file} missing?"]})
    unknown = sorted(set(results) - {e.name for e in ordered})
    done = [e for e in exercises if is_complete(results[e.name])]
    total = len(exercises)
    lines = [*header] + ([] if compact else ["=" * WIDTH])
    bar_width = 40
    filled = round(bar_width * len(done) / total) if total else 0
    of = f" (this run: {total} of {len(ordered)} exercises; `make test` runs all)" if subset is not None else ""
    lines.append(f"Progress: [{'#' * filled}{'.' * (bar_width - filled)}] {len(done)}/{total} complete{of}")
    lines.append("")
    current = next((e for e in exercises if not is_complete(results[e.name])), None)
    if focus is not None:
        current = next((e for e in exercises if e.name == focus), current)
    done_mark, todo_mark, current_mark = marks()
    columns, name_width = (4, 16) if compact else (3, 22)
    cells = [f"{done_mark if is_complete(results[e.name]) else current_mark if e is current else todo_mark} "
             f"{e.name[:name_width]:<{name_width}}" for e in exercises]
    rows = (len(cells) + columns - 1) // columns
    for r in range(rows):
        lines.append("  " + "  ".join(cells[r + rows * c] for c in range(columns)
                                      if r + rows * c < len(cells)).rstrip())
    for name in unknown:
        lines.append(f"  ? {name}: tests/test_{name}.py has no entry in info.toml")
    just_done = [e.name for e in done if e.name not in previously_complete] \
        if previously_complete is not None else []
    if just_done:
        following = next_exercise(ordered, {n for n, r in results.items() if is_complete(r)}
                                  | (previously_complete or set()), just_done[-1])
        lines += [""][:not compact] + [f"Just completed: {', '.join(just_done)}. Well done!"
                  + (f" Next: {following.number} {following.title}." if following else "")]
    lines.append("")
    tail = [f"  Stuck? `make hint EX={current.number}`  (without make: "
            f"{kata_command('hint ' + current.number)})"] if current is not None and not compact else []
    tail += [] if compact else ["=" * WIDTH]
    tail += footer
    if current is None:
        lines.append(("Every exercise of this run is complete." if subset is not None else
                      "Every exercise is complete. Congratulations: you know how Python finds, loads and "
                      "runs modules and packages!") if total else "No exercise was run.")
    else:
        folder = tree / current.name
        lines.append(f"Current exercise: {current.number} {current.title}  "
                     f"({link(show_path(folder, tree), folder, links)}/)")
        read = f"Read:  {link(show_path(folder / 'README.md', tree), folder / 'README.md', links)}"
        edit = "Edit:  " + ", ".join(link(show_path(folder / f, tree) if not compact else f, folder / f, links)
                                     + ("" if (folder / f).exists() else " (create it)") for f in current.files)
        if compact:
            lines.append(f"  {edit}   Read: {link('README.md', folder / 'README.md', links)}" if current.files
                         else f"  {read}")
        else:
            lines += [f"  {read}"] + ([f"  {edit}"] if current.files else [])
        entry = results[current.name]
        lines.append(f"  Checks passing: {entry['passed']}/{entry['passed'] + entry['failed']}")
        lines += _messages(entry, current, None if height is None else height - len(lines) - len(tail))
    lines += tail
    return "\n".join(lines) + "\n"


def _messages(entry: dict, current: manifest.Exercise, room: int | None) -> list[str]:
    """The current exercise's failure messages, in at most `room` lines when given."""
    out = []
    # several checks often fail for one reason: each message once, and no "same mistake as above"
    messages = [m for m in dict.fromkeys(entry["messages"]) if not m.startswith(SAME_MISTAKE)] or \
        list(dict.fromkeys(entry["messages"]))
    more = f"`make test EX={current.number}` shows them all."
    for i, message in enumerate(messages[:MAX_MESSAGES]):
        wrapped = [part for line in message.splitlines() or ["(no message)"]
                   for part in textwrap.wrap(line, WIDTH - 4, subsequent_indent="  ") or [""]]
        limit = MAX_MESSAGE_LINES if room is None else min(MAX_MESSAGE_LINES, room - len(out) - 1)
        if limit < 1 and i:
            break
        if len(wrapped) > max(limit, 1):
            wrapped = wrapped[:max(limit - 1, 0)] + [f"(cut: `make test EX={current.number}` shows all)"]
        out.append("  - " + wrapped[0])
        out += ["    " + t for t in wrapped[1:]]
    shown = sum(1 for line in out if line.startswith("  - "))
    if len(messages) > shown and (room is None or len(out) < room):
        out.append(f"  ... and {len(messages) - shown} more: {more}")
    return out
