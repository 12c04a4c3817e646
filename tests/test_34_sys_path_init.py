"""34 how sys.path is built: import through the package, so the project works however it is started."""
import ast
import shlex
import sys
from pathlib import Path

from _pytest.config.findpaths import CONFIG_LOADERS_BY_NAME  # pytest's own readers of its config files

EXPECTED = "pen: 1.80\nnotebook: 3.90"
# -P (3.11+) leaves both the script's and the working folder out of sys.path; 3.10 has no such option.
SAFE_PATH = ("-P",) if sys.version_info >= (3, 11) else ()
FIX = "write `from shop.prices import with_tax` (or the relative `from .prices import with_tax`)"


def siblings(ex):
    return {p.stem for p in ex.path("shop").glob("*.py")} - {"__init__"}


def by_name(call):
    """Whether a call is importlib.import_module("x") or __import__("x") of an absolute name in a string (a
    relative one, ".prices" with a package, goes through the package)."""
    return (getattr(call.func, "attr", getattr(call.func, "id", None)) in ("import_module", "__import__")
            and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
            and not call.args[0].value.startswith(".")
            and not any(k.arg == "level" for k in call.keywords) and len(call.args) < 5)


def test_report_imports_through_its_package(ex):
    for node in ast.walk(ex.tree("shop/report.py")):
        named = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
            [node.args[0].value] if isinstance(node, ast.Call) and by_name(node) else []
        for name in named:
            if name and name.partition(".")[0] in siblings(ex):
                ex.fail(f"{ex.show(ex.path('shop/report.py'))}, line {node.lineno}: `{ast.unparse(node)}` finds "
                        f"shop/{name.partition('.')[0]}.py only when shop/ itself is on sys.path, which happens only "
                        f"for `python shop/report.py`, and then it is a second, top-level copy of the module.\n"
                        f"Inside the package, {FIX}, with no fallback to the bare name.")


def check_output(ex, result):
    out = result.stdout.strip()
    assert out == EXPECTED, (f"`{result.command}` should print the price list\n{EXPECTED}\nnot {out!r}. Keep "
                             f"lines() and main() as they were.")


def test_runs_with_dash_m_and_dash_c_from_the_project_folder(ex):
    # Fresh interpreters: sys.path is built when Python starts, differently for -m and -c.
    for result in (ex.run_module("shop.report", cwd=ex.dir, pythonpath=[], check=False),
                   ex.run_code("from shop.report import main; main()", cwd=ex.dir, pythonpath=[], check=False,
                               what=f'python -c "from shop.report import main; main()" (in {ex.show(ex.dir)}/)')):
        ex.expect_success(result)
        check_output(ex, result)


def test_runs_from_another_folder_with_pythonpath(ex):
    # A fresh interpreter started elsewhere: only PYTHONPATH can make the project importable (-P adds no folder).
    elsewhere = ex.tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = (f"PYTHONPATH={ex.show(ex.dir)} python{''.join(' ' + f for f in SAFE_PATH)} -m shop.report "
               f"(started in another folder)")
    result = ex.run_module("shop.report", cwd=elsewhere, flags=SAFE_PATH, check=False, what=command)
    ex.expect_success(result)
    check_output(ex, result)


def test_prices_is_loaded_once(ex):
    report = ex.load("shop.report")
    copies = [name for name in ("prices",) if name in ex.modules]
    assert not copies, (
        f"Importing shop.report also loaded a top-level module `prices`, a second copy of shop/prices.py beside "
        f"`shop.prices` (did something put shop/ on sys.path?). Two copies have two TAX_RATEs: changing one "
        f"changes nothing in the other.\nDo not edit sys.path; {FIX}.")
    prices = ex.load("shop.prices", fresh=False)
    prices.TAX_RATE = 0.5
    got = ex.call(report, "lines")
    assert ex.same(got[:1] if isinstance(got, list) else got, ["pen: 2.25"]), (
        f"With shop.prices.TAX_RATE set to 0.5, lines() should start with 'pen: 2.25', got {ex.plain(got)!r}: "
        f"report.py must use the one module shop.prices (no copy of TAX_RATE or of with_tax's result).")


