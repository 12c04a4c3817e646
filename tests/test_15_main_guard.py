"""15 main guard: top-level code runs on import; `if __name__ == "__main__":` runs it only for the script."""
import ast

INTERACTIVE = {"input", "print", "main"}  # calls that make a top-level line talk to the user


def _sides(node):
    test = node.test if isinstance(node, ast.If) else None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    return test.ops[0], [test.left, test.comparators[0]]


def _is_main_guard(node) -> bool:
    """`if __name__ == "__main__":` (either side of the ==)."""
    found = _sides(node)
    if found is None or not isinstance(found[0], ast.Eq):
        return False
    sides = found[1]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and \
        any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)


def _talks(node) -> str:
    """The first call to input/print/main inside `node`, as code, else ""."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in INTERACTIVE:
            return ast.unparse(sub)
    return ""


def _top_level_main_call(ex) -> str:
    """The message for `main()` called at the top level (the harness would point at the input() line
    inside main(), which is already in a function), else ""."""
    for node in ex.tree("tip.py").body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "main":
            return (f"{ex.show(ex.path('tip.py'))}, line {node.lineno}: `main()` is called at the top level, so "
                    f"importing tip runs main(), which calls input(). Call main() only inside an "
                    f"`if __name__ == \"__main__\":` block.")
    return ""


def _load_tip(ex):
    return ex.load("tip", diagnose=lambda: _top_level_main_call(ex))


def test_importing_tip_is_silent(ex):
    _load_tip(ex)  # an input() at import time fails here with its own explanation
    printed = ex.output().out
    assert printed == "", (
        f"`import tip` printed {printed!r}. Importing a module must not print: move the print() calls of "
        f"tip.py into main(), and call main() only under `if __name__ == \"__main__\":`.")


def test_tip_and_main_work_when_called(ex):
    tip = _load_tip(ex)
    missing = "tip.py must still define the function `tip(bill, percent)`."
    for args, expected in (((50, 20), 10.0), ((80, 12.5), 10.0), ((33, 15), 4.95)):
        result = ex.call(tip, "tip", *args, missing=missing)
        assert ex.same(result, expected), (
            f"tip{args} should return {expected!r} (a float, rounded to cents), not {ex.plain(result)!r}.")
    ex.typing("50", "20")
    ex.output()
    ex.call(tip, "main", missing="tip.py has no function `main()`. Put the interactive lines (the title, both "
                                 "input() calls and the last print) inside `def main():`.")
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
        if guards or not isinstance(node, ast.If) or "__name__" not in ast.unparse(node.test):
            continue
        found = _sides(node)
        if found and isinstance(found[0], ast.Is):
            ex.fail(f"{where}, line {node.lineno}: `if {ast.unparse(node.test)}:` compares with `is`, which asks "
                    f"whether two objects are the same one, not whether two strings are equal (Python warns about "
                    f"`is` with a literal). Write `if __name__ == \"__main__\":`.")
        ex.fail(f"{where}, line {node.lineno}: `if {ast.unparse(node.test)}:` is not the main guard. "
                f"Write it exactly as `if __name__ == \"__main__\":` (two underscores on each side of "
                f"both words); when you run the file, __name__ is the string \"__main__\".")
    assert guards, (
        f"{where} has no `if __name__ == \"__main__\":` block at its top level (not indented). "
        f"Add one at the end of the file and call main() inside it.")
    calls_main = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "main"
                     for n in ast.walk(guards[0]))
    assert calls_main, (
        f"The `if __name__ == \"__main__\":` block in {where}, line {guards[0].lineno}, should call main(): "
        f"`main()`, with the parentheses (the bare name `main` only looks the function up).")
    defined = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"), None)
    assert defined is None or defined.lineno < guards[0].lineno, (
        f"{where}, line {guards[0].lineno}: the main guard comes before `def main():` (line {defined and defined.lineno}). "
        f"Python runs a file from top to bottom, so when the guard calls main() it is not defined yet: put the "
        f"guard at the end of the file.")
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)) \
                or node in guards:
            continue
        code = _talks(node)
        if code == "main()":
            ex.fail(f"{where}, line {node.lineno}: `main()` is called at the top level, so it runs whenever "
                    f"the module is imported (once per program, at its first import). Call it only inside the "
                    f"`if __name__ == \"__main__\":` block.")
        if code:
            ex.fail(f"{where}, line {node.lineno}: `{code}` is still at the top level, so it runs whenever the "
                    f"module is imported, not only when it is run as a program. Move it into main().")
