"""03 from-import: `from mymodule import greet, PI` binds those names, and only those, to the module's objects."""
import ast
import re

import pytest


def load_main(ex):
    """`import main`, fresh; a NameError for greet or PI gets the from-import advice."""
    try:
        return ex.load("main")
    except pytest.fail.Exception as e:
        text = str(e)
        missing = re.search(r"NameError: name '(greet|PI)' is not defined", text)
        if not missing:
            raise
    # outside the `except`, so the report shows no chained traceback
    name = missing.group(1)
    where = text.splitlines()[0] if ", line " in text.splitlines()[0] else ex.show(ex.path("main.py"))
    ex.fail(f"{where}\nNameError: name '{name}' is not defined.\nmain.py uses `{name}` directly, so it must "
                 f"import that very name: `from mymodule import greet, PI` (one from-import can list several "
                 f"names).")


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
    expected = "Hello, Grace!\nPI is about 3.14159\n"
    assert printed == expected, (
        f"Importing main should print the two lines {expected.splitlines()}, but it printed "
        f"{printed.splitlines()}. Keep the two print() calls of {ex.show(ex.path('main.py'))} as they were.")


def test_imported_names_are_the_modules_own_objects(ex):
    main = load_main(ex)
    main_py = ex.show(ex.path("main.py"))
    mymodule = ex.modules["mymodule"]
    assert getattr(main, "greet", None) is mymodule.greet, (
        f"`main.greet` should be the very function defined in mymodule.py (a from-import copies a reference, "
        f"not the code), but it is {getattr(main, 'greet', None)!r}. Do not define or assign your own `greet` "
        f"in {main_py}: import it.")
    assert getattr(main, "PI", None) is mymodule.PI, (
        f"`main.PI` should be the same object as `mymodule.PI`, but it is {getattr(main, 'PI', None)!r}. Import "
        f"PI from mymodule instead of writing its value in {main_py}.")
    assert "mymodule" not in ex.names(main), (
        f"{main_py} still has the name `mymodule`. `from mymodule import greet, PI` gives main.py only `greet` "
        f"and `PI`; remove the `import mymodule` line.")