def pytest_settings(ex):
    """What `pytest` started in this folder reads, as pytest itself reads it: its config files in its own order
    (pytest.toml, .pytest.toml, pytest.ini, .pytest.ini, pyproject.toml, tox.ini, setup.cfg; the first that has
    pytest settings wins, even when it says little) parsed by its own loaders. Returns (file, settings, the
    files it ignores although they set something for pytest, or the error pytest would stop with)."""
    chosen, settings, ignored = None, {}, []
    for name, loader in CONFIG_LOADERS_BY_NAME.items():
        if not ex.path(name).is_file():
            continue
        try:
            found = loader(ex.path(name))
        except Exception as e:  # pytest's UsageError or failure: pytest would stop on this file
            return name, {}, [], f"{type(e).__name__}: {e}"
        if found is not None and chosen is None:
            chosen, settings = name, {key: value.value for key, value in found.items()}
        elif found is not None:
            ignored.append(name)
    return chosen, settings, ignored, ""


def tokens(value):
    """A setting's words, as pytest splits an ini string (shlex) or takes a TOML list."""
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError:
            return value.split()
    return [str(v) for v in value] if isinstance(value, list) else []


def test_pytest_sees_the_project_like_python_m_pytest(ex):
    # Read, not run: starting pytest in a subprocess costs more than every other check here. The three
    # settings are the ones pytest documents for its default (prepend) import mode.
    source, settings, ignored, error = pytest_settings(ex)
    if error:
        ex.fail(f"`pytest` started in {ex.show(ex.dir)}/ would stop at once: {source} cannot be read as pytest "
                f"settings ({error}).")
    where = ex.path(source).parent if source else ex.dir
    pythonpath = tokens(settings.get("pythonpath", []))
    for entry in pythonpath:
        if Path(entry).is_absolute() and (where / entry).resolve() == ex.dir.resolve():
            ex.fail(f"{source}: `pythonpath` names this folder by its absolute path ({entry}): that works only while "
                    f"the project is where it is now, on this machine. Write it relative to {source}'s folder: `.`.")
    if any((where / entry).resolve() == ex.dir.resolve() for entry in pythonpath):
        return
    options = tokens(settings.get("addopts", ""))
    mode = next((o.partition("=")[2] or (options[i + 1] if i + 1 < len(options) else "")
                 for i, o in enumerate(options) if o.partition("=")[0] == "--import-mode"), "prepend")
    helper = "conftest.py" if ex.path("conftest.py").is_file() else \
        "tests/__init__.py" if ex.path("tests/__init__.py").is_file() else ""
    if helper and mode != "importlib":
        return
    if helper:
        ex.fail(f"{source} sets `--import-mode={mode}` in addopts: in that mode pytest puts no folder on sys.path "
                f"for {helper}, so `pytest` started in {ex.show(ex.dir)}/ would not find `shop`.\nAdd "
                f"`pythonpath = .` to the pytest settings of {source} (it works in every import mode).")
    said = ""
    if ignored and any("pythonpath" in ex.source(name) for name in ignored):
        said = (f"\nYour {' and '.join(ignored)} {'sets' if len(ignored) == 1 else 'set'} `pythonpath`, but "
                f"{source} is here and wins over {'it' if len(ignored) == 1 else 'them'}, even when it says little: "
                f"pytest reads one config file only. Put the setting in {source}.")
    elif any(key.lower() == "pythonpath" != key for key in settings):
        key = next(key for key in settings if key.lower() == "pythonpath" != key)
        said = (f"\n{source} sets `{key}`, which pytest does not know (it warns and goes on): its settings are "
                f"case-sensitive, and this one is `pythonpath`.")
    elif pythonpath:
        said = (f"\n{source} sets `pythonpath` to {' '.join(pythonpath)}, relative to its own folder: that is not "
                f"the project folder, the one that holds shop/.")
    ex.fail(f"`pytest` started in {ex.show(ex.dir)}/ would not find `shop`: the `pytest` script puts its own bin/ "
            f"first on sys.path (not the working folder, as `python -m pytest` does), and pytest adds tests/, the "
            f"first folder above tests/test_report.py without __init__.py.{said}\nAdd `pythonpath = .` to the "
            f"pytest settings ({source or 'pytest.ini'}), or an empty conftest.py beside it, or tests/__init__.py.")
