"""35 where did that import come from: where(name) reports a module's kind and origin from its spec, without running it."""
import ast
import py_compile
import sys
from pathlib import Path

NOT_FOUND = "no_such_module_for_kata_35"
# Compiled C modules that most builds ship as files (the first one that is a file here is used).
EXTENSIONS = ("_json", "array", "_struct", "math", "_bisect", "_csv", "select", "_decimal")


def where(ex, name):
    module = ex.load("where")
    return ex.call(module, "where", name)


def check(ex, name, kind, origin, why=""):
    got = where(ex, name)
    call = f"where({name!r})"
    if not isinstance(got, dict) or set(got) != {"kind", "origin"}:
        ex.fail(f"{call} should return a dict with the keys 'kind' and 'origin', not {ex.plain(got)!r}.")
    assert ex.same(got["kind"], kind), (
        f"{call}['kind'] should be {kind!r}, not {ex.plain(got['kind'])!r}.{why}\nTell the kinds apart by the "
        f"spec that importlib.util.find_spec({name!r}) returns: its origin (\"built-in\", \"frozen\", a path with "
        f"its suffix, or None with submodule_search_locations for a namespace package).")
    found = ex.plain(got["origin"])
    if isinstance(origin, list):
        ok = isinstance(found, list) and all(type(p) is str for p in found) and \
            [Path(p).resolve() for p in found] == [Path(p).resolve() for p in origin]
    elif origin is None:
        ok = found is None
    else:
        ok = type(found) is str and Path(found).resolve() == Path(origin).resolve()
    convert = " Make it a list of str with list(...)." if isinstance(origin, list) and not isinstance(found, list) \
        and found is not None else ""
    assert ok, (f"{call}['origin'] should be {origin!r}, not {found!r}.{convert}\nThe README's table says what origin is for "
                f"each kind: a str path for a file, a list of str for a namespace package's folders, None for "
                f"built-in and frozen modules.")


def test_where_uses_find_spec(ex):
    calls = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
             for node in ast.walk(ex.tree("where.py")) if isinstance(node, ast.Call)}
    used = sorted(calls & {"import_module", "__import__", "exec", "reload"})
    assert not used, (f"{ex.show(ex.path('where.py'))} calls {', '.join(used)}: importing a module runs it. "
                      f"importlib.util.find_spec(name) finds it and returns its spec without running it.")
    assert "find_spec" in calls, (f"{ex.show(ex.path('where.py'))} should ask importlib.util.find_spec(name): the "
                                  f"import system's own search, which returns the module's spec.")


def test_a_module_is_found_without_running_it(ex):
    check(ex, "noisy", "source", str(ex.path("noisy.py")))
    printed = ex.output().out
    assert "noisy.py ran" not in printed and "noisy" not in ex.modules, (
        "where('noisy') ran noisy.py (it printed, or it is in sys.modules now): where() must find the module, "
        "not import it. importlib.util.find_spec(name) does not run it.")
    check(ex, "json", "source", ex.standard_module("json").__spec__.origin,
          " A package's origin is its __init__.py.")


def test_built_in_and_frozen_modules_have_no_file(ex):
    check(ex, "sys", "built-in", None, " sys is compiled into the interpreter (sys.builtin_module_names).")
    check(ex, "__hello__", "frozen", None, " __hello__ is frozen: its code is compiled into the interpreter.")
    # Importing __hello__ prints "Hello world!" on 3.10 (on 3.11+ only when run as a script).
    assert "Hello world" not in ex.output().out, (
        "where('__hello__') printed 'Hello world!': it imported __hello__ instead of only finding it.")
    # os is frozen since Python 3.11 (for a faster start-up), a source file before.
    frozen = ex.standard_module("os").__spec__.origin == "frozen"
    check(ex, "os", "frozen" if frozen else "source", None if frozen else ex.standard_module("os").__file__,
          f" On Python {sys.version_info[0]}.{sys.version_info[1]} os is "
          + ("frozen." if frozen else "read from os.py."))


