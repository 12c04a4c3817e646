"""10 os module: os.mkdir / os.rmdir / os.listdir / os.getcwd work relative to the current working directory.

Every test runs the learner's functions inside a fresh temporary folder (ex.chdir), never inside the
repository. The module is loaded BEFORE the chdir: its folder is on sys.path as an absolute path anyway.
"""
import ast


# function -> the os functions that do its job
OS_CALLS = {
    "make_dir": ("mkdir", "makedirs"),
    "remove_dir": ("rmdir", "removedirs"),
    "list_here": ("listdir", "scandir"),
    "where_am_i": ("getcwd",),
}


def load_in_tmp(ex):
    """Load folders.py, then make an empty temporary folder the current working directory."""
    folders = ex.load("folders")
    ex.output()  # what importing printed is not the functions' output
    work = ex.tmp_path / "work"
    work.mkdir()
    ex.chdir(work)
    for name in OS_CALLS:
        assert callable(getattr(folders, name, None)), (
            f"folders.py has no function `{name}`. Keep all four functions: make_dir, remove_dir, list_here, "
            f"where_am_i.")
    return folders, work


def test_make_dir_and_remove_dir(ex):
    folders, work = load_in_tmp(ex)
    stray = ex.path("photos")
    existed = stray.exists()
    try:
        folders.make_dir("photos")
        assert (work / "photos").is_dir(), (
            "make_dir('photos') should create the folder `photos` in the current working directory, but it "
            "is not there.\nUse os.mkdir(name) with the plain name: a relative name is resolved against the "
            "current working directory." + ("\nIt went into the exercise folder instead."
                                            if stray.is_dir() and not existed else ""))
        error = None
        try:
            folders.remove_dir("photos")
        except (IsADirectoryError, PermissionError) as e:  # os.remove on a folder (PermissionError: macOS, Windows)
            error = f"{type(e).__name__}: {e}"
        if error:  # failed outside the except block, so no chained traceback
            ex.fail(f"remove_dir('photos') raised {error}.\nos.remove (and os.unlink) delete files only; a "
                         f"folder is removed with os.rmdir(name).")
        assert not (work / "photos").exists(), (
            "After remove_dir('photos') the folder `photos` still exists.\nremove_dir must delete it: "
            "os.rmdir(name).")
    finally:
        if stray.is_dir() and not existed:  # never leave a learner's stray folder in the repository
            stray.rmdir()


def test_list_here_returns_the_sorted_names(ex):
    folders, work = load_in_tmp(ex)
    (work / "zebra.txt").write_text("z", encoding="utf-8")
    (work / "apple.txt").write_text("a", encoding="utf-8")
    (work / "photos").mkdir()
    expected = ["apple.txt", "photos", "zebra.txt"]
    result = folders.list_here()
    if callable(result):
        ex.fail(f"list_here() returned {result!r}, the function itself, not a list.\nA function runs only "
                f"when you call it with parentheses: os.listdir().")
    if result is None:
        ex.fail("list_here() returned None." + returned_none(ex, "list_here"))
    value = ex.plain(result)
    assert type(value) is list and all(type(n) is str for n in value), (
        f"list_here() should return a list of names (strings), not {ex.type_name(result)}: {value!r}.")
    result = value
    shown = repr(result) if len(result) <= 6 else repr(result[:6])[:-1] + f", ... ({len(result)} names)]"
    assert sorted(result) == expected, (
        f"In a folder holding apple.txt, photos/ and zebra.txt, list_here() returned\n{shown}.\nIt should list "
        f"the current working directory: os.listdir() with no argument (or '.').")
    assert ex.same(result, expected), (
        f"list_here() returned {result!r}: the right names,\nbut os.listdir() gives them in no particular order. "
        f"Return them sorted: sorted(...).")


def test_where_am_i_returns_the_working_directory(ex):
    folders, work = load_in_tmp(ex)
    result = folders.where_am_i()
    if result is None:
        ex.fail("where_am_i() returned None." + returned_none(ex, "where_am_i"))
    if callable(result):
        ex.fail(f"where_am_i() returned {result!r}, the function itself, not a string.\nA function runs only "
                f"when you call it with parentheses.")
    value = ex.plain(result)
    assert type(value) is str, (
        f"where_am_i() should return a string, as os.getcwd() does,\nnot {ex.type_name(result)}: {value!r}.")
    assert ex.same(result, str(work)), (
        f"where_am_i() returned {value!r}, but the current working directory is {str(work)!r}.\n"
        f"Ask the operating system each time the function is called: the working directory can change while "
        f"a program runs (the tests change it after importing folders.py).")
    printed = ex.output().out
    assert not printed, (
        f"where_am_i() returned the right folder but also printed {printed[:200]!r}. The README asks it to return "
        f"the folder, not print it: a function that returns a value leaves it to its caller what to show.")


def returned_none(ex, function):
    """Why `function` returned None, from its own source and what it printed (the catalogue's diagnosis)."""
    return "\n" + (ex.explain_none("folders.py", function, ex.output().out)
                   or "A function hands a value back with `return`; without one it returns None.")


def test_each_function_uses_the_os_module(ex):
    folders_py = ex.show(ex.path("folders.py"))
    tree = ex.tree("folders.py")
    from_os = {a.asname or a.name: a.name for node in tree.body
               if isinstance(node, ast.ImportFrom) and node.module == "os" for a in node.names}
    assert "*" not in from_os, (
        f"{folders_py} uses `from os import *`, which binds every public name of os in folders.py, among them "
        f"os.open over the built-in open (exercise 09). Import the module, or the names you use.")
    modules = set(ex.module_bindings("folders.py", "os"))
    assert modules or from_os, (
        f"{folders_py} must import the os module at its top level: this exercise is about the os module's own "
        f"functions (pathlib can do such things too, but is not what it teaches).")
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    for name, wanted in OS_CALLS.items():
        assert name in functions, f"{folders_py} has no function `{name}`."
        called = set()
        for node in ast.walk(functions[name]):
            if isinstance(node, ast.Call):
                f = node.func
                if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in modules:
                    called.add(f.attr)
                elif isinstance(f, ast.Name) and f.id in from_os:
                    called.add(from_os[f.id])
        mentioned = any(isinstance(n, ast.Attribute) and n.attr == wanted[0] or isinstance(n, ast.Name)
                        and from_os.get(n.id) == wanted[0] for n in ast.walk(functions[name]))
        assert called & set(wanted), (
            f"{folders_py}, line {functions[name].lineno}: {name}() should call os.{wanted[0]}()"
            + (f" (it mentions os.{wanted[0]} but never calls it: add the parentheses)" if mentioned else "")
            + ".\nThis exercise is about the os module's own functions (pathlib, shutil or a shell command can "
              "do such things too, but are not what it teaches).")
