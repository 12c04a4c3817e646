"""28 lazy attributes: a module-level __getattr__/__dir__ (PEP 562) imports a submodule on first access."""
import ast

INIT = "bigpkg/__init__.py"


def top_level_function(ex, name):
    for node in ex.tree(INIT).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    return None


def load_light(ex):
    """Import bigpkg fresh and insist that doing so did not import bigpkg.heavy."""
    bigpkg = ex.load("bigpkg")  # also forgets any bigpkg.* loaded before, so this import starts clean
    init_py = ex.show(ex.path(INIT))
    assert "bigpkg.heavy" not in ex.modules, (
        f"`import bigpkg` already imported bigpkg.heavy, the slow submodule. Remove the import of heavy from "
        f"the top level of {init_py} (`from . import heavy`); __getattr__ will import it when it is first used.")
    return bigpkg


def test_importing_the_package_does_not_load_heavy(ex):
    bigpkg = load_light(ex)
    assert "heavy" not in ex.names(bigpkg), (
        f"Right after `import bigpkg`, the name `heavy` should not exist in the module yet (it holds "
        f"{ex.access(bigpkg, 'heavy').value!r}). Do not assign `heavy` in {ex.show(ex.path(INIT))}.")
    assert ex.same(ex.call(bigpkg, "quick", 21), 42), (
        "bigpkg.quick(21) should still return 42; leave quick() as it was.")


def check_signature(ex, function, count, example):
    """A module's __getattr__ takes one argument (the name) and its __dir__ none: no `self`."""
    node = top_level_function(ex, function)
    args = node.args
    positional = args.posonlyargs + args.args
    required = len(positional) - len(args.defaults)
    if required > count or (len(positional) < count and not args.vararg):
        ex.fail(f"{ex.show(ex.path(INIT))}, line {node.lineno}: `def {function}({ast.unparse(args)}):` takes "
                f"{len(positional)} argument(s); Python calls a module's {function} with "
                f"{'one argument, the name' if count else 'no argument'}: `{example}`. (A class's method has "
                f"`self` first; a module-level function has no instance to receive.)")


def test_first_access_imports_heavy(ex):
    init_py = ex.show(ex.path(INIT))
    assert top_level_function(ex, "__getattr__") is not None, (
        f"{init_py} needs a function `def __getattr__(name):` at its top level (not inside anything else). "
        f"Python calls it when `bigpkg.<name>` is not found among the module's names.")
    check_signature(ex, "__getattr__", 1, "def __getattr__(name):")
    bigpkg = load_light(ex)
    try:
        heavy = bigpkg.heavy
    except ModuleNotFoundError as e:
        if e.name != "heavy":
            raise
        raise AssertionError(
            f"`bigpkg.heavy` raised ModuleNotFoundError: {e}\n__getattr__ asked for a top-level module named "
            f"`heavy`, and there is none: the submodule's full name is `bigpkg.heavy`. In {init_py}, write "
            f"`importlib.import_module(\".heavy\", __name__)` (relative to this package) or "
            f"`importlib.import_module(\"bigpkg.heavy\")`.") from None
    except RecursionError:
        node = top_level_function(ex, "__getattr__")
        inner = next((n for n in ast.walk(node) if isinstance(n, ast.ImportFrom)
                      and any(a.name == "heavy" for a in n.names)), None)  # from . / from bigpkg import heavy
        if inner is None:
            raise
        raise AssertionError(
            f"{init_py}, line {inner.lineno}: `{ast.unparse(inner)}` inside __getattr__ never ends "
            f"(RecursionError).\nA from-import first asks the package whether it already has the name, "
            f"hasattr(bigpkg, 'heavy'), and that calls __getattr__ again, which runs the from-import again... "
            f"Import the submodule by name instead: `importlib.import_module(\".heavy\", __name__)`.") from None
    except AttributeError as e:
        raise AssertionError(
            f"`bigpkg.heavy` raised AttributeError: {e}\nbigpkg.__getattr__('heavy') must import the submodule "
            f"and return it: `return importlib.import_module(\".heavy\", __name__)`.") from None
    loaded = ex.modules.get("bigpkg.heavy")
    if loaded is None and getattr(heavy, "__name__", None) == "heavy":
        ex.fail(f"`bigpkg.heavy` is a top-level module named `heavy`, a second copy of heavy.py, not the "
                f"submodule bigpkg.heavy: {init_py} imported it by its bare name (through a sys.path entry that "
                f"points into the package?). Import it as part of its package: "
                f"`importlib.import_module(\".heavy\", __name__)`, and leave sys.path alone.")
    assert loaded is not None and heavy is loaded, (
        f"`bigpkg.heavy` should be the submodule bigpkg.heavy itself (the one in ex.modules), but it is "
        f"{heavy!r}. Import it with importlib.import_module(\".heavy\", __name__) and return the module.")
    assert ex.path("bigpkg/heavy.py").samefile(heavy.__file__), (
        f"bigpkg.heavy was loaded from {heavy.__file__}, not from {ex.show(ex.path('bigpkg/heavy.py'))}.")
    assert bigpkg.heavy is heavy and ex.same(heavy.crunch([1, 2, 3]), 14), (
        "A second `bigpkg.heavy` should give the same module, and bigpkg.heavy.crunch([1, 2, 3]) should be 14.")
    try:
        missing = bigpkg.no_such_name
    except AttributeError:
        pass
    except Exception as e:
        raise AssertionError(
            f"`bigpkg.no_such_name` raised {type(e).__name__}: {e}\nFor an unknown name, __getattr__ must raise "
            f"AttributeError (not another exception), as any module does; hasattr() relies on it.") from None
    else:
        raise AssertionError(
            f"`bigpkg.no_such_name` returned {missing!r}; it should raise AttributeError, as for any module. "
            f"End __getattr__ with `raise AttributeError(f\"module {{__name__!r}} has no attribute {{name!r}}\")` "
            f"(hasattr() and getattr(obj, name, default) rely on that exception).")

def test_dir_lists_heavy_without_loading_it(ex):
    init_py = ex.show(ex.path(INIT))
    assert top_level_function(ex, "__dir__") is not None, (
        f"{init_py} needs a function `def __dir__():` at its top level, returning the names that "
        f"dir(bigpkg) should list: the module's own names plus \"heavy\".")
    check_signature(ex, "__dir__", 0, "def __dir__():")
    bigpkg = load_light(ex)
    names = dir(bigpkg)
    assert "bigpkg.heavy" not in ex.modules, (
        f"dir(bigpkg) imported bigpkg.heavy. __dir__ should only list the name \"heavy\", not import it.")
    assert "heavy" in names, (
        f"dir(bigpkg) should list \"heavy\" (it can be used even before it is loaded), but it gives {names}. "
        f"Add \"heavy\" to what __dir__() returns in {init_py}.")
    lost = [n for n in ("quick", "__version__", "__getattr__") if n not in names]
    assert not lost, (
        f"dir(bigpkg) lost the module's own names {lost}: __dir__() should return the names in globals() "
        f"plus \"heavy\", e.g. `return sorted([*globals(), \"heavy\"])`.")
