"""`python -m kata watch [EXERCISE] [--full]` (`make watch`): re-run the tests on every save under exercises/.

A save runs only the exercises whose inputs changed (and the one whose file was saved, even unchanged);
every other exercise's state comes from a cache (.kata/watch-cache.json) keyed on every input that can
change its verdict: the names and contents of every file in its folder, its test file, the harness
(kata/), conftest.py, pytest.ini, info.toml, the requirements files, the tests/ helpers, the Python
version and executable, and the environment. `--full` (`make watch FULL=1`), or `a` while watching,
runs everything again; `make test` never uses the cache.

Each run is a real pytest session in a fresh process. On POSIX that process is forked from a server
that imported pytest and the harness once (see serve()): a save costs the exercise's own tests, not a
pytest start-up. Elsewhere each run is `python -m pytest` in a subprocess.

File events come from watchdog (pinned in requirements-watch.txt). Where they do
not arrive (WSL's /mnt/c, network drives, Docker bind mounts, some synced folders) the watch polls
instead and says so: up front for the file systems known to drop them, and after the fact when a
change seen by the once-a-second check gave no event. Keys: Enter re-runs, `a` runs all, `h` shows the
next hint, `q` quits. What happens during a run is kept and gives one run after it.

Environment: KATA_WATCH_POLL=1 polls from the start (0: trusts file events on any file system);
KATA_WATCH_FORK=0 starts a new process per run; KATA_WATCH_DEAF=1 drops every file event (the tests'
stand-in for a file system that never sends them).
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kata import EXERCISES, ROOT, TESTS, manifest

CACHE = ROOT / ".kata" / "watch-cache.json"
FORMAT = 1
# After a file event, run once no new event has come for this long: an editor's save is a burst of
# events a few ms apart (write; or a temporary file renamed over the original; chmod).
QUIET = 0.03
MAX_WAIT = 0.3  # ... but never wait longer than this after the first event
POLL = 0.5  # seconds between looks when polling
CHECK = 1.0  # seconds between the safety checks that notice missing file events
DEAF_AFTER = 1.0  # a change with no event this long after the check saw it: events do not arrive
# Editor scratch files: they are part of an exercise's inputs (its cache key) but never start a run
SCRATCH = (".swp", ".swx", ".swo", "~", ".tmp", ".kata-tmp~")
HARNESS_FILES = ("conftest.py", "pytest.ini", "info.toml", "requirements.txt", "requirements-watch.txt")
VOLATILE_ENV = {"_", "OLDPWD", "SHLVL", "COLUMNS", "LINES", "WINDOWID", "PYTEST_CURRENT_TEST"}


# -- what a verdict depends on -------------------------------------------------------------------------
_DIGESTS: dict[str, tuple[tuple, bytes]] = {}  # path -> (its stat when hashed, its content's digest)


def _file_digest(path: str, st: os.stat_result) -> bytes:
    """The SHA-256 of a file's bytes, reused while its stat stays the same. Only on POSIX, where the
    change time moves on every write (a tool can set the modification time back, never that), and only
    for a file whose last change was over 2 s before it was read: a second edit within the file system's
    timestamp granularity cannot then leave the stat as it was."""
    stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)
    known = _DIGESTS.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    read_at = time.time_ns()
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).digest()
    if os.name == "posix" and max(st.st_mtime_ns, st.st_ctime_ns) < read_at - 2_000_000_000:
        _DIGESTS[path] = (stamp, digest)
    return digest


def _digest_folder(h, folder: Path, base: Path, skip: tuple[str, ...] = ()):
    """Every entry under folder, by name and kind, and every file's bytes, in a stable order."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as e:
        h.update(f"\0unreadable {folder.relative_to(base).as_posix()} {type(e).__name__}".encode())
        return
    for entry in entries:
        if entry.name in skip:
            continue
        rel = Path(entry.path).relative_to(base).as_posix()
        try:
            if entry.is_symlink():
                h.update(f"\0link {rel} {os.readlink(entry.path)}".encode())
            if entry.is_dir():
                h.update(f"\0dir {rel}".encode())
                _digest_folder(h, Path(entry.path), base, skip)
            elif entry.is_file():
                h.update(f"\0file {rel}\0".encode() + _file_digest(entry.path, entry.stat()))
            else:
                h.update(f"\0other {rel}".encode())
        except OSError as e:  # vanished or unreadable right now: a key no result is stored under
            h.update(f"\0unreadable {rel} {type(e).__name__} {time.time_ns()}".encode())


