"""15 main guard: top-level code runs on import; `if __name__ == "__main__":` runs it only for the script."""
import ast

import pytest



def _is_main_guard(node) -> bool:
    """`if __name__ == "__main__":` (either side of the ==)."""
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    has_name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    has_main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return has_name and has_main


def _load_tip(ex):
    """ex.load("tip"), with a precise message when main() itself is called at the top level (the harness
    would point at the input() line inside main(), which is already in a function)."""
    try:
        return ex.load("tip")
    except pytest.fail.Exception:
        calls = [n for n in ex.tree("tip.py").body if isinstance(n, ast.Expr) and ast.unparse(n) == "main()"]
        if not calls:
            raise
    ex.fail(f"{ex.show(ex.path('tip.py'))}, line {calls[0].lineno}: `main()` is called at the top level, so "
                 f"importing tip runs main(), which calls input(). Call main() only inside an "
                 f"`if __name__ == \"__main__\":` block.")


def test_importing_tip_is_silent(ex):
    _load_tip(ex)  # an input() at import time fails here with its own explanation
    printed = ex.output().out
    assert printed == "", (
        f"`import tip` printed {printed!r}. Importing a module must not print: move the print() calls of "
        f"tip.py into main(), and call main() only under `if __name__ == \"__main__\":`.")


def test_tip_and_main_work_when_called(ex):
    tip = _load_tip(ex)
    assert callable(getattr(tip, "tip", None)), "tip.py must still define the function `tip(bill, percent)`."
    assert tip.tip(50, 20) == 10.0, f"tip(50, 20) should return 10.0, not {tip.tip(50, 20)!r}."
    assert tip.tip(80, 12.5) == 10.0, f"tip(80, 12.5) should return 10.0, not {tip.tip(80, 12.5)!r}."
    assert callable(getattr(tip, "main", None)), (
        "tip.py has no function `main()`. Put the interactive lines (the title, both input() calls and the "
        "last print) inside `def main():`.")

    ex.typing("50", "20")
    ex.output()
    tip.main()
    printed = ex.output().out
    assert "Tip: 10.00" in printed, (
        f"main() with the answers 50 and 20 should print `Tip: 10.00`; it printed {printed!r}. "
        f"main() must ask for the bill, then the percent, then print the tip.")


def test_running_as_a_script_still_works(ex):
    result = ex.run("tip.py", stdin="50\n20\n")
    assert "Tip: 10.00" in result.stdout, (
        f"`python tip.py` with the answers 50 and 20 should print `Tip: 10.00`; it printed "
        f"{result.stdout!r}. Is main() called under `if __name__ == \"__main__\":` at the end of tip.py?")


def test_main_guard_in_source(ex):
    tree = ex.tree("tip.py")
    where = ex.show(ex.path("tip.py"))
    guards = [n for n in tree.body if _is_main_guard(n)]
    for node in tree.body:
        if not guards and isinstance(node, ast.If) and "__name__" in ast.unparse(node.test):
            ex.fail(f"{where}, line {node.lineno}: `if {ast.unparse(node.test)}:` is not the main guard. "
                         f"Write it exactly as `if __name__ == \"__main__\":` (two underscores on each side of "
                         f"both words); when you run the file, __name__ is the string \"__main__\".")
    assert guards, (
        f"{where} has no `if __name__ == \"__main__\":` block at its top level (not indented). "
        f"Add one at the end of the file and call main() inside it.")
    calls_main = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "main"
                     for n in ast.walk(guards[0]))
    assert calls_main, f"The `if __name__ == \"__main__\":` block in {where} should call main()."
    for node in tree.body:
        runs_code = isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) or \
            isinstance(node, (ast.Assign, ast.AnnAssign)) and any(
                isinstance(n, ast.Call) for n in ast.walk(node.value or ast.Constant(None)))
        if not runs_code:
            continue
        if ast.unparse(node) == "main()":
            ex.fail(f"{where}, line {node.lineno}: `main()` is called at the top level, so it runs whenever "
                         f"the module is imported (once per program, at its first import). Call it only inside the `if __name__ == \"__main__\":` block.")
        ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is still at the top level, so it runs "
                     f"whenever the module is imported, not only when it is run as a program. Move it into main().")
