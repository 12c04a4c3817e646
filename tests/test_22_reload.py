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


def raised_by_reload(error):
    """Whether the innermost frame of `error` is importlib.reload itself (it checks its argument first)."""
    tb = error.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return code.co_name == "reload" and "importlib" in code.co_filename


def refresh(ex, reloader, module):
    """reloader.refresh(module), with a pointed message for `importlib.reload("name")` (not the module)."""
    try:
        return ex.call(reloader, "refresh", module, missing="reloader.py should define a function `refresh(module)`.")
    except TypeError as e:
        if not raised_by_reload(e):
            raise
        error = e
    # outside the except block, so pytest shows no chained traceback
    ex.fail(f"{ex.where(error, 'reloader.py')}\nrefresh() passed something that is not a module to "
            f"importlib.reload (TypeError: {error}). Give it the module object itself, refresh()'s parameter: "
            f"`importlib.reload(module)`, not its name.")


def reload_calls(ex):
    """The calls in reloader.py to the function importlib.reload, under any name it was imported as."""
    tree = ex.tree("reloader.py")
    modules = set(ex.module_bindings("reloader.py", "importlib"))
    functions = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                 and n.module == "importlib" for a in n.names if a.name == "reload"}
    return [c for c in ast.walk(tree) if isinstance(c, ast.Call) and (
        isinstance(c.func, ast.Attribute) and c.func.attr == "reload" and isinstance(c.func.value, ast.Name)
        and c.func.value.id in modules or isinstance(c.func, ast.Name) and c.func.id in functions)]


def test_refresh_reruns_the_file(ex):
    settings, source = settings_elsewhere(ex)
    reloader = ex.load("reloader")
    source.write_text(AFTER, encoding="utf-8")
    result = refresh(ex, reloader, settings)
    assert result is not None, ("refresh(settings) returned None.\nimportlib.reload(module) gives the module "
                                "back: `return` it from refresh().")
    assert result is settings and ex.modules["settings"] is settings, (
        "refresh(settings) returned a different module object.\nimportlib.reload runs the file again inside the "
        "SAME object, so every file that did `import settings` sees the new values (removing the module from "
        "sys.modules and importing it again makes a new object, which they never see).\nReturn what "
        "`importlib.reload(module)` returns.")
    assert ex.same(settings.GREETING, "Hi"), (
        "The test rewrote its own copy of settings.py with GREETING = \"Hi\", but after refresh(settings) "
        f"settings.GREETING is still {ex.plain(settings.GREETING)!r}: the file did not run again. Importing a "
        "module a second time only returns the cached object from sys.modules. In reloader.py, call "
        "`importlib.reload(module)` instead.")


def test_reload_keeps_deleted_names(ex):
    reloader_py = ex.show(ex.path("reloader.py"))
    assert reload_calls(ex), (
        f"{reloader_py} never calls importlib.reload.\nrefresh(module) should run the module's file again with "
        f"`importlib.reload(module)`: it finds the file through the module's spec and runs it with the import "
        f"system's own loader (running the source by hand with exec skips both).")
    settings, source = settings_elsewhere(ex)
    reloader = ex.load("reloader")
    source.write_text(AFTER, encoding="utf-8")
    refresh(ex, reloader, settings)
    assert ex.same(getattr(settings, "PUNCTUATION", None), "!"), (
        "PUNCTUATION was deleted from settings.py, and after refresh(settings) it is gone too.\nThat is not what "
        "importlib.reload does: it runs the new code over the old names and keeps the ones the file no longer "
        f"defines. Use `return importlib.reload(module)` in {reloader_py}.")


def no_greeting(error):
    if error.name == "GREETING":
        return ("greet() uses the bare name GREETING, which greeter.py no longer has.\nWith `import settings`, "
                "write `settings.GREETING` inside greet().")
    return ""


def greet(ex, greeter):
    return ex.call(greeter, "greet", "Ada", missing="greeter.py should define a function `greet(name)`.",
                   on_name_error=no_greeting)


def test_greeter_sees_the_reloaded_greeting(ex):
    settings, source = settings_elsewhere(ex)
    greeter = ex.load("greeter")
    first = greet(ex, greeter)
    assert ex.same(first, "Hello, Ada!"), (f"With GREETING = 'Hello', greet('Ada') should be 'Hello, Ada!', not "
                                           f"{ex.plain(first)!r}.")
    source.write_text(AFTER, encoding="utf-8")
    ex.reload(settings)
    got = greet(ex, greeter)
    assert ex.same(got, "Hi, Ada!"), (
        f"settings was reloaded with GREETING = \"Hi\", but greet('Ada') returned {ex.plain(got)!r}.\n"
        "greeter.py bound a name of its own (GREETING) to the old value, and a reload rebinds only the module's "
        "own names.\nIn greeter.py write `import settings` and use `settings.GREETING` inside greet().")
    for node in ex.imports("greeter.py"):
        if isinstance(node, ast.ImportFrom) and node.module == "settings":
            ex.fail(f"{ex.show(ex.path('greeter.py'))}, line {node.lineno}: `from settings import ...` "
                    f"binds names of greeter's own, which a reload will not update.\nUse `import settings` instead.")
    names = ex.module_bindings("greeter.py", "settings")
    if not names:
        ex.assert_import("greeter.py", "settings")  # fails, naming the imports the file has
    assert all(getattr(greeter, n, None) is settings for n in names), (
        "greeter.py's name for settings is not the module in sys.modules['settings'].")
