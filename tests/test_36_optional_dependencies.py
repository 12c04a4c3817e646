"""36 optional dependencies: catch ModuleNotFoundError for the optional package only (e.name), re-raise the rest."""
import ast

FILE = "tables.py"
ROWS = [["name", "qty"], ["pear", 3]]
PLAIN = "name | qty\npear | 3"
WORKING = 'def table(rows):\n    return "fancy:" + repr(rows)\n'
# fancytable installed but broken, two ways: a dependency of its own is missing, or a file of the package is.
BROKEN = {
    "cellwidth": {"fancytable/__init__.py": "from cellwidth import width\n\n\n" + WORKING},
    "fancytable._draw": {"fancytable/__init__.py": "from ._draw import draw\n\n\n" + WORKING},
}
HOW = {"cellwidth": "it needs the package cellwidth, which is not installed",
       "fancytable._draw": "its own file fancytable/_draw.py is missing, as after an interrupted install"}
CATCHERS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def site(ex, name, files):
    """A folder like site-packages, holding the test's own fancytable."""
    folder = ex.tmp_path / name
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text, encoding="utf-8")
    return folder


def fancytable_of(ex, tables):
    if "fancytable" not in ex.names(tables):
        ex.fail(f"{ex.show(ex.path(FILE))} should define the name `fancytable`: the module when it is installed, "
                f"None when it is not (set `fancytable = None` in the except block).")
    return tables.fancytable


def test_without_fancytable_tables_are_plain(ex):
    spec = ex.find("fancytable")
    if spec is not None:
        ex.fail(f"A package fancytable is installed in the kata's environment ({spec.origin}): this exercise needs "
                f"it absent. Remove it (.venv/bin/python -m pip uninstall fancytable).")
    tables = ex.load("tables")
    assert fancytable_of(ex, tables) is None, (
        f"fancytable is not installed, so tables.fancytable should be None, not {tables.fancytable!r}.")
    got = ex.call(tables, "render", ROWS)
    assert ex.same(got, PLAIN), f"render({ROWS!r}) without fancytable should return {PLAIN!r}, not {got!r}."


def test_a_working_fancytable_is_used(ex):
    folder = site(ex, "site", {"fancytable/__init__.py": WORKING})
    tables = ex.load("tables", path=[ex.dir, folder])
    module = fancytable_of(ex, tables)
    registered = ex.modules.get("fancytable")
    if module is not None and module is not registered and ex.type_name(module) == "module" \
            and getattr(module, "__name__", None) == "fancytable":
        ex.fail(f"tables.fancytable is a module fancytable, but not the one in sys.modules"
                f"{' (there is none)' if registered is None else ''}: it was loaded by hand from its spec "
                f"(module_from_spec, exec_module) and never registered, so every other `import fancytable` makes a "
                f"second copy, with its own state. Import it with `import fancytable` (or "
                f"importlib.import_module), which stores it in sys.modules.")
    assert module is not None and module is registered, (
        f"A working fancytable is installed (the test put one on sys.path), but tables.fancytable is "
        f"{module!r}. Does {ex.show(ex.path(FILE))} import it under its exact name, `import fancytable`? "
        f"A typo there would turn the feature off without a word."
        + (METADATA.format(file=ex.show(ex.path(FILE))) if asks_metadata(ex) else ""))
    got = ex.call(tables, "render", ROWS)
    assert ex.same(got, "fancy:" + repr(ROWS)), (
        f"With fancytable installed, render() should return fancytable.table(rows), not {got!r}.")


def test_a_broken_fancytable_is_not_hidden(ex):
    for missing, files in BROKEN.items():
        error = ex.import_error("tables", path=[ex.dir, site(ex, missing.replace(".", "_"), files)])
        problem = f"fancytable is installed but broken ({HOW[missing]}), "
        if error is None:
            who = swallower(ex)
            ex.fail(problem + f"and importing {ex.show(ex.path(FILE))} still worked: "
                    + (f"{who} swallowed `ModuleNotFoundError: No module named {missing!r}`" if who != "something" else
                       f"nothing in it catches import errors, so it never imported fancytable and never met "
                       f"`ModuleNotFoundError: No module named {missing!r}`")
                    + f", the one message that says what is wrong. "
                    f"Catch ModuleNotFoundError `as e`, and set fancytable = None only if e.name == \"fancytable\"; "
                    f"otherwise `raise`.")
        if ex.type_name(error) != "ModuleNotFoundError" or getattr(error, "name", None) != missing:
            ex.fail(problem + f"so importing {ex.show(ex.path(FILE))} should fail with ModuleNotFoundError: No "
                    f"module named {missing!r}. It raised {ex.type_name(error)}: {error}\n({ex.where(error, FILE)})")


