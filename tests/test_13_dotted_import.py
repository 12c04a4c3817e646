"""13 dotted import: importing a package runs only its __init__.py; `import calculations.math_operations`
loads the submodule too, and binds the top-level name `calculations`."""
import ast

PACKAGE, SUBMODULE = "calculations", "calculations.math_operations"
EXPECTED = ["2 + 3 = 5", "7 - 4 = 3"]
FUNCTIONS = {"add", "subtract"}


def submodule_imports(ex) -> dict[str, tuple[str, int]]:
    """{name bound in main.py: (what it is: "package", "submodule" or a function's name, line)} for the
    top-level imports that load the submodule by its dotted name."""
    bound: dict[str, tuple[str, int]] = {}
    for node in ex.imports("main.py"):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == SUBMODULE:
                    bound[a.asname or PACKAGE] = ("submodule" if a.asname else "package", node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for a in node.names:
                if node.module == PACKAGE and a.name == "math_operations":
                    bound[a.asname or a.name] = ("submodule", node.lineno)
                elif node.module == SUBMODULE and a.name != "*":
                    bound[a.asname or a.name] = (a.name, node.lineno)
    bound.update({name: ("submodule", line) for name, line in ex.module_bindings("main.py", SUBMODULE).items()})
    return bound


def advice_for(ex, error) -> str:
    """The exercise's message for an exception raised while running main.py, from the exception object."""
    where = ex.where(error, "main.py")
    if isinstance(error, AttributeError) and getattr(error, "name", None) == "math_operations" \
            and getattr(getattr(error, "obj", None), "__name__", None) == PACKAGE:
        return (f"{where}\nAttributeError: {error}.\n`import calculations` runs calculations/__init__.py and "
                f"nothing else: the modules inside the package are not loaded, so calculations.math_operations "
                f"does not exist yet.\nImport the submodule by its dotted name: `import {SUBMODULE}`.")
    if isinstance(error, NameError):
        names = sorted(submodule_imports(ex))
        bound = f"binds only {', '.join(f'`{n}`' for n in names)} in main.py" if names else "binds no such name"
        return (f"{where}\nNameError: {error}.\nYour import {bound}: an import binds one name per item, the "
                f"alias or the first part of a dotted name.\nWrite the calls with the name the import binds "
                f"(`math_operations.add(...)` after `from calculations import math_operations`, "
                f"`calculations.math_operations.add(...)` after `import {SUBMODULE}`).")
    if isinstance(error, ModuleNotFoundError) and error.name and error.name.startswith(SUBMODULE + "."):
        return (f"{where}\nModuleNotFoundError: No module named '{error.name}'.\nAn `import` statement names "
                f"modules only, and {error.name.rpartition('.')[2]} is a function inside the module {SUBMODULE}. "
                f"Import the module (`import {SUBMODULE}`), or take the function out of it with a from-import "
                f"(`from {SUBMODULE} import add, subtract`).")
    if isinstance(error, ModuleNotFoundError) and error.name == "math_operations":
        return (f"{where}\nModuleNotFoundError: No module named 'math_operations'.\nmath_operations.py lives inside "
                f"the package folder calculations/, so its full name is {SUBMODULE}: `import {SUBMODULE}`.")
    return ""


def test_package_is_left_as_it_is(ex):
    ex.assert_regular_package(PACKAGE)
    loaded = sorted(n for n in ex.modules if n.startswith(PACKAGE + "."))
    assert not loaded, (
        f"A plain `import calculations` now loads {', '.join(loaded)}: calculations/__init__.py was changed to "
        f"import its submodule.\nLeave the package as it is (the task is the import in main.py): a package's "
        f"modules load only when something imports them by their dotted name.")


def test_main_imports_the_submodule_by_its_dotted_name(ex):
    main_py = ex.show(ex.path("main.py"))
    nodes = ex.imports("main.py")
    star = next((n for n in nodes if isinstance(n, ast.ImportFrom) and n.module == SUBMODULE
                 and any(a.name == "*" for a in n.names)), None)
    if star is not None:
        ex.fail(f"{main_py}, line {star.lineno}: `{ast.unparse(star)}` loads the submodule, but a star import "
                f"binds whatever public names it has and hides which ones main.py uses. Import the module "
                f"(`import {SUBMODULE}`) or name the two functions.")
    if submodule_imports(ex):
        return
    shown = "; ".join(ast.unparse(n) for n in nodes) or "none"
    only_package = any(isinstance(n, ast.Import) and any(a.name == PACKAGE for a in n.names) for n in nodes)
    path_hack = any(isinstance(n, ast.Attribute) and n.attr == "path" and isinstance(n.value, ast.Name)
                    and n.value.id == "sys" for n in ast.walk(ex.tree("main.py")))
    ex.fail(
        f"{main_py} never imports the submodule {SUBMODULE} at its top level.\nIts top-level imports now: {shown}\n"
        + (f"`import {PACKAGE}` imports only the package, which runs calculations/__init__.py and does not load "
           f"the modules inside it.\n" if only_package else "")
        + ("main.py changes sys.path so that math_operations.py is found as a top-level module: a second module "
           "object for a file of the package (it can run twice), and the package's folder comes first for every "
           "import of the program.\n" if path_hack else "")
        + f"Write `import {SUBMODULE}` (or `from {PACKAGE} import math_operations`).")


def test_main_prints_the_results(ex):
    ex.assert_regular_package(PACKAGE)  # a fresh package, none of its submodules loaded yet
    path_before = ex.sys_path()
    ex.output()
    main = ex.load("main", on_error=lambda error: advice_for(ex, error))
    printed = ex.output().out
    added = [p for p in ex.sys_path() if p not in path_before]
    assert not added, (
        f"Running main.py added {added} to sys.path. Import the submodule through its package, "
        f"`import {SUBMODULE}`, instead of making its folder a place for top-level modules.")
    if printed.splitlines() != EXPECTED:  # a main guard: it prints only when run as the program
        printed = ex.run("main.py").stdout
    assert printed.splitlines() == EXPECTED, (
        f"`python main.py` should print the two lines {EXPECTED!r}, but it printed {printed!r}.\nKeep the two "
        f"print() calls.")
    submodule = ex.modules.get(SUBMODULE)
    assert submodule is not None, f"main.py printed the results, but never imported {SUBMODULE}."
    for name, (kind, line) in submodule_imports(ex).items():
        expected = {"package": ex.modules.get(PACKAGE), "submodule": submodule}.get(kind)
        value = getattr(main, name, None)
        assert value is (getattr(submodule, kind, None) if expected is None else expected), (
            f"{ex.show(ex.path('main.py'))}, line {line} imports `{name}`, but main.{name} is now {value!r}, "
            f"not {'the ' + kind + ' of ' + SUBMODULE if expected is None else 'the module ' + expected.__name__}"
            f": do not assign that name again afterwards.")
