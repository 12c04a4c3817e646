"""04 broken imports: ModuleNotFoundError (no such module) and ImportError (no such name in a module)."""
import ast
from pathlib import Path

CATCHES_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def renamed_helpers(ex):
    """When helpers.py is gone: the message about the .py file here (not main.py) that now holds its functions
    (a helpers.py renamed, e.g. to my-helpers.py), else ""."""
    if ex.path("helpers.py").exists():
        return ""
    for path in sorted(ex.dir.glob("*.py")):
        if path.name == "main.py":
            continue
        defined = sorted({n.name for n in ex.tree(path.name).body if isinstance(n, ast.FunctionDef)}
                         & {"shout", "whisper"})
        if defined:
            return (f"There is no helpers.py, but {ex.show(path)} defines {' and '.join(defined)}: it is helpers.py "
                    f"renamed. This exercise keeps helpers.py as it was (only main.py's imports change): give it "
                    f"back its name helpers.py."
                    + (f"\n`{path.stem}` could not be imported under any spelling: a module's name in an import is "
                       f"a Python identifier, and `-` in it reads as a minus sign."
                       if not path.stem.isidentifier() else ""))
    return ""


def test_main_imports_and_runs(ex):
    ex.load("main", diagnose=lambda: renamed_helpers(ex))  # a misspelled import fails here, explained
    printed = ex.output().out
    if not printed:  # the prints may wait under `if __name__ == "__main__":`: run it as the README does
        printed = ex.run("main.py").stdout
    expected = "HELLO!\nhello...\n"
    assert printed == expected, (
        f"`python main.py` should print the two lines {expected.splitlines()}, but it printed "
        f"{printed.splitlines()}. Fix only the import lines of {ex.show(ex.path('main.py'))}; keep its two print() "
        f"calls as they were.")


def test_the_fix_is_in_main_py_not_in_helpers(ex):
    if renamed_helpers(ex):
        ex.fail(renamed_helpers(ex))
    ex.require_file("helpers.py")
    helpers = ex.load("helpers")
    names = sorted(n for n in ex.names(helpers) if not n.startswith("_"))
    assert names == ["shout", "whisper"], (
        f"helpers.py should define exactly `shout` and `whisper`, but it defines {names}. Leave helpers.py as it "
        f"was and correct the names in main.py's imports.")
    ex.load("main")
    others = sorted(name for name, module in ex.modules.items() if name not in ("main", "helpers")
                    and getattr(module, "__file__", None) and Path(module.__file__).resolve().is_relative_to(ex.dir))
    assert not others, (
        f"Importing main also loads {', '.join(ex.show(ex.modules[n].__file__) for n in others)}. The module "
        f"main.py needs already exists, `helpers`: correct the spelling in main.py instead of adding a module "
        f"named like the misspelling.")


def test_imports_name_the_real_module_and_function(ex):
    if renamed_helpers(ex):  # before main.py's AST: `import my-helpers` is a syntax error whose fix is a rename back
        ex.fail(renamed_helpers(ex))
    main_py = ex.show(ex.path("main.py"))
    for node in ex.tree("main.py").body:
        caught = {ast.unparse(h.type) if h.type else "BaseException" for h in getattr(node, "handlers", [])}
        caught = {n.strip("() ") for c in caught for n in c.split(",")} & CATCHES_IMPORT_ERRORS
        imported = [a.name for n in ast.walk(node) if isinstance(n, ast.Import) for a in n.names] + \
            [n.module for n in ast.walk(node) if isinstance(n, ast.ImportFrom) and n.module and not n.level]
        if isinstance(node, ast.Try) and imported and caught:
            missing = [name for name in imported if ex.find(name) is None]
            ex.fail(f"{main_py}, line {node.lineno}: these imports stand in a `try` whose `except` catches import "
                    f"errors ({', '.join(sorted(caught))})"
                    + (f", and there is no module {', '.join(f'`{m}`' for m in missing)}: the except silences "
                       f"the error Python reports instead of fixing it." if missing else
                       ": it would silence the error a misspelt import raises.")
                    + " Write the imports plainly, each spelled as the module and its names are.")
    ex.assert_import("main.py", "helpers")
    ex.assert_from_import("main.py", "helpers", {"whisper"})
    main = ex.load("main", diagnose=lambda: renamed_helpers(ex))
    helpers = ex.modules["helpers"]
    assert getattr(main, "helpers", None) is helpers and getattr(main, "whisper", None) is helpers.whisper, (
        f"In main.py, `helpers` should be the module helpers.py and `whisper` its function `helpers.whisper`. "
        f"Do not assign other values to those names in {main_py}.")
