"""The sandbox every graded run happens in: bubblewrap (`bwrap`, the sandbox Flatpak uses), no daemon.

A run sees a read-only system (/usr, /etc's loader files, the Python installation and the kata's venv), the
paths it is given read-only (the grader's snapshot of the machinery, its bytecode, one exercise's files),
and nothing else of the machine: not your home, not the instructor's checkout (solutions/ included), not
other submissions, not the report. It gets a private /tmp (a small tmpfs), no network, its own PID namespace
(so nothing it starts survives it: --die-with-parent, and the namespace dies with its first process), a
cleared environment (ENV below), and limits (LIMITS) on CPU time, memory, open files, file size and
processes. What it hands back is a pipe's bytes, which the grader parses defensively.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

# Per process: seconds of CPU, bytes of address space, open files, bytes per written file; processes of
# the run (a pids cgroup when the grader runs as root, else RLIMIT_NPROC above what the user already runs).
LIMITS = {"cpu": 120, "memory": 2 << 30, "files": 256, "file_size": 16 << 20, "processes": 64,
          "tmp": 64 << 20}
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
       "PYTHONIOENCODING": "utf-8", "TMPDIR": "/tmp"}
SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/alternatives",
       "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/ssl/certs"]

HOW_TO_GET = """\
Grading runs every submission in a bubblewrap sandbox (`bwrap`), and {problem}.
  Debian, Ubuntu:  sudo apt-get install -y bubblewrap
  Fedora, RHEL:    sudo dnf install -y bubblewrap        Arch: sudo pacman -S bubblewrap
  Ubuntu 24.04 and later restrict unprivileged user namespaces through AppArmor
  (kernel.apparmor_restrict_unprivileged_userns=1): bwrap then fails with "setting up uid map: Permission
  denied". Allow them for bwrap alone with an AppArmor profile, /etc/apparmor.d/bwrap:
      abi <abi/4.0>,
      include <tunables/global>
      profile bwrap /usr/bin/bwrap flags=(unconfined) {{
        userns,
        include if exists <local/bwrap>
      }}
  then `sudo apparmor_parser -r /etc/apparmor.d/bwrap` (or, for the whole machine:
  `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`).
  macOS, Windows: grade inside a Linux container instead (docs/INSTRUCTORS.md gives the one-line command).
  Or, knowing what it leaves unprotected, grade without a sandbox: --no-sandbox (make grade NO_SANDBOX=1)."""

UNPROTECTED = ("NOT SANDBOXED (--no-sandbox): learner code ran as your user with your files, environment, "
               "network and processes within its reach; nothing limited its CPU, memory, disk or processes, or "
               "kept what it started from outliving the run; a submission could have changed the grade of "
               "another, or of later gradings. Verdicts are only as trustworthy as the submissions.")


def site_packages() -> str:
    """The venv's site-packages, also under -S (where Python 3.11 does not read pyvenv.cfg for sys.prefix)."""
    venv = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
    if os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        for candidate in (os.path.join(venv, "lib", version, "site-packages"), os.path.join(venv, "Lib", "site-packages")):
            if os.path.isdir(candidate):
                return candidate
    return sysconfig.get_paths()["purelib"]


def problem() -> str | None:
    """Why the sandbox cannot be used here (None: it can), from a real start of one."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap exists only on Linux (this is {sys.platform})"
    if shutil.which("bwrap") is None:
        return "bwrap is not installed"
    try:
        done = subprocess.run(command([sys.executable, "-S", "-c", "pass"], []), env=ENV, capture_output=True,
                              text=True, errors="replace", timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as e:
        return f"bwrap could not start a sandbox ({e})"
    if done.returncode != 0:
        return f"bwrap could not start a sandbox ({done.stderr.strip()[-300:] or f'exit {done.returncode}'})"
    return None


def _python_paths() -> list[str]:
    paths = {sys.base_prefix, sys.prefix, sys.exec_prefix, os.path.dirname(sys.executable), site_packages()}
    paths |= {os.path.realpath(p) for p in list(paths)} | {os.path.dirname(os.path.realpath(sys.executable))}
    return sorted(p for p in paths if os.path.exists(p))


def command(argv: list[str], read_only: list[Path | str], cwd: str = "/tmp",
            pass_fds: tuple[int, ...] = ()) -> list[str]:
    """The bwrap command line that runs `argv` in the sandbox, with `read_only` visible at their own paths."""
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--hostname", "kata-grade",
            "--cap-drop", "ALL"]
    for path in SYSTEM:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ETC:
        if os.path.exists(path):
            args += ["--ro-bind", path, path]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(LIMITS["tmp"]), "--tmpfs", "/tmp"]
    # After /tmp's tmpfs, which would hide those under /tmp (a checkout or its venv in a mktemp folder)
    for path in _python_paths():
        args += ["--ro-bind", path, path]
    for path in read_only:
        args += ["--ro-bind", str(path), str(path)]
    args += ["--dir", cwd, "--chdir", cwd, "--remount-ro", "/"]
    return args + ["--", *argv]


def limited(args: list[str], cgroup: Path | None) -> list[str]:
    """`args` started by a shell that first applies LIMITS to itself (they are inherited) and joins
    `cgroup`: a preexec_fn would not be safe with the grader's threads."""
    kb = lambda n: str(n // 1024)  # noqa: E731
    limits = [f"-t {LIMITS['cpu']}", f"-v {kb(LIMITS['memory'])}", f"-n {LIMITS['files']}",
              f"-f {LIMITS['file_size'] // 512}", "-c 0"]  # (dash takes one limit per ulimit)
    if cgroup is None and os.getuid() != 0:
        limits.append(f"-u {_user_processes() + LIMITS['processes']}")
    script = " && ".join(f"ulimit {limit}" for limit in limits)
    if cgroup is not None:
        script = f"echo $$ > {cgroup}/cgroup.procs && {script}"
    return ["/bin/sh", "-c", script + ' || exit 112; exec "$@"', "kata-sandbox", *args]


def _user_processes() -> int:
    """How many processes this user runs now: RLIMIT_NPROC counts them all, not only the sandbox's."""
    uid, count = os.getuid(), 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def make_cgroup(name: str) -> Path | None:
    """A pids cgroup (v1 or v2) capping the processes of one run, when the grader may create one (root).
    For root RLIMIT_NPROC does not count, so without a cgroup a fork bomb is bounded only by time."""
    for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
        if not (base / "cgroup.procs").exists() or (base == Path("/sys/fs/cgroup")
                                                    and "pids" not in _read(base / "cgroup.controllers")):
            continue
        try:
            group = base / name
            group.mkdir(exist_ok=True)
            (group / "pids.max").write_text(str(LIMITS["processes"]))
            return group
        except OSError:
            continue
    return None


def remove_cgroup(group: Path | None):
    """Kill what is left in the run's cgroup and remove it (once its last process has been reaped)."""
    if group is None:
        return
    for _ in range(50):
        pids = _read(group / "cgroup.procs").split()
        for pid in pids:
            try:
                os.kill(int(pid), 9)
            except (OSError, ValueError):
                pass
        try:
            group.rmdir()
            return
        except OSError:
            time.sleep(0.02)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
