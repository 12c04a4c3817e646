"""22 reload: importlib.reload re-runs a module's file in the same object; names bound elsewhere by a
from-import and names deleted from the file stay."""
import ast


BEFORE = 'GREETING = "Hello"\nPUNCTUATION = "!"\n'
AFTER = 'GREETING = "Hi"\n'  # GREETING changed, PUNCTUATION deleted


def settings_elsewhere(ex):
    """A settings.py of the test's own in a temporary folder (first on sys.path), imported fresh.

    The exercise's settings.py is the learner's to play with; the tests edit this copy instead."""
    folder = ex.tmp_path / "elsewhere"
    folder.mkdir()
    source = folder / "settings.py"
    source.write_text(BEFORE, encoding="utf-8")
    settings = ex.load("settings", path=[folder])
    assert settings.__file__ == str(source) and settings.GREETING == "Hello"
    return settings, source


def refresh(ex, reloader, module):
    """reloader.refresh(module), with a pointed message for `importlib.reload("name")` (a string, not the module)."""
    try:
        return reloader.refresh(module)
    except TypeError as e:
        if "reload() argument must be a module" not in str(e):
            raise
    # outside the except block, so pytest shows no chained traceback
    ex.fail(f"{ex.show(ex.path('reloader.py'))}: refresh() passed something that is not a module to "
                 f"importlib.reload (TypeError: reload() argument must be a module). Give it the module object "
                 f"itself, refresh()'s parameter: `importlib.reload(module)`, not its name.")


def test_refresh_reruns_the_file(ex):
    settings, source = settings_elsewhere(ex)
    reloader = ex.load("reloader")
    assert hasattr(reloader, "refresh"), "reloader.py should define a function `refresh(module)`."
    source.write_text(AFTER, encoding="utf-8")
    result = refresh(ex, reloader, settings)
    assert result is not None, ("refresh(settings) returned None.\nimportlib.reload(module) gives the module "
                                "back: `return` it from refresh().")
    assert result is settings and ex.modules["settings"] is settings, (
        "refresh(settings) returned a different module object.\nimportlib.reload runs the file again inside the "
        "SAME object, so every file that did `import settings` sees the new values.\nReturn what "
        "`importlib.reload(module)` returns.")
    assert settings.GREETING == "Hi", (
        "The test rewrote its own copy of settings.py with GREETING = \"Hi\", but after refresh(settings) "
        f"settings.GREETING is still {settings.GREETING!r}: the file did not run again. Importing a module a "
        "second time only returns the cached object from sys.modules. In reloader.py, call "
        "`importlib.reload(module)` instead.")


def test_reload_keeps_deleted_names(ex):
    reloader_py = ex.show(ex.path("reloader.py"))
    calls = [n for n in ast.walk(ex.tree("reloader.py")) if isinstance(n, ast.Call)]
    uses_reload = any(
        (isinstance(c.func, ast.Attribute) and c.func.attr == "reload")
        or (isinstance(c.func, ast.Name) and c.func.id == "reload") for c in calls)
    assert uses_reload, (f"{reloader_py} never calls importlib.reload.\nrefresh(module) should run the module's "
                         f"file again with `importlib.reload(module)`.")
    settings, source = settings_elsewhere(ex)
    reloader = ex.load("reloader")
    source.write_text(AFTER, encoding="utf-8")
    refresh(ex, reloader, settings)
    assert getattr(settings, "PUNCTUATION", None) == "!", (
        "PUNCTUATION was deleted from settings.py, and after refresh(settings) it is gone too.\nThat is not what "
        "importlib.reload does: it runs the new code over the old names and keeps the ones the file no longer "
        f"defines. Use `return importlib.reload(module)` in {reloader_py}.")


def greet(ex, greeter):
    """greeter.greet("Ada"), with a pointed message for the bare name GREETING left after `import settings`."""
    try:
        return greeter.greet("Ada")
    except NameError as e:
        if "'GREETING'" not in str(e):
            raise
    # outside the except block, so pytest shows no chained traceback
    ex.fail(f"{ex.show(ex.path('greeter.py'))}: greet() uses the bare name GREETING, which greeter.py no "
                 f"longer has (NameError).\nWith `import settings`, write `settings.GREETING` inside greet().")


def test_greeter_sees_the_reloaded_greeting(ex):
    settings, source = settings_elsewhere(ex)
    greeter = ex.load("greeter")
    assert hasattr(greeter, "greet"), "greeter.py should define a function `greet(name)`."
    first = greet(ex, greeter)
    assert first == "Hello, Ada!", f"With GREETING = 'Hello', greet('Ada') should be 'Hello, Ada!', not {first!r}."
    source.write_text(AFTER, encoding="utf-8")
    ex.reload(settings)
    got = greet(ex, greeter)
    assert got == "Hi, Ada!", (
        f"settings was reloaded with GREETING = \"Hi\", but greet('Ada') returned {got!r}.\n"
        "`from settings import GREETING` bound greeter's own name GREETING to the old value, and a reload "
        "rebinds only the module's own names.\nIn greeter.py write `import settings` and use `settings.GREETING` inside greet().")
    for node in ex.imports("greeter.py"):
        if isinstance(node, ast.ImportFrom) and node.module == "settings":
            ex.fail(f"{ex.show(ex.path('greeter.py'))}, line {node.lineno}: `from settings import ...` "
                         f"binds names of greeter's own, which a reload will not update.\nUse `import settings` instead.")
    ex.assert_import("greeter.py", "settings")
    assert getattr(greeter, "settings", None) is settings, "greeter.settings should be the module in sys.modules."
