"""21 module cache: a module runs once and is shared through sys.modules; `from m import VALUE` binds a
name of your own to the value of that moment, which a later rebinding in m does not move."""
import ast


def load_all(ex):
    """counter, clicker and scoreboard, freshly imported from this exercise (counter first)."""
    for name in ("counter", "clicker", "scoreboard"):
        ex.purge(name)
    return ex.load("counter"), ex.load("clicker"), ex.load("scoreboard")


def no_count(error):
    """Advice for a NameError raised in score(), from the name it names."""
    if error.name == "COUNT":
        return ("score() uses the bare name COUNT, which scoreboard.py no longer has.\nWith `import counter`, "
                "reach the counter's value through the module: return `counter.COUNT`.")
    return ""


def score(ex, scoreboard):
    return ex.call(scoreboard, "score", missing="scoreboard.py should define a function `score()`.",
                   on_name_error=no_count)


def shared_module_name(ex):
    """The name scoreboard.py's top level binds to the module counter by importing it (`counter`, or an alias)."""
    names = ex.module_bindings("scoreboard.py", "counter")
    return min(names, key=names.get) if names else None


def test_score_follows_the_counter(ex):
    counter, clicker, scoreboard = load_all(ex)
    before = score(ex, scoreboard)
    assert ex.same(before, 0), (f"Before any click, scoreboard.score() should be the int 0, not "
                                f"{ex.type_name(before)} {ex.plain(before)!r}.")
    for _ in range(3):
        clicker.click()
    assert ex.same(counter.COUNT, 3), (
        f"After 3 clicks counter.COUNT is {counter.COUNT!r}, not 3.\ncounter.py and clicker.py are given: "
        f"restore them with `make reset EX=21` if you edited them.")
    got = score(ex, scoreboard)
    assert ex.same(counter.COUNT, 3), (
        f"Calling scoreboard.score() changed counter.COUNT from 3 to {counter.COUNT!r}.\n"
        f"It ran counter.py again (a reload?), which starts the count from 0. score() should only read "
        f"`counter.COUNT`.")
    name = shared_module_name(ex)
    theirs = getattr(scoreboard, name, None) if name else None
    if theirs is not None and theirs is not counter:
        ex.fail(f"scoreboard.{name} is not the module clicker counts with: scoreboard.py made Python run "
                f"counter.py a second time (removing it from sys.modules or importing it by another route),\n"
                f"so there are two counter modules with a COUNT each. A plain `import counter` reuses "
                f"sys.modules['counter'].")
    if type(ex.plain(got)) in (str, float):
        ex.fail(f"scoreboard.score() returned {ex.plain(got)!r} ({ex.type_name(got)}), not the int 3: return "
                f"counter.COUNT itself, unconverted.")
    copied_by = ("`from counter import ...` bound scoreboard's own name COUNT to" if any(
        isinstance(n, ast.ImportFrom) and n.module == "counter" for n in ex.imports("scoreboard.py"))
        else "scoreboard.py keeps its own name for")
    assert ex.same(got, 3), (
        f"After 3 clicks counter.COUNT is 3, but scoreboard.score() returned {ex.plain(got)!r}.\n"
        f"{copied_by} the value COUNT had at import time (0), and counter's rebinding never moves that name. "
        f"In scoreboard.py write `import counter` and return `counter.COUNT`, which is looked up in the shared "
        f"module each time score() runs.")


def test_scoreboard_imports_the_module(ex):
    for node in ex.imports("scoreboard.py"):
        if isinstance(node, ast.ImportFrom) and node.module == "counter":
            names = ", ".join(a.name for a in node.names)
            ex.fail(f"{ex.show(ex.path('scoreboard.py'))}, line {node.lineno}: `from counter import {names}` "
                    f"binds names of scoreboard's own to counter's values of that moment.\n"
                    f"Replace it with `import counter`, and write `counter.COUNT` where you need the value.")
    if shared_module_name(ex) is None:
        ex.assert_import("scoreboard.py", "counter")  # fails, naming the imports the file has
    _, _, scoreboard = load_all(ex)
    assert "COUNT" not in ex.names(scoreboard), (
        f"scoreboard.py still has its own name COUNT (= {ex.plain(scoreboard.COUNT)!r}), a name of its own that "
        f"will not follow the counter.\nRemove it and read `counter.COUNT` inside score().")


def test_one_shared_module_run_once(ex):
    ex.output()
    counter, clicker, scoreboard = load_all(ex)
    again = ex.load("counter", fresh=False)
    runs = ex.output().out.count("counter.py is running")
    assert clicker.counter is counter, (
        "clicker.counter should be the module in sys.modules['counter']: clicker.py and counter.py are given, "
        "restore them with `make reset EX=21` if you edited them.")
    name = shared_module_name(ex)
    assert name and getattr(scoreboard, name, None) is counter is again is ex.modules["counter"], (
        "scoreboard.py has no top-level name for the shared module: add `import counter` at its top, so that "
        "scoreboard.counter, clicker.counter and sys.modules['counter'] are one and the same object."
        if not name else
        f"scoreboard.{name} is not the module in sys.modules['counter'] that clicker uses: scoreboard.py made "
        f"Python run counter.py again. A plain `import counter` reuses the cached module.")
    assert runs == 1, (
        f"counter.py ran {runs} times while clicker, scoreboard and this test imported it; it should run once.\n"
        f"Every `import counter` after the first must reuse sys.modules['counter']: do not reload counter or "
        f"remove it from sys.modules in scoreboard.py.")
