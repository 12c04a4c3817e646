"""`python -m kata bench` (`make bench`): how fast the kata gives feedback, measured on this machine.

Measures, in one run, as medians with their spread (min-max):
  (1) a bare pytest run of one trivial test, in this venv: the floor any pytest-based run pays;
  (2) the full run against solutions/ (`python -m kata test --solutions`);
  (3) the pristine run, as a learner's fresh clone sees it (`python -m kata test`, every stub failing);
  (4) `make watch`: from a save under exercises/ to the end of the new view (its last line), over
      several saves in the styles editors use (plain write, write-then-rename, touch), each with content
      the watch has never seen (so no verdict can come from its cache: every save is a real run of the
      exercise); it also checks that each save gives exactly one run and that each verdict is the new one
      (including an edit in the same second with the same size);
  (5) the first `make test` of a fresh clone (creates .venv and installs the requirements; pip may use its
      cache, so this is a best case for a machine that installed them before).
and prints the ratios the performance targets are set on: (2)/(1) <= 3 and (4)/(1) <= 1.5, plus the
earlier targets (4)/(2) and (4)/(3) <= 1.2 (the watcher against a plain full run). The runs of (1)-(3) and
the saves of (4) are interleaved, round by round, so a change in the machine's load hits every figure alike.

Everything runs in a temporary clone of HEAD (`--worktree`: a copy of the working tree instead), so a
maintainer's edits under exercises/ do not count, and nothing in this checkout changes. Child processes
run without PYTHONDONTWRITEBYTECODE, as on a learner's machine. Timing on a shared machine is noisy:
compare ratios, and re-run with --repeat for tighter figures. Not part of `make verify`.

Options (`make bench ARGS="..."`): --quick (3 rounds, 3 saves, no bootstrap), --repeat N, --saves N,
--no-watch, --no-bootstrap, --worktree, --markdown FILE (also write the figures, as printed, to FILE).

`make bench ARGS=--grade` (--clones N, default 30) measures instead `make grade` of a class of N solved
clones, sandbox included (target: 30 clones <= 90 s on a 2-core machine), and checks every one scored full marks.
"""
from __future__ import annotations

import codecs
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kata import ROOT

TARGET_SOLVED = 3.0  # (2)/(1)
TARGET_SAVE = 1.5  # (4)/(1): a save's verdict in about the time of a bare pytest start
TARGET_WATCH = 1.2  # (4)/(2), (4)/(3): the earlier target, against a full run
WATCH_EXERCISE = "01_first_module"
WATCH_FILE = "mymodule.py"
ANSI = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\r")
RUN_STARTED = re.compile(r"\d\d:\d\d:\d\d running ")  # the watch view's status line as a run starts
RUN_FINISHED = re.compile(r"\(run \d+\)")  # the last line of the view a run ends with
RUN_HEADER = re.compile(r"make watch  \d\d:\d\d:\d\d  ")  # the first line of that view


