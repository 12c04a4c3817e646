"""21 module cache: a module runs once and is shared through sys.modules; `from m import VALUE` binds a
name of your own to the value of that moment, which a later rebinding in m does not move."""
import ast



def load_all(ex):
    """counter, clicker and scoreboard, freshly imported from this exercise (counter first)."""
    for name in ("counter", "clicker", "scoreboard"):
        ex.purge(name)
    return ex.load("counter"), ex.load("clicker"), ex.load("scoreboard")


def score(ex, scoreboard):
    """scoreboard.score(), with a pointed message for the bare name COUNT left after `import counter`."""
    try:
        return scoreboard.score()
    except NameError as e:
        if "'COUNT'" not in str(e):
            raise
    # outside the except block, so pytest shows no chained traceback
    ex.fail(f"{ex.show(ex.path('scoreboard.py'))}: score() uses the bare name COUNT, which scoreboard.py "
                 f"no longer has (NameError).\nWith `import counter`, reach the counter's value through the "
                 f"module: return `counter.COUNT`.")


def test_score_follows_the_counter(ex):
    counter, clicker, scoreboard = load_all(ex)
    assert hasattr(scoreboard, "score"), "scoreboard.py should define a function `score()`."
    before = score(ex, scoreboard)
    assert before == 0, f"Before any click, scoreboard.score() should be 0, not {before!r}."
    for _ in range(3):
        clicker.click()
    assert counter.COUNT == 3, (f"After 3 clicks counter.COUNT is {counter.COUNT!r}, not 3.\ncounter.py and "
                                f"clicker.py are given: restore them with `make reset EX=21` if you edited them.")
    got = score(ex, scoreboard)
    assert counter.COUNT == 3, (
        f"Calling scoreboard.score() changed counter.COUNT from 3 to {counter.COUNT!r}.\n"
        f"It ran counter.py again (a reload?), which starts the count from 0. score() should only read "
        f"`counter.COUNT`.")
    copied_by = ("`from counter import COUNT` bound scoreboard's own name COUNT to" if any(
        isinstance(n, ast.ImportFrom) and n.module == "counter" for n in ex.imports("scoreboard.py"))
        else "scoreboard.py keeps its own name for")
    assert got == 3, (
        f"After 3 clicks counter.COUNT is 3, but scoreboard.score() returned {got!r}.\n"
        f"{copied_by} the value COUNT had at import time (0), and counter's rebinding never moves that name. In scoreboard.py "
        f"write `import counter` and return `counter.COUNT`, which is looked up in the shared module each time "
        f"score() runs.")


def test_scoreboard_imports_the_module(ex):
    for node in ex.imports("scoreboard.py"):
        if isinstance(node, ast.ImportFrom) and node.module == "counter":
            names = ", ".join(a.name for a in node.names)
            ex.fail(f"{ex.show(ex.path('scoreboard.py'))}, line {node.lineno}: "
                         f"`from counter import {names}` binds names of scoreboard's own to counter's values of that moment.\n"
                         f"Replace it with `import counter`, and write `counter.COUNT` where you need the value.")
    ex.assert_import("scoreboard.py", "counter")
    _, _, scoreboard = load_all(ex)
    assert not hasattr(scoreboard, "COUNT"), (
        f"scoreboard.py still has its own name COUNT (= {scoreboard.COUNT!r}), a name of its own that will not follow the "
        f"counter.\nRemove it and read `counter.COUNT` inside score().")


def test_one_shared_module_run_once(ex):
    ex.output()
    counter, clicker, scoreboard = load_all(ex)
    again = ex.load("counter", fresh=False)
    runs = ex.output().out.count("counter.py is running")
    assert again is counter is ex.modules["counter"], "A second `import counter` must return the cached module."
    assert clicker.counter is counter, "clicker.counter should be the module in sys.modules['counter']."
    assert getattr(scoreboard, "counter", None) is counter, (
        "scoreboard.py has no name `counter` for the shared module: add `import counter` at its top, "
        "so that scoreboard.counter, clicker.counter and sys.modules['counter'] are one and the same object.")
    assert runs == 1, (
        f"counter.py ran {runs} times while clicker, scoreboard and this test imported it; it should run once.\n"
        f"Every `import counter` after the first must reuse sys.modules['counter']: do not reload counter or "
        f"remove it from sys.modules in scoreboard.py.")
