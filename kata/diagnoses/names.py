"""K2xx: names in modules. `from m import name` that fails, circular imports, NameError, AttributeError."""
from __future__ import annotations

import ast
from pathlib import Path

from kata.diagnoses.catalogue import Example, entry, near
from kata.diagnoses.facts import STDLIB, Facts


def _module_file(f: Facts, module: str) -> Path | None:
    """The learner file of module `module` (by the loaded modules, else by the search folders)."""
    if module in f.modules:
        return Path(f.modules[module])
    rel = module.replace(".", "/")
    for d in f.search_dirs():
        for c in (d / f"{rel}.py", d / rel / "__init__.py"):
            if c.is_file():
                return c
    return None


def _module_name(f: Facts, path: Path) -> str:
    package = f.package_of(path)
    stem = "" if path.name == "__init__.py" else path.stem
    return ".".join(p for p in (package, stem) if p)


def _imports_of(f: Facts, path: Path) -> set[str]:
    """The modules a learner file imports, relative imports resolved."""
    tree = f.tree(path)
    found = set(f.imports_in(path))
    package = f.package_of(path)
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if package else []
            target = ".".join(base + ([node.module] if node.module else []))
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


def _cycle(f: Facts, start: Path, goal: str, seen=None) -> list[str] | None:
    """A chain of learner imports from the file `start` to the module `goal`, if there is one."""
    seen = seen if seen is not None else set()
    for imported in sorted(_imports_of(f, start)):
        if imported == goal:
            return [goal]
        path = _module_file(f, imported)
        if path is None or path in seen:
            continue
        seen.add(path)
        rest = _cycle(f, path, goal, seen)
        if rest:
            return [imported, *rest]
    return None


def _defines(f: Facts, path: Path) -> set[str]:
    """The names a file's top level defines itself (def, class, assignment), not the ones it imports."""
    tree = f.tree(path)
    found = set()
    for node in tree.body if tree else ():
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def _problem_module(f: Facts) -> str | None:
    """The module the failure is about: the one a from-import read, or the one that lacks an attribute."""
    if "ModuleNotFoundError" in f.kinds:
        return None
    if "ImportError" in f.kinds:
        return f.name
    if "AttributeError" in f.kinds:
        return f.owner
    return None


@entry("K201", "a file that imports itself: named like the module it uses", example=Example(
    files={"random.py": "import random\n\nprint(random.randint(1, 6))\n"},
    run="script random.py", fix={"random.py": None, "dice.py": "import random\n\nprint(random.randint(1, 6))\n"},
    fix_run="script dice.py"),
    explanation="""
    A script's own folder comes first on sys.path. A file named pygame.py (or random.py, turtle.py, ...) that
    says `import pygame` therefore imports itself instead of the library: Python loads the file a second time
    as the module `pygame`, and while it runs, that half-made module has none of the library's names ("partially
    initialized module ... most likely due to a circular import"). Give your file a name of its own (game.py).
    A __pycache__/pygame.cpython-3X.pyc left from the old name does no harm: Python reads a cached file only
    for a source beside it. A pygame.pyc next to your files (not in __pycache__) is imported even without its
    source: delete that one too.""",
    seen_in=("https://github.com/pygame/pygame/issues/1592",
             "https://github.com/pygame/pygame/issues/1531",
             "https://github.com/KristoforMaynard/music-tag/issues/13",
             "https://github.com/carpedm20/emoji/issues/232",
             "https://github.com/chemosim-lab/ProLIF/issues/162",
             "https://github.com/ppannuto/python-saleae/issues/78",
             "https://github.com/ipinfo/python/issues/26",
             "https://github.com/mem0ai/mem0/issues/88",
             "https://github.com/selik/xport/issues/42",
             "https://github.com/aaaccell/morningstar/issues/16",
             "https://github.com/SigmaHQ/pySigma/issues/143",))
