"""K4xx: packages. Relative imports, __init__.py, submodules, one file loaded under two names."""
from __future__ import annotations

import ast
import difflib
from pathlib import Path

from kata.diagnoses.catalogue import Example, entry
from kata.diagnoses.facts import Facts


def _relative(f: Facts) -> ast.ImportFrom | None:
    """The failing statement, when it is a relative import."""
    statement = f.statement()
    return statement if isinstance(statement, ast.ImportFrom) and statement.level else None


def _imports_init(f: Facts) -> ast.stmt | None:
    statement = f.statement()
    if isinstance(statement, ast.ImportFrom) and (statement.module or "").split(".")[-1] == "__init__":
        return statement
    if isinstance(statement, ast.Import) and any(a.name.split(".")[-1] == "__init__" for a in statement.names):
        return statement
    return None


@entry("K401", "`from __init__ import ...`: the package's __init__.py imported as a module of its own", example=Example(
    files={"greeter/__init__.py": "greeting = 'Hello'\n",
           "greeter/__main__.py": "from __init__ import greeting\n\nprint(greeting)\n"},
    run="module greeter",
    fix={"greeter/__main__.py": "from greeter import greeting\n\nprint(greeting)\n"}),
    explanation="""
    __init__.py is the package itself: its names are the package's names. Imported by its file name,
    `__init__` is a different, top-level module: it is found only when the package's own folder happens to be
    on sys.path, and then the file runs a second time, as a second module with copies of everything. Its
    relative spelling `from .__init__ import ...` also runs it twice (as `greeter.__init__`, besides
    `greeter`). A module of the package reads the package's names from the package: by its name
    (`from greeter import ...`) or with a relative import of the package itself (`from . import ...`).""",
    seen_in=("https://github.com/python/mypy/issues/9716",))
def import_init(f: Facts):
    node = _imports_init(f)
    if node is None and not ("ModuleNotFoundError" in f.kinds and (f.name or "").split(".")[-1] == "__init__"):
        return None
    package = f.package_of(f.failing_file) if f.failing_file else ""
    return (f"{f.show(f.failing_file) if f.failing_file else 'This file'} imports `__init__` by name. "
            f"__init__.py is the package `{package or 'itself'}`: imported under the name `__init__` it is a "
            f"different module, found only by accident, whose body runs a second time. Read the package's names "
            f"from the package itself (by its name, or relatively from `.`).")


@entry("K402", "a relative import in a script run directly", example=Example(
    files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {'tea': 3}\n",
           "shop/cart.py": "from .prices import PRICES\n\nprint(PRICES['tea'])\n"},
    run="script shop/cart.py", fix={}, fix_run="module shop.cart"),
    explanation="""
    A relative import (`from . import x`, `from .x import y`) finds modules from the package of the file that
    runs it, recorded in its __package__. A file run as a script (`python shop/cart.py`) is the module
    `__main__`, of no package, even when its folder is one: its dots mean nothing. Run a module of a package
    with -m and its full name, from the folder above the package (`python -m shop.cart`); then its package is
    known and relative imports work.""",
    seen_in=("https://stackoverflow.com/questions/14132789/relative-imports-for-the-billionth-time",))
def relative_in_script(f: Facts):
    node = _relative(f)
    if node is None or "ImportError" not in f.kinds or f.started != "script" or not f.failing_file:
        return None
    if Path(f.target).resolve() != f.failing_file.resolve() or not f.package_of(f.failing_file):
        return None
    dotted = f"{f.package_of(f.failing_file)}.{f.failing_file.stem}"
    return (f"{f.show(f.failing_file)} uses a relative import, but it was run as a script: a script is the "
            f"module __main__, of no package, so its dots have nothing to start from. It belongs to a package: "
            f"run it with -m as `{dotted}` from the folder above the package.")