def suppressors(tree):
    """The `with contextlib.suppress(ImportError, ...)` blocks: an except clause that never re-raises."""
    return [(node, call) for node in ast.walk(tree) if isinstance(node, (ast.With, ast.AsyncWith))
            for call in (item.context_expr for item in node.items) if isinstance(call, ast.Call)
            and getattr(call.func, "attr", getattr(call.func, "id", "")) == "suppress"
            and {getattr(a, "attr", getattr(a, "id", "")) for a in call.args} & CATCHERS]


def swallower(ex):
    """What in tables.py swallowed the error, as its source shows it."""
    tree = ex.tree(FILE)
    found = suppressors(tree)
    if found:
        node, call = found[0]
        return f"`{ast.unparse(call)}` (line {node.lineno})"
    handler = next((h for node in ast.walk(tree) if isinstance(node, ast.Try) for h in node.handlers
                    if handled_types(h)), None)
    return f"its `except` (line {handler.lineno})" if handler else "something"


def asks_metadata(ex):
    """Whether tables.py uses importlib.metadata (which knows distributions, not what `import` finds)."""
    for n in ast.walk(ex.tree(FILE)):
        names = [a.name for a in n.names] if isinstance(n, ast.Import) else \
            [f"{n.module}.{a.name}" for a in n.names] if isinstance(n, ast.ImportFrom) and n.module else []
        if any(name.startswith(("importlib.metadata", "importlib_metadata")) for name in names):
            return True
    return False


METADATA = ("\n{file} asks importlib.metadata: that knows installed distributions (by the name pip uses, which may "
            "differ from the module's), not which modules `import` finds; a module can be importable with no "
            "metadata. Ask the import itself (or importlib.util.find_spec, the import's own search).")


def handled_types(handler):
    if handler.type is None:
        return {"a bare except"}
    nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "") for n in nodes} & CATCHERS


def reads_name(node, variable):
    """`variable.name`, or getattr(variable, "name"[, default])."""
    if isinstance(node, ast.Attribute):
        return node.attr == "name" and isinstance(node.value, ast.Name) and node.value.id == variable
    return (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and len(node.args) >= 2
            and isinstance(node.args[0], ast.Name) and node.args[0].id == variable
            and isinstance(node.args[1], ast.Constant) and node.args[1].value == "name")


def test_the_except_looks_at_the_missing_name(ex):
    shown = ex.show(ex.path(FILE))
    tree = ex.tree(FILE)
    handlers = [h for node in ast.walk(tree) if isinstance(node, ast.Try) for h in node.handlers
                if handled_types(h)]
    for h in handlers:
        head = f"{shown}, line {h.lineno}: `{ast.unparse(h).splitlines()[0]}`"
        if not any(isinstance(n, ast.Raise) for n in ast.walk(h)):
            ex.fail(f"{head} never re-raises, so it hides every failed import, not only a missing fancytable. "
                    f"Re-raise (`raise`) unless the missing module is fancytable itself.")
        if h.name is None or not any(reads_name(n, h.name) for n in ast.walk(h)):
            named = f"decide by `{h.name}.name`" if h.name else "name the exception (`as e`) and decide by `e.name`"
            ex.fail(f"{head} should {named}, the exact name of the module that was not found (the text of the "
                    f"message is for humans, and a broken fancytable can fail with any name).")
    for node, call in suppressors(tree):
        ex.fail(f"{shown}, line {node.lineno}: `with {ast.unparse(call)}:` hides every failed import inside it, not "
                f"only a missing fancytable: it is an `except` that never re-raises. Catch ModuleNotFoundError `as "
                f"e` instead, and re-raise (`raise`) unless e.name is \"fancytable\".")
    calls = {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert handlers or "find_spec" in calls, (
        f"{shown} should decide whether fancytable is there by the import itself: catch ModuleNotFoundError around "
        f"`import fancytable` (or ask importlib.util.find_spec(\"fancytable\"), the import's own search, first).")