def imports_itself(f: Facts):
    # (or "'x' is not a package": the script x.py imports x.sub, and finds itself)
    module = _problem_module(f) or (f.name if "ModuleNotFoundError" in f.kinds and "." in (f.name or "") else None)
    if not module:
        return None
    top = module.partition(".")[0]
    own = next((p for p in f.sources if p.stem == top and p.parent in f.search_dirs()), None)
    if own is None or top not in f.imports_in(own):
        return None
    what = "the standard library's module" if top in STDLIB else "the installed module"
    legacy = own.with_suffix(".pyc")  # imported without its source, unlike a __pycache__ entry
    also = f" and delete {f.show(legacy)}, which would be imported in its place" if legacy in f.files else ""
    return (f"{f.show(own)} is named `{top}`, like {what} it imports: its own folder comes first on sys.path, "
            f"so `import {top}` loads the file itself a second time, and that half-run copy has none of the "
            f"names you expect. Rename your file{also}.")


@entry("K202", "a circular import between two of your modules", example=Example(
    files={"models.py": "from views import render\n\n\nclass User:\n    pass\n",
           "views.py": "from models import User\n\n\ndef render(user):\n    return repr(user)\n"},
    run="import models",
    fix={"models.py": "class User:\n    pass\n",
         "views.py": "from models import User\n\n\ndef render(user):\n    return repr(user)\n"}),
    explanation="""
    An import runs the imported module's body from the top. When models.py imports views.py and views.py
    imports models.py, the second import finds models half-run (it is in sys.modules, but has not reached
    its `class User` yet), so `from models import User` finds no User ("partially initialized module").
    Break the cycle: move what both need into a third module, let only one side import the other, or import
    the module (`import models`) and read `models.User` inside the function that needs it, when both are
    complete.""",
    seen_in=("https://github.com/juriansluiman/groceri.es/issues/29",
             "https://github.com/damianoalves/flask-service/issues/5",))
def circular(f: Facts):
    module = _problem_module(f)
    if not module or not f.failing_file:
        return None
    other = _module_file(f, module)
    me = _module_name(f, f.failing_file)
    if other is None or not me:
        return None
    chain = _cycle(f, other, me)
    if not chain:
        return None
    loop = " -> ".join([me, module, *chain])
    statement = f.statement()
    wanted = f.wanted or (statement.names[0].name if isinstance(statement, ast.ImportFrom) else f.name)
    return (f"Circular import: {loop}. When {f.show(f.failing_file)} asked `{module}` for "
            f"`{wanted}`, `{module}` had not finished running (it was itself waiting on this import), "
            f"so the name did not exist yet. Break the cycle: move the shared code into a module both import, or "
            f"read the name through the module when it is used, not at import time.")


@entry("K203", "a from-import of a misspelt name", example=Example(
    files={"main.py": "from helpers import shuot\n", "helpers.py": "def shout(text):\n    return text.upper()\n"},
    run="import main", fix={"main.py": "from helpers import shout\n"}),
    explanation="""
    `from module import name` runs the module, then looks the name up among the names its top level defined.
    The name must be spelled exactly as the module spells it (case included). Correct the import; do not add
    the misspelt name to the module.""",
    seen_in=("https://github.com/python/cpython/issues/91058",))
def misspelt_name(f: Facts):
    if "ImportError" not in f.kinds or "ModuleNotFoundError" in f.kinds or not f.wanted or not f.path:
        return None
    close = near(f.wanted, f.defined_names(f.path))
    if close:
        return (f"`{f.name}` ({f.show(f.path)}) has no name `{f.wanted}`; it defines `{close}`. A from-import "
                f"takes the names exactly as the module spells them.")


@entry("K204", "a from-import of a name that lives in another module", example=Example(
    files={"main.py": "from helpers import whisper\n", "helpers.py": "def shout(text):\n    return text.upper()\n",
           "quiet.py": "def whisper(text):\n    return text.lower()\n"},
    run="import main", fix={"main.py": "from quiet import whisper\n"}),
    explanation="""
    A from-import finds a name only in the module it names. The function exists, but in another file: import it
    from the module that defines it.""")
