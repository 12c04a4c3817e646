"""34 how sys.path is built: import through the package, so the project works however it is started."""
import ast
import configparser
import sys

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

EXPECTED = "pen: 1.80\nnotebook: 3.90"
# -P (3.11+) leaves both the script's and the working folder out of sys.path; 3.10 has no such option.
SAFE_PATH = ("-P",) if sys.version_info >= (3, 11) else ()
FIX = "write `from shop.prices import with_tax` (or the relative `from .prices import with_tax`)"


def siblings(ex):
    return {p.stem for p in ex.path("shop").glob("*.py")} - {"__init__"}


def test_report_imports_through_its_package(ex):
    for node in ast.walk(ex.tree("shop/report.py")):
        named = [a.name for a in node.names] if isinstance(node, ast.Import) else \
            [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else []
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
    """Where pytest would read its settings here: pytest.ini wins over pyproject.toml, even when empty."""
    ini = ex.path("pytest.ini")
    if ini.is_file():
        parser = configparser.ConfigParser()
        parser.read_string(ex.source("pytest.ini"))
        value = parser.get("pytest", "pythonpath", fallback="") if parser.has_section("pytest") else ""
        return "pytest.ini", value.split()
    project = ex.path("pyproject.toml")
    if project.is_file():
        table = tomllib.loads(ex.source("pyproject.toml")).get("tool", {}).get("pytest", {}).get("ini_options", {})
        value = table.get("pythonpath", [])
        return "pyproject.toml", value.split() if isinstance(value, str) else list(value)
    return None, []


def test_pytest_sees_the_project_like_python_m_pytest(ex):
    # Read, not run: starting pytest in a subprocess costs more than every other check here. The three
    # settings are the ones pytest documents for its default (prepend) import mode.
    source, pythonpath = pytest_settings(ex)
    if any(entry.rstrip("/\\") in (".", "") for entry in pythonpath):
        return
    if ex.path("conftest.py").is_file() or ex.path("tests/__init__.py").is_file():
        return
    ignored = ""
    if source == "pytest.ini" and ex.path("pyproject.toml").is_file() and "pythonpath" in ex.source("pyproject.toml"):
        ignored = ("\nYour pyproject.toml sets pythonpath, but pytest.ini is here and wins over it, even when "
                   "it says little: put the setting in pytest.ini.")
    ex.fail(f"`pytest` started in {ex.show(ex.dir)}/ would not find `shop`: the `pytest` script puts its own bin/ "
            f"first on sys.path (not the working folder, as `python -m pytest` does), and pytest adds tests/, the "
            f"first folder above tests/test_report.py without __init__.py.{ignored}\nAdd `pythonpath = .` to the "
            f"[pytest] section of pytest.ini, or an empty conftest.py beside it, or tests/__init__.py.")
