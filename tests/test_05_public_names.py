"""05 dir() and public names: dir(module) lists a module's names; a leading underscore marks a private one."""
import ast

EXPECTED = ["PI", "Zebra", "greet", "snake_case_name"]


DEMO = """
def greet(name):
    return f"Hello, {name}!"

PI = 3.14159
class Zebra:
    pass
snake_case_name = "public, though it has underscores inside"
_helper = "private: starts with one underscore"
__secret = "private: starts with two underscores"
"""


def check(ex, got, expected, module_label):
    inspector_py = ex.show(ex.path("inspector.py"))
    assert isinstance(got, list), (
        f"public_names({module_label}) should return a list, but it returned {type(got).__name__} {got!r}. "
        f"Check the `return` in {inspector_py}.")
    extra = [n for n in got if n not in expected]
    missing = [n for n in expected if n not in got]
    private = [n for n in extra if n.startswith("_")]
    assert not private, (
        f"public_names({module_label}) kept the private name(s) {private}. A name is private when it starts "
        f"with an underscore, one or two: skip every name for which name.startswith('_') is true "
        f"({inspector_py}).")
    if missing and all("_" in n for n in missing):
        raise AssertionError(
            f"public_names({module_label}) left out the public name(s) {missing}. Only the FIRST character "
            f"matters: `{missing[0]}` has an underscore inside but is public. Use name.startswith('_') in "
            f"{inspector_py}.")
    assert not missing, (
        f"public_names({module_label}) left out the public name(s) {missing}. Start from every name "
        f"dir(module) lists and drop only those that start with '_' ({inspector_py}).")
    assert got == expected, (
        f"public_names({module_label}) returned {got}, expected {expected}: every public name once, in the "
        f"sorted order dir() gives ({inspector_py}).")


def test_skips_every_private_name(ex):
    inspector = ex.load("inspector")
    assert callable(getattr(inspector, "public_names", None)), (
        f"{ex.show(ex.path('inspector.py'))} should define a function `public_names(module)`.")
    demo = ex.new_module("demo", DEMO, doc="A module built by the test.")
    check(ex, inspector.public_names(demo), EXPECTED, "demo")
    assert ex.same(inspector.public_names(ex.new_module("empty")), []), (
        "A module that has only Python's own __dunder__ names has no public names: public_names should "
        "return [] for it.")


def test_works_on_a_real_standard_module(ex):
    inspector = ex.load("inspector")
    json = ex.standard_module("json")
    expected = [n for n in dir(json) if not n.startswith("_")]
    check(ex, inspector.public_names(json), expected, "json")


def test_uses_dir(ex):
    inspector_py = ex.show(ex.path("inspector.py"))
    function = next((node for node in ex.tree("inspector.py").body
                     if isinstance(node, ast.FunctionDef) and node.name == "public_names"), None)
    assert function is not None, f"{inspector_py} should define `def public_names(module):` at its top level."
    calls_dir = any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dir"
                    for node in ast.walk(function))
    assert calls_dir, (
        f"public_names in {inspector_py} should get the names from `dir(module)`, the built-in that lists the "
        f"names of any object (it also sorts them for you). vars()/__dict__ give a dict in definition order, "
        f"and __all__ is only what the module chose to export.")
