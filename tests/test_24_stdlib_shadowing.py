"""24 stdlib shadowing: a local file named like a standard module hides it from every script in the folder."""
import ast
import re
import sys


STDLIB = set(sys.stdlib_module_names) - {"__future__"}


def shadowing_names(ex):
    """Files (name.py) and folders in the exercise named like a standard-library module."""
    found = [p for p in sorted(ex.dir.iterdir())
             if (p.suffix == ".py" and p.stem in STDLIB) or (p.is_dir() and p.name in STDLIB)]
    return [p for p in found if p.name != "__pycache__"]


def helper_module(ex):
    """The module dice.py imports format_roll from (the top-level `from X import format_roll`), or None."""
    for node in ex.imports("dice.py"):
        if isinstance(node, ast.ImportFrom) and any(a.name == "format_roll" for a in node.names):
            return node.module
    return None


def renamed_helper(ex):
    """The learner's renamed helper module (a .py file here, not dice.py, that defines format_roll), else the
    README's example name."""
    found = [p.stem for p in sorted(ex.dir.glob("*.py")) if p.name != "dice.py" and p.stem not in STDLIB
             and "def format_roll" in p.read_text(encoding="utf-8", errors="replace")]
    return found[0] if len(found) == 1 else "dice_tools"


def test_no_file_shadows_the_standard_library(ex):
    for path in shadowing_names(ex):
        ex.fail(
            f"{ex.show(path)} has the same name as the standard library's `{path.stem}` module.\nPython searches "
            f"the script's folder first, so every `import {path.stem}` in this folder gets your file instead of "
            f"the real module.\nRename it to a name that is not a standard module (for example dice_tools.py), "
            f"and update the import in dice.py.")
    ex.assert_import("dice.py", "random")
    helper = helper_module(ex)
    dice_py = ex.show(ex.path("dice.py"))
    assert helper is not None, (f"{dice_py} should import format_roll from your renamed helper file, e.g. "
                                f"`from {renamed_helper(ex)} import format_roll`, at its top level.")
    assert helper != "random", (
        f"{dice_py} still says `from random import format_roll`, but `random` is now the standard library's "
        f"module, which has no format_roll. Import it from your renamed file, e.g. `from {renamed_helper(ex)} "
        f"import format_roll`.")
    assert ex.path(f"{helper}.py").is_file(), (
        f"{dice_py} imports format_roll from `{helper}`, but there is no {ex.show(ex.path(helper + '.py'))}.\n"
        f"Is that the new name of your helper file (the old random.py)? Check the spelling.")


def test_dice_rolls_with_the_real_random(ex):
    # A fresh interpreter: this pytest process has the real `random` loaded already, so only a new
    # `python dice.py` shows what a local random.py does.
    result = ex.run("dice.py", check=False)
    if result.returncode != 0 and "cannot import name 'format_roll' from 'random'" in result.stderr \
            and not shadowing_names(ex):
        ex.fail(f"`{result.command}` fails: dice.py still imports format_roll from `random`, which is now "
                     f"the standard library's module.\nImport it from your renamed file instead, e.g. "
                     f"`from {renamed_helper(ex)} import format_roll`.")
    shadows = shadowing_names(ex)
    if result.returncode != 0 and shadows:
        said = (result.stderr.strip().splitlines() or ["?"])[-1]
        ex.fail(f"`{result.command}` fails ({said}): {ex.show(shadows[0])} hides the standard library's "
                     f"`{shadows[0].stem}`, because the script's folder comes first on sys.path. Rename it (for "
                     f"example to dice_tools.py) and update the import in dice.py.")
    ex.expect_success(result)
    out = result.stdout.strip()
    match = re.fullmatch(r"([1-6]) \+ ([1-6]) = (\d+)", out)
    assert match, (f"`{result.command}` should print a roll of two dice such as `3 + 5 = 8`, not {out!r}.\n"
                   f"Keep roll() and format_roll() as they were given.")
    first, second, total = map(int, match.groups())
    assert first + second == total, f"`{out}` adds up wrong: check format_roll() in your helper file."
