"""11 first package: a folder with __init__.py is a regular package; without it, a namespace package."""
import ast

INIT = "mypackage/__init__.py"


def check_init_file(ex):
    """The file meant to be mypackage/__init__.py, misplaced or misnamed: a message naming what is there."""
    folder = ex.path("mypackage")
    init = folder / "__init__.py"
    if init.is_file() or not folder.is_dir():
        return
    if init.is_dir():
        ex.fail(f"{ex.show(init)} is a folder, not a file. A regular package needs a *file* named "
                f"__init__.py inside {ex.show(folder)}/: remove the folder and create the file (it may be empty).")
    outside = ex.path("__init__.py")
    if outside.is_file():
        ex.fail(f"There is {ex.show(outside)}, next to mypackage/, but no {ex.show(init)}. __init__.py makes "
                f"the folder it sits in a package: move it inside the folder mypackage/.")
    near = sorted(p.name for p in folder.iterdir() if "init" in p.name.lower())
    if near:
        ex.fail(f"{ex.show(folder)}/ has {', '.join(near)} but no __init__.py. The name must be exactly "
                f"`__init__.py`: two underscores, `init`, two underscores, `.py`. Rename the file.")


def load_package(ex):
    """`import mypackage`, fresh, as a regular package; a bare import of a neighbour in __init__.py explained."""
    check_init_file(ex)

    def diagnose():
        """After a failed import: a top-level `import mathutils` in __init__.py names a file of the package."""
        for node in ex.imports(INIT):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else []
            for name in names:
                if (ex.path("mypackage") / f"{name.partition('.')[0]}.py").is_file():
                    return (f"{ex.show(ex.path(INIT))}, line {node.lineno}: `{ast.unparse(node)}` failed with "
                            f"ModuleNotFoundError: No module named '{name}'.\nWithout a dot, an import is "
                            f"absolute: Python looks for a top-level module `{name}` on sys.path, not for the file "
                            f"next to __init__.py. Inside a package, write `from . import {name}` (or "
                            f"`import mypackage.{name}`), or leave __init__.py empty.")
        return ""
    loaded = ex.load("mypackage", diagnose=diagnose) if ex.path(INIT).is_file() else None
    return ex.assert_regular_package("mypackage", loaded)


def test_init_file_makes_a_regular_package(ex):
    path_before = ex.sys_path()
    ex.output()
    package = load_package(ex)
    assert isinstance(package.__path__, list)
    printed = ex.output()
    assert not printed.out and not printed.err, (
        f"`import mypackage` printed {(printed.out or printed.err)!r}. {ex.show(ex.path(INIT))} runs when a "
        f"program first imports the package: it may define names, but it must not print.")
    added = [p for p in ex.sys_path() if p not in path_before]
    assert not added, (
        f"Importing mypackage added {added} to sys.path. {ex.show(ex.path(INIT))} must not change where Python "
        f"looks for modules: inside a package, reach a neighbour with `from . import mathutils`.")


def test_submodule_imports_from_the_package(ex):
    load_package(ex)
    mathutils = ex.load("mypackage.mathutils")
    assert "mathutils" not in ex.modules, (
        "Importing mypackage also loaded mathutils.py as a top-level module `mathutils`, a second module object "
        "next to mypackage.mathutils (the file ran twice). Remove the sys.path change and the bare import from "
        f"{ex.show(ex.path(INIT))}.")
    result = ex.call(mathutils, "add", 2, 3)
    assert ex.same(result, 5), (
        f"mypackage.mathutils.add(2, 3) should be 5, not {ex.plain(result)!r}; leave mathutils.py as it was shipped.")
    result = ex.call(mathutils, "multiply", 4, 5)
    assert ex.same(result, 20), (
        f"mypackage.mathutils.multiply(4, 5) should be 20, not {ex.plain(result)!r}; leave mathutils.py as it "
        f"was shipped.")
