"""12 package __init__: names imported in a package's __init__.py become the package's attributes (re-export),
as the very same objects as in the submodule."""
import ast

import pytest


FUNCTIONS = ("add", "mean")


def load_stats(ex):
    """`import stats`, fresh; explains the classic `from core import ...` inside a package."""
    try:
        return ex.assert_regular_package("stats")
    except pytest.fail.Exception as e:
        if "No module named `core`" not in str(e):
            raise
    # outside the `except`, so the report shows no chained traceback
    ex.fail(f"{ex.show(ex.path('stats/__init__.py'))}: `from core import ...` fails with "
                 f"ModuleNotFoundError: No module named 'core'.\nWithout a dot, an import is absolute: Python "
                 f"looks for a top-level module `core` on sys.path, not for the file core.py next to __init__.py.\n"
                 f"Name the submodule through its package: `from .core import add, mean` (or `from stats.core "
                 f"import add, mean`).")


def test_package_has_a_version(ex):
    stats = load_stats(ex)
    init = ex.show(ex.path("stats/__init__.py"))
    assert hasattr(stats, "__version__"), (
        f"stats has no `__version__`.\nAdd the line `__version__ = \"1.0.0\"` to {init}:\nevery name defined "
        f"there becomes an attribute of the package.")
    assert stats.__version__ == "1.0.0", (
        f"stats.__version__ should be the string '1.0.0', not {stats.__version__!r}.")


def test_add_and_mean_are_the_functions_of_core(ex):
    stats = load_stats(ex)
    init = ex.show(ex.path("stats/__init__.py"))
    core = ex.modules.get("stats.core")  # the submodule as __init__.py imported it (never re-import it here)
    if core is None:
        ex.fail(f"`import stats` did not import the submodule stats.core at all.\nIn {init}, import the "
                     f"functions from it: `from .core import add, mean`.")
    for name in FUNCTIONS:
        if not hasattr(stats, name):
            ex.fail(f"stats has no attribute `{name}`.\n{init} imports the submodule core, but the names "
                         f"inside it stay there (stats.core.{name}).\nRe-export them into the package: "
                         f"`from .core import add, mean`.")
        assert getattr(stats, name) is getattr(core, name, None), (
            f"stats.{name} is {getattr(stats, name)!r}, not the `{name}` of stats/core.py.\nDo not define or copy "
            f"it in {init}: import it from the submodule, so both names point to one function.")
    assert stats.add(2, 3) == 5, f"stats.add(2, 3) should return 5, not {stats.add(2, 3)!r}."
    assert stats.mean([1, 2, 3, 4]) == 2.5, (
        f"stats.mean([1, 2, 3, 4]) should return 2.5, not {stats.mean([1, 2, 3, 4])!r}.")


def test_init_reexports_with_a_from_import(ex):
    init = ex.show(ex.path("stats/__init__.py"))
    imported = set()
    for node in ex.imports("stats/__init__.py"):
        if isinstance(node, ast.ImportFrom) and (
                (node.level == 1 and node.module == "core") or (node.level == 0 and node.module == "stats.core")):
            imported |= {a.name for a in node.names}
    missing = [name for name in FUNCTIONS if name not in imported]
    shown = "; ".join(ast.unparse(n) for n in ex.imports("stats/__init__.py")) or "none"
    no_dot = any(isinstance(n, ast.ImportFrom) and n.level == 0 and n.module == "core"
                 for n in ex.imports("stats/__init__.py"))
    assert not (missing and no_dot), (
        f"{init} has `from core import ...` without the dot: that names a top-level module `core`, not the "
        f"submodule core.py of the package.\nWrite `from .core import add, mean`.\nIts top-level imports now: "
        f"{shown}")
    assert not missing, (
        f"{init} should re-export with a from-import at its top level:\n`from .core import add, mean` "
        f"(missing: {', '.join(missing)}).\nIts top-level imports now: {shown}")
