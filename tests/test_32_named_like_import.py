"""32 a script named like what it imports: json.py imports itself instead of the standard library's json."""
import ast
import sys

from kata.diagnoses import facts


STDLIB = set(sys.stdlib_module_names) - {"__future__"}
EXPECTED = '{"ada": 3, "grace": 5, "linus": 2}'


def imported_names(ex, relative):
    """The top-level modules a file imports, anywhere in it (at the top, in a function, under a main guard):
    import statements, and importlib.import_module(...) or __import__(...) of a module named in a string."""
    names = set()
    for node in ast.walk(ex.tree(relative)):
        if isinstance(node, ast.Import):
            names |= {a.name.partition(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and not node.args[0].value.startswith(".")
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")):
            names.add(node.args[0].value.partition(".")[0])
    return names


# The suffixes of files an import takes for a module: .pyw is a source suffix on Windows (python.org builds),
# so a json.pyw there is `import json` as much as json.py is.
SOURCES = (".py", ".pyw")
INSTALLED = facts.installed_modules()


def taken(name):
    """Whose name `name` is, as a message says it: a standard module's or an installed package's; else None."""
    if name in STDLIB:
        return f"the standard library's `{name}`"
    if name in INSTALLED:
        return f"`{name}`, a module of the installed package {INSTALLED[name]}"
    return None


def shadows(ex):
    """(path, name) for what in the folder takes a module's name: name.py (name.pyw on Windows), a name.pyc
    beside the sources (imported even without its .py), a package name/; the name of a standard module or an
    installed package (site-packages comes after the script's folder too), or one the file imports itself."""
    found = []
    for p in sorted(ex.dir.iterdir()):
        name = p.stem if p.suffix in (*SOURCES, ".pyc") else p.name if (p / "__init__.py").is_file() else None
        if name is None or p.name == "__pycache__":
            continue
        if taken(name) or (p.suffix in SOURCES and name in imported_names(ex, p.name)):
            found.append((p, name))
    return found


def scripts(ex):
    """The .py files here that import json: the learner's script, whatever it is called now."""
    return [p.name for p in sorted(ex.dir.iterdir()) if p.suffix in SOURCES and p.is_file()
            and "json" in imported_names(ex, p.name)]


def standard_file(ex, name):
    """The __file__ of the real standard module `name`, or None (this Python lacks it, or it fails to import)."""
    try:
        return ex.standard_module(name).__file__
    except Exception:  # no claim about such a module
        return None


def advice(ex, path, name):
    """What to do about `path`, from what the folder holds: bytecode to delete, a copy of a file that is there
    already, or a file to rename; and which standard module breaks when nothing here imports `name` itself."""
    if path.suffix == ".pyc":
        return "A .pyc beside the sources is imported even without its .py: delete it."
    sources = sorted(ex.dir.glob("*.py"))
    said = []
    if path.suffix == ".py" and not any(name in imported_names(ex, p.name) for p in sources if p != path):
        users = set().union(*(imported_names(ex, p.name) for p in sources))
        library = facts.standard_importers(name, users & STDLIB, lambda m: standard_file(ex, m))
        if library:
            said.append(f"Nothing here imports `{name}` by that name, but the standard module `{library[0]}` "
                        f"imports `{name}`, and your {path.name} takes its place, so `import {library[0]}` breaks"
                        + (f" (and {path.name} imports {library[0]}, half-loaded at that moment)."
                           if library[0] in imported_names(ex, path.name) else "."))
    copies = [p.name for p in sources if p != path and path.suffix == ".py"
              and ast.dump(ex.tree(p.name)) == ast.dump(ex.tree(path.name))]
    if copies:
        said.append(f"{path.name} is a copy of {copies[0]}, which is there already: delete {path.name}.")
    else:
        said.append("Rename it to a name no module has, "
                    + ("not save_scores.py, which exists already" if ex.path("save_scores.py").exists()
                       else "e.g. save_scores.py")
                    + " (`sys.stdlib_module_names` lists the standard names to avoid, `python -m pip list` the "
                      "installed packages).")
    return "\n".join(said)


def test_nothing_here_is_named_like_a_module(ex):
    for path, name in shadows(ex):
        what = taken(name) or f"a module it imports: `{name}`"
        ex.fail(
            f"{ex.show(path)} has the name of {what}."
            + (" (Python on Windows imports a .pyw file as it does a .py.)" if path.suffix == ".pyw" else "")
            + f"\nThe script's folder comes first on sys.path, so "
            f"every `import {name}` started from this folder gets this file instead of the real module "
            f"(and a file that imports its own name imports itself, half-run: 'partially initialized module').\n"
            + advice(ex, path, name))


def test_the_script_prints_the_scores_with_the_real_json(ex):
    # A fresh interpreter: this pytest process has the real json loaded already, so only a new
    # `python script.py` shows which json the folder's files get.
    found = scripts(ex)
    assert found, (f"No .py file in {ex.show(ex.dir)}/ imports json any more. Rename json.py (for example to "
                   f"save_scores.py) and keep its code: `import json` and the print of json.dumps(...).")
    for script in found:
        result = ex.run(script, check=False)
        ex.expect_success(result)
        out = result.stdout.strip()
        assert out == EXPECTED, (f"`{result.command}` should print {EXPECTED}, not {out!r}.\nKeep the code of "
                                 f"the old json.py as it was: only its name changes.")


def test_import_json_here_gets_the_standard_library(ex):
    # A fresh interpreter, for the same reason; find_spec says where `import json` would load from
    # without running the file it finds.
    result = ex.run_code("import importlib.util; print(importlib.util.find_spec('json').origin)", cwd=ex.dir,
                         what=f"python -c \"import json\" (in {ex.show(ex.dir)}/)")
    got = result.stdout.strip()
    real = ex.standard_module("json").__spec__.origin
    shown = ex.show(got) if got not in ("", "None") else got
    assert got == real, (f"`import json` started in {ex.show(ex.dir)}/ loads {shown}, not the standard library's "
                         f"json ({ex.show(real)}).\nThe working folder (for -c, -m and the REPL) or the script's folder "
                         f"comes first on sys.path: remove or rename whatever is called json there.")
