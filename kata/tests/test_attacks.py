"""`make grade` against submissions written to harm the instructor (issue 15): each attack sits in a
submission's exercises/ only, as a student would put it, and each is shown blocked.

One grading run of a class of attack clones (in parallel, two exercises each), from a throw-away copy of
this checkout: were the sandbox to fail, the attacks would hit the copy, not this repository. Every attack
also leaves a trace in the report (`PI` becomes what it saw), which proves it ran.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kata import ROOT
from kata.grading import sandbox
from kata.maintainer import checksums

pytestmark = [pytest.mark.timeout(240),
              pytest.mark.skipif(sandbox.problem() is not None, reason="bubblewrap cannot run here (.ci/run installs it)")]
MODULE = "01_first_module/mymodule.py"
LATER = 'import time; time.sleep(4); open({report!r}, "w").write("forged"); open({victim!r}, "w").write("forged")'


def attack(code: str) -> str:
    """Exercise 01's solution with `code` run at import; PI reports what the attack saw."""
    solution = (ROOT / "solutions" / MODULE).read_text(encoding="utf-8")
    return f"{solution}\ntry:\n" + "".join(f"    {line}\n" for line in code.strip().splitlines()) + \
        "except BaseException as _e:\n    PI = 'failed:' + type(_e).__name__ + str(_e)\n"


def digests(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "absent" for p in paths}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    kata = base / "instructor"  # the instructor's checkout, as far as grading is concerned
    for relative in list(checksums.machinery(ROOT)) + ["kata/checksums.json"]:
        (kata / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, kata / relative)
    for tree in ("solutions", "exercises"):
        shutil.copytree(ROOT / tree, kata / tree, ignore=shutil.ignore_patterns("__pycache__"))
    token = secrets.token_hex(8)
    report = base / "report.json"
    victim = base / "victim.txt"
    victim.write_text("the instructor's file\n")
    report.symlink_to(victim)  # planted before grading: the report must replace it, not write through it
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    site = Path(sandbox.site_packages())
    targets = [kata / "tests" / "test_01_first_module.py", kata / "solutions" / MODULE, kata / "kata" / "__init__.py",
               kata / "kata" / "__pycache__" / "__init__.cpython-311.pyc", site / f"zz_kata_attack_{token}.pth"]
    before = digests(targets)

    klass = base / "class"
    clones = {
        # writes into the instructor's checkout and venv: tests, solutions, harness, bytecode, a .pth
        "writes": "".join(f"try:\n    os.makedirs({str(t.parent)!r}, exist_ok=True)\n"
                          f"    open({str(t)!r}, 'a').write('import os  # forged')\n    hits.append({str(t)!r})\n"
                          f"except OSError:\n    pass\n" for t in targets) + "PI = 'writes:' + repr(hits)",
        # other submissions' copies and the shared bytecode: everything under /tmp it can reach
        "neighbour": """
seen = []
for folder, dirs, files in os.walk('/tmp'):
    for name in files:
        if name.endswith(('.py', '.pyc')):
            try:
                open(os.path.join(folder, name), 'a').write('\\nraise SystemExit(1)\\n')
                seen.append(name)
            except OSError:
                pass
prefix = sys._xoptions.get('pycache_prefix') or ''
try:
    os.makedirs(os.path.join(prefix, 'x'), exist_ok=True)
    seen.append('prefix')
except OSError:
    pass
PI = 'neighbour:' + repr(sorted(set(seen)))[:200]
""",
        # secrets in the environment and the SSH agent's socket
        "environment": "PI = 'env:' + repr({k: v for k, v in os.environ.items() if 'SECRET' in k or 'SSH' in k})",
        # the network, and the grader's command line through /proc
        "network": f"""
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()
    net = 'connected'
except OSError as e:
    net = type(e).__name__
lines = []
for pid in os.listdir('/proc'):
    try:
        lines.append(open('/proc/' + pid + '/cmdline', 'rb').read().decode(errors='replace'))
    except OSError:
        pass
PI = 'net:' + net + ' proc:' + str(len(lines)) + (' LEAK' if {report.name!r} in ' '.join(lines) else '')
""",
        # a process that outlives grading (double fork, new session) and rewrites the report afterwards
        "daemon": f"""
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, '-c', {LATER.format(report=str(report), victim=str(victim))!r}, '{token}'])
    os.kill(os.getpid(), 9)
PI = 'daemon:started'
""",
        # memory, processes and disk
        "limits": """
try:
    hog = bytearray(3 << 30)
    memory = 'allocated'
except MemoryError:
    memory = 'MemoryError'
children = 0
try:
    for _ in range(300):
        if os.fork() == 0:
            time.sleep(3)
            os.abort()
        children += 1
except OSError as e:
    pass
try:
    with open('/tmp/big', 'wb') as f:
        for _ in range(40):
            f.write(b'x' * (1 << 20))
    disk = 'wrote'
except OSError as e:
    disk = type(e).__name__
PI = 'limits:' + memory + ' forks:' + str(children) + ' disk:' + disk
""",
        # escape codes that would rewrite the instructor's terminal
        "escapes": "PI = 'escapes:\\x1b[2J\\x1b[31mALL COMPLETE\\x07\\u202e'",
    }
    for name, code in clones.items():
        folder = klass / name / "exercises"
        shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / MODULE).write_text(attack("import os, sys, time, socket\nhits = []\n" + code), encoding="utf-8")
    shutil.copytree(ROOT / "solutions", klass / "victim" / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    # bad submissions, which must fail alone: a symlink loop, a non-UTF-8 name, a huge file, no exercises/
    bad = klass / "bad"
    shutil.copytree(ROOT / "solutions", bad / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (bad / "exercises" / "01_first_module" / "loop").symlink_to("loop")
    (bad / "exercises" / "01_first_module" / "a").symlink_to("b")
    (bad / "exercises" / "01_first_module" / "b").symlink_to("a")
    os.mkdir(os.fsencode(bad / "exercises" / "01_first_module") + b"/\xff\xfe")
    (bad / "exercises" / "02_import_module" / "huge.txt").write_bytes(b"0" * (6 << 20))
    (klass / "empty").mkdir()
    (klass / "empty" / "README.md").write_text("no exercises here\n")

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(KATA_ATTACK_SECRET=f"secret-{token}", SSH_AUTH_SOCK=f"/tmp/ssh-{token}/agent.1")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-I", "-S", "-B", str(kata / "kata" / "grading" / "launch.py"), str(klass),
                           "--report", str(report), "--only", "01,02", "--timeout", "40"],
                          cwd=base, env=env, capture_output=True, text=True, timeout=200)
    seconds = time.monotonic() - started
    accepted = []
    try:
        accepted.append(listener.accept())
    except BlockingIOError:
        pass
    listener.close()
    time.sleep(5)  # longer than the daemon waits before it strikes
    survivors = [pid for pid in os.listdir("/proc") if pid.isdigit() and token in _cmdline(pid)]
    after = digests(targets)
    (site / f"zz_kata_attack_{token}.pth").unlink(missing_ok=True)  # only there if the sandbox failed
    data = json.loads(report.read_text(encoding="utf-8")) if report.is_file() else {}
    yield {"done": done, "data": data, "before": before, "after": after, "report": report, "victim": victim,
           "survivors": survivors, "accepted": accepted, "token": token, "seconds": seconds}


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def message(graded, name: str, exercise: str = "01_first_module") -> str:
    entries = {e["name"]: e for e in graded["data"]["submissions"][name]["exercises"]}
    return entries[exercise]["message"]


