"""33 which interpreter: each Python (each venv) has its own site-packages; ask the interpreter you mean."""
import json
import zipfile
from pathlib import Path

KEYS = {"executable": str, "prefix": str, "base_prefix": str, "site_packages": str, "in_venv": bool}
FACTS = ("import json, sys, sysconfig; print(json.dumps({'prefix': sys.prefix, 'base_prefix': sys.base_prefix, "
         "'site_packages': sysconfig.get_path('purelib')}))")
PATHS = ("import json, sys, sysconfig; print(json.dumps({'site_packages': sysconfig.get_path('purelib'), "
         "'stdlib': sysconfig.get_path('stdlib'), 'scripts': sysconfig.get_path('scripts'), 'path': sys.path}))")
ASK_HINT = ("Ask that interpreter itself: `subprocess.run([python, \"-c\", code], capture_output=True, text=True)` "
            "with code that prints what you need (json.dumps of a dict), then json.loads its output.")


# Run by other's python: install for target, then see whether other itself can now import the package.
INSTALL = """import importlib, json, installer
returned = installer.install({wheel!r}, {target!r})
importlib.invalidate_caches()
try:
    import greetlib
    seen = True
except ImportError:
    seen = False
print(json.dumps([returned if isinstance(returned, str) else repr(returned), seen]))
"""


def facts(ex, python):
    """What `python` says about itself, asked by the test (the truth the learner's answers are held to)."""
    return json.loads(ex.run_code(FACTS, python=python, pythonpath=[], what=f"{python} -c ...").stdout)


def same_path(a, b):
    return isinstance(a, str) and Path(a).resolve() == Path(b).resolve()


def build_wheel(folder):
    """greetlib-1.0-py3-none-any.whl: a zip file with the package and its *.dist-info, as a wheel is."""
    wheel = folder / "greetlib-1.0-py3-none-any.whl"
    files = {
        "greetlib/__init__.py": 'def hello(name):\n    return f"Hello, {name}!"\n',
        "greetlib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: greetlib\nVersion: 1.0\n",
        "greetlib-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: the kata's test\nRoot-Is-Purelib: true\n"
                                        "Tag: py3-none-any\n",
    }
    files["greetlib-1.0.dist-info/RECORD"] = "".join(f"{name},,\n" for name in [*files, "greetlib-1.0.dist-info/RECORD"])
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return wheel


def check_description(ex, got, python, truth, call):
    if not isinstance(got, dict):
        ex.fail(f"{call} should return a dict, not {ex.plain(got)!r}.")
    for key, kind in KEYS.items():
        assert key in got and type(got[key]) is kind, (
            f"{call} should have the key {key!r} with a {kind.__name__} value; got {ex.plain(got)!r}.")
    running = not same_path(got["prefix"], truth["prefix"])
    assert not running, (
        f"{call} says prefix {got['prefix']}, but that interpreter's sys.prefix is {truth['prefix']}.\n"
        f"Reading sys and sysconfig in installer.py answers for the Python running installer.py, not for the "
        f"`python` you were given: that is `pip` installing for another interpreter.\n{ASK_HINT}")
    for key in ("base_prefix", "site_packages"):
        assert same_path(got[key], truth[key]), (
            f"{call}[{key!r}] is {got[key]}, but that interpreter's is {truth[key]}.\n{ASK_HINT}")
    assert Path(got["executable"]).parent.resolve() == Path(python).parent.resolve(), (
        f"{call}['executable'] is {got['executable']}: it should be that interpreter's sys.executable, in "
        f"{ex.show(Path(python).parent)}.")
    in_venv = truth["prefix"] != truth["base_prefix"]
    assert got["in_venv"] is in_venv, (
        f"{call}['in_venv'] is {got['in_venv']}, but that interpreter {'is' if in_venv else 'is not'} in a "
        f"virtual environment: sys.prefix {truth['prefix']}, sys.base_prefix {truth['base_prefix']}.\nIn a "
        f"venv they differ; outside any venv they are equal. ($VIRTUAL_ENV is no sign: only activation sets it, "
        f"and a venv's python run directly, as here, is just as much in the venv.)")


