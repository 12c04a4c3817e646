"""K1xx: finding a module. ModuleNotFoundError, and the names Python cannot even parse as a module name."""
from __future__ import annotations

import ast
import os
import re
import sys
from pathlib import Path

from kata.diagnoses.catalogue import Example, entry, near
from kata.diagnoses.facts import STDLIB, Facts


def _missing(f: Facts) -> str | None:
    return f.name if "ModuleNotFoundError" in f.kinds and f.name else None


def _chdir_before(f: Facts) -> int | None:
    """The line of an os.chdir() call that ran before the failing line of the failing file."""
    if not f.where:
        return None
    tree = f.tree(f.where[0])
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "chdir" \
                and node.lineno < f.where[1]:
            return node.lineno
    return None


def _elsewhere(f: Facts, top: str) -> list[Path]:
    """Learner modules named `top` that are not in a searched folder (in a subfolder of the exercise)."""
    searched = set(f.search_dirs())
    return [p for p in f.sources if (p.stem == top or p.parent.name == top and p.name == "__init__.py")
            and (p.parent if p.stem == top else p.parent.parent) not in searched]


# Standard modules that CPython removed (PEP 594 and earlier), with the version that removed them and what
# replaces them. A fact of the interpreter, not a guess: the import fails because this Python has no such module.
REMOVED = {
    "formatter": ((3, 10), ""), "parser": ((3, 10), "the module ast"), "symbol": ((3, 10), "the module ast"),
    "binhex": ((3, 11), "the modules base64 and binascii"),
    "imp": ((3, 12), "importlib (importlib.reload, importlib.import_module, importlib.util)"),
    "distutils": ((3, 12), "setuptools to build packages, sysconfig and shutil for the rest"),
    "asynchat": ((3, 12), "asyncio"), "asyncore": ((3, 12), "asyncio"), "smtpd": ((3, 12), "the package aiosmtpd"),
    **{name: ((3, 13), "") for name in (
        "aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib", "nis",
        "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib")},
}


def _removed(f: Facts) -> tuple[str, tuple, str] | None:
    """(name, version, replacement) when the missing module is a standard module this Python removed."""
    name = _missing(f)
    top = (name or "").partition(".")[0]
    if top in REMOVED and sys.version_info >= REMOVED[top][0] and not any(
            (d / f"{top}.py").exists() or (d / top).is_dir() for d in f.search_dirs()):
        return (top, *REMOVED[top])
    return None


def _is_sys_path(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name)
            and node.value.id == "sys")


