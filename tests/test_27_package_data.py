"""27 package data: importlib.resources finds a file by package, wherever the package is, whatever the cwd."""
import ast
import zipfile

CORE = "greeter/core.py"
TEMPLATE = "greeter/data/greeting.txt"
# The functions of importlib.resources that read a resource through the package's loader
# (read_text/open_text/... take a path of several names only from 3.13; files() works on every version).
RESOURCE_CALLS = {"files", "as_file", "read_text", "open_text", "read_binary", "open_binary"}


def expected_greeting(ex, name):
    template = ex.path(TEMPLATE)
    assert template.is_file(), (
        f"{ex.show(template)} is missing. Leave the data file where it was shipped (`make reset EX=27` brings "
        f"it back).")
    return template.read_text(encoding="utf-8").strip().format(name=name)


def innermost(error):
    tb = error.__traceback__
    while tb.tb_next:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_filename


def explain(ex, e, name, where):
    """The teaching message for an exception greeting() raised, worked out from the exception object."""
    core_py = ex.show(ex.path(CORE))
    if isinstance(e, AttributeError) and hasattr(getattr(e, "obj", None), "read_text"):
        return (f"greeting({name!r}) raised AttributeError: {e}\n`files(\"greeter\") / \"data\" / \"greeting.txt\"` "
                f"is a Traversable that points at the file, not the file's text. Read the text with "
                f"`.read_text(encoding=\"utf-8\")` in {core_py}.")
    if isinstance(e, ValueError) and "importlib" in innermost(e):
        return (f"greeting({name!r}) raised ValueError: {e}\nBefore Python 3.13, importlib.resources' read_text() "
                f"and open_text() take one file name directly in the package, not a path into data/. Use "
                f"`(files(\"greeter\") / \"data\" / \"greeting.txt\").read_text(encoding=\"utf-8\")`, which works "
                f"on every Python.")
    if isinstance(e, OSError) and where == "zip":
        return (f"With the package imported from a zip file, greeting({name!r}) raised {type(e).__name__}: {e}\n"
                f"Inside a zip there is no data/ folder on disk, so open() cannot read the template, not even with a "
                f"path built from __file__ or str() of a files() object (a Traversable in a zip is no path on "
                f"disk). Read it through importlib.resources itself: `(files(\"greeter\") / \"data\" / "
                f"\"greeting.txt\").read_text(encoding=\"utf-8\")` in {core_py}.")
    opens = any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id == "open"
                for c in ast.walk(ex.tree(CORE)))
    from_file = any(isinstance(n, ast.Name) and n.id == "__file__" for n in ast.walk(ex.tree(CORE)))
    if isinstance(e, FileNotFoundError) and not opens and not from_file:  # asked the package, for a wrong name
        return (f"greeting({name!r}) raised FileNotFoundError: {e}\nThe package greeter has no such file: the "
                f"template is greeter/data/greeting.txt, so join both names onto the package: "
                f"`files(\"greeter\") / \"data\" / \"greeting.txt\"` in {core_py}.")
    if isinstance(e, OSError):
        return (f"greeting({name!r}) raised {type(e).__name__} when Python ran from {where}:\n    {e}\nA path like "
                f"\"data/greeting.txt\" is relative to the current working directory, not to {core_py}. Read the "
                f"file with importlib.resources: `files(\"greeter\") / \"data\" / \"greeting.txt\"`.")
    if isinstance(e, ModuleNotFoundError) and where == "zip":
        return (f"With the package imported from a zip file, greeting({name!r}) raised ModuleNotFoundError: {e}\n"
                f"greeter/data/ has no __init__.py: it is found as a namespace package only in a folder on disk, "
                f"not inside a zip (before Python 3.14). Anchor the lookup on the package greeter itself: "
                f"`files(\"greeter\") / \"data\" / \"greeting.txt\"`.")
    return ""


def call_greeting(ex, core, name, where):
    try:
        return ex.call(core, "greeting", name, missing=f"{ex.show(ex.path(CORE))} should define greeting(name).")
    except Exception as e:  # noqa: BLE001  (explained below, outside the except block)
        error = e
    message = explain(ex, error, name, where)
    if not message and where == "zip":
        message = (f"With the package imported from a zip file, greeting({name!r}) raised "
                   f"{type(error).__name__}: {error}\nFix {ex.show(ex.path(CORE))} so that greeting() works from the "
                   f"exercise folder first (the other tests of this exercise show where it fails).")
    if not message:
        raise error
    ex.fail(f"{ex.where(error, CORE)}\n{message}")


