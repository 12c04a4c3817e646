"""19 __all__ in a package: `from package import *` imports the submodules listed in the package's __all__."""

WANTED = ["hammer", "saw"]
INIT = "toolbox/__init__.py"


def test_star_import_loads_the_listed_submodules(ex):
    ex.assert_regular_package("toolbox")
    namespace = {}
    problem = ""
    try:
        namespace = ex.execute("from toolbox import *")
    except (AttributeError, ImportError, TypeError) as e:
        problem = f"`from toolbox import *` failed: {type(e).__name__}: {e}."
    if problem:
        names = getattr(ex.modules.get("toolbox"), "__all__", None)
        files = [n for n in names if isinstance(n, str) and n.endswith(".py")] if isinstance(names, (list, tuple)) \
            else []
        if files:
            problem += (f" toolbox.__all__ lists file names ({', '.join(repr(f) for f in files)}). A module's name "
                        f"is its file name without .py: list \"{files[0][:-3]}\".")
        else:
            problem += f" Every item of __all__ in {ex.show(ex.path(INIT))} must be the name of a submodule, as a string."
        ex.fail(problem)
    for name in WANTED:
        module = ex.modules.get(f"toolbox.{name}")
        assert name in namespace and module is not None and namespace[name] is module, (
            f"After `from toolbox import *`, the name `{name}` should be the submodule toolbox.{name}, but it "
            f"{'is ' + repr(namespace[name]) if name in namespace else 'is missing'}. List \"{name}\" in __all__ in "
            f"{ex.show(ex.path(INIT))}.")
    assert "drill" not in namespace and "toolbox.drill" not in ex.modules, (
        "`from toolbox import *` loaded the experimental submodule drill. Leave \"drill\" out of __all__ (and do "
        "not import it in toolbox/__init__.py).")
    assert namespace["hammer"].hit("nail") == "Bang! The nail is in."
    assert namespace["saw"].cut("plank") == "The plank is in two pieces."


def test_all_alone_loads_the_submodules(ex):
    toolbox = ex.assert_regular_package("toolbox")
    where = ex.show(ex.path(INIT))
    loaded = sorted(n for n in ex.modules if n.startswith("toolbox."))
    assert not loaded, (
        f"A plain `import toolbox` already loaded {', '.join(loaded)}: {where} imports submodules itself. Remove "
        f"those imports; listing the names in __all__ is enough for `from toolbox import *` to load them.")
    names = getattr(toolbox, "__all__", None)
    assert names is not None, f"{where} has no `__all__`: add a list of the submodule names to star-import."
    assert isinstance(names, (list, tuple)) and sorted(names) == WANTED, (
        f"toolbox.__all__ is {names!r}; it should be the list [\"hammer\", \"saw\"]: module names, as strings, "
        f"without .py.")


def test_unlisted_submodule_is_still_importable(ex):
    ex.assert_regular_package("toolbox")
    drill = ex.load("toolbox.drill")
    assert drill.drill("wall") == "There is a hole in the wall.", (
        "toolbox/drill.py should keep its function drill(thing): __all__ only decides what `import *` loads; "
        "`from toolbox import drill` must still work.")