def child_env() -> dict[str, str]:
    """A learner's environment: bytecode writing on (this machine may set PYTHONDONTWRITEBYTECODE)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env.setdefault("TERM", "xterm")
    return env


# -- a watcher driven like a terminal -----------------------------------------------------------------
class Watcher:
    """`python -m kata watch` in a kata checkout, its output read as a terminal would show it (a pty on
    POSIX, a pipe elsewhere). Used by the bench and by kata/tests/test_watch.py."""

    def __init__(self, root: Path, python: str = sys.executable, args: tuple[str, ...] = ()):
        self.root = Path(root)
        self.text = ""  # everything printed so far, ANSI codes removed
        self._decoded = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a character may span two reads
        self.finished: list[float] = []  # when each report's final summary line arrived
        self.raw: bytes | None = None  # the bytes as written to the terminal (POSIX), escape codes included
        self.lock = threading.Condition()
        self.closed = False
        cmd = [python, "-m", "kata", "watch", *args]
        env = child_env()
        master = None
        if hasattr(os, "openpty"):
            master, slave = os.openpty()
            _set_winsize(slave, *getattr(self, "size", (50, 120)))
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=slave, stdout=slave, stderr=slave,
                                         start_new_session=True, close_fds=True)
            os.close(slave)
            self.fd = master
            self.raw = b""
        else:  # Windows: a pipe (no escape codes are written to it)
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
            self.fd = self.proc.stdout.fileno()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the pty's other end closed
                data = b""
            with self.lock:
                if not data:
                    self.closed = True
                    self.lock.notify_all()
                    return
                now = time.perf_counter()
                if self.raw is not None:
                    self.raw += data
                self._decoded += self._decoder.decode(data)
                self.text = ANSI.sub("", self._decoded)
                self.finished += [now] * (len(RUN_FINISHED.findall(self.text)) - len(self.finished))
                self.lock.notify_all()

    def runs_started(self) -> int:
        return len(RUN_STARTED.findall(self.text))

    def runs_finished(self) -> int:
        return len(self.finished)

    def wait_for_runs(self, finished: int, timeout: float) -> float | None:
        """Wait until `finished` reports have ended; return the time the last one ended, or None."""
        deadline = time.perf_counter() + timeout
        with self.lock:
            while len(self.finished) < finished:
                left = deadline - time.perf_counter()
                if left <= 0 or self.closed:
                    return None
                self.lock.wait(min(left, 0.05))
            return self.finished[finished - 1]

    def press(self, keys: bytes):
        """Type on the watcher's keyboard (POSIX: its pty)."""
        os.write(self.fd, keys)

    def wait_for(self, text: str, timeout: float) -> bool:
        """Wait until `text` has been shown since the last view began."""
        deadline = time.perf_counter() + timeout
        with self.lock:
            while text not in self.last_report():
                left = deadline - time.perf_counter()
                if left <= 0 or self.closed:
                    return False
                self.lock.wait(min(left, 0.05))
            return True

    def wait_closed(self, timeout: float) -> bool:
        try:
            self.proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def last_report(self) -> str:
        with self.lock:
            start = max(m.start() for m in RUN_HEADER.finditer(self.text)) if RUN_HEADER.search(self.text) else -1
            return self.text[start:] if start >= 0 else self.text

    def stop(self):
        """Ctrl+C, as a learner stops it; then make sure nothing is left running."""
        if self.proc.poll() is None:
            try:
                if os.name == "posix":
                    os.killpg(self.proc.pid, signal.SIGINT)
                else:
                    self.proc.send_signal(signal.CTRL_BREAK_EVENT)
                self.proc.wait(5)
            except (subprocess.TimeoutExpired, ProcessLookupError, OSError):
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL) if os.name == "posix" else self.proc.kill()
            except (ProcessLookupError, OSError):
                pass
            self.proc.wait(5)
        self.reader.join(2)
        if hasattr(os, "openpty"):
            try:
                os.close(self.fd)
            except OSError:
                pass


def _set_winsize(fd: int, rows: int, cols: int):
    try:
        import fcntl
        import struct
        import termios
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    except (ImportError, OSError):
        pass


def save(path: Path, content: str, style: str):
    """Save a file the way an editor does."""
    if style == "write":  # open, truncate, write (nano, most IDEs by default)
        path.write_text(content, encoding="utf-8")
    elif style == "rename":  # write a temporary file, then rename it over the original (vim, atomic saves)
        tmp = path.with_name(path.name + ".kata-tmp~")
        tmp.write_text(content, encoding="utf-8")
        os.chmod(tmp, path.stat().st_mode)
        os.replace(tmp, path)
    elif style == "touch":  # a save without changes (`:w` on an unmodified buffer)
        os.utime(path)
    else:
        raise ValueError(style)


def exercise_state(report: str, exercise: str) -> bool | None:
    """Is `exercise` shown complete (✔, or + without Unicode) or not (✘ ▶, or - >) in a focused report's
    table? None if it is not shown."""
    match = re.search(r"(?:^|  )([✔✘▶+>-]) " + re.escape(exercise[:16]), report, re.MULTILINE)
    return None if match is None else match.group(1) in "✔+"


# -- measurements --------------------------------------------------------------------------------------
@dataclass
class Figure:
    label: str
    seconds: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    def cells(self) -> list[str]:
        if not self.seconds:
            return [self.label, "–", "–", "0", self.note or "not measured"]
        spread = f"{min(self.seconds):.2f}–{max(self.seconds):.2f} s"
        return [self.label, f"{self.median:.2f} s", spread, str(len(self.seconds)), self.note]