def test_the_class_is_graded_and_the_report_written(graded):
    done = graded["done"]
    assert done.returncode == 1, done.stdout + done.stderr  # 1: not all complete; 2 would be "cannot trust"
    assert set(graded["data"]["submissions"]) == {"writes", "neighbour", "environment", "network", "daemon",
                                                  "limits", "escapes", "victim", "bad", "empty"}, done.stdout


def test_nothing_of_the_instructor_is_written(graded):
    # (what the attack wrote under the instructor's paths went to the sandbox's private /tmp, thrown away)
    assert graded["after"] == graded["before"]
    text = message(graded, "writes")
    assert "writes:[" in text and "zz_kata_attack" not in text, text  # the venv is read-only


def test_other_submissions_and_the_shared_bytecode_are_out_of_reach(graded):
    victim = graded["data"]["submissions"]["victim"]
    assert victim["complete"] == victim["total"] == 2, victim
    assert "neighbour:[" in message(graded, "neighbour") and "prefix" not in message(graded, "neighbour")


def test_no_secret_of_the_environment_reaches_learner_code(graded):
    assert "env:{}" in message(graded, "environment")
    everything = graded["done"].stdout + graded["report"].read_text(encoding="utf-8")
    assert graded["token"] not in everything


def test_no_network_and_no_view_of_the_graders_processes(graded):
    text = message(graded, "network")
    assert "net:" in text and "connected" not in text and "LEAK" not in text, text
    assert graded["accepted"] == []


def test_nothing_outlives_grading_and_the_report_is_the_graders(graded):
    assert "daemon:started" in message(graded, "daemon")
    assert graded["survivors"] == []
    assert not graded["report"].is_symlink()
    assert graded["victim"].read_text() == "the instructor's file\n"  # the planted link was replaced, not followed
    assert json.loads(graded["report"].read_text(encoding="utf-8"))["submissions"]


def test_memory_processes_and_disk_are_limited(graded):
    text = message(graded, "limits")
    assert "limits:MemoryError" in text, text
    forks = int(text.split("forks:")[1].split()[0])
    assert forks <= sandbox.LIMITS["processes"] + 5 or os.getuid() != 0 and forks < 300, text
    assert "disk:" in text and "disk:wrote" not in text, text


def test_escape_codes_never_reach_the_terminal_or_the_report(graded):
    assert "escapes:" in message(graded, "escapes")
    for text in (graded["done"].stdout, graded["report"].read_text(encoding="utf-8")):
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\\u001b" not in text


def test_bad_submissions_fail_alone(graded):
    submissions = graded["data"]["submissions"]
    assert "no exercises/ folder" in submissions["empty"]["problem"], submissions["empty"]
    bad = {e["name"]: e for e in submissions["bad"]["exercises"]}
    assert "larger than" in bad["02_import_module"]["message"], bad
    assert bad["01_first_module"]["total"] == 3, bad  # graded despite the loops and the undecodable name
