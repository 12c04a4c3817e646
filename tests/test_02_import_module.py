"""02 import a module: `import mymodule` binds one name, and the module's names are reached through it."""
import re
from pathlib import Path


def test_main_prints_the_greeting(ex):
    result = ex.run("main.py", check=False)  # the one subprocess of this exercise
    main_py = ex.show(ex.path("main.py"))
    missing = re.search(r"NameError: name '(\w+)' is not defined", result.stderr)
    if missing and missing.group(1) == "mymodule":
        raise AssertionError(
            f"`python {main_py}` stopped with NameError: name 'mymodule' is not defined.\n"
            f"A file next to main.py is not visible by itself: main.py must import it first. Add the line "
            f"`import mymodule` at the top of {main_py}.")
    if missing and missing.group(1) in ("greet", "PI"):
        name = missing.group(1)
        raise AssertionError(
            f"`python {main_py}` stopped with NameError: name '{name}' is not defined.\n"
            f"`import mymodule` gives main.py a single name, `mymodule`; the module's own names stay inside "
            f"it. Write `mymodule.{name}` in {main_py}.")
    ex.expect_success(result)
    expected = "Hello, Ada!\nPI is about 3.14159\n"
    assert result.stdout == expected, (
        f"`python {main_py}` should print the two lines {expected.splitlines()}, but it printed "
        f"{result.stdout.splitlines()}. Keep the two print() calls of {main_py} as they were; only add the "
        f"import and the `mymodule.` prefixes.")


def test_main_imports_the_module_itself(ex):
    main_py = ex.show(ex.path("main.py"))
    ex.assert_import("main.py", "mymodule")
    main = ex.load("main")  # prints the greeting; pytest keeps that output out of the report
    module = ex.modules.get("mymodule")
    where = getattr(module, "__file__", None)
    assert where and Path(where).resolve() == ex.path("mymodule.py").resolve(), (
        f"`import mymodule` should load {ex.show(ex.path('mymodule.py'))}, but it loaded {where}. "
        f"Keep mymodule.py in the exercise folder, next to main.py.")
    assert getattr(main, "mymodule", None) is module, (
        f"After importing main, `main.mymodule` should be the module object Python loaded for "
        f"`import mymodule` (the one in sys.modules), but it is {getattr(main, 'mymodule', None)!r}. "
        f"Do not assign anything else to the name `mymodule` in {main_py}.")
    copied = [n for n in ("greet", "PI") if n in ex.names(main)]
    assert not copied, (
        f"{main_py} has its own copy of {', '.join(f'`{n}`' for n in copied)} (made by `from mymodule import "
        f"...` or by an assignment such as `PI = mymodule.PI`). Remove that line and reach the module's names "
        f"through the module where they are used: `mymodule.greet(...)`, `mymodule.PI` (importing single "
        f"names with `from mymodule import ...` is exercise 03).")
