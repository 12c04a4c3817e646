"""17 __main__.py: `python -m package` runs package/__main__.py; __init__.py runs whenever the package is imported."""
import ast

from kata.diagnoses import explain

MAIN = "greetkit/__main__.py"


def _near_misses(ex):
    """Files that look like a misnamed or misplaced __main__.py (main.py, _main_.py, __main__.py at the root...)."""
    found = [p for p in sorted(ex.path("greetkit").glob("*"))
             if p.is_file() and p.name != "__main__.py" and p.name.lower().strip("_").startswith("main")]
    root_main = ex.path("__main__.py")
    return found + ([root_main] if root_main.is_file() else [])


def _require_main_file(ex):
    if not ex.path(MAIN).is_file():
        misses = _near_misses(ex)
        found = (f" You have {', '.join(ex.show(p) for p in misses)}: rename or move it to exactly "
                 f"{ex.show(ex.path(MAIN))}." if misses else "")
        ex.fail(f"{ex.show(ex.path(MAIN))} does not exist yet. `python -m greetkit` runs the file named "
                     f"__main__.py inside the package: create it (two underscores on each side of main).{found}")


def test_importing_greetkit_is_silent(ex):
    ex.set_argv()  # as in `python -c "import greetkit"`: no command-line arguments
    greetkit = ex.assert_regular_package("greetkit")
    printed = ex.output().out
    assert printed == "", (
        f"`import greetkit` printed {printed!r}. greetkit/__init__.py runs whenever a program imports the package, so it "
        f"must only define things: move the lines that read sys.argv and print into {ex.show(ex.path(MAIN))}.")
    assert callable(getattr(greetkit, "greeting", None)), (
        "greetkit/__init__.py should still define `greeting(name)`, so that `from greetkit import greeting` works.")
    assert greetkit.greeting("Ada") == "Hello, Ada!", (
        f"greetkit.greeting('Ada') should return 'Hello, Ada!', not {greetkit.greeting('Ada')!r}.")


def test_main_file_uses_the_package_function(ex):
    _require_main_file(ex)
    where = ex.show(ex.path(MAIN))
    tree = ex.tree(MAIN)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "greeting":
            ex.fail(f"{where}, line {node.lineno} defines its own `greeting`. Keep the one function in "
                         f"greetkit/__init__.py and import it: `from greetkit import greeting`.")
    uses_package = False
    for node in ex.imports(MAIN):
        if isinstance(node, ast.ImportFrom) and any(a.name == "greeting" for a in node.names) and (
                node.level == 0 and node.module == "greetkit" or node.level == 1 and not node.module):
            uses_package = True
        if isinstance(node, ast.Import) and any(a.name == "greetkit" for a in node.names):
            uses_package = True
    assert uses_package, (
        f"{where} should import the package's function at its top level: `from greetkit import greeting`."
        f"{explain.found_imports(ex.imports(MAIN))}")


def test_dash_m_runs_the_package(ex):
    _require_main_file(ex)
    result = ex.run_module("greetkit", "Ada")
    lines = result.stdout.splitlines()
    assert lines == ["Hello, Ada!"], (
        f"`python -m greetkit Ada` should print exactly one line, `Hello, Ada!`, but printed {lines}. "
        + ("It printed the greeting twice: greetkit/__init__.py still prints (it runs first, on import). "
           if len(lines) == 2 and len(set(lines)) == 1 else "")
        + f"{ex.show(ex.path(MAIN))} should print greeting(sys.argv[1]).")