def test_an_extension_module(ex):
    name = next((n for n in EXTENSIONS if n not in sys.builtin_module_names
                 and str(getattr(ex.standard_module(n), "__file__", "")).endswith((".so", ".pyd"))), None)
    assert name, f"None of {', '.join(EXTENSIONS)} is an extension file in this Python: no extension to ask about."
    check(ex, name, "extension", ex.standard_module(name).__file__,
          " Compiled C code: a .so (Linux, macOS) or .pyd (Windows) file; importlib.machinery.EXTENSION_SUFFIXES "
          "lists the endings.")


def test_a_namespace_package_and_its_module(ex):
    check(ex, "plugins", "namespace", [str(ex.path("plugins"))],
          " plugins/ has no __init__.py: its spec has origin None and its folders in submodule_search_locations.")
    check(ex, "plugins.hello", "source", str(ex.path("plugins/hello.py")))


def test_a_bytecode_only_module(ex):
    folder = ex.tmp_path / "compiled"
    folder.mkdir()
    source = ex.tmp_path / "legacy.py"
    source.write_text("print('legacy ran')\n", encoding="utf-8")
    py_compile.compile(str(source), cfile=str(folder / "legacy.pyc"), doraise=True)
    truth = ex.find("legacy", path=[folder])  # also puts the folder on sys.path for where()
    assert truth is not None and truth.kind == "bytecode", f"the test's legacy.pyc was not found as bytecode: {truth}"
    check(ex, "legacy", "bytecode", str(folder / "legacy.pyc"), " A .pyc with no .py beside it is bytecode.")


def test_a_missing_module_is_none(ex):
    for name in (NOT_FOUND, f"{NOT_FOUND}.sub"):
        try:
            got, error = where(ex, name), None
        except ModuleNotFoundError as e:
            got, error = None, e
        if error is not None:  # outside the except block: no chained traceback
            ex.fail(f"{ex.where(error, 'where.py')}\nwhere({name!r}) raised ModuleNotFoundError: {error}.\nFor a "
                    f"module that does not exist, where() should return None. find_spec returns None for a missing "
                    f"module, but raises ModuleNotFoundError when the parent package of a dotted name is missing: "
                    f"catch that one.")
        assert got is None, (
            f"where({name!r}) should be None (there is no such module), not {ex.plain(got)!r}. find_spec returns "
            f"None for a missing module" + (", and raises ModuleNotFoundError when the parent of a dotted name is "
                                            "missing: catch that one." if "." in name else "."))


def test_a_parent_that_fails_is_not_called_missing(ex):
    # brokenpkg is there, but its __init__.py raises: find_spec("brokenpkg.sub") imports it and lets that out.
    # "No such module" (None) would send whoever asks looking for a package that exists.
    folder = ex.tmp_path / "installed"
    (folder / "brokenpkg").mkdir(parents=True)
    (folder / "brokenpkg" / "__init__.py").write_text('raise RuntimeError("brokenpkg fails on purpose")\n',
                                                       encoding="utf-8")
    (folder / "brokenpkg" / "sub.py").write_text("", encoding="utf-8")
    assert ex.find("brokenpkg", path=[folder]) is not None, "the test's brokenpkg was not found"  # on sys.path now
    try:
        got, error = where(ex, "brokenpkg.sub"), None
    except RuntimeError as e:
        got, error = None, e
    assert error is not None, (
        f"where('brokenpkg.sub') returned {ex.plain(got)!r}, but the package brokenpkg exists: its __init__.py "
        f"raised RuntimeError (raised inside the parent, which find_spec imports for a dotted name), and where() "
        f"swallowed it. None means there is no such module: catch only ModuleNotFoundError, the missing parent, "
        f"and let any other error of the parent's code through, so that it says what is broken.")
