"""31 src layout: the package lives in src/, importable only when src/ is on sys.path; pyproject.toml says so."""
import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

VERSION = "0.1.0"
# The build backends this exercise knows, by the package (PyPI name, normalised) that provides each: a
# [build-system] must name the backend of a package it `requires`. (Others exist, such as maturin or
# scikit-build-core for compiled code; they are not what a pure-Python package in src/ needs.)
BACKENDS = {
    "setuptools": ("setuptools.build_meta", "setuptools.build_meta:__legacy__"),
    "hatchling": ("hatchling.build",),
    "flit-core": ("flit_core.buildapi",),
    "poetry-core": ("poetry.core.masonry.api",),
    "pdm-backend": ("pdm.backend",),
}


def requirement_name(requirement):
    """The normalised project name of a requirement string (PEP 503): "Flit_Core >=3.4" -> "flit-core"."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", name.group(1)).lower() if name else ""


def dynamic_version_source(data):
    """Where a `dynamic = ["version"]` project takes its version from, if from greetkit.__version__
    (the backend's own setting for it), else None."""
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    backend = data.get("build-system", {}).get("build-backend", "") if isinstance(data.get("build-system"), dict) else ""
    setuptools = tool.get("setuptools", {}).get("dynamic", {}).get("version", {})
    if isinstance(setuptools, dict) and setuptools.get("attr") == "greetkit.__version__":
        return "[tool.setuptools.dynamic] version = {attr = \"greetkit.__version__\"}"
    for table, key in ((tool.get("hatch", {}).get("version", {}), "path"), (tool.get("pdm", {}).get("version", {}), "path")):
        if isinstance(table, dict) and str(table.get(key, "")).replace("\\", "/").endswith("src/greetkit/__init__.py"):
            return f"the {key} src/greetkit/__init__.py"
    if backend == "flit_core.buildapi":
        return "flit, which reads greetkit.__version__ itself"
    return None


def require_src_package(ex, again=False):
    init = ex.path("src/greetkit/__init__.py")
    assert init.is_file() or not again, f"{ex.show(init)} does not exist yet: move greetkit/ into src/ first."
    assert init.is_file(), (
        f"{ex.show(init)} does not exist. Create the folder {ex.show(ex.path('src'))}/ and move the whole "
        f"greetkit/ folder into it (in a shell: `mkdir src` then `mv greetkit src/`), so that its files become "
        f"src/greetkit/__init__.py and src/greetkit/core.py.")


def test_package_moved_under_src(ex):
    require_src_package(ex)
    src_init = ex.path("src/__init__.py")
    assert not src_init.exists(), (
        f"Delete {ex.show(src_init)}: src/ is a plain folder that holds packages, not a package itself. With "
        f"it, the package would be `src.greetkit` instead of `greetkit`.")
    left = ex.path("greetkit")
    if left.exists():
        code = sorted(p.name for p in left.rglob("*.py"))
        assert not code, (
            f"{ex.show(left)}/ is still at the exercise's root ({', '.join(code)}). Move it into src/, do not "
            f"copy it: while it is there, `import greetkit` run from the root still finds the working copy.")
        raise AssertionError(
            f"An empty {ex.show(left)}/ folder is left at the root (perhaps holding only __pycache__). Delete "
            f"it: Python imports a folder without __init__.py as an empty namespace package, so "
            f"`import greetkit` would still \"work\" from the root, and fail later.")
    # sys.path now holds the exercise's root, then the standard library and installed packages: not src/.
    spec = ex.find("greetkit")
    if spec is not None:
        where = spec.origin or ", ".join(spec.locations or [])
        installed = "site-packages" in where or Path(where).resolve().is_relative_to(ex.path("src").resolve())
        raise AssertionError(
            f"`import greetkit` should fail when src/ is not on sys.path, but it finds {where}."
            + (" greetkit seems to be installed in the kata's environment (by `pip install`): remove it with "
               "`pip uninstall greetkit` (with the kata's Python: .venv/bin/python -m pip uninstall greetkit)."
               if installed else " Move every greetkit file into src/greetkit/."))


def test_importable_with_src_on_the_path(ex):
    require_src_package(ex, again=True)
    greetkit = ex.load("greetkit", path=[ex.path("src")])  # what PYTHONPATH=src does
    init = ex.path("src/greetkit/__init__.py")
    assert Path(greetkit.__file__).resolve() == init.resolve(), (
        f"`import greetkit` with src/ first on sys.path loaded {ex.show(greetkit.__file__)}, not {ex.show(init)}.")
    core = ex.load("greetkit.core")
    core_py = ex.path("src/greetkit/core.py")
    assert core_py.is_file() and Path(core.__file__).resolve() == core_py.resolve(), (
        f"greetkit.core should come from {ex.show(ex.path('src/greetkit/core.py'))}; move core.py along with "
        f"__init__.py.")
    greet = getattr(greetkit, "greet", None)
    assert greet is not None and ex.same(greet("Ada"), "Hello, Ada!"), (
        f"greetkit.greet('Ada') should return 'Hello, Ada!'. Move the files as they were; do not change them.")
    assert ex.same(getattr(greetkit, "__version__", None), VERSION), (
        f"greetkit.__version__ should still be {VERSION!r}, not {getattr(greetkit, '__version__', None)!r}.")


def test_pyproject_toml_has_name_version_and_build_system(ex):
    path = ex.path("pyproject.toml")
    assert path.is_file(), (
        f"{ex.show(path)} is missing. It belongs at the project's root, next to src/ (not inside it).")
    shown = ex.show(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise AssertionError(
            f"{shown} is not valid TOML: {e}.\nStrings need double quotes (version = \"0.1.0\"), lists square "
            f"brackets (requires = [\"setuptools>=61\"]), and each table header, like [build-system], its own "
            f"line.") from None
    project = data.get("project")
    assert isinstance(project, dict), f"{shown} needs a [project] table (the line `[project]`, then its keys)."
    assert project.get("name") == "greetkit", (
        f"In {shown}, [project] should have name = \"greetkit\", not {project.get('name')!r}.")
    dynamic = project.get("dynamic", [])
    if "version" not in project and isinstance(dynamic, list) and "version" in dynamic:
        assert dynamic_version_source(data), (
            f"In {shown}, [project] says dynamic = [\"version\"], but nothing tells the build backend to take the "
            f"version from greetkit.__version__ (e.g. [tool.setuptools.dynamic] version = {{attr = "
            f"\"greetkit.__version__\"}}). Simplest: write version = \"{VERSION}\" under [project].")
    elif "version" not in project:
        elsewhere = [f"[{table}]" for table, keys in data.items() if isinstance(keys, dict) and "version" in keys]
        raise AssertionError(
            f"In {shown}, [project] has no version yet. Add version = \"{VERSION}\" (the same as "
            f"greetkit.__version__) under [project], before the next [table] header: a key belongs to the table "
            f"above it."
            + (f" Your version line is in {' and '.join(elsewhere)}: move it up." if elsewhere else ""))
    assert "version" not in project or project.get("version") == VERSION, (
        f"In {shown}, [project] should have version = \"{VERSION}\" (the same as greetkit.__version__), not "
        f"version = {project.get('version')!r}.")
    build = data.get("build-system")
    assert isinstance(build, dict), (
        f"{shown} has no [build-system] table (spelled with a hyphen)"
        + (f"; it has one inside [project], which is the wrong place" if "build-system" in project else "")
        + ". Add, at the end of the file:\n[build-system]\nrequires = [\"setuptools>=61\"]\n"
          "build-backend = \"setuptools.build_meta\"")
    requires = build.get("requires")
    assert isinstance(requires, list) and requires and all(isinstance(r, str) for r in requires), (
        f"In {shown}, [build-system] should have requires = a list of strings, e.g. [\"setuptools>=61\"], not "
        f"{requires!r}.")
    backend = build.get("build-backend")
    assert isinstance(backend, str) and backend.strip(), (
        f"In {shown}, [build-system] should have build-backend = \"setuptools.build_meta\" (the module pip "
        f"calls to build the package), not {backend!r}.")
    names = [requirement_name(r) for r in requires]
    allowed = {b for name in names for b in BACKENDS.get(name, ())}
    pairs = "; ".join(f"\"{name}\" with \"{backends[0]}\"" for name, backends in BACKENDS.items())
    if backend.strip() not in allowed:
        owner = next((name for name, backends in BACKENDS.items() if backend.strip() in backends), None)
        similar = next((b for name in names for b in BACKENDS.get(name, ())), None)
        ex.fail(f"In {shown}, build-backend = {backend!r} "
                + (f"is the backend of the package {owner}, which requires = {requires!r} does not list: pip "
                   f"installs only what `requires` names, then imports the backend, and fails."
                   if owner else
                   f"is not the build backend of any package in requires = {requires!r}"
                   + (f" (the backend of {names[0] if len(names) == 1 else 'the first'} is {similar!r})"
                      if similar else "")
                   + ": pip would have no backend to build the package with.")
                + f"\nThe pairs this exercise knows (package to require, its backend): {pairs}.")
