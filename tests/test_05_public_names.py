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


# A module may answer dir() itself with a module-level __dir__ (PEP 562): dir(module) then lists what it
# returns, sorted, while vars(module) and __dict__ still hold every name the module defines.
LAZY = """
PI = 3.14159
_cache = {}


def __dir__():
    return ["lazy_table", "PI", "_cache", "helper"]
"""


def check(ex, got, expected, module_label):
    inspector_py = ex.show(ex.path("inspector.py"))
    value = ex.plain(got)
    assert type(value) is list, (
        f"public_names({module_label}) should return a list, but it returned {ex.type_name(got)} {value!r}. "
        f"Check the `return` in {inspector_py}.")
    extra = [n for n in value if n not in expected]
    missing = [n for n in expected if n not in value]
    private = [n for n in extra if isinstance(n, str) and n.startswith("_")]
    assert not private, (
        f"public_names({module_label}) kept the private name(s) {private}. A name is private when it starts "
        f"with an underscore, one or two: skip every name for which name.startswith('_') is true "
        f"({inspector_py}).")
    if missing and all("_" in n for n in missing):
        ex.fail(f"public_names({module_label}) left out the public name(s) {missing}. Only the FIRST character "
                f"matters: `{missing[0]}` has an underscore inside but is public. Use name.startswith('_') in "
                f"{inspector_py}.")
    assert not missing, (
        f"public_names({module_label}) left out the public name(s) {missing}. Start from every name "
        f"dir(module) lists and drop only those that start with '_' ({inspector_py}).")
    assert not extra, (
        f"public_names({module_label}) returned names dir({module_label}) does not list: {extra}. Start from "
        f"what dir(module) lists ({inspector_py}).")
    assert ex.same(got, expected), (
        f"public_names({module_label}) returned {value}, expected {expected}: every public name once, in the "
        f"sorted order dir() gives ({inspector_py}).")


def test_skips_every_private_name(ex):
    inspector = ex.load("inspector")
    assert callable(getattr(inspector, "public_names", None)), (
        f"{ex.show(ex.path('inspector.py'))} should define a function `public_names(module)`.")
    demo = ex.new_module("demo", DEMO, doc="A module built by the test.")
    check(ex, inspector.public_names(demo), EXPECTED, "demo")
    check(ex, inspector.public_names(ex.new_module("empty")), [], "empty")


def test_works_on_a_real_standard_module(ex):
    inspector = ex.load("inspector")
    json = ex.standard_module("json")
    expected = [n for n in dir(json) if not n.startswith("_")]
    check(ex, inspector.public_names(json), expected, "json")


def test_lists_what_dir_lists(ex):
    inspector = ex.load("inspector")
    lazy = ex.new_module("lazy", LAZY, doc="A module that answers dir() itself.")
    check(ex, inspector.public_names(lazy), ["PI", "helper", "lazy_table"], "lazy")


def test_uses_dir(ex):
    inspector_py = ex.show(ex.path("inspector.py"))
    calls = [node for node in ast.walk(ex.tree("inspector.py")) if isinstance(node, ast.Call) and (
        isinstance(node.func, ast.Name) and node.func.id == "dir"
        or isinstance(node.func, ast.Attribute) and node.func.attr == "dir"
        and isinstance(node.func.value, ast.Name) and node.func.value.id == "builtins")]
    assert calls, (
        f"public_names in {inspector_py} should get the names from `dir(module)`, the built-in that lists the "
        f"names of any object (it also sorts them for you). vars()/__dict__ give a dict in definition order, "
        f"and __all__ is only what the module chose to export.")
    assert any(call.args for call in calls), (
        f"{inspector_py}, line {calls[0].lineno}: dir() without an argument lists the names of the scope it is "
        f"called in (inside a function: its local variables), not the names of a module. Pass the module.")
