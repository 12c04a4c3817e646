"""02 import a module: `import mymodule` binds one name, and the module's names are reached through it."""
import ast
from pathlib import Path


def load_main(ex):
    """`import main`, fresh (a NameError gets the catalogue's diagnosis: no import, an import inside a
    function, a module's name used without the module)."""
    return ex.load("main")


def test_main_prints_the_greeting(ex):
    result = ex.run("main.py", check=False)  # the README's `python main.py` (prints also under a main guard)
    if result.returncode:  # a crash: importing main in this process explains it from the exception itself
        load_main(ex)
    ex.expect_success(result)
    main_py = ex.show(ex.path("main.py"))
    expected = "Hello, Ada!\nPI is about 3.14159\n"
    assert result.stdout == expected, (
        f"`python {main_py}` should print the two lines {expected.splitlines()}, but it printed "
        f"{result.stdout.splitlines()}. Keep the two print() calls of {main_py} as they were; only the import "
        f"and the way they reach the module's names change.")


def test_main_imports_the_module_itself(ex):
    main_py = ex.show(ex.path("main.py"))
    tree = ex.tree("main.py")
    from_import = next((n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "mymodule"), None)
    assert from_import is None, (
        f"{main_py}, line {from_import.lineno if from_import else 0}: `{ast.unparse(from_import) if from_import else ''}` "
        f"binds mymodule's names in main.py itself. This exercise is the other form: import the module, and "
        f"reach its names through it with a dot (the from-import is exercise 03).")
    bound = ex.module_bindings("main.py", "mymodule")
    assert bound, (
        f"{main_py} should import the module mymodule at its top level (not inside a function): that import binds "
        f"the name main.py uses to reach the module.{found_imports(ex)}")
    main = load_main(ex)
    module = ex.modules.get("mymodule")
    where = getattr(module, "__file__", None)
    assert where and Path(where).resolve() == ex.path("mymodule.py").resolve(), (
        f"`import mymodule` should load {ex.show(ex.path('mymodule.py'))}, but it loaded {where}. "
        f"Keep mymodule.py in the exercise folder, next to main.py.")
    for name, line in bound.items():
        assert getattr(main, name, None) is module, (
            f"{main_py}, line {line} binds `{name}` to the module mymodule, but after importing main, `main.{name}` "
            f"is {getattr(main, name, None)!r}. Do not assign anything else to the name `{name}`.")
    copies = {n: line for n, line in bindings(tree).items() if n in ("greet", "PI")}
    assert not copies, (
        "".join(f"{main_py}, line {line} makes a name `{n}` of main.py's own.\n" for n, line in copies.items())
        + f"Reach the module's names through the module where they are used, with a dot (`{next(iter(bound))}.PI`): "
          f"importing single names is exercise 03.")
    used = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
            and n.value.id in bound}
    missing = sorted({"greet", "PI"} - used)
    assert not missing, (
        f"{main_py} never reads {' or '.join(f'`{n}`' for n in missing)} from the module. The two print() calls "
        f"must use mymodule's own greet and PI, reached through the module, not text typed into main.py.")


def bindings(tree):
    """{name: line} of the names main.py's top level binds other than by `import module` (not inside functions)."""
    found = {}

    def visit(node, line):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.setdefault(node.name, line)
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.setdefault(node.id, line)
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                found.setdefault(a.asname or a.name, line)
        for child in ast.iter_child_nodes(node):
            visit(child, line)

    for statement in tree.body:
        if not isinstance(statement, ast.Import):
            visit(statement, statement.lineno)
    return found


def found_imports(ex):
    imports = ex.imports("main.py")
    return (f"\nIts top-level imports now: {'; '.join(ast.unparse(n) for n in imports)}" if imports
            else "\nRight now it has no import statement at its top level.")