@entry("K403", "a relative import in a file that belongs to no package", example=Example(
    files={"main.py": "from .helpers import shout\n\nprint(shout('hi'))\n",
           "helpers.py": "def shout(text):\n    return text.upper()\n"},
    run="script main.py", fix={"main.py": "from helpers import shout\n\nprint(shout('hi'))\n"}),
    explanation="""
    The dots of a relative import count packages: `.` is the package of this file. A file in a folder without
    __init__.py, imported or run by its plain name, is a top-level module of no package, so its dots have no
    package to start from. Its neighbours are top-level modules too (its folder is on sys.path): import them
    by their plain names. Relative imports belong inside packages.""",
    seen_in=("https://stackoverflow.com/questions/14132789/relative-imports-for-the-billionth-time",))
def relative_no_package(f: Facts):
    node = _relative(f)
    if node is None or "ImportError" not in f.kinds or not f.failing_file or f.package_of(f.failing_file):
        return None
    return (f"{f.show(f.failing_file)} uses a relative import, but it belongs to no package (its folder has no "
            f"__init__.py, and it was loaded by its plain name): a relative import counts packages from the "
            f"file's own, and this file has none. Its neighbours are top-level modules: import them by name.")


@entry("K404", "a relative import that climbs above the top-level package", example=Example(
    files={"shop/__init__.py": "", "shop/cart.py": "from ..helpers import shout\n",
           "helpers.py": "def shout(text):\n    return text.upper()\n"},
    run="import shop.cart", fix={"shop/cart.py": "from helpers import shout\n"}),
    explanation="""
    In a relative import the first dot is the file's own package and each further dot climbs one package up.
    Above the top-level package there is nothing: the folder that holds it is not a package, so `..` from a
    module of a top-level package fails. Count the packages between the file and the module it needs; a module
    outside every package is imported by its absolute name.""")
def beyond_top(f: Facts):
    node = _relative(f)
    if node is None or "ImportError" not in f.kinds or not f.failing_file:
        return None
    package = f.package_of(f.failing_file)
    if not package or node.level <= len(package.split(".")):
        return None
    return (f"{f.show(f.failing_file)}: `{ast.unparse(node)}` climbs {node.level - 1} package(s) up from "
            f"`{package}`, above the top-level package: the first dot is the file's own package, and each "
            f"further dot one package up.")


def _init_lookalike(folder: Path) -> str | None:
    names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    found = difflib.get_close_matches("__init__.py", names, n=1, cutoff=0.6)
    return found[0] if found and found[0] != "__init__.py" else None


def _namespace_folder(f: Facts) -> Path | None:
    """A package folder without __init__.py that the failure is about."""
    if "ImportError" in f.kinds and "ModuleNotFoundError" not in f.kinds and f.name and not f.path:
        for d in f.search_dirs():
            folder = d / f.name.replace(".", "/")
            if folder.is_dir() and not (folder / "__init__.py").exists():
                return folder
    if "AttributeError" in f.kinds and f.owner:
        for d in f.search_dirs():
            folder = d / f.owner.replace(".", "/")
            if folder.is_dir() and not (folder / "__init__.py").exists() and not (folder / f"{f.name}.py").exists():
                return folder
    return None


@entry("K405", "a misnamed __init__.py", example=Example(
    files={"main.py": "from shop import VERSION\n", "shop/__init.py": "VERSION = '1.0'\n"},
    run="import main", fix={"shop/__init.py": None, "shop/__init__.py": "VERSION = '1.0'\n"}),
    explanation="""
    A folder is a regular package when it holds a file named exactly __init__.py: two underscores on each side,
    ending in .py. Python runs that file when the package is imported, and its names are the package's names.
    __init.py, init.py or __init__.py.txt are ordinary files that Python never runs: the folder is then a
    namespace package, with no code and no names of its own.""",
    seen_in=("https://github.com/Hyperion101010/naukri-scraper/issues/10",))
def misnamed_init(f: Facts):
    folder = _namespace_folder(f)
    lookalike = _init_lookalike(folder) if folder else None
    if lookalike:
        return (f"{f.show(folder)}/ has a file {lookalike!r}, but a package's code must be in a file named exactly "
                f"__init__.py (two underscores on each side): Python never runs {lookalike}, so the package has "
                f"none of its names.")


