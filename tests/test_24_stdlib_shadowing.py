"""24 stdlib shadowing: a local file named like a standard module hides it from every script in the folder."""
import ast
import re
import sys

from kata.diagnoses import catalogue, facts


# sys.stdlib_module_names leaves out `test` (Python's own regression tests, a standard package all the same),
# and differs by version: add the modules that 3.11 (binhex), 3.12 and 3.13 (PEP 594, PEP 632, imp, lib2to3)
# removed, so that a name is judged alike on every supported Python.
REMOVED = {"binhex", "asynchat", "asyncore", "distutils", "imp", "smtpd", "aifc", "audioop", "cgi", "cgitb",
           "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd",
           "sunau", "telnetlib", "uu", "xdrlib", "lib2to3"}
STDLIB = set(sys.stdlib_module_names) | REMOVED | {"test"}


def shadowing_names(ex):
    """What in the exercise folder an import would take for a standard-library module: a source file
    (name.py), a bytecode file with no source (name.pyc, which the import system loads too), or a regular
    package (name/__init__.py; a folder without one never shadows: namespace packages come last)."""
    return [p for p in sorted(ex.dir.iterdir()) if p.name != "__pycache__" and (
        p.suffix in (".py", ".pyc") and p.stem in STDLIB or p.is_dir() and p.name in STDLIB
        and (p / "__init__.py").is_file())]


def helper_module(ex):
    """The module dice.py takes format_roll from: a top-level `from X import format_roll`, or a top-level
    `import X` of a module of this folder whose X.format_roll dice.py uses. None if neither."""
    tree = ex.tree("dice.py")
    for node in ex.imports("dice.py"):
        if isinstance(node, ast.ImportFrom) and any(a.name == "format_roll" for a in node.names):
            return node.module
    used = {n.value.id for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "format_roll"
            and isinstance(n.value, ast.Name)}
    for node in ex.imports("dice.py"):
        if isinstance(node, ast.Import):
            for a in node.names:
                if (a.asname or a.name) in used:
                    return a.name
    return None


def is_local_module(ex, name):
    return ex.path(f"{name}.py").is_file() or ex.path(f"{name}/__init__.py").is_file()


def renamed_helper(ex):
    """The learner's renamed helper module (a .py file here, not dice.py, that defines format_roll), else the
    README's example name."""
    found = [p.stem for p in sorted(ex.dir.glob("*.py")) if p.name != "dice.py" and p.stem not in STDLIB
             and "def format_roll" in p.read_text(encoding="utf-8", errors="replace")]
    return found[0] if len(found) == 1 else "dice_tools"


