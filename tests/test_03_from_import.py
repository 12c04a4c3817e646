"""03 from-import: `from mymodule import greet, PI` binds those names, and only those, to the module's objects."""
import ast


def load_main(ex):
    """`import main`, fresh (a NameError for greet or PI gets the catalogue's diagnosis)."""
    return ex.load("main")


def test_main_uses_a_from_import(ex):
    ex.assert_from_import("main.py", "mymodule", {"greet", "PI"})
    plain = [n for n in ex.imports("main.py")
             if isinstance(n, ast.Import) and any(a.name == "mymodule" for a in n.names)]
    assert not plain, (
        f"{ex.show(ex.path('main.py'))}, line {plain[0].lineno if plain else 0}: remove `import mymodule`. "
        f"With `from mymodule import greet, PI` main.py no longer needs the name `mymodule`.")


def test_main_prints_the_greeting(ex):
    load_main(ex)
    printed = ex.output().out
    if not printed:  # the prints may wait under `if __name__ == "__main__":`: run it as the README does
        printed = ex.run("main.py").stdout
    expected = "Hello, Grace!\nPI is about 3.14159\n"
    assert printed == expected, (
        f"`python main.py` should print the two lines {expected.splitlines()}, but it printed "
        f"{printed.splitlines()}. Keep the two print() calls of {ex.show(ex.path('main.py'))} as they were.")


def test_imported_names_are_the_modules_own_objects(ex):
    main = load_main(ex)
    main_py = ex.show(ex.path("main.py"))
    mymodule = ex.modules["mymodule"]
    assert getattr(main, "greet", None) is mymodule.greet, (
        f"`main.greet` should be the very function defined in mymodule.py (a from-import binds a new name in "
        f"main.py to the same object; nothing is copied), but it is {getattr(main, 'greet', None)!r}. Do not "
        f"define or assign your own `greet` in {main_py}: import it.")
    assigned = [node.lineno for node in ex.tree("main.py").body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "PI" for t in node.targets)]
    assert getattr(main, "PI", None) is mymodule.PI, (
        f"`main.PI` should be the very object `mymodule.PI` refers to, but it is {getattr(main, 'PI', None)!r}"
        + (f", a value of main.py's own made on line {assigned[0]} of {main_py}" if assigned else "")
        + ". Import PI from mymodule instead of writing its value.")
    assert "mymodule" not in ex.names(main), (
        f"{main_py} still has the name `mymodule`. `from mymodule import greet, PI` gives main.py only `greet` "
        f"and `PI`; remove the `import mymodule` line.")
    read = {n.id for n in ast.walk(ex.tree("main.py")) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    unused = sorted({"greet", "PI"} - read)
    assert not unused, (
        f"{main_py} imports {' and '.join(f'`{n}`' for n in unused)} but never uses "
        f"{'them' if len(unused) > 1 else 'it'}: the print() calls must show what greet returns and the value of "
        f"PI, not text typed into main.py.")