@entry("K406", "a package folder without __init__.py (a namespace package)", example=Example(
    files={"main.py": "from shop import VERSION\n", "shop/cart.py": "ITEMS = []\n"},
    run="import main", fix={"shop/__init__.py": "VERSION = '1.0'\n"}),
    explanation="""
    A folder without __init__.py still imports, as a namespace package: a package made only of folders, with no
    code, no __file__ and no names of its own ("unknown location" in error messages). Names defined nowhere
    cannot be imported from it. When the folder is meant to be one package with package-level names, give it
    an __init__.py that defines (or imports) them.""",
    seen_in=("https://github.com/espnet/espnet/issues/1831",
             "https://github.com/gregmalcolm/python_koans/pull/36",))
def namespace(f: Facts):
    folder = _namespace_folder(f)
    if folder is None:
        return None
    module = folder.with_name(folder.name + ".py")
    if module.is_file():  # a module beside the folder wins: the import never reached the namespace package
        return (f"{f.show(folder)}/ has no __init__.py, and the module {f.show(module)} beside it takes the name "
                f"ahead of it (a folder without __init__.py is only a namespace package, found when no module of "
                f"that name is): the name is that plain module, not a package, so nothing in {folder.name}/ can "
                f"be imported through it. Remove or rename {module.name}, and give the folder an __init__.py.")
    missing = f.wanted or f.name if "AttributeError" in f.kinds else f.wanted
    return (f"{f.show(folder)}/ has no __init__.py, so Python imported it as a namespace package: a folder with "
            f"no code, no __file__ and no package-level names" + (f", so it has no `{missing}`" if missing else "")
            + f". A package with names of its own needs the file {f.show(folder / '__init__.py')}.")


@entry("K407", "a submodule used without importing it", example=Example(
    files={"main.py": "import shop\n\nprint(shop.prices.PRICES)\n", "shop/__init__.py": "",
           "shop/prices.py": "PRICES = {'tea': 3}\n"},
    run="import main", fix={"main.py": "import shop.prices\n\nprint(shop.prices.PRICES)\n"}),
    explanation="""
    Importing a package runs its __init__.py, nothing more: its submodules are loaded only when something
    imports them (`import shop.prices`, `from shop import prices`, or an import in __init__.py). Only then does
    the submodule become an attribute of the package.""",
    seen_in=("https://github.com/pnnl/neuromancer/issues/43",
             "https://github.com/shakedzy/dython/issues/41",
             "https://github.com/getlogbook/logbook/issues/269",
             "https://github.com/autotest/virt-test/pull/2068",))
def submodule_not_imported(f: Facts):
    if "AttributeError" not in f.kinds or not f.owner or not f.name:
        return None
    for d in f.search_dirs():
        folder = d / f.owner.replace(".", "/")
        sub = next((c for c in (folder / f"{f.name}.py", folder / f.name) if c.exists()), None)
        if sub is not None and folder.is_dir():
            return (f"`{f.name}` is {f.show(sub)}, a submodule of the package `{f.owner}`, but nothing imported it: "
                    f"importing a package runs only its __init__.py, and a submodule becomes an attribute of the "
                    f"package once it is imported itself.")


@entry("K408", "one file imported twice under two names", example=Example(
    files={"main.py": "from shop.registry import PLUGINS\nimport shop.plugins\n\nprint(PLUGINS[0])\n",
           "shop/__init__.py": "", "shop/registry.py": "PLUGINS = []\n",
           "shop/plugins.py": ("import os, sys\n\nsys.path.insert(0, os.path.dirname(__file__))\n"
                               "from registry import PLUGINS\n\nPLUGINS.append('csv')\n")},
    run="import main",
    fix={"shop/plugins.py": "from .registry import PLUGINS\n\nPLUGINS.append('csv')\n"}),
    explanation="""
    Python keeps one module object per module *name* (sys.modules), not per file. When a folder inside a
    package is also on sys.path (a sys.path hack, or running a file of the package as a script), the same file
    can be imported as `shop.registry` and as `registry`: two module objects, the file's code run twice, two
    separate lists and classes, so what one part of the program adds, the other never sees. Import each module
    under one name only: by its full name or relatively inside its package, with no sys.path tricks.""",
    seen_in=("https://mail.python.org/pipermail/python-list/2017-April/721350.html",))