def test_greeting_works_from_any_working_directory(ex):
    core = ex.load("greeter.core")  # loaded by absolute path first: sys.path holds no relative entry for it
    for cwd, where in ((ex.tmp_path, "an unrelated folder"), (ex.dir, f"the exercise folder {ex.show(ex.dir)}/")):
        ex.chdir(cwd)
        for name in ("Ada", "Grace"):
            got = call_greeting(ex, core, name, where)
            want = expected_greeting(ex, name)
            assert ex.same(got, want), (
                f"greeting({name!r}) should return {want!r} (the template in {ex.show(ex.path(TEMPLATE))} "
                f"with the name filled in), but it returned {ex.plain(got)!r}.")


def test_greeting_works_from_a_zipped_package(ex):
    """Python can import a package straight from a .zip file. There is no folder on disk then, so
    open() with any path fails, Path(__file__) included; importlib.resources still finds the file.
    The zipped copy holds another template: greeting() must read the file that ships with the package."""
    expected_greeting(ex, "Ada")
    zipped = ex.tmp_path / "greeter.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for path in sorted(ex.path("greeter").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                name = path.relative_to(ex.dir).as_posix()
                zf.writestr(name, b"Good day, {name}. Enjoy the zip.\n" if name == TEMPLATE else path.read_bytes())
    core = ex.load("greeter.core", path=[zipped])
    assert ".zip" in (core.__file__ or ""), f"greeter.core came from {core.__file__}, not from the zip file."
    got = call_greeting(ex, core, "Ada", "zip")
    assert ex.same(got, "Good day, Ada. Enjoy the zip."), (
        f"The zipped copy of the package ships the template \"Good day, {{name}}. Enjoy the zip.\", but "
        f"greeting('Ada') returned {ex.plain(got)!r}.\ngreeting() should fill in the template that the package "
        f"ships (read through importlib.resources), not a text typed into core.py or a file elsewhere.")


def test_core_uses_importlib_resources(ex):
    tree = ex.tree(CORE)
    core_py = ex.show(ex.path(CORE))
    resources = set()  # names bound to the module importlib.resources (or to importlib, reached by attribute)
    functions = set()  # names bound to its reading functions, or to pkgutil.get_data
    pkgutil = set(ex.module_bindings(CORE, "pkgutil"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "importlib.resources" or a.name.startswith("importlib.resources."):
                    resources.add(a.asname or "importlib")
                elif a.name == "pkgutil":
                    pkgutil.add(a.asname or "pkgutil")
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == "importlib.resources":
                functions |= {a.asname or a.name for a in node.names if a.name in RESOURCE_CALLS}
            elif node.module == "importlib":
                resources |= {a.asname or a.name for a in node.names if a.name == "resources"}
            elif node.module == "pkgutil":
                functions |= {a.asname or a.name for a in node.names if a.name == "get_data"}
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]

    def reads(call):
        f = call.func
        if isinstance(f, ast.Name):
            return f.id in functions
        if isinstance(f, ast.Attribute) and f.attr == "get_data" and isinstance(f.value, ast.Name):
            return f.value.id in pkgutil
        return isinstance(f, ast.Attribute) and f.attr in RESOURCE_CALLS and ast.unparse(f.value) in (
            resources | {f"{r}.resources" for r in resources})

    used = [c for c in calls if reads(c)]
    still_opens = any(isinstance(c.func, ast.Name) and c.func.id == "open" for c in calls)
    assert used, (
        f"{core_py} should read the template through importlib.resources: `from importlib.resources import "
        f"files`, then `files(\"greeter\") / \"data\" / \"greeting.txt\"` (the older `pkgutil.get_data` does "
        f"too).{' The code still calls open().' if still_opens else ''}")
    as_file = any(isinstance(c.func, (ast.Name, ast.Attribute)) and (getattr(c.func, "id", None) or c.func.attr)
                  == "as_file" for c in used)
    opened = [c for c in calls if isinstance(c.func, ast.Name) and c.func.id == "open"]
    assert not opened or as_file, (
        f"{core_py}, line {opened[0].lineno if opened else 0}: the built-in open() needs a path on disk, which a "
        f"package in a zip file does not have. Read the template through the Traversable itself: "
        f"`(files(\"greeter\") / \"data\" / \"greeting.txt\").read_text(encoding=\"utf-8\")` (or get a real file "
        f"first with importlib.resources.as_file).")