def file_imports(ex, relative):
    """The top-level module names a folder file's imports name anywhere in it (relative imports left out)."""
    tree = ex.tree(relative)
    return {a.name.partition(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | {
        n.module.partition(".")[0] for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module}


def standard_file(ex, name):
    """The __file__ of the real standard module `name`, or None (this Python lacks it, or it fails to import)."""
    try:
        return ex.standard_module(name).__file__
    except Exception:  # no claim about such a module
        return None


def uses_random(ex):
    """dice.py imports the standard random for itself: `import random` or `from random import randint`."""
    return bool(ex.module_bindings("dice.py", "random")) or any(
        isinstance(n, ast.ImportFrom) and n.module == "random" and n.level == 0
        and any(a.name != "format_roll" for a in n.names)
        for n in ex.imports("dice.py"))


def advice(ex, path, library=True):
    """What to do about the file `path` that shadows a standard module, from what the folder holds: bytecode
    to delete, a copy of a file that exists, or a file to rename; and whether dice.py's import must change."""
    name = path.stem
    if path.suffix == ".pyc":
        return (f"{path.name} is compiled bytecode with no {name}.py beside it, left from a deleted or renamed "
                f"{name}.py: Python imports a .pyc that sits beside the sources even without its .py. Delete it.")
    sources = [p for p in sorted(ex.dir.glob("*.py")) if p != path]
    importers = [p.name for p in sources if name in file_imports(ex, p.name)]
    said = []
    if path.suffix == ".py" and name in file_imports(ex, path.name):
        statement = next((n for n in ast.walk(ex.tree(path.name)) if isinstance(n, ast.Import) and any(
            a.name.partition(".")[0] == name for a in n.names) or isinstance(n, ast.ImportFrom) and not n.level
            and (n.module or "").partition(".")[0] == name), None)
        shown = f", line {statement.lineno}, says `{ast.unparse(statement)}`" if statement else \
            f" itself says `import {name}`"
        said.append(f"{path.name}{shown}: it imports itself while half-run (hence "
                    f"'partially initialized module' in a traceback: there is no circle between two files).")
    if not importers and library:
        users = set().union(*(file_imports(ex, p.name) for p in sources)) if sources else set()
        library = facts.standard_importers(name, users & STDLIB, lambda m: standard_file(ex, m))
        if library:
            said.append(f"No file here imports `{name}`, but the standard module `{library[0]}` imports `{name}`, "
                        f"and your {path.name} takes its place, so `import {library[0]}` itself breaks.")
    helper = helper_module(ex)
    holds_helper = path.is_dir() or "format_roll" in {
        n.name for n in ex.tree(path.name).body if isinstance(n, ast.FunctionDef)}
    copies = [p.name for p in sources if path.suffix == ".py"
              and ast.dump(ex.tree(p.name)) == ast.dump(ex.tree(path.name))]
    if copies:
        said.append(f"{path.name} is a copy of {copies[0]}, which is there already: delete {path.name}.")
    elif path.is_dir():
        said.append(f"Rename the folder {path.name}/ to a name that is not a standard module.")
    else:
        taken = [n for n in ("dice_tools.py",) if ex.path(n).exists()]
        said.append("Rename it to a name that is not a standard module"
                    + (f" and not taken ({taken[0]} exists already)" if taken else " (for example dice_tools.py)")
                    + ("." if holds_helper else ", or delete it if nothing needs it."))
    if not copies and (helper == name or holds_helper and (helper is None or not is_local_module(ex, helper))):
        said.append("Then import format_roll in dice.py from the new name.")
    if uses_random(ex) and name == "random":
        said.append("Keep dice.py's import of the standard `random` (for randint): once nothing here is named "
                    "random, it gets the real module.")
    return "\n".join(said)


def test_no_file_shadows_the_standard_library(ex):
    for path in shadowing_names(ex):
        ex.fail(f"{ex.show(path)} has the same name as the standard library's `{path.stem}` module.\nPython "
                f"searches the script's folder first, so every `import {path.stem}` in this folder gets your file "
                f"instead of the real module.\n{advice(ex, path)}")
    dice_py = ex.show(ex.path("dice.py"))
    if not uses_random(ex):
        ex.assert_import("dice.py", "random")  # fails, naming the imports the file has
    helper = helper_module(ex)
    assert helper is not None, (f"{dice_py} should import format_roll from your renamed helper file, e.g. "
                                f"`from {renamed_helper(ex)} import format_roll`, at its top level.")
    assert helper != "random", (
        f"{dice_py} still says `from random import format_roll`, but `random` is now the standard library's "
        f"module, which has no format_roll. Import it from your renamed file, e.g. `from {renamed_helper(ex)} "
        f"import format_roll`.")
    assert is_local_module(ex, helper), (
        f"{dice_py} imports format_roll from `{helper}`, but there is no {ex.show(ex.path(helper + '.py'))}.\n"
        f"Is that the new name of your helper file (the old random.py)? Check the spelling.")


def test_dice_rolls_with_the_real_random(ex):
    # A fresh interpreter: this pytest process has the real `random` loaded already, so only a new
    # `python dice.py` shows what a local random.py does.
    result = ex.run("dice.py", check=False)
    shadows = shadowing_names(ex)
    if result.returncode != 0 and shadows:
        said = (result.stderr.strip().splitlines() or ["?"])[-1]
        failure = facts.from_stderr(result.stderr, ex.dir, ex.root, started="script",
                                    target=str(ex.path("dice.py")), sys_path=[])
        known = catalogue.diagnose(failure)
        if known and known.id == "K303":  # another standard module (random) got the file: the catalogue says so
            ex.fail(f"`{result.command}` fails ({said}).\n{known}\n{advice(ex, shadows[0], library=False)}")
        ex.fail(f"`{result.command}` fails ({said}): {ex.show(shadows[0])} hides the standard library's "
                f"`{shadows[0].stem}`, because the script's folder comes first on sys.path.\n{advice(ex, shadows[0])}")
    ex.expect_success(result)
    out = result.stdout.strip()
    match = re.fullmatch(r"([1-6]) \+ ([1-6]) = (\d+)", out)
    assert match, (f"`{result.command}` should print a roll of two dice such as `3 + 5 = 8`, not {out!r}.\n"
                   f"Keep roll() and format_roll() as they were given.")
    first, second, total = map(int, match.groups())
    assert first + second == total, f"`{out}` adds up wrong: check format_roll() in your helper file."