def twice(f: Facts):
    by_file: dict[str, list[str]] = {}
    for name, path in f.modules.items():
        by_file.setdefault(path, []).append(name)
    doubled = next(((p, sorted(n)) for p, n in by_file.items() if len(n) > 1 and "__main__" not in n), None)
    if doubled is None:
        return None
    path, names = doubled
    return (f"{f.show(path)} is loaded twice, as {' and as '.join(f'`{n}`' for n in names)}: Python keeps one "
            f"module per name, so these are two modules with separate copies of every name, and what one part of "
            f"the program changes, the other does not see. Import it under one name only (no sys.path tricks).")


def _import_module_call(f: Facts) -> ast.Call | None:
    """The call to importlib.import_module (under any name) on the failing line of the failing file."""
    if not f.where:
        return None
    tree = f.tree(f.where[0])
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module" \
                and node.lineno <= f.where[1] <= (node.end_lineno or node.lineno):
            return node
    return None


def _leading_dot(node: ast.expr) -> bool:
    """Whether the expression is a str that starts with a dot, by its source: '.x', "." + name, f".{name}"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.startswith(".")
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _leading_dot(node.left)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_dot(node.values[0])
    return False


def _relative_name_argument(f: Facts) -> str | None:
    """The relative name given to import_module without a package: from the raising frame's own variables
    (in this process), else from the call's source."""
    tb = getattr(f.error, "__traceback__", None)
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None and tb.tb_frame.f_code.co_name == "import_module" \
            and "importlib" in tb.tb_frame.f_code.co_filename:
        name, package = tb.tb_frame.f_locals.get("name"), tb.tb_frame.f_locals.get("package")
        return name if isinstance(name, str) and name.startswith(".") and not package else None
    call = _import_module_call(f)
    if f.error is None and call is not None and call.args and len(call.args) == 1 and not call.keywords \
            and _leading_dot(call.args[0]) and f.frames and f.frames[-1][0].replace("\\", "/").endswith(
                "importlib/__init__.py"):
        return ast.unparse(call.args[0])
    return None


@entry("K409", "a relative name given to importlib.import_module without its package", example=Example(
    files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {'tea': 3}\n",
           "shop/loader.py": "import importlib\n\n\ndef load_prices():\n    return importlib.import_module('.prices')\n"},
    run="call shop.loader.load_prices",
    fix={"shop/loader.py": "import importlib\n\n\ndef load_prices():\n    return importlib.import_module('.prices', "
                           "__package__)\n"}),
    explanation="""
    importlib.import_module(name, package=None) imports a module by its name. A name that starts with a dot is
    relative, as in `from . import x`, but import_module cannot see which module called it: the dots are
    counted from the package given as its second argument, and without one there is nothing to count from
    (TypeError: the 'package' argument is required). Give it the package (`import_module('.' + name,
    __package__)`, or the package's __name__), or pass the absolute name (`f'{__package__}.{name}'`).""",
    seen_in=("https://github.com/BytedProtein/ByProt/issues/8",
             "https://github.com/PaddlePaddle/PaddleOCR/issues/1085",))
def relative_import_module(f: Facts):
    if "TypeError" not in f.kinds or not f.where:
        return None
    name = _relative_name_argument(f)
    if not name:
        return None
    return (f"line {f.where[1]} of {f.show(f.where[0])} gives importlib.import_module the relative name {name!r} "
            f"and no package: a leading dot counts packages from the package given as its second argument, and "
            f"import_module cannot see which module called it. Give it the package as its second argument, or "
            f"the module's full name.")