def harness_key(root: Path = ROOT) -> str:
    """Everything every verdict depends on: the harness, the configuration, the pins, the interpreter."""
    h = hashlib.sha256(f"kata-watch {FORMAT}\0{sys.version}\0{sys.executable}\0{sys.platform}".encode())
    for name in HARNESS_FILES:
        path = root / name
        h.update(f"\0{name}\0".encode() + (path.read_bytes() if path.is_file() else b"(missing)"))
    _digest_folder(h, root / "kata", root, skip=("__pycache__",))  # the harness's sources, kata/tests too
    for path in sorted((root / "tests").glob("*")):  # helpers next to the test files (not the test files)
        if not (path.name.startswith("test_") and path.suffix == ".py") and path.name != "__pycache__":
            h.update(f"\0tests/{path.name}\0".encode() + (path.read_bytes() if path.is_file() else b"dir"))
    h.update(json.dumps(sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)).encode())
    return h.hexdigest()


def exercise_key(base: str, tree: Path, exercise: manifest.Exercise, root: Path = ROOT) -> str:
    h = hashlib.sha256(f"{base}\0{tree}\0{exercise.name}\0".encode())
    test = root / exercise.test_file
    h.update(test.read_bytes() if test.is_file() else b"(no test file)")
    folder = tree / exercise.name
    if folder.is_dir():
        _digest_folder(h, folder, tree)
    else:  # the "missing folder" message names a look-alike among the others
        h.update(("\0missing\0" + "\0".join(sorted(os.listdir(tree)) if tree.is_dir() else [])).encode())
    return h.hexdigest()


class Cache:
    """Per exercise: the key of the inputs its last result was computed from, and that result."""

    def __init__(self, path: Path = CACHE, use: bool = True):
        self.path = path
        self.entries: dict[str, dict] = {}
        if use:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("format") == FORMAT:
                    self.entries = data["entries"]
            except (OSError, ValueError, KeyError, AttributeError):
                pass

    def get(self, name: str, key: str) -> dict | None:
        entry = self.entries.get(name)
        return entry["result"] if entry and entry.get("key") == key else None

    def put(self, name: str, key: str, result: dict):
        self.entries[name] = {"key": key, "result": result}

    def save(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"format": FORMAT, "entries": self.entries}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only checkout: the cache lives for this session only


# -- running pytest ------------------------------------------------------------------------------------
def pytest_args(test_files: list[str], out: Path) -> list[str]:
    return [*test_files, "--rootdir", str(ROOT), "-c", str(ROOT / "pytest.ini"), "-p", "no:cacheprovider",
            "-q", "--tb=no", "--no-header", "--kata-report=full", f"--kata-json={out}"]


class SubprocessRunner:
    """A run is `python -m pytest ...` (where there is no fork)."""

    name = "a new process per run"

    def run(self, args: list[str], log: Path, stop: threading.Event) -> int | None:
        with open(log, "wb") as out:
            proc = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=ROOT, stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT)
            while proc.poll() is None:
                if stop.wait(0.01):
                    proc.kill()
                    proc.wait()
                    return None
            return proc.returncode

    def close(self):
        pass


