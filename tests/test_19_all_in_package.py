"""19 __all__ in a package: `from package import *` imports the submodules listed in the package's __all__."""

WANTED = ["hammer", "saw"]
INIT = "toolbox/__init__.py"


def _what_is_wrong(ex, names) -> str:
    """Why these __all__ items cannot be star-imported, from the items themselves and the package's files."""
    where = ex.show(ex.path(INIT))
    if isinstance(names, str):
        return (f"toolbox.__all__ is the string {names!r}, so Python reads it letter by letter. Make it a list of "
                f"strings: [\"hammer\", \"saw\"].")
    if type(names) not in (list, tuple):
        return f"toolbox.__all__ is a {ex.type_name(names)}; a star import reads it item by item: make it a list."
    for item in names:
        if type(item) is not str:
            return (f"toolbox.__all__ holds {ex.type_name(item)} objects, not names: list the submodules' names as "
                    f"strings, [\"hammer\", \"saw\"], and import nothing in {where}.")
        if item.endswith(".py"):
            return (f"toolbox.__all__ lists file names ({', '.join(repr(f) for f in names if str(f).endswith('.py'))}). "
                    f"A module's name is its file name without .py: list \"{item[:-3]}\".")
        if "." in item:
            return (f"toolbox.__all__ lists {item!r}. Its items are names inside the package, as you would write "
                    f"them after `from toolbox import`: \"{item.rpartition('.')[2]}\", without the package's name.")
        if item not in {p.stem if p.suffix == ".py" else p.name for p in ex.path("toolbox").iterdir()}:
            return (f"toolbox.__all__ lists {item!r}, but toolbox/ has no module of that name (names are "
                    f"case-sensitive): list \"hammer\" and \"saw\".")
    missing, extra = sorted(set(WANTED) - set(names)), sorted(set(names) - set(WANTED))
    if missing or extra:
        return (f"It lacks {', '.join(map(repr, missing))}." if missing else
                f"{', '.join(map(repr, extra))} should stay out: the public API is hammer and saw.")
    return f"Every item of __all__ in {where} must be the name of a submodule, as a string, once."


def test_star_import_loads_the_listed_submodules(ex):
    ex.assert_regular_package("toolbox")
    namespace = {}
    problem = ""
    try:
        namespace = ex.execute("from toolbox import *")
    except (AttributeError, ImportError, TypeError) as e:
        problem = f"`from toolbox import *` failed: {type(e).__name__}: {e}."
    if problem:
        ex.fail(f"{problem} {_what_is_wrong(ex, getattr(ex.modules.get('toolbox'), '__all__', None))}")
    for name in WANTED:
        module = ex.modules.get(f"toolbox.{name}")
        assert name in namespace and module is not None and namespace[name] is module, (
            f"After `from toolbox import *`, the name `{name}` should be the submodule toolbox.{name}, but it "
            f"{'is ' + repr(namespace[name]) if name in namespace else 'is missing'}. List \"{name}\" in __all__ in "
            f"{ex.show(ex.path(INIT))}.")
    assert "drill" not in namespace and "toolbox.drill" not in ex.modules, (
        "`from toolbox import *` loaded the experimental submodule drill. Leave \"drill\" out of __all__ (and do "
        "not import it in toolbox/__init__.py).")
    extra = sorted(set(namespace) - set(WANTED))
    assert not extra, (
        f"`from toolbox import *` also brought in {', '.join(extra)}: __all__ should list the two submodules and "
        f"nothing else.")
    for name, function, thing, expected in (("hammer", "hit", "nail", "Bang! The nail is in."),
                                            ("saw", "cut", "plank", "The plank is in two pieces.")):
        result = ex.call(namespace[name], function, thing)
        assert ex.same(result, expected), (
            f"{name}.{function}({thing!r}) should return {expected!r}, not {ex.plain(result)!r}: leave {name}.py as "
            f"it was.")


def test_all_alone_loads_the_submodules(ex):
    toolbox = ex.assert_regular_package("toolbox")
    where = ex.show(ex.path(INIT))
    loaded = sorted(n for n in ex.modules if n.startswith("toolbox."))
    assert not loaded, (
        f"A plain `import toolbox` already loaded {', '.join(loaded)}: {where} imports submodules itself. Remove "
        f"those imports; listing the names in __all__ is enough for `from toolbox import *` to load them.")
    names = getattr(toolbox, "__all__", None)
    assert names is not None, f"{where} has no `__all__`: add a list of the submodule names to star-import."
    if not (type(names) in (list, tuple) and all(type(n) is str for n in names) and sorted(names) == WANTED):
        ex.fail(f"toolbox.__all__ is {ex.plain(names)!r}; it should be the list [\"hammer\", \"saw\"]: module "
                f"names, as strings, without .py. {_what_is_wrong(ex, names)}")


def test_unlisted_submodule_is_still_importable(ex):
    ex.assert_regular_package("toolbox")
    drill = ex.load("toolbox.drill")
    result = ex.call(drill, "drill", "wall")
    assert ex.same(result, "There is a hole in the wall."), (
        "toolbox/drill.py should keep its function drill(thing): __all__ only decides what `import *` loads; "
        "`from toolbox import drill` must still work.")