def name_elsewhere(f: Facts):
    if "ImportError" not in f.kinds or "ModuleNotFoundError" in f.kinds or not f.wanted or not f.path:
        return None
    for p in f.sources:
        if p.resolve() != Path(f.path).resolve() and f.wanted in _defines(f, p) and p.stem != "__init__":
            return (f"`{f.name}` ({f.show(f.path)}) has no name `{f.wanted}`: it is defined in {f.show(p)}, the "
                    f"module `{_module_name(f, p)}`. A from-import finds a name only in the module it names.")


@entry("K205", "a from-import of a name the module does not define", example=Example(
    files={"main.py": "from helpers import PI\n", "helpers.py": "def shout(text):\n    return text.upper()\n"},
    run="import main", fix={"main.py": "from helpers import shout\n"}),
    explanation="""
    `from module import name` needs `name` at the top level of the module once its body has run: a def, a
    class, an assignment or an import there. A name defined inside a function, or under an `if` that did not
    run, does not count.""")
def name_not_defined(f: Facts):
    if "ImportError" not in f.kinds or "ModuleNotFoundError" in f.kinds or not f.wanted or not f.path \
            or not f.path.endswith(".py"):
        return None
    names = f.defined_names(f.path)
    listed = f" It defines: {', '.join(names[:12])}." if names else " Its top level defines no names."
    return f"`{f.name}` ({f.show(f.path)}) has no name `{f.wanted}` at its top level.{listed}"


@entry("K206", "NameError: `__main__` written without quotes", example=Example(
    files={"main.py": "def run():\n    return 'ran'\n\n\nif __name__ == __main__:\n    run()\n"},
    run="import main", fix={"main.py": "def run():\n    return 'ran'\n\n\nif __name__ == '__main__':\n    run()\n"}),
    explanation="""
    `__name__` holds a string: "__main__" when the file runs as a program, the module's name when it is
    imported. The main guard compares it with the string "__main__", in quotes. Without quotes, `__main__` is a
    variable name that nothing defined. (Do not import a module `__main__` to make the name exist: that is the
    running program itself, and the comparison would still be with a module, not a string.)""")
def main_unquoted(f: Facts):
    if "NameError" in f.kinds and f.name == "__main__":
        return ("`__main__` here is a variable name, and none is defined: `__name__` holds a string, so the main "
                "guard compares it with the string \"__main__\", in quotes.")