class ForkRunner:
    """Runs are forked from `python -m kata watch --serve`, which imported pytest and the harness once."""

    name = "forked from a warm process"

    def __init__(self):
        # (not `-m kata`: the server needs none of its venv checks)
        self.proc = subprocess.Popen([sys.executable, "-m", "kata.commands.watch", "--serve"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True, bufsize=0)
        self.ready = False
        self.buffer = b""

    def _reply(self, stop: threading.Event) -> dict | None:
        """The server's next line (read from the raw pipe: two lines may arrive in one read)."""
        import select

        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            if stop.is_set():
                return None
            if select.select([fd], [], [], 0.02)[0]:
                data = os.read(fd, 65536)
                if not data:
                    raise OSError("the watch server ended")
                self.buffer += data
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def run(self, args: list[str], log: Path, stop: threading.Event) -> int | None:
        if not self.ready:
            if self._reply(stop) is None:
                return None
            self.ready = True
        self.proc.stdin.write((json.dumps({"args": args, "log": str(log)}) + "\n").encode())
        started = self._reply(stop)  # {"pid": ...}
        done = self._reply(stop) if started is not None else None
        if done is None:  # q pressed: end the run now
            self.close()
            return None
        return done["code"]

    def close(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, 9)
            except OSError:
                pass
            self.proc.wait()


def serve() -> int:
    """The warm process: import what every run needs, then fork one child per request (a JSON line on
    stdin: pytest's arguments and a log file); the child runs pytest with its output in the log. It has
    no threads, so forking it is safe. It is restarted when the harness changes (see Watch.run)."""
    import importlib

    import pytest  # noqa: F401
    import _pytest.config

    for name in _pytest.config.default_plugins:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{name}")
    # Not kata.harness.plugin or pytest_timeout: pytest rewrites the asserts of plugins (those conftest.py
    # names, those installed), which it can only do for a module it imports itself.
    for name in ("kata.harness.learner", "kata.harness.isolation", "kata.harness.report",
                 "kata.diagnoses.explain", "kata.maintainer.checksums"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    from kata.harness import learner

    with tempfile.TemporaryDirectory(prefix="kata-serve-") as tmp:  # once, not in every run (see learner)
        with contextlib.suppress(OSError):
            learner.start_startup_probe(Path(tmp))
            learner.ExerciseFolder._startup_modules(type("Probe", (), {"tmp_path": Path(tmp)})())
    reply = sys.stdout
    reply.write('{"ready": true}\n')
    reply.flush()
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(log, 1)
                os.dup2(log, 2)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.chdir(ROOT)
                code = int(pytest.main(request["args"]))
            except BaseException as e:  # noqa: BLE001 (the child must end here, whatever happened)
                with contextlib.suppress(Exception):
                    print(f"The run failed: {type(e).__name__}: {e}", file=sys.stderr)
            finally:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                    sys.stderr.flush()
                os._exit(code)
        reply.write(json.dumps({"pid": pid}) + "\n")
        reply.flush()
        _, status = os.waitpid(pid, 0)
        reply.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
        reply.flush()
    return 0


# -- noticing changes ----------------------------------------------------------------------------------
def signature(tree: Path) -> dict[str, tuple]:
    """Every path under tree with what a change alters (ctime too: it moves even when a tool sets the
    modification time back)."""
    found = {}
    for folder, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files + dirs:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            found[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)
    return found


def changed_paths(before: dict, after: dict) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def starts_a_run(path: str) -> bool:
    name = os.path.basename(path)
    return not (name.endswith(SCRATCH) or name == "4913" or name.startswith((".#", "#")) or
                "__pycache__" in Path(path).parts)


def events_unlikely(path: Path) -> str | None:
    """Why file events probably do not arrive for `path`, or None: the file systems that drop them."""
    if os.environ.get("KATA_WATCH_POLL") in ("0", "1"):  # 1: always poll; 0: trust the events
        return "KATA_WATCH_POLL=1 is set" if os.environ["KATA_WATCH_POLL"] == "1" else None
    try:
        mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return None
    resolved = str(path.resolve())
    best = max((m for m in mounts if len(m) > 2 and (resolved + "/").startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)
    if best is None:
        return None
    kind = best[2]
    if kind in ("9p", "drvfs", "nfs", "nfs4", "cifs", "smb3", "smbfs", "vboxsf", "virtiofs", "fakeowner",
                "fuse.grpcfuse", "fuse.osxfs", "afs", "fuse.sshfs", "fuse.rclone", "prl_fs", "vmhgfs") \
            or kind.startswith("fuse.") and "onedrive" in kind.lower():
        return f"exercises/ is on a {kind} file system ({best[1]}), which does not pass file events on"
    return None


# -- the watch -----------------------------------------------------------------------------------------
class Inbox(queue.Queue):
    """The watch's events (saves from the file watcher, keys from the keyboard thread); `noticed` hears of
    each from the thread that puts it, so a run in progress can say that it was kept."""

    def __init__(self, noticed):
        super().__init__()
        self.noticed = noticed

    def put(self, item, block=True, timeout=None):
        super().put(item, block, timeout)
        self.noticed(item)


class Watch:
    def __init__(self, only: manifest.Exercise | None, full: bool, out=None):
        self.out = out or sys.stdout
        self.only = only
        self.exercises = manifest.load()
        self.events: queue.Queue = Inbox(self.noticed)
        self.running = ""  # the top line while a run is in progress
        self.screen = threading.Lock()  # the keyboard and file-watcher threads write that line too
        self.cache = Cache(use=not full)
        self.base = harness_key()
        self.runner = ForkRunner() if hasattr(os, "fork") and os.environ.get("KATA_WATCH_FORK") != "0" \
            else SubprocessRunner()
        self.previous: set[str] | None = None  # complete before the last run
        self.results: dict[str, dict] = {}
        self.notice = ""  # how changes are noticed, when it is worth saying
        self.polling = False
        self.last_event = time.monotonic()
        self.stop_run = threading.Event()
        self.extra: list[str] = []  # a hint shown under the report
        self.links = False
        self.runs = 0
        self.tampered = self.machinery()
        self.seen: dict[str, tuple] = {}  # per exercise: its files' stat and key, as its last run read them

    # changes and keys
    def fs_event(self, *paths: str):
        self.last_event = time.monotonic()
        if any(starts_a_run(p) for p in paths if p):
            self.events.put(("save", tuple(p for p in paths if p)))

    def start_watching(self):
        reason = events_unlikely(EXERCISES)
        observer = None
        if reason is None:
            try:
                from watchdog.events import FileSystemEventHandler
                from watchdog.observers import Observer
            except ImportError:
                reason = "watchdog (from requirements-watch.txt) is not installed"
            else:
                watch = self
                deaf = os.environ.get("KATA_WATCH_DEAF") == "1"  # the tests' stand-in for a bind mount

                class Handler(FileSystemEventHandler):
                    def on_any_event(self, event):
                        if event.event_type in ("opened", "closed_no_write") or deaf:
                            return
                        watch.fs_event(event.src_path, getattr(event, "dest_path", ""))

                try:
                    observer = Observer()
                    observer.schedule(Handler(), str(EXERCISES), recursive=True)
                    observer.daemon = True
                    observer.start()
                except OSError as e:  # e.g. inotify's watch limit
                    observer = None
                    reason = f"file events could not be set up ({e})"
        if reason is not None:
            self.start_polling(f"{reason}: watching by looking every {POLL:g} s instead.")
        threading.Thread(target=self._check, daemon=True).start()
        return observer

    def start_polling(self, why: str):
        self.polling = True
        self.notice = why

    def _check(self):
        """Polling, or (with file events) the once-a-second check that they still arrive."""
        before = signature(EXERCISES)
        while True:
            time.sleep(POLL if self.polling else CHECK)
            looked = time.monotonic()
            after = signature(EXERCISES)
            changed = {p for p in changed_paths(before, after) if starts_a_run(p)}
            before = after
            if not changed:
                continue
            if not self.polling:
                time.sleep(DEAF_AFTER)  # its event may still be on its way
                if self.last_event >= looked - CHECK - QUIET:
                    continue
                self.start_polling(f"File events from exercises/ do not arrive here (WSL /mnt, a network drive, "
                                   f"a Docker bind mount?): watching by looking every {POLL:g} s instead.")
            self.events.put(("save", tuple(changed)))

    def exercise_of(self, path: str) -> str | None:
        try:
            parts = Path(path).resolve().relative_to(EXERCISES.resolve()).parts
        except (ValueError, OSError):
            return None
        return parts[0] if parts else None

    # one run
    def run(self, forced: set[str] = frozenset(), everything: bool = False):
        started = time.monotonic()
        base = harness_key()
        if base != self.base:  # the harness changed: the warm process has the old one imported
            self.base = base
            self.runner.close()
            self.runner = type(self.runner)()
            self.tampered = self.machinery()
        watched = [e for e in self.exercises if self.only is None or e.name == self.only.name]
        stats = {e.name: signature(EXERCISES / e.name) for e in watched}  # before the keys: a write in
        keys = {e.name: exercise_key(base, EXERCISES, e) for e in watched}  # between errs towards a re-run
        self.seen.update((n, (stats[n], keys[n])) for n in keys)
        results, to_run = {}, []
        for e in watched:
            cached = None if everything or e.name in forced else self.cache.get(e.name, keys[e.name])
            if cached is None:
                to_run.append(e)
            else:
                results[e.name] = cached
        self.runs += 1
        stamp = time.strftime("%H:%M:%S")
        names = ", ".join(e.name for e in to_run) if len(to_run) <= 2 else \
            f"all {len(to_run)} exercises" if len(to_run) == len(watched) else f"{len(to_run)} exercises"
        output = ""
        if to_run:
            if self.runs == 1 and self.tty:
                self.out.write("\x1b[H\x1b[2J")
            with self.screen:
                self.running = f"{stamp} running {names}..."
            self.status(self.running)
            with tempfile.TemporaryDirectory(prefix="kata-watch-") as tmp:
                out, log = Path(tmp) / "results.json", Path(tmp) / "log.txt"
                args = pytest_args([e.test_file for e in to_run], out)
                try:
                    code = self.runner.run(args, log, self.stop_run)
                except (OSError, ValueError) as e:  # the warm process died: go on without it
                    self.runner = SubprocessRunner()
                    code = self.runner.run(args, log, self.stop_run)
                    output = f"(the watch server stopped: {e})\n"
                with self.screen:
                    self.running = ""
                if code is None:
                    return False
                fresh = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
                output += log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
            for e in to_run:
                if e.name in fresh:
                    results[e.name] = fresh[e.name]
                    self.cache.put(e.name, keys[e.name], fresh[e.name])
                else:  # shown, never cached
                    results[e.name] = {"passed": 0, "failed": 1, "messages": [
                        f"The run ended before {e.name} had a result (pytest's output is below). "
                        f"`make test EX={e.number}` shows it in full."]}
            self.cache.save()
            if code not in (0, 1) or not fresh:  # pytest itself broke: show what it said
                self.extra = [f"pytest stopped with exit status {code}:"] + output.strip().splitlines()[-12:]
        seconds = time.monotonic() - started
        cached = len(watched) - len(to_run)
        what = (f"ran {names} in {seconds:.2f} s" if to_run else "nothing changed") + \
            (f", {cached} from cache" if cached else "")
        self.show(results, f"make watch  {stamp}  {what}", watched)
        return True

    @staticmethod
    def machinery() -> str:
        from kata.maintainer import checksums

        changed = checksums.changed_machinery(ROOT)
        return (f"WARNING: the kata's test machinery differs from what was shipped ({', '.join(changed[:3])}"
                f"{', ...' if len(changed) > 3 else ''}): your instructor's grading may differ.") if changed else ""

    def status(self, text: str):
        """The top line, while the previous view stays below it."""
        with self.screen:
            self._top(text)

    def _top(self, text: str):
        self.out.write(f"\x1b[H\x1b[2K{text}" if self.tty else f"{text}\n")
        self.out.flush()

    def noticed(self, item):
        """During a run, a save or a key press is kept for after it: say so on the top line."""
        kind, data = item
        if kind == "key" and data == "q":
            return  # that one ends the run
        key = "Enter" if data in ("\r", "\n") else data
        what = "a save came in" if kind == "save" else f"`{key}` pressed"
        with self.screen:
            if self.running:
                self._top(f"{self.running} ({what}: kept for after this run)")

    def show(self, results: dict[str, dict], headline: str, watched, after_run: bool = True):
        from kata.harness import report

        complete = {n for n, r in results.items() if report.is_complete(r)}
        if self.previous is None:
            self.previous = complete  # nothing is "just completed" on the first screen
        size = shutil.get_terminal_size((80, 24))
        import textwrap

        footer = [line for note in (self.notice, self.tampered) if note for line in textwrap.wrap(note, 78)]
        footer += [f"{'Enter: run again  a: run all  h: hint  q: quit' if self.keys else 'Ctrl+C stops.'}"
                   + (f"  (run {self.runs})" if after_run else "")]  # (the bench and tests count these)
        extra = [part for line in self.extra for part in textwrap.wrap(line, 78, subsequent_indent="    ") or [""]]
        self.extra = []
        text = report.render(self.exercises if self.only is None else watched, dict(results), EXERCISES,
                             self.previous, header=(headline,), footer=extra + footer,
                             height=size.lines - 1, links=self.links,
                             focus=self.only.name if self.only else None, compact=True)
        self.previous = complete
        self.results = results
        clear = "\x1b[H\x1b[2J\x1b[3J" if self.tty else "\n"
        with self.screen:
            self.out.write(clear + text)
            self.out.flush()

    def hint(self):
        from kata.commands import hint
        from kata.harness import report

        current = self.only or next((e for e in self.exercises if not report.is_complete(self.results.get(e.name))),
                                    None)
        if current is None:
            return
        text = io.StringIO()
        with contextlib.redirect_stdout(text), contextlib.redirect_stderr(text):
            hint.main([current.number])
        parts = text.getvalue().strip().split("\n\n")  # "Hint 2/3 for ...:", the hint, what to do next
        last = "last hint" in parts[-1]
        self.extra = parts[0].splitlines() + (parts[1].splitlines() if len(parts) > 2 else []) + [
            f"  (that was the last; `make hint EX={current.number} SOLUTION=1` shows the finished code)" if last
            else "  (h again: the next hint)"]
        self.show(self.results, f"make watch  {time.strftime('%H:%M:%S')}  hint for {current.number}",
                  [e for e in self.exercises if self.only is None or e.name == self.only.name], after_run=False)

    def current(self) -> str | None:
        from kata.harness import report

        if self.only is not None:
            return self.only.name
        return next((e.name for e in self.exercises if not report.is_complete(self.results.get(e.name))), None)

    # the loop
    def loop(self, everything: bool):
        from kata.harness import report

        self.tty = self.out.isatty()
        self.keys = start_keys(self.events, self.stop_run)
        self.links = report.links_supported(self.out)
        self.start_watching()
        if not self.run(everything=everything):
            return
        while True:
            items = [self.events.get()]
            deadline = time.monotonic() + MAX_WAIT
            while True:  # the rest of this save's burst, and everything that came during the run
                try:
                    items.append(self.events.get(timeout=max(0.0, min(QUIET, deadline - time.monotonic()))))
                except queue.Empty:
                    break
            keys = [data for kind, data in items if kind == "key"]
            if "q" in keys:
                return
            saved = {self.exercise_of(p) for kind, data in items if kind == "save" for p in data}
            forced = {name for name in saved - {None} if self.changed_since_run(name)}
            if saved and not forced and None not in saved:
                saved = set()  # late events of a save already run (its "closed" after its "modified")
            if "\r" in keys or "\n" in keys:
                forced |= {self.current()} - {None}
            if saved or forced or "a" in keys:  # one run for all of it
                if not self.run(forced, everything="a" in keys):
                    return
            if "h" in keys:
                self.hint()

    def changed_since_run(self, name: str) -> bool:
        """Whether an exercise's files differ from what its last run read. A file event can arrive after
        the run it belongs to has started; it starts another only if the files changed again (a save
        without changes moves the stat, so it still re-runs)."""
        seen = self.seen.get(name)
        exercise = next((e for e in self.exercises if e.name == name), None)
        if seen is None or exercise is None or signature(EXERCISES / name) != seen[0]:
            return True
        return exercise_key(self.base, EXERCISES, exercise) != seen[1]  # an edit within the stat's granularity

    def close(self):
        self.runner.close()


def start_keys(events: queue.Queue, stop: threading.Event) -> bool:
    """Read single key presses into `events` (a terminal only); False if there is no keyboard."""
    try:
        if not sys.stdin.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    def key(ch: str):
        ch = ch.lower()
        if ch == "q":
            stop.set()  # ends a run at once
        events.put(("key", ch))

    if os.name == "nt":
        import msvcrt

        def read():
            while True:
                key(msvcrt.getwch())
    else:
        import atexit
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        tty.setcbreak(fd)  # keys arrive one by one, unechoed; Ctrl+C still interrupts
        atexit.register(termios.tcsetattr, fd, termios.TCSADRAIN, saved)

        def read():
            while True:
                ch = os.read(fd, 1).decode("utf-8", "replace")
                if not ch:
                    return
                key(ch)
    threading.Thread(target=read, daemon=True).start()
    return True


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve"]:
        return serve()
    full = "--full" in argv
    args = [a for a in argv if a != "--full"]
    only = None
    if args:
        try:
            only = manifest.find(args[0])  # a typo in EX=.. is reported once, not on every save
        except LookupError as e:
            print(e, file=sys.stderr)
            return 2
    os.chdir(ROOT)
    watch = Watch(only, full)
    try:
        watch.loop(full)
    except KeyboardInterrupt:
        pass
    finally:
        watch.close()
    print("\nStopped watching.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
