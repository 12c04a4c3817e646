"""17 __main__.py: `python -m package` runs package/__main__.py; __init__.py runs whenever the package is imported."""
import ast

from kata.diagnoses import explain

MAIN = "greetkit/__main__.py"
INIT = "greetkit/__init__.py"


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
    result = ex.call(greetkit, "greeting", "Ada")
    assert ex.same(result, "Hello, Ada!"), (
        f"greetkit.greeting('Ada') should return 'Hello, Ada!', not {ex.plain(result)!r}.")


def test_init_reads_no_command_line(ex):
    init = ex.show(ex.path(INIT))
    for node in ex.tree(INIT).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        argv = next((n for n in ast.walk(node) if isinstance(n, ast.Attribute) and n.attr == "argv"), None)
        if argv is not None and _is_main_guard(node):
            ex.fail(f"{init}, line {node.lineno}: `{ast.unparse(node.test)}` guards code that never runs: in "
                    f"__init__.py `__name__` is 'greetkit', also under `python -m greetkit` (there the file run as "
                    f"'__main__' is __main__.py). The command line belongs in {ex.show(ex.path(MAIN))}.")
        if argv is not None:
            ex.fail(f"{init}, line {argv.lineno}: `{ast.unparse(node).splitlines()[0]}` reads the command line at "
                    f"the top level of __init__.py, so it runs for every program that imports greetkit, whatever "
                    f"its own arguments mean. Move it into {ex.show(ex.path(MAIN))}.")


def _init_names(ex) -> set[str]:
    """The names greetkit/__init__.py's top level binds (defs, classes, assignments, imports), from its AST."""
    names = set()
    for node in ex.tree(INIT).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).partition(".")[0] for a in node.names}
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _is_main_guard(node) -> bool:
    """`if __name__ == "__main__":` (either side)."""
    if not (isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1
            and isinstance(node.test.ops[0], ast.Eq)):
        return False
    sides = [node.test.left, *node.test.comparators]
    return any(isinstance(n, ast.Name) and n.id == "__name__" for n in sides) and \
        any(isinstance(n, ast.Constant) and n.value == "__main__" for n in sides)


def _greeting_names(ex) -> dict[str, str]:
    """{name bound at __main__.py's top level: "function" or "package"} for the imports of greeting."""
    bound = {}
    for node in ex.imports(MAIN):
        if isinstance(node, ast.ImportFrom) and (node.level == 0 and node.module == "greetkit"
                                                 or node.level == 1 and not node.module):
            bound.update({a.asname or a.name: "function" for a in node.names if a.name == "greeting"})
        if isinstance(node, ast.Import):
            bound.update({a.asname or a.name: "package" for a in node.names if a.name == "greetkit"})
    return bound


def test_main_file_uses_the_package_function(ex):
    _require_main_file(ex)
    where = ex.show(ex.path(MAIN))
    tree = ex.tree(MAIN)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "greeting":
            ex.fail(f"{where}, line {node.lineno} defines its own `greeting`. Keep the one function in "
                    f"greetkit/__init__.py and import it: `from greetkit import greeting`.")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                a.name.partition(".")[0] == "__init__" for a in node.names) or \
                isinstance(node, ast.ImportFrom) and (node.module or "").partition(".")[0] == "__init__":
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` names the file __init__.py as if it were "
                    f"a module of its own. Its code *is* the package greetkit: `from greetkit import greeting` "
                    f"(or `from . import greeting`).")
    defined = _init_names(ex)
    for node in ex.imports(MAIN):
        if isinstance(node, ast.ImportFrom) and (node.level == 0 and node.module == "greetkit"
                                                 or node.level == 1 and not node.module):
            missing = [a.name for a in node.names if a.name != "*" and a.name not in defined
                       and not ex.path(f"greetkit/{a.name}.py").is_file()
                       and not ex.path(f"greetkit/{a.name}/__init__.py").is_file()]
            if missing:
                ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` asks the package for `{missing[0]}`, but "
                        f"{ex.show(ex.path(INIT))} defines no `{missing[0]}` (it defines "
                        f"{', '.join(sorted(defined)) or 'nothing'}), and greetkit has no module {missing[0]}.py. "
                        f"A from-import takes a name that the package's __init__.py defines, or one of its modules.")
    for node in ex.imports(MAIN):
        dotted = [node.module] if isinstance(node, ast.ImportFrom) and node.module else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if any(name.endswith(".__init__") for name in dotted):
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` imports greetkit/__init__.py a second "
                    f"time, as a module of its own named `greetkit.__init__`: its code runs again and its greeting "
                    f"is another function than greetkit.greeting. The package *is* that file: "
                    f"import from greetkit (or from `.`).")
    bound = _greeting_names(ex)
    assert bound, (
        f"{where} should import the package's function at its top level: `from greetkit import greeting`."
        f"{explain.found_imports(ex.imports(MAIN))}")
    used = {ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Name, ast.Attribute))
            and isinstance(n.ctx, ast.Load)}  # called, or passed on (`map(greeting, ...)`)
    wanted = {name if kind == "function" else f"{name}.greeting" for name, kind in bound.items()}
    assert used & wanted, (
        f"{where} imports the package's greeting but never calls it, so the command line does not use the "
        f"package's function. Print `{sorted(wanted)[0]}(name)`, so the command line and the package say the "
        f"same thing.")


def test_dash_m_runs_the_package(ex):
    _require_main_file(ex)
    result = ex.run_module("greetkit", check=False)
    lines = result.stdout.splitlines()
    if lines != ["Hello, world!"] and not (len(lines) == 2 and len(set(lines)) == 1):
        problem = result.stderr.strip().splitlines()[-1:] if result.returncode else []
        if problem and not problem[0].startswith("IndexError"):
            ex.expect_success(result)  # a crash that is not the missing argument: explained as such
        ex.fail(f"`python -m greetkit` without a name should print `Hello, world!`, but "
                + (f"it failed with {problem[0]}" if problem else f"it printed {lines}")
                + ".\nWhen sys.argv has nothing after the program's own name, greet \"world\": "
                  "`sys.argv[1] if len(sys.argv) > 1 else \"world\"`.")
    result = ex.run_module("greetkit", "Ada")
    lines = result.stdout.splitlines()
    assert lines == ["Hello, Ada!"], (
        f"`python -m greetkit Ada` should print exactly one line, `Hello, Ada!`, but printed {lines}. "
        + ("It printed the greeting twice: greetkit/__init__.py still prints (it runs first, on import). "
           if len(lines) == 2 and len(set(lines)) == 1 else "")
        + f"{ex.show(ex.path(MAIN))} should print greeting(sys.argv[1]).")