def _bound_in_file(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def _name_error(f: Facts) -> tuple[str, ast.Module] | None:
    if "NameError" not in f.kinds or not f.name or not f.where:
        return None
    tree = f.tree(f.where[0])
    return (f.name, tree) if tree is not None else None


@entry("K207", "a name imported inside a function, used outside it", example=Example(
    files={"main.py": "def setup():\n    import math\n\n\nsetup()\nprint(math.pi)\n"},
    run="import main", fix={"main.py": "import math\n\nprint(math.pi)\n"}),
    explanation="""
    An import statement binds its name in the scope where it runs, like an assignment. Inside a function, that
    is the function's local scope: the name is gone when the function returns, and the rest of the module never
    sees it. Import at the top level of the module the names its functions and its top level share.""",
    seen_in=("https://github.com/WestWaters/pollard-weights/pull/105",
             "https://github.com/securesauce/precli/pull/32",))
def import_in_function(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                not (func.lineno <= f.where[1] <= (func.end_lineno or func.lineno)):
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                        any((a.asname or a.name).split(".")[0] == name for a in node.names):
                    return (f"`{name}` is imported on line {node.lineno}, inside the function `{func.name}`: an "
                            f"import binds the name in the scope where it runs, so only that function sees it.")


@entry("K208", "a module used under its name after `import ... as` another", example=Example(
    files={"main.py": "import math as m\n\nprint(math.pi)\n"},
    run="import main", fix={"main.py": "import math as m\n\nprint(m.pi)\n"}),
    explanation="""
    `import math as m` binds one name, `m`, to the module; the name `math` is not bound in this file. An alias
    replaces the module's name, it does not add one: use the alias everywhere, or drop it.""")
def alias_then_name(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname and a.name == name:
                    return (f"Line {node.lineno} imports `{name}` under the alias `{a.asname}`: that binds "
                            f"only `{a.asname}`; the name `{name}` does not exist in this file.")


@entry("K209", "the module's name used after a from-import", example=Example(
    files={"main.py": "from math import sqrt\n\nprint(math.sqrt(2))\n"},
    run="import main", fix={"main.py": "from math import sqrt\n\nprint(sqrt(2))\n"}),
    explanation="""
    `from math import sqrt` binds the name `sqrt` in your file, and only that: the module's own name `math` is
    not bound. Use the names you listed directly, or import the module itself if you want to write
    `math.something`.""")
def module_after_from(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == name and not node.level:
            listed = ", ".join(a.asname or a.name for a in node.names)
            return (f"Line {node.lineno} is `from {name} import {listed}`: a from-import binds the names it "
                    f"lists, not the module's name `{name}`.")


@entry("K210", "a name of another module used without importing it", example=Example(
    files={"main.py": "print(greet('Ada'))\n", "mymodule.py": "def greet(name):\n    return 'Hello, ' + name\n"},
    run="import main", fix={"main.py": "import mymodule\n\nprint(mymodule.greet('Ada'))\n"}),
    explanation="""
    Every module has its own namespace: a name defined in mymodule.py is not visible in main.py because the two
    files are in the same folder. main.py gets it only through an import: `import mymodule` (then
    `mymodule.greet`) or `from mymodule import greet`.""")
def defined_elsewhere(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    home = next((p for p in f.sources if p.resolve() != Path(f.where[0]).resolve() and name in _defines(f, p)
                 and p.name != "__init__.py"), None)
    if home and name not in _bound_in_file(tree) and _module_name(f, home) not in f.imports_in(Path(f.where[0])):
        return (f"`{name}` is defined in {f.show(home)}, not in {f.show(f.where[0])}: each module has its own "
                f"names, and a file sees another module's names only through an import.")


@entry("K211", "a module used without importing it", example=Example(
    files={"main.py": "print(mymodule.greet('Ada'))\n", "mymodule.py": "def greet(name):\n    return 'Hello, ' + name\n"},
    run="import main", fix={"main.py": "import mymodule\n\nprint(mymodule.greet('Ada'))\n"}),
    explanation="""
    A module's name exists in a file only after an import statement binds it there: being in the same folder,
    or being part of the standard library, is not enough. Each file imports the modules it uses, at its top
    level.""",
    seen_in=("https://github.com/aroberge/friendly/issues/215",
             "https://github.com/modelscope/modelscope/pull/147",
             "https://github.com/szabgab/wis-python-course-2024-11/issues/61",
             "https://github.com/FudanNLP/fitlog/issues/69",))
def module_not_imported(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    yours = any(p.stem == name or p.parent.name == name and p.name == "__init__.py" for p in f.sources)
    if (yours or name in STDLIB) and name not in _bound_in_file(tree):
        what = "a module of this exercise" if yours else "a module of the standard library"
        return (f"`{name}` is {what}, but {f.show(f.where[0])} never imports it: a module's name exists in a "
                f"file only once an import statement there binds it.")


def _module_attributes(f: Facts, module: str) -> set[str]:
    """The names module `module` has: a learner module's from its source, another from the loaded module."""
    path = _module_file(f, module)
    if path is not None:
        return set(_defines(f, path)) | set(f.defined_names(path))
    import sys

    loaded = sys.modules.get(module)
    return {n for n in dir(loaded) if not n.startswith("_")} if loaded is not None else set()


@entry("K212", "a name of an imported module used without the module's name", example=Example(
    files={"main.py": "import math as m\n\n\ndef root(x):\n    return sqrt(x)\n\n\nprint(root(4))\n"},
    run="import main", fix={"main.py": "import math as m\n\n\ndef root(x):\n    return m.sqrt(x)\n\n\nprint(root(4))\n"}),
    explanation="""
    `import math` (or `import math as m`) binds one name in your file: the module. The module's own names, such
    as sqrt or pi, stay inside it and are reached through it with a dot: `math.sqrt`, or `m.sqrt` after the
    alias. Only a from-import (`from math import sqrt`) binds such a name in your file itself.""")
def bare_module_name(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    for node in tree.body:
        if isinstance(node, ast.Import):
            for a in node.names:
                if name in _module_attributes(f, a.name):
                    alias = f" as `{a.asname}`" if a.asname else ""
                    return (f"`{name}` is a name of the module `{a.name}`, which line {node.lineno} imports{alias}: "
                            f"importing a module binds only the module's name, and its names are reached through "
                            f"it with a dot.")


@entry("K213", "a name the from-import does not list", example=Example(
    files={"main.py": "from math import sqrt\n\nprint(sqrt(2), pi)\n"},
    run="import main", fix={"main.py": "from math import sqrt, pi\n\nprint(sqrt(2), pi)\n"}),
    explanation="""
    `from math import sqrt` binds exactly the names it lists, here `sqrt`, and nothing else of the module: not
    `pi`, not the name `math`. Each name the file uses directly must be listed (one from-import can list
    several); a star import would bind them all, and hide which ones the file uses.""")
def not_listed(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and \
                name in _module_attributes(f, node.module):
            listed = ", ".join(a.asname or a.name for a in node.names)
            return (f"`{name}` is a name of the module `{node.module}`, but line {node.lineno} imports only "
                    f"{listed} from it: a from-import binds exactly the names it lists.")


@entry("K214", "NameError: a name never defined in this file", example=Example(
    files={"main.py": "total = 0\nprint(totl)\n"},
    run="import main", fix={"main.py": "total = 0\nprint(total)\n"}),
    explanation="""
    A name must be bound (assigned, defined with def or class, or imported) before it is read, in this file or
    in the builtins. Look for a misspelling, a definition that comes later in the file, or a name that belongs
    to another scope.""")
def undefined_name(f: Facts):
    found = _name_error(f)
    if not found:
        return None
    name, tree = found
    close = near(name, _bound_in_file(tree))
    guess = f" Did you mean `{close}`, which it does define?" if close else ""
    return f"`{name}` is used in {f.show(f.where[0])} but never defined, assigned or imported there.{guess}"


@entry("K215", "an attribute a module does not have", example=Example(
    files={"main.py": "import helpers\n\nhelpers.shuot('hi')\n",
           "helpers.py": "def shout(text):\n    return text.upper()\n"},
    run="import main", fix={"main.py": "import helpers\n\nhelpers.shout('hi')\n"}),
    explanation="""
    `module.name` looks `name` up among the names the module's top level defined. A misspelling, a function
    defined inside another, or a name the module imports under another spelling all fail the same way. For a
    module of yours, its file shows what it defines; for another, dir(module) lists it. The module's own
    attributes are not always there either: a built-in module (sys, itertools) has no __file__, a frozen one
    only where Python knows its source (os, frozen since 3.11, keeps one), a namespace package has none, and a
    module that is not a package has no __path__;
    importlib.util.find_spec(name) describes every kind (its origin, its submodule_search_locations).""")
def missing_attribute(f: Facts):
    if "AttributeError" not in f.kinds or not f.owner or not f.name:
        return None
    spec = getattr(getattr(f.error, "obj", None), "__spec__", None)
    if f.name in ("__file__", "__path__") and spec is not None:
        kind = ("a built-in module (compiled into the interpreter)" if spec.origin == "built-in" else
                "a frozen module (stored inside the interpreter)" if spec.origin == "frozen" else
                "a namespace package (folders without __init__.py)" if spec.origin is None and
                spec.submodule_search_locations is not None else
                "a module, not a package" if f.name == "__path__" else "a module that was not loaded from a file")
        return (f"`{f.owner}` is {kind} and has no `{f.name}`: not every module has one. "
                f"importlib.util.find_spec({f.owner!r}) describes every kind (its `origin`, its "
                f"`submodule_search_locations`).")
    path = _module_file(f, f.owner)
    if f.error is not None and getattr(f.error, "obj", None) is not None:
        names = [n for n in dir(f.error.obj) if not n.startswith("_")]
    else:
        names = f.defined_names(path) if path else []
    close = near(f.name, names)
    where = f" ({f.show(path)})" if path else ""
    guess = f" It has `{close}`: check the spelling." if close else ""
    return f"The module `{f.owner}`{where} has no attribute `{f.name}`.{guess}"