def timed(cmd: list[str], cwd: Path, ok=(0,), timeout: float = 120) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=timeout)
    seconds = time.perf_counter() - started
    if done.returncode not in ok:
        tail = "\n".join(done.stdout.decode("utf-8", "replace").splitlines()[-15:])
        raise RuntimeError(f"{' '.join(cmd)} exited with {done.returncode} in {cwd}:\n{tail}")
    return seconds


def snapshot(dest: Path, worktree: bool) -> Path:
    """A checkout to measure: a clone of HEAD, or (--worktree) a copy of the working tree's files."""
    if not worktree:
        subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(dest)], check=True)
        return dest
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


class WatchBench:
    """(4): saves to exercises/01_first_module/mymodule.py under a running watcher, alternating between
    the stub and the solution (so every verdict differs from the one before) in the styles editors use."""

    STYLES = ("write", "rename", "touch")

    def __init__(self, root: Path, problems: list[str]):
        self.problems = problems
        self.latency = Figure("(4) `make watch`: save → verdict")
        self.startup = Figure("`make watch`: start → first verdict")
        self.path = root / "exercises" / WATCH_EXERCISE / WATCH_FILE
        self.stub = self.path.read_text(encoding="utf-8")
        self.solution = (root / "solutions" / WATCH_EXERCISE / WATCH_FILE).read_text(encoding="utf-8")
        self.saves = 0
        self.complete = False
        started = time.perf_counter()
        self.watcher = Watcher(root)
        end = self.watcher.wait_for_runs(1, 60)
        if end is None:
            self.problem(f"no first report within 60 s:\n{self.watcher.text[-2000:]}")
        else:
            self.startup.seconds.append(end - started)
            self.complete = bool(exercise_state(self.watcher.last_report(), WATCH_EXERCISE))

    @property
    def ok(self) -> bool:
        return bool(self.startup.seconds) and not any(p.startswith("watch:") for p in self.problems)

    def problem(self, text: str):
        self.problems.append(f"watch: {text}")

    def save_once(self):
        """One save; time until its report is complete; then check it gave one run and the right verdict."""
        if not self.ok:
            return
        style = self.STYLES[self.saves % len(self.STYLES)]
        self.saves += 1
        if style != "touch":
            self.complete = not self.complete
        before = self.watcher.runs_finished()
        content = (self.solution if self.complete else self.stub) + f"\n# save {self.saves}\n"  # never cached
        t0 = time.perf_counter()
        save(self.path, content, style)
        end = self.watcher.wait_for_runs(before + 1, 30)
        if end is None:
            return self.problem(f"save {self.saves} ({style}) gave no report within 30 s")
        self.latency.seconds.append(end - t0)
        time.sleep(QUIET)  # a second run for the same save would have started by now
        runs = self.watcher.runs_started() - before
        if runs != 1:
            self.problem(f"save {self.saves} ({style}) gave {runs} runs, not 1")
            self.watcher.wait_for_runs(before + runs, 30)
        shown = exercise_state(self.watcher.last_report(), WATCH_EXERCISE)
        if shown is not self.complete:
            self.problem(f"after save {self.saves} ({style}) the report shows {WATCH_EXERCISE} as "
                         f"{'complete' if shown else 'not complete'}, but it is {'' if self.complete else 'not '}complete")

    def stale_check(self) -> bool:
        """An edit in the same second with the same size must be seen (a .pyc records only the source's
        mtime in seconds and its size)."""
        broken = self.solution.replace("def ", "def_", 1)  # same size, and no longer a solution
        if not self.ok or broken == self.solution:
            return False
        for text, complete, same_stat in ((self.solution, True, False), (broken, False, True),
                                          (self.solution, True, True)):
            before = self.watcher.runs_finished()
            stat = self.path.stat()
            self.path.write_text(text, encoding="utf-8")
            if same_stat:
                os.utime(self.path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            if self.watcher.wait_for_runs(before + 1, 30) is None:
                self.problem("no report after a same-second same-size edit")
                return False
            time.sleep(QUIET / 2)
            if exercise_state(self.watcher.last_report(), WATCH_EXERCISE) is not complete:
                self.problem("an edit in the same second with the same size was not seen (stale bytecode?)")
                return False
        return True

    def stop(self):
        self.watcher.stop()
        self.path.write_text(self.stub, encoding="utf-8")


QUIET = 1.0  # seconds to wait after a verdict for a (wrong) second run of the same save


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()  # nproc
    return f"{cpus} CPUs ({cpu}), {platform.system()} {platform.machine()}, Python {platform.python_version()}"


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def ratio(a: Figure, b: Figure) -> float | None:
    return a.median / b.median if a.median and b.median else None


def render(figures: list[Figure], ratios: list[tuple[str, float | None, float]], note: str) -> str:
    out = [f"Machine: {machine()}. {note}", ""]
    out.append(table([f.cells() for f in figures], ["measurement", "median", "spread (min–max)", "runs", "note"]))
    out.append("")
    rows = []
    for label, value, target in ratios:
        if value is None:
            rows.append([label, "–", f"≤ {target:g}×", "not measured"])
        else:
            rows.append([label, f"{value:.2f}×", f"≤ {target:g}×", "met" if value <= target else "NOT met"])
    out.append(table(rows, ["ratio", "value", "target", ""]))
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    if "--grade" in argv:
        return grade_bench(_option(argv, "--clones", 30), "--worktree" in argv)
    quick = "--quick" in argv
    n = _option(argv, "--repeat", 3 if quick else 5)
    saves = _option(argv, "--saves", 3 if quick else 6)
    markdown = _option(argv, "--markdown", None, str)
    worktree = "--worktree" in argv
    python = sys.executable
    problems: list[str] = []
    started = time.perf_counter()
    bare_run = Figure("(1) bare pytest, one trivial test")
    solved = Figure("(2) full run, solutions/")
    pristine = Figure("(3) full run, fresh clone (every stub fails)")
    watch = None
    watch_note = ""
    bootstrap = Figure("(5) first `make test` of a fresh clone")
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        tmp = Path(tmp)
        print(f"Measuring in temporary {'copies of the working tree' if worktree else 'clones of HEAD'}: "
              f"{n} rounds of (1)-(3) interleaved with {saves} saves for (4), after a warm-up...", flush=True)
        root = snapshot(tmp / "kata", worktree)  # (2) and (3): never edited
        bare = tmp / "bare"
        bare.mkdir()
        (bare / "test_trivial.py").write_text("def test_trivial():\n    assert True\n", encoding="utf-8")
        commands = [(bare_run, [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], bare, (0,)),
                    (solved, [python, "-m", "kata", "test", "--solutions"], root, (0,)),
                    (pristine, [python, "-m", "kata", "test"], root, (0, 1))]
        for _, cmd, cwd, ok in commands:  # warm-up: bytecode of the harness, pytest's rewritten tests
            timed(cmd, cwd, ok)
        if "--no-watch" in argv:
            watch_note = "skipped (--no-watch)"
        elif importlib.util.find_spec("watchdog") is None:
            watch_note = "skipped: watchdog is not installed (`make watch` installs it)"
        else:
            watch = WatchBench(snapshot(tmp / "watched", worktree), problems)
        try:
            for i in range(max(n, saves if watch else 0)):
                if i < n:
                    for figure, cmd, cwd, ok in commands:
                        figure.seconds.append(timed(cmd, cwd, ok))
                if watch and i < saves:
                    watch.save_once()
                print(f"  round {i + 1} done", flush=True)
            if watch:
                fresh = watch.stale_check()
                if watch.ok:
                    watch.latency.note = "1 run per save; verdicts current" + (
                        ", also after a same-second same-size edit" if fresh else "")
        finally:
            if watch:
                watch.stop()
        if quick or "--no-bootstrap" in argv:
            bootstrap.note = "skipped (--quick / --no-bootstrap)"
        elif shutil.which("make") is None:
            bootstrap.note = "skipped: no make"
        else:
            clone = snapshot(tmp / "fresh", worktree)
            try:
                # make exits with 2 when the run it started fails, which a fresh clone's run does
                bootstrap.seconds.append(timed(["make", "test"], clone, ok=(0, 2), timeout=600))
                if not (clone / ".venv" / ".kata-requirements").is_file():
                    raise RuntimeError("make test did not create .venv")
                bootstrap.note = "creates .venv, pip installs the requirements (pip's cache may be used)"
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                bootstrap.seconds.clear()
                problems.append(f"bootstrap: {e}")
            print("  (5) done", flush=True)
    latency = watch.latency if watch else Figure("(4) `make watch`: save → verdict", note=watch_note)
    rows = [bare_run, solved, pristine, latency] + ([watch.startup] if watch else []) + [bootstrap]
    ratios = [("(2)/(1) full solved run / bare pytest", ratio(solved, bare_run), TARGET_SOLVED),
              ("(4)/(1) watch save → verdict / bare pytest", ratio(latency, bare_run), TARGET_SAVE),
              ("(4)/(2) watch save → verdict / full solved run", ratio(latency, solved), TARGET_WATCH),
              ("(4)/(3) watch save → verdict / full fresh-clone run", ratio(latency, pristine), TARGET_WATCH)]
    text = render(rows, ratios, "Children run without PYTHONDONTWRITEBYTECODE, as on a learner's machine.")
    print()
    print(text)
    if markdown:
        Path(markdown).write_text(text, encoding="utf-8")
        print(f"Wrote {markdown}.")
    for p in problems:
        print(f"PROBLEM: {p}")
    print(f"bench: done in {time.perf_counter() - started:.0f} s")
    return 1 if problems else 0


GRADE_TARGET = 90.0  # seconds for 30 solved clones on a 2-core machine (issue 15)


def grade_bench(clones: int, worktree: bool) -> int:
    """`make grade` of `clones` solved clones, timed, from a temporary clone of the kata."""
    with tempfile.TemporaryDirectory(prefix="kata-bench-grade-") as tmp:
        tmp = Path(tmp)
        root = snapshot(tmp / "kata", worktree)
        for i in range(clones):
            shutil.copytree(root / "solutions", tmp / "class" / f"learner{i:02d}" / "exercises")
        report = tmp / "class.json"
        print(f"Grading {clones} solved clones (sandboxed) on {os.cpu_count()} CPU(s)...", flush=True)
        command = [sys.executable, "-I", "-S", "-B", str(root / "kata" / "grading" / "launch.py"), str(tmp / "class"),
                   "--report", str(report)]
        # The CPU time of everything grading starts (sandboxes included, which getrusage does not see): from a
        # cpuacct cgroup, where this user may make one.
        group = Path("/sys/fs/cgroup/cpuacct") / f"kata-bench-{os.getpid()}"
        try:
            group.mkdir()
            command = ["/bin/sh", "-c", f'echo $$ > {group}/cgroup.procs && exec "$@"', "grade", *command]
        except OSError:
            group = None
        started = time.perf_counter()
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=1800)
        seconds = time.perf_counter() - started
        cpu = None
        if group is not None:
            try:
                cpu = int((group / "cpuacct.usage").read_text()) / 1e9
                group.rmdir()
            except (OSError, ValueError):
                pass
        data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    full = sum(r["complete"] == r["total"] > 0 for r in data.get("submissions", {}).values())
    scale = seconds * 30 / clones
    print(f"make grade, {clones} solved clones: {seconds:.1f} s (exit {done.returncode}; {full}/{clones} full "
          f"marks); for 30: {scale:.1f} s, target <= {GRADE_TARGET:g} s: {'met' if scale <= GRADE_TARGET else 'NOT met'}")
    if cpu is not None:
        print(f"CPU time of grading and its sandboxes: {cpu:.1f} s, so at least {cpu / (os.cpu_count() or 1):.1f} s on "
              f"{os.cpu_count()} idle CPU(s)")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine "
          f"lengthens the wall time; re-run when it is idle)")
    if done.returncode != 0 or full != clones:
        print(done.stdout[-3000:] + done.stderr[-3000:])
        return 1
    return 0


def _option(argv: list[str], name: str, default, kind=int):
    for i, a in enumerate(argv):
        if a == name and i + 1 < len(argv):
            return kind(argv[i + 1])
        if a.startswith(name + "="):
            return kind(a.split("=", 1)[1])
    return default


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
