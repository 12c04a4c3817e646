"""12 package __init__: names imported in a package's __init__.py become the package's attributes (re-export),
as the very same objects as in the submodule."""
import ast

FUNCTIONS = ("add", "mean")
INIT = "stats/__init__.py"


def is_core(node) -> bool:
    """`from .core import ...` or `from stats.core import ...`: a from-import of the submodule stats.core."""
    return isinstance(node, ast.ImportFrom) and (
        (node.level == 1 and node.module == "core") or (node.level == 0 and node.module == "stats.core"))


def bare_core(ex):
    """The first `from core import ...` (no dot) anywhere in __init__.py, or None."""
    return next((n for n in ast.walk(ex.tree(INIT)) if isinstance(n, ast.ImportFrom) and n.level == 0
                 and n.module == "core"), None)


def no_dot(ex, node) -> str:
    return (f"{ex.show(ex.path(INIT))}, line {node.lineno}: `{ast.unparse(node)}` is written without the dot: "
            f"without a dot, an import is absolute, so Python looks for a top-level module `core` on sys.path, not "
            f"for the file core.py next to __init__.py.\nName the submodule through its package: "
            f"`from .core import add, mean` (or `from stats.core import add, mean`).")


def load_stats(ex):
    """`import stats`, fresh, as a regular package; the classic `from core import ...` explained."""
    def diagnose():
        node = bare_core(ex)
        return no_dot(ex, node) if node else ""
    return ex.assert_regular_package("stats", ex.load("stats", diagnose=diagnose))


def test_package_has_a_version(ex):
    ex.output()
    stats = load_stats(ex)
    init = ex.show(ex.path(INIT))
    printed = ex.output()
    assert not printed.out and not printed.err, (
        f"`import stats` printed {(printed.out or printed.err)!r}. {init} runs when a program first imports the "
        f"package: it is the package's front door, so it defines names and never prints.")
    assert "__version__" in ex.names(stats), (
        f"stats has no `__version__`.\nAdd the line `__version__ = \"1.0.0\"` to {init}:\nevery name defined "
        f"there becomes an attribute of the package.")
    assert ex.same(stats.__version__, "1.0.0"), (
        f"stats.__version__ should be the string '1.0.0', not {ex.type_name(stats.__version__)} "
        f"{ex.plain(stats.__version__)!r}: a version is text, in quotes.")


def test_add_and_mean_are_the_functions_of_core(ex):
    stats = load_stats(ex)
    init = ex.show(ex.path(INIT))
    core = ex.modules.get("stats.core")  # the submodule as __init__.py imported it (never re-import it here)
    if core is None:
        ex.fail(f"`import stats` did not import the submodule stats.core at all.\nIn {init}, import the "
                f"functions from it: `from .core import add, mean`.")
    for name in FUNCTIONS:
        if name not in ex.names(stats):
            ex.fail(f"stats has no attribute `{name}`.\n{init} imports the submodule core, but the names "
                    f"inside it stay there (stats.core.{name}).\nRe-export them into the package: "
                    f"`from .core import add, mean`.")
        assert getattr(stats, name) is getattr(core, name, None), (
            f"stats.{name} is {getattr(stats, name)!r}, not the `{name}` of stats/core.py.\nDo not define or copy "
            f"it in {init}: import it from the submodule, so both names point to one function.")
    result = ex.call(stats, "add", 2, 3)
    assert ex.same(result, 5), f"stats.add(2, 3) should return 5, not {ex.plain(result)!r}."
    result = ex.call(stats, "mean", [1, 2, 3, 4])
    assert ex.same(result, 2.5), f"stats.mean([1, 2, 3, 4]) should return 2.5, not {ex.plain(result)!r}."


def test_init_reexports_with_a_from_import(ex):
    init = ex.show(ex.path(INIT))
    nodes = ex.imports(INIT)
    imported = {a.name for n in nodes if is_core(n) for a in n.names}
    shown = "; ".join(ast.unparse(n) for n in nodes) or "none"
    guarded = next((n for n in ex.tree(INIT).body if isinstance(n, ast.Try)
                    and any(is_core(s) or isinstance(s, ast.ImportFrom) and s.module == "core" for s in ast.walk(n))), None)
    if guarded is not None:
        ex.fail(f"{init}, line {guarded.lineno}: the import of the functions sits in a `try` block with "
                f"`except`: the fallback runs only when the first import fails, and then hides why it failed.\nInside a package `from .core import add, mean` always works: write "
                f"it alone, at the top level.")
    if "*" in imported:
        ex.fail(f"{init} re-exports with a star import, `from .core import *`: that makes every public name of "
                f"core (today's and tomorrow's) a name of the package. Name the two functions: "
                f"`from .core import add, mean`.")
    missing = [name for name in FUNCTIONS if name not in imported]
    node = bare_core(ex)
    if missing and node is not None:
        ex.fail(no_dot(ex, node))
    assigned = [n for n in ex.tree(INIT).body if isinstance(n, (ast.Assign, ast.AnnAssign))
                and any(isinstance(t, ast.Name) and t.id in missing
                        for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))]
    assert not missing, (
        f"{init} should re-export with a from-import at its top level:\n`from .core import add, mean` "
        f"(missing: {', '.join(missing)})."
        + (f"\nLine {assigned[0].lineno}, `{ast.unparse(assigned[0])}`, assigns the name by hand; the from-import "
           f"binds it for you, to the same function." if assigned else "")
        + f"\nIts top-level imports now: {shown}")
