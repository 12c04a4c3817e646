"""K3xx: your own files and folders named like standard-library modules, found before the real ones."""
from __future__ import annotations

import sysconfig
from pathlib import Path

from kata.diagnoses.catalogue import Example, entry
from kata.diagnoses.facts import STDLIB, Facts

_STDLIB_DIR = Path(sysconfig.get_paths()["stdlib"]).resolve()


def _about(f: Facts) -> str | None:
    """The top-level module the failure is about."""
    if "ModuleNotFoundError" in f.kinds:
        return (f.name or "").partition(".")[0] or None
    if "ImportError" in f.kinds or "AttributeError" in f.kinds:
        module = f.name if "ImportError" in f.kinds else f.owner
        return (module or "").partition(".")[0] or None
    return None


def _in_stdlib(filename: str) -> bool:
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):
        return False
    return path.is_relative_to(_STDLIB_DIR) and "site-packages" not in path.parts


def _shadow(f: Facts) -> tuple[str, Path] | None:
    name = _about(f)
    if not name or name not in STDLIB:
        return None
    own = f.shadowing(name)
    return (name, own) if own is not None else None


@entry("K301", "your file named like a standard module, imported by your code", example=Example(
    files={"main.py": "import random\n\nprint(random.choice(['a', 'b']))\n",
           "random.py": "def pick(items):\n    return items[0]\n"},
    run="script main.py", fix={"random.py": None, "picking.py": "def pick(items):\n    return items[0]\n"}),
    explanation="""
    sys.path starts with your script's folder, so a file of yours named random.py is found before the standard
    library's random: every `import random` in your program (and in the libraries it uses) gets your file. Its
    names are not the library's, hence "module 'random' has no attribute 'choice'". Never name a file like a
    standard module (`python -c "import sys; print(sys.stdlib_module_names)"` lists them): rename it. What
    __pycache__ keeps from the old name is harmless (a cached file is read only for a source beside it); a
    random.pyc next to your files is not, as it is imported without a source: delete that one.""",
    seen_in=("https://github.com/microsoft/PTVS/issues/3278",
             "https://github.com/pandas-dev/pandas/issues/35827",
             "https://github.com/YumaInaura/YumaInaura/issues/1067",
             "https://github.com/StudentVue/StudentVue.py/issues/15",
             "https://github.com/nu-radio/NuRadioMC/issues/1023",
             "https://github.com/blueman-project/blueman/issues/1280",))
def file_shadows_stdlib(f: Facts):
    found = _shadow(f)
    if not found or not found[1].is_file():
        return None
    name, own = found
    users = [p for p in f.sources if p != own and name in f.imports_in(p)]
    if not users:
        return None
    return (f"{f.show(own)} has the same name as the standard library's `{name}` module, and Python finds your "
            f"file first (the script's folder comes first on sys.path), so `import {name}` in "
            f"{f.show(users[0])} gets it. Rename it, and update the imports that use it.")


@entry("K302", "your folder named like a standard-library package", example=Example(
    files={"main.py": "import json\n\nprint(json.dumps({'a': 1}))\n",
           "json/__init__.py": "", "json/settings.py": "DEBUG = True\n"},
    run="script main.py",
    fix={"json/__init__.py": None, "json/settings.py": None, "config/__init__.py": "",
         "config/settings.py": "DEBUG = True\n"}),
    explanation="""
    A folder with an __init__.py is a package, found on sys.path like a module, and your script's folder comes
    first. A folder of yours named json/, email/ or logging/ therefore hides the standard library's package of
    that name from your whole program: `import json` gets your folder, which has none of json's functions. Give
    the folder a name of its own.""")
def folder_shadows_stdlib(f: Facts):
    found = _shadow(f)
    if not found or not found[1].is_dir():
        return None
    name, own = found
    return (f"The folder {f.show(own)}/ is a package named `{name}`, like the standard library's `{name}`, and "
            f"Python finds your folder first (the script's folder comes first on sys.path): `import {name}` gets "
            f"your package, not the library's. Rename the folder.")


def _entered_from_stdlib(f: Facts) -> tuple[str, Path, str] | None:
    """(name, own file, the standard module's file) when a frame of the standard library is followed by a frame
    in a learner file named like a standard module that the search finds: the library imported that file (json
    imports re and runs your re.py, whose failure is then about something else, json half-loaded)."""
    frames = [fn for fn, _ in f.frames if not fn.startswith("<")]  # importlib's frozen frames, when shown
    for before, fn in zip(frames, frames[1:]):
        path = Path(fn)
        name = path.parent.name if path.name == "__init__.py" else path.stem
        if not _in_stdlib(before) or _in_stdlib(fn) or name not in STDLIB:
            continue
        own = f.shadowing(name)
        if own is not None and path.resolve() in (own.resolve(), (own / "__init__.py").resolve()):
            return name, own, before
    return None


@entry("K303", "your standard-module-named file breaks a different standard module", example=Example(
    files={"main.py": "import tempfile\n\nprint(tempfile.gettempdir())\n",
           "random.py": "def pick(items):\n    return items[0]\n"},
    run="script main.py", fix={"random.py": None, "picking.py": "def pick(items):\n    return items[0]\n"}),
    explanation="""
    The standard library imports itself: tempfile imports random, http imports email, inspect imports token...
    A file of yours named like one of those modules is found first (your script's folder starts sys.path), so
    a standard module you never thought of gets your file and fails inside the library, far from your code.
    Rename your file so that it is named like no standard module.""",
    seen_in=("https://github.com/astral-sh/ruff/issues/13676",
             "https://github.com/thonny/thonny/issues/603",
             "https://github.com/sympy/sympy/issues/21734",
             "https://github.com/jdf/Processing.py-Bugs/issues/110",))
def breaks_other_stdlib(f: Facts):
    entered = _entered_from_stdlib(f)
    if entered:
        name, own, library = entered
        user = Path(library).parent.name if Path(library).name == "__init__.py" else Path(library).stem
        if Path(library).name != "__init__.py" and Path(library).parent.resolve() != _STDLIB_DIR:
            user = f"{Path(library).parent.name}.{user}"  # json.decoder: a module of a standard package
        return (f"{f.show(own)} has the same name as the standard library's `{name}` module. The standard module "
                f"`{user}` imports `{name}`, and got your file (the script's folder comes first on sys.path): "
                f"your file runs in its place, and what fails then is not where the mistake is. Rename your file "
                f"so that it is named like no standard module.")
    found = _shadow(f)
    if not found or not found[1].is_file():
        return None
    name, own = found
    library = [fn for fn, _ in f.frames if _in_stdlib(fn)]
    mine = [p for p in f.sources if p != own and name in f.imports_in(p)]
    if not library or mine:
        return None
    user = Path(library[-1]).stem
    return (f"{f.show(own)} has the same name as the standard library's `{name}` module. Your code never "
            f"imports `{name}`, but the standard module `{user}` does, and it got your file (the script's folder "
            f"comes first on sys.path). Rename your file so that it is named like no standard module.")