def _static_path(node) -> str | None:
    """The value of a path expression that depends on nothing but constants (and so, once made absolute,
    only on the working folder): "libs", os.pardir, os.path.join("..", "libs"), os.path.dirname("__file__"),
    Path("libs"), abspath/realpath/normpath/resolve() of one of them. None when it uses anything else
    (__file__, a variable, a call this does not know)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr in ("pardir", "curdir"):
        return os.pardir if node.attr == "pardir" else os.curdir
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Div)):
        left, right = _static_path(node.left), _static_path(node.right)
        if left is None or right is None:
            return None
        return left + right if isinstance(node.op, ast.Add) else os.path.join(left, right)
    if isinstance(node, ast.Call):
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name in ("resolve", "absolute") and isinstance(node.func, ast.Attribute) and not node.args:
            return _static_path(node.func.value)
        args = [_static_path(a) for a in node.args]
        if node.keywords or None in args or not args:
            return None
        if name == "join":
            return os.path.join(*args)
        if name in ("Path", "PurePath", "str", "fspath", "abspath", "realpath", "normpath") and len(args) == 1:
            return args[0] if name != "normpath" else os.path.normpath(args[0])
        if name == "dirname" and len(args) == 1:
            return os.path.dirname(args[0])
    return None


def _relative_entry(f: Facts) -> tuple[int, str, str] | None:
    """(line, source, value) of a sys.path change, before the failing line of the failing file, whose entry is
    built from constants only: relative, so it is looked up from the working folder, not from the script."""
    if not f.where:
        return None
    tree = f.tree(f.where[0])
    for node in ast.walk(tree) if tree else ():
        entry = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is_sys_path(node.func.value) \
                and node.func.attr in ("append", "insert") and node.args:
            entry = node.args[-1]
        elif isinstance(node, ast.AugAssign) and _is_sys_path(node.target) and isinstance(node.value, ast.List) \
                and node.value.elts:
            entry = node.value.elts[0]
        if entry is None or node.lineno >= f.where[1]:
            continue
        value = _static_path(entry)
        if value is not None and not os.path.isabs(value):
            return node.lineno, ast.unparse(entry), value
    return None


@entry("K101", "`import name.py`: a module is named without its .py", example=Example(
    files={"main.py": "import mymodule.py\n\nprint(mymodule.greet())\n",
           "mymodule.py": "def greet():\n    return 'Hello!'\n"},
    run="import main", fix={"main.py": "import mymodule\n\nprint(mymodule.greet())\n"}),
    explanation="""
    An import names a module, not a file. The file mymodule.py is the module `mymodule`; the suffix .py is how
    Python finds it on disk, and is never written in the import. A dot in an import means "a submodule of a
    package", so `import mymodule.py` asks for a submodule `py` inside `mymodule` and fails, after running
    mymodule.py once.""")
def dot_py(f: Facts):
    name = _missing(f)
    if name and name.endswith(".py"):
        module = name[:-3]
        return (f"The import asks for `{name}`: a module is named without its file's .py (the file "
                f"{module.rpartition('.')[2]}.py is the module `{module}`), and a dot in an import means a "
                f"submodule, so Python looked for a submodule `py`.")


@entry("K102", "a bare sibling import inside a package (Python 2 style)", example=Example(
    files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {'tea': 3}\n",
           "shop/cart.py": "import prices\n\n\ndef total(items):\n    return sum(prices.PRICES[i] for i in items)\n"},
    run="import shop.cart",
    fix={"shop/cart.py": "from . import prices\n\n\ndef total(items):\n    return sum(prices.PRICES[i] for i in "
                         "items)\n"}),
    explanation="""
    Inside a package, a module's neighbours are not top-level names. `import prices` searches only the folders
    on sys.path (the folder above the package), not the folder of the file that runs the import: Python 2 did
    that ("implicit relative import"), Python 3 does not. A module reaches a sibling in its package with a
    relative import (`from . import prices`, `from .prices import PRICES`) or by its full name
    (`from shop import prices`).""",
    seen_in=("https://github.com/HDFGroup/h5serv/issues/122",
             "https://github.com/seppemans/businesstimedelta/pull/1",
             "https://github.com/ajtulloch/sklearn-compiledtrees/issues/2",
             "https://github.com/russellfunk/cdindex/issues/1",
             "https://github.com/thinkst/canarytools-python/issues/2",
             "https://github.com/pyrk/pyrk/issues/46",))
def sibling_in_package(f: Facts):
    name = _missing(f)
    if not name or not f.failing_file:
        return None
    top = name.partition(".")[0]
    here = f.failing_dir
    sibling = next((c for c in (here / f"{top}.py", here / top) if c.exists()), None)
    package = f.package_of(f.failing_file)
    if sibling is None or not package or here in f.search_dirs():
        return None
    return (f"`{top}` is {f.show(sibling)}, a sibling of {f.show(f.failing_file)} inside the package `{package}`. "
            f"In Python 3 a bare `import {top}` searches only the folders on sys.path, not the importing file's "
            f"own folder: inside a package, reach a sibling with a relative import or by its full name "
            f"(`{package}.{top}`).")


@entry("K103", "a file inside a package run as a script: its package is not importable", example=Example(
    files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {'tea': 3}\n",
           "shop/cart.py": "from shop.prices import PRICES\n\nprint(PRICES['tea'])\n"},
    run="script shop/cart.py", fix={}, fix_run="module shop.cart"),
    explanation="""
    `python shop/cart.py` puts the script's own folder, shop/, first on sys.path, not the folder that holds the
    package. So `shop` itself is not findable, and every import that names the package fails. A module that
    belongs to a package is run with `-m` and its full name, from the folder above the package
    (`python -m shop.cart`): then sys.path starts with that folder and the package is found.""",
    seen_in=("https://github.com/careercup/CtCI-6th-Edition-Python/issues/161",
             "https://github.com/openai/gpt-2/issues/7",
             "https://github.com/eberharf/cfl/issues/3",))
def script_inside_package(f: Facts):
    name = _missing(f)
    if not name or f.started != "script" or not f.failing_file:
        return None
    script = Path(f.target)
    package = f.package_of(script)
    if not package or name.partition(".")[0] != package.partition(".")[0]:
        return None
    dotted = f"{package}.{script.stem}"
    return (f"{f.show(script)} belongs to the package `{package}`, but it was run as a script: then sys.path "
            f"starts with the script's own folder, {f.show(script.parent)}/, and the package `{package}` (the "
            f"folder itself) cannot be found from there. A module of a package runs with -m and its full name "
            f"(`{dotted}`), from the folder above the package.")


@entry("K104", "os.chdir() before an import: imports do not follow the working folder", example=Example(
    files={"main.py": "import os\n\nos.chdir(os.path.join(os.path.dirname(__file__), 'tools'))\nimport helpers\n",
           "tools/helpers.py": "NAME = 'helpers'\n"},
    run="import main",
    fix={"main.py": "from tools import helpers\n", "tools/__init__.py": ""}),
    explanation="""
    Imports search the folders on sys.path. The working folder (os.getcwd(), changed by os.chdir()) is only
    searched when sys.path holds '' (the interactive prompt, `python -c`), and a script's sys.path starts with
    the script's folder instead. So changing the working folder before an import does not make the modules of
    that folder importable. Import the module by its place in your project (a package `tools`, then
    `tools.helpers`); keep os.chdir() for files you open, and prefer paths built from __file__ even there.""",
    seen_in=("https://github.com/microsoft/debugpy/issues/759",
             "https://github.com/ray-project/ray/pull/15145",))
def chdir_before_import(f: Facts):
    name = _missing(f)
    line = _chdir_before(f) if name else None
    if not line:
        return None
    found = _elsewhere(f, name.partition(".")[0])
    where = f" ({f.show(found[0])} is there)" if found else ""
    return (f"line {line} of {f.show(f.where[0])} changes the working folder with os.chdir(), then `{name}` is "
            f"imported{where}. Imports search the folders on sys.path, not the current working folder: changing "
            f"folder does not make its modules importable.")


@entry("K105", "a __pycache__ of a renamed or deleted module: the cache is not the module", example=Example(
    files={"main.py": "import helpers\n", "tools.py": "def shout(text):\n    return text.upper()\n"},
    compiled={"__pycache__/helpers.{tag}.pyc": "def shout(text):\n    return text.upper()\n"},
    run="import main", fix={"main.py": "import tools\n"}),
    explanation="""
    __pycache__/ holds compiled copies of modules, made by Python to start faster next time. Python only uses
    such a copy together with its source: when helpers.py is renamed or deleted, __pycache__/helpers.*.pyc
    stays behind but `import helpers` no longer finds anything. The cache is never the module; delete
    __pycache__ folders freely (they are rebuilt) and import the module under the name its .py file has now.""",
    seen_in=("https://github.com/getsentry/sentry/pull/35678",
             "https://github.com/alliedmodders/ambuild/pull/77",))
def renamed_cache(f: Facts):
    name = _missing(f)
    if not name:
        return None
    top = name.partition(".")[0]
    cached = [p for p in f.files if p.parent.name == "__pycache__" and p.name.split(".")[0] == top]
    if not cached or any(p.stem == top for p in f.sources):
        return None
    return (f"There is no {top}.py, only a compiled copy in {f.show(cached[0].parent)}/ "
            f"({cached[0].name}), left from a module that was renamed or deleted. Python imports a module from "
            f"its .py file; __pycache__ is only a cache of it. Import the module under its present file name.")


@entry("K106", "a leftover .pyc file imported instead of the module you edit", example=Example(
    files={"main.py": "from helpers import shout\n", "tools.py": "def shout(text):\n    return text.upper()\n"},
    compiled={"helpers.pyc": "def whisper(text):\n    return text.lower()\n"},
    run="import main", fix={"main.py": "from tools import shout\n", "helpers.pyc": None}),
    explanation="""
    A .pyc file standing next to your sources (not in __pycache__/) is a module of its own: Python imports it
    even when no .py of that name exists. It is usually a leftover of Python 2, or of a module that was
    renamed, and it holds old code: the names you added to the source are not in it. Delete such stray .pyc
    files and import the module whose .py you edit.""",
    seen_in=("https://stackoverflow.com/questions/15839555/when-are-pyc-files-refreshed",
             "https://github.com/ipol-journal/ipolDevel/issues/40",
             "https://github.com/pysal/pysal/issues/110",))
def stray_pyc(f: Facts):
    path = f.path or ""
    if "ImportError" in f.kinds and path.endswith(".pyc") and Path(path).parent.name != "__pycache__":
        return (f"`{f.name}` was loaded from {f.show(path)}, a compiled file with no source next to it (a "
                f"leftover of a renamed or older module): it is not the code you edit. Delete it, and import the "
                f"module whose .py file holds your code.")


@entry("K107", "a hyphen in a module name", example=Example(
    files={"main.py": "import my_tools\n", "my-tools.py": "NAME = 'tools'\n"},
    run="import main", fix={"main.py": "import my_tools\n", "my_tools.py": "NAME = 'tools'\n", "my-tools.py": None}),
    explanation="""
    A module's name must be a valid Python name: letters, digits and underscores, not starting with a digit.
    `my-tools` reads as `my - tools` (a subtraction), so `import my-tools` is a syntax error, and
    `import my_tools` does not find my-tools.py either: the file name and the import must match exactly. Rename
    the file with underscores (my_tools.py).""",
    seen_in=("https://github.com/kenlimmj/fightin-words/issues/2",
             "https://github.com/gfduszynski/cm-rgb/issues/54",
             "https://github.com/garyns/pigpio-dht/issues/1",
             "https://github.com/tobi-wan-kenobi/bumblebee-status/issues/713",
             "https://github.com/akamai/api-kickstart/pull/28",
             "https://github.com/jmcclell/django-bootstrap-pagination/pull/9",))
def hyphen(f: Facts):
    name = _missing(f)
    if name:
        top = name.partition(".")[0]
        dashed = next((p for p in f.sources if "-" in p.stem and p.stem.replace("-", "_") == top), None)
        if dashed:
            return (f"There is no {top}.py, but there is {f.show(dashed)}: a module name cannot contain a hyphen "
                    f"(`-` reads as a minus sign), and the file name must match the import exactly. Rename the "
                    f"file with underscores.")
        return None
    line = f.where[2] if f.where and "SyntaxError" in f.kinds else ""
    m = re.match(r"(?:import|from)\s+([\w.]+-[\w.-]*)", line)
    if m:
        return (f"`{m.group(1)}` is not a valid module name: `-` reads as a minus sign. A module name is made of "
                f"letters, digits and underscores; rename the file with underscores and import that name.")


@entry("K108", "a module name that starts with a digit", example=Example(
    files={"main.py": "import 01_intro\n", "01_intro.py": "NAME = 'intro'\n"},
    run="import main", fix={"main.py": "import intro\n", "intro.py": "NAME = 'intro'\n", "01_intro.py": None}),
    explanation="""
    A module's name must be a valid Python name, and a name cannot start with a digit: `import 01_intro` does
    not even parse. Name the file so that it starts with a letter or an underscore (intro.py, lesson_01.py).
    importlib.import_module("01_intro") would find it, but a module nobody can import with a plain statement
    is a trap; rename it.""",
    seen_in=("https://github.com/bitbot-irc/bitbot/issues/106",
             "https://github.com/windmill-labs/windmill/issues/3156",
             "https://github.com/RasmussenLab/MOVE/issues/17",
             "https://github.com/dabeaz/ply/issues/261",))
def leading_digit(f: Facts):
    line = f.where[2] if f.where and "SyntaxError" in f.kinds else ""
    m = re.match(r"(?:import|from)\s+(\d[\w.]*)", line)
    if m:
        return (f"`{m.group(1)}` is not a valid module name: a name cannot start with a digit. Rename the file "
                f"so that its name starts with a letter or an underscore, and import that name.")


@entry("K109", "a module in a subfolder imported by its bare name", example=Example(
    files={"main.py": "import helpers\n", "lib/helpers.py": "NAME = 'helpers'\n"},
    run="import main", fix={"main.py": "from lib import helpers\n", "lib/__init__.py": ""}),
    explanation="""
    `import helpers` looks for helpers.py in the folders on sys.path (for a script, the script's own folder
    first), never in their subfolders. A module in a subfolder is reached through that folder, as a package:
    give the folder an __init__.py and import `lib.helpers` (or `from lib import helpers`). Adding the
    subfolder to sys.path by hand also works, but hides the structure and loads modules under two names.""")
def in_subfolder(f: Facts):
    name = _missing(f)
    if not name or "." in name or _relative_entry(f):  # the subfolder was put on sys.path, relatively: K114
        return None
    found = _elsewhere(f, name)
    if not found:
        return None
    where = found[0].parent if found[0].name == "__init__.py" else found[0]
    return (f"`{name}` is {f.show(where)}, inside the folder {f.show(where.parent)}/. An import searches the "
            f"folders on sys.path (here {', '.join(f.show(d) + '/' for d in f.search_dirs())}), not their "
            f"subfolders: a module in a subfolder is imported through that folder, as a package.")


@entry("K110", "a misspelt module name", example=Example(
    files={"main.py": "import helper\n", "helpers.py": "NAME = 'helpers'\n"},
    run="import main", fix={"main.py": "import helpers\n"}),
    explanation="""
    The name in an import must match the module's file name exactly (case included, without .py): `helper`
    is not helpers.py. Python searched every folder on sys.path and found no file or folder of that name.
    Correct the import rather than creating a new module named like the misspelling.""",
    seen_in=("https://github.com/python/mypy/pull/20695",))
def misspelt(f: Facts):
    name = _missing(f)
    if not name or "." in name or _removed(f) or _relative_entry(f):
        return None
    options = [n for d in f.search_dirs() for n in f.module_names(d)]
    close = near(name, options) or next((o for o in options if o.lower() == name.lower()), None) \
        or near(name, sorted(STDLIB), cutoff=0.85)
    if close:
        return (f"No module named `{name}`. Python searched the folders on sys.path and the standard library; "
                f"the closest module there is `{close}`: check the spelling (and the case) of the import.")


@entry("K111", "a submodule that its package does not have", example=Example(
    files={"shop/__init__.py": "", "shop/prices.py": "PRICES = {}\n", "main.py": "import shop.price\n"},
    run="import main", fix={"main.py": "import shop.prices\n"}),
    explanation="""
    `import shop.price` first imports the package `shop`, then looks for `price` among the package's own
    modules only: the files and folders in shop/ (its __path__). A dotted name is a path through packages;
    every part must exist where the one before it says.""")
def missing_submodule(f: Facts):
    name = _missing(f)
    if not name or "." not in name:
        return None
    parent, _, last = name.rpartition(".")
    folder = next((d / parent.replace(".", "/") for d in f.search_dirs() if (d / parent.replace(".", "/")).is_dir()),
                  None)
    if folder is None:
        return None
    if last in f.module_names(folder):  # it is there: the parent that was imported is not this folder
        module = folder.with_name(folder.name + ".py")
        if module.is_file() and not (folder / "__init__.py").is_file():
            return (f"No module named `{name}`: `{parent}` is the module {f.show(module)}, which takes the name "
                    f"ahead of the folder {f.show(folder)}/ (a folder without __init__.py is only a namespace "
                    f"package, found when no module of that name is), so `{parent}` is no package and its "
                    f"`{last}` cannot be found. Remove or rename {module.name}, or give the folder an __init__.py.")
        return None
    close = near(last, f.module_names(folder))
    guess = f" The closest is `{parent}.{close}`." if close else \
        f" It has: {', '.join(f.module_names(folder)) or 'nothing'}."
    return (f"No module named `{name}`: the package `{parent}` ({f.show(folder)}/) has no module or folder "
            f"`{last}`.{guess}")


@entry("K112", "a module that is neither in the project nor installed", example=Example(
    files={"main.py": "import yaml_helpers_nowhere\n"},
    run="import main", fix={"main.py": "import json\n"}),
    explanation="""
    For `import name` Python searches, in order, the folders listed in sys.path: the script's folder (or the
    working folder for `python -m` and `-c`), PYTHONPATH, the standard library, then the installed packages
    (site-packages). When none holds name.py or a folder `name`, the import fails. Either the module is yours
    and is not where Python looks (check its file name and folder), or it is a third-party package that is
    not installed in the Python that runs the code (`python -m pip install ...` with that very python).""")
def not_found(f: Facts):
    name = _missing(f)
    if not name or _removed(f) or _relative_entry(f):
        return None
    top = name.partition(".")[0]
    if any((d / f"{top}.py").is_file() for d in f.search_dirs()):
        return None  # there is a module of that name: what it lacks is another entry's business
    return (f"No module named `{top}`: Python searched {', '.join(f.show(d) + '/' for d in f.search_dirs())}, "
            f"then the standard library and the installed packages, and no file {top}.py or folder {top}/ is in "
            f"any of them. Check the module's file name and folder, or whether it is a package to install.")


@entry("K113", "a standard module that this Python no longer has", example=Example(
    files={"main.py": "import parser\n\nprint(parser.expr('1 + 2'))\n"},
    run="import main", fix={"main.py": "import ast\n\nprint(ast.dump(ast.parse('1 + 2', mode='eval')))\n"}),
    explanation="""
    The standard library changes between versions: old modules are deprecated for some releases, then
    removed (PEP 594 removed many in Python 3.13; `imp`, `distutils`, `asyncore` went in 3.12). Code written
    for an older Python, and the tutorials and answers that go with it, still import them, and on a newer
    Python the import fails as if the name were misspelt. Nothing is wrong with the spelling or your folders:
    use the module that replaced it (for `imp`: importlib, whose `importlib.reload` is the old `imp.reload`).""",
    seen_in=("https://github.com/scarygliders/Polkit-Explorer/issues/5",))
def removed_module(f: Facts):
    found = _removed(f)
    if not found:
        return None
    name, version, instead = found
    use = f" Use {instead} instead." if instead else ""
    return (f"`{name}` was a standard module up to Python {version[0]}.{version[1] - 1}; Python "
            f"{version[0]}.{version[1]} removed it, so this Python ({sys.version.split()[0]}) has no module "
            f"`{name}` anywhere: the import is written for an older Python.{use}")


@entry("K114", "a relative folder put on sys.path: it is looked up from the working folder", example=Example(
    files={"app/main.py": "import sys\n\nsys.path.append('libs')\n\nimport textkit\n",
           "libs/textkit.py": "NAME = 'textkit'\n"},
    run="script app/main.py",
    fix={"app/main.py": "import sys\nfrom pathlib import Path\n\nsys.path.append(str(Path(__file__).resolve()"
                        ".parent.parent / 'libs'))\n\nimport textkit\n"}),
    explanation="""
    A folder on sys.path that is not absolute ('libs', '..', os.pardir, os.path.join('..', 'libs')) is looked
    up from the working folder: the folder Python was started in, which whoever runs the program chooses. So
    the script finds its modules only when it is started from one particular folder. abspath() or resolve()
    of such a path does not help: it is made absolute from the working folder too. And
    os.path.dirname("__file__"), in quotes, is the dirname of the text '__file__', which is ''. Build the folder
    from the variable __file__ (the script's own path): Path(__file__).resolve().parent / ...""",
    seen_in=("https://github.com/WegraLee/deep-learning-from-scratch/pull/5",
             "https://github.com/elyha7/yoloface/issues/10",
             "https://github.com/neolee/wop-community/issues/180",))
def relative_sys_path(f: Facts):
    name = _missing(f)
    found = _relative_entry(f) if name else None
    if not found:
        return None
    line, source, value = found
    quoted = ' ("__file__" in quotes is the text \'__file__\', not the variable __file__)' \
        if '"__file__"' in source or "'__file__'" in source else ""
    shown = f"`{source}`" + (f" ({value!r})" if source != repr(value) else "")
    return (f"line {line} of {f.show(f.where[0])} puts {shown} on sys.path{quoted}: a relative folder, so the "
            f"import system looks for it from the working folder, the one Python was started in, not from the "
            f"script's folder; started anywhere else it finds no `{name.partition('.')[0]}`. Build the folder "
            f"from __file__, the script's own path.")
