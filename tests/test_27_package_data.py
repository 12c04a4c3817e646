"""27 package data: importlib.resources finds a file by package, wherever the package is, whatever the cwd."""
import ast
import zipfile

CORE = "greeter/core.py"
TEMPLATE = "greeter/data/greeting.txt"


def expected_greeting(ex, name):
    template = ex.path(TEMPLATE)
    assert template.is_file(), (
        f"{ex.show(template)} is missing. Leave the data file where it was shipped (`make reset EX=27` brings "
        f"it back).")
    return template.read_text(encoding="utf-8").strip().format(name=name)


def not_read_yet(ex, e):
    """The message for `.strip()` called on the path-like object of files(...) instead of on its text, else ""."""
    if isinstance(e, AttributeError) and "Path' object has no attribute" in str(e):
        return (f"greeting() raised AttributeError: {e}\n`files(\"greeter\") / \"data\" / \"greeting.txt\"` is a "
                f"path-like object that points at the file, not the file's text. Read the text with "
                f"`.read_text(encoding=\"utf-8\")` in {ex.show(ex.path(CORE))}.")
    return ""


def call_greeting(ex, core, name, where):
    try:
        return core.greeting(name)
    except AttributeError as e:
        message = not_read_yet(ex, e)
        if not message:
            raise
        raise AssertionError(message) from None
    except OSError as e:
        raise AssertionError(
            f"greeting({name!r}) raised {type(e).__name__} when Python ran from {where}:\n    {e}\n"
            f"A path like \"data/greeting.txt\" is relative to the current working directory, not to "
            f"{ex.show(ex.path(CORE))}. Read the file with importlib.resources: "
            f"`files(\"greeter\") / \"data\" / \"greeting.txt\"`.") from None


def test_greeting_works_from_any_working_directory(ex):
    core = ex.load("greeter.core")  # loaded by absolute path first: sys.path holds no relative entry for it
    for cwd, where in ((ex.tmp_path, "an unrelated folder"), (ex.dir, f"the exercise folder {ex.show(ex.dir)}/")):
        ex.chdir(cwd)
        for name in ("Ada", "Grace"):
            got = call_greeting(ex, core, name, where)
            want = expected_greeting(ex, name)
            assert got == want, (
                f"greeting({name!r}) should return {want!r} (the template in {ex.show(ex.path(TEMPLATE))} "
                f"with the name filled in), but it returned {got!r}.")


def test_greeting_works_from_a_zipped_package(ex):
    """Python can import a package straight from a .zip file. There is no folder on disk then, so
    open() with any path fails, Path(__file__) included; importlib.resources still finds the file."""
    expected = expected_greeting(ex, "Ada")
    archive = ex.tmp_path / "greeter.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(ex.path("greeter").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(ex.dir).as_posix())
    core = ex.load("greeter.core", path=[archive])
    assert ".zip" in (core.__file__ or ""), f"greeter.core came from {core.__file__}, not from the zip file."
    try:
        got = core.greeting("Ada")
    except OSError as e:
        raise AssertionError(
            f"With the package imported from a zip file, greeting('Ada') raised {type(e).__name__}: {e}\n"
            f"Inside a zip there is no data/ folder on disk, so open() cannot read the template, not even with "
            f"a path built from __file__. importlib.resources can: read it from "
            f"`files(\"greeter\") / \"data\" / \"greeting.txt\"` in {ex.show(ex.path(CORE))}.") from None
    except Exception as e:
        raise AssertionError(not_read_yet(ex, e) or (
            f"With the package imported from a zip file, greeting('Ada') raised {type(e).__name__}: {e}\n"
            f"Fix {ex.show(ex.path(CORE))} so that greeting() works from the exercise folder first (the other "
            f"tests of this exercise show where it fails).")) from None
    assert got == expected, f"From the zipped package, greeting('Ada') returned {got!r}, expected {expected!r}."


def test_core_uses_importlib_resources(ex):
    tree = ex.tree(CORE)
    core_py = ex.show(ex.path(CORE))
    imported = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= any(a.name == "importlib.resources" for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported |= node.module == "importlib.resources" or (
                node.module == "importlib" and any(a.name == "resources" for a in node.names))
    assert imported, (
        f"{core_py} should import importlib.resources: `from importlib.resources import files` (or "
        f"`import importlib.resources`).{' The code still calls open().' if 'open(' in ex.source(CORE) else ''}")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    names = {c.func.id if isinstance(c.func, ast.Name) else getattr(c.func, "attr", None) for c in calls}
    assert "files" in names, (
        f"{core_py} imports importlib.resources but never calls `files(...)`. Find the template with "
        f"`files(\"greeter\") / \"data\" / \"greeting.txt\"` and read it with `.read_text(encoding=\"utf-8\")`.")
    assert "open" not in {c.func.id for c in calls if isinstance(c.func, ast.Name)}, (
        f"{core_py} still calls the built-in open(). Read the template through importlib.resources instead: "
        f"`(files(\"greeter\") / \"data\" / \"greeting.txt\").read_text(encoding=\"utf-8\")`.")
