"""13 dotted import: importing a package runs only its __init__.py; `import calculations.math_operations`
loads the submodule too, and binds the top-level name `calculations`."""
import ast
import re

import pytest


SUBMODULE = "calculations.math_operations"
EXPECTED = ["2 + 3 = 5", "7 - 4 = 3"]

# A known way for `import main` to fail -> what to do about it.
KNOWN = {
    "has no attribute 'math_operations'":
        "`import calculations` runs calculations/__init__.py and nothing else:\nthe modules inside the package "
        "are not loaded, so calculations.math_operations does not exist.\nImport the submodule by its dotted "
        "name: `import calculations.math_operations`.",
    "name 'calculations' is not defined":
        "`from calculations import math_operations` binds only the name `math_operations` in main.py.\nEither "
        "shorten the calls to `math_operations.add(...)`, or use `import calculations.math_operations` and keep "
        "them.",
    "name 'math_operations' is not defined":
        "`import calculations.math_operations` binds the name `calculations` (the top-level package) in "
        "main.py, not `math_operations`.\nWrite the full path, `calculations.math_operations.add(...)`.",
    "No module named `math_operations`":
        "math_operations.py lives inside the package folder calculations/, so its full name is "
        "calculations.math_operations:\n`import calculations.math_operations`.",
}


def load_main(ex):
    """`import main`, i.e. run main.py's top level, with the classic mistakes of this exercise explained."""
    try:
        return ex.load("main")
    except pytest.fail.Exception as e:
        message = str(e)
        advice = next((text for key, text in KNOWN.items() if key in message), None)
        if advice is None:
            raise
    # outside the `except`, so the report shows no chained traceback
    where = message.splitlines()[0]
    problem = next((line.strip() for line in message.splitlines()
                    if "Error:" in line or "No module named" in line), "")
    problem = problem.replace("Importing `main` raised ", "Running main.py raised ")
    missing = re.search(r"No module named `([\w.]+)`", problem)
    if missing:  # the short form: the long search explanation does not apply to a submodule
        problem = f"ModuleNotFoundError: No module named '{missing.group(1)}'."
    ex.fail(f"{where}\n{problem}\n{advice}" if ", line " in where else f"{message}\n{advice}")


def test_main_imports_the_submodule_by_its_dotted_name(ex):
    nodes = ex.imports("main.py")
    for node in nodes:
        if isinstance(node, ast.Import) and any(a.name == SUBMODULE for a in node.names):
            return
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (
                node.module == SUBMODULE or (node.module == "calculations"
                                             and any(a.name == "math_operations" for a in node.names))):
            return
    shown = "; ".join(ast.unparse(n) for n in nodes) or "none"
    only_package = any(isinstance(n, ast.Import) and any(a.name == "calculations" for a in n.names) for n in nodes)
    ex.fail(
        f"{ex.show(ex.path('main.py'))} never imports the submodule {SUBMODULE} at its top level.\n"
        f"Its top-level imports now: {shown}\n"
        + ("`import calculations` imports only the package, which runs calculations/__init__.py and does not "
           "load the modules inside it.\n" if only_package else "")
        + f"Write `import {SUBMODULE}` (or `from calculations import math_operations`).")


def test_main_prints_the_results(ex):
    ex.assert_regular_package("calculations")  # a fresh package, none of its submodules loaded yet
    ex.output()
    main = load_main(ex)
    printed = ex.output().out
    assert printed.splitlines() == EXPECTED, (
        f"Running main.py should print the two lines {EXPECTED!r}, but it printed {printed!r}.\nKeep the two "
        f"print() calls.")
    submodule = ex.modules.get(SUBMODULE)
    assert submodule is not None, f"main.py printed the results, but never imported {SUBMODULE}."
    # whichever name main.py uses for the submodule must be that very module object
    if hasattr(main, "calculations"):
        assert main.calculations is ex.modules["calculations"]
        assert getattr(main.calculations, "math_operations", None) is submodule, (
            f"main.calculations.math_operations should be the module {SUBMODULE}.")
    elif getattr(main, "add", None) is not getattr(submodule, "add", False):  # from calculations.math_operations import add
        assert getattr(main, "math_operations", None) is submodule, (
            f"main.py should have the name `calculations` (from `import {SUBMODULE}`) or `math_operations` "
            f"(from `from calculations import math_operations`), bound to the submodule.")