def test_describe_asks_the_interpreter_it_is_given(ex):
    installer = ex.load("installer")
    target = ex.venv("target")
    truth = facts(ex, target.python)
    call = "describe(<the target venv's python>)"
    check_description(ex, ex.call(installer, "describe", str(target.python)), target.python, truth, call)
    # The Python the venv was made from: outside any venv, prefix and base_prefix are the same folder.
    call = f"describe(<the Python the venv was made from, {target.base}>)"
    got = ex.call(installer, "describe", str(target.base))
    base = {"prefix": truth["base_prefix"], "base_prefix": truth["base_prefix"]}
    check_description(ex, got, target.base, {**base, "site_packages": got.get("site_packages")}, call)
    assert not same_path(got["site_packages"], truth["site_packages"]), (
        f"{call}['site_packages'] is the venv's own ({truth['site_packages']}): each interpreter has its own.")


def test_install_lands_where_that_interpreter_looks(ex):
    target, other = ex.venv("target"), ex.venv("other")
    wheel = build_wheel(ex.tmp_path)
    elsewhere = ex.tmp_path / "elsewhere"  # a working folder that holds nothing importable
    elsewhere.mkdir()
    # Fresh interpreters: installer.py runs under *other's* Python (as a `pip` of another interpreter
    # would), so a mistake lands in that throwaway venv, never in the Python running these tests.
    ran = ex.run_code(INSTALL.format(wheel=str(wheel), target=str(target.python)), python=other.python,
                      cwd=elsewhere, what="install(wheel, <target's python>), run by other's python")
    returned, in_other = json.loads((ran.stdout.strip().splitlines() or ["[null, false]"])[-1])
    found = ex.run_code("import sysconfig; print(sysconfig.get_path('purelib'))\n"
                        "import greetlib; print(greetlib.__file__); print(greetlib.hello('Ada'))",
                        python=target.python, pythonpath=[], cwd=elsewhere, check=False,
                        what="import greetlib (with target's python)")
    site, file, greeting = (found.stdout.strip().splitlines() + ["", "", ""])[:3]
    if found.returncode != 0:
        ex.fail(f"After install(wheel, <target's python>), target's Python cannot import greetlib"
                + (": it went into the site-packages of the interpreter that ran installer.py (other's).\n"
                   if in_other else f" (install returned {returned!r}; target's site-packages is {site}).\n")
                + ASK_HINT)
    assert Path(file).resolve().is_relative_to(Path(site).resolve()), (
        f"target's Python imports greetlib from {file}, not from its site-packages {site}.")
    assert greeting == "Hello, Ada!", f"greetlib.hello('Ada') gave {greeting!r}: unpack the wheel as it is."
    assert same_path(returned, site), (f"install() should return the folder it unpacked into, as a str ({site}), "
                                       f"not {returned!r}.")
    assert not in_other, (
        "other's Python can import greetlib too, but install() was asked for target's only. Unpack into "
        "target's site-packages and nowhere else.")


def test_looks_in_explains_why_the_other_cannot_import_it(ex):
    installer = ex.load("installer")
    target, other = ex.venv("target"), ex.venv("other")
    truth = json.loads(ex.run_code(PATHS, python=target.python, pythonpath=[], what=f"{target.python} -c ...").stdout)
    # What target's python searches is its sys.path: not only its site-packages (its standard library, in the
    # Python the venv was made from, too), and not every folder of the venv (its bin/ or Scripts/).
    cases = (("other", other.python, truth["site_packages"], "target's site-packages"),
             ("target", target.python, truth["site_packages"], "target's site-packages"),
             ("target", target.python, truth["stdlib"], "target's standard library folder"),
             ("target", target.python, truth["scripts"], f"the venv's {Path(truth['scripts']).name}/ folder"))
    for name, python, folder, what in cases:
        expected = folder in truth["path"] if name == "target" else False
        got = ex.call(installer, "looks_in", str(python), folder)
        assert ex.same(got, expected), (
            f"looks_in(<{name}'s python>, <{what}>) should be {expected}: that folder ({ex.show(folder)}) is "
            f"{'' if expected else 'not '}on that interpreter's sys.path (got {ex.plain(got)!r}). "
            + ("An interpreter searches every folder on its sys.path, not only its site-packages: ask it for its "
               "sys.path.\n" if expected else "Being on disk, or inside the interpreter's prefix, is not being on "
               "sys.path: ask the interpreter for its sys.path.\n")
            + (ASK_HINT if ex.same(got, not expected) else "Return a bool."))
