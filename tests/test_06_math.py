"""06 math: a standard-library module is imported like your own, and its names are reached as math.name."""
import ast
import math
from pathlib import Path


def function(ex, name):
    """The learner's function `name` from geometry.py, with a clear failure when it is missing."""
    geometry = ex.load("geometry")
    found = getattr(geometry, name, None)
    assert callable(found), (
        f"{ex.show(ex.path('geometry.py'))} should define a function `{name}` at its top level (the README "
        f"lists its parameters).")
    return found


def math_names_used(ex, name):
    """Every `math.<name>` that the body of function `name` in geometry.py refers to, e.g. {"sqrt", "pi"}, through
    whatever name the file imported math as."""
    modules = set(ex.module_bindings("geometry.py", "math")) or {"math"}
    for node in ex.tree("geometry.py").body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return {n.attr for n in ast.walk(node)
                    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in modules}
    return set()


def shown(used):
    return ", ".join(f"math.{name}" for name in sorted(used)) or "no math.<name> at all"


def require_math(ex, name, wanted, accepted=None):
    """Function `name` must refer to every math.<x> in `wanted` (or, with `accepted`, at least one of those)."""
    used = math_names_used(ex, name)
    ok = bool(used & accepted) if accepted else set(wanted) <= used
    from_math = {a.asname or a.name for n in ex.imports("geometry.py") if isinstance(n, ast.ImportFrom)
                 and n.module == "math" for a in n.names}
    function = next((n for n in ex.tree("geometry.py").body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    from_math = sorted({n.id for n in ast.walk(function) if isinstance(n, ast.Name)} & from_math if function else ())
    assert ok, (
        f"{name} gives the right numbers, but it should use {' and '.join(f'`math.{w}`' for w in wanted)} "
        f"(right now it uses {shown(used)}). Reach the tools through the module, `math.<name>` after "
        f"`import math`, instead of a hand-made formula, loop or constant"
        + (f"; it uses {', '.join(from_math)} from `from math import ...`, which is exercise 07's form"
           if from_math else "")
        + f". Edit {ex.show(ex.path('geometry.py'))}.")


def same(ex, got, expected):
    """A float within a relative 1e-9 (an int exactly): floating-point results are rarely exact."""
    return ex.same(got, expected, tolerance=1e-9 if isinstance(expected, float) else None)


def close(got, expected):
    return isinstance(got, (int, float)) and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_geometry_imports_math(ex):
    bound = ex.module_bindings("geometry.py", "math")
    imports = ex.imports("geometry.py")
    assert bound, (
        f"{ex.show(ex.path('geometry.py'))} should import the math module at its top level (not inside a "
        f"function), so that every function reaches it as `math.<name>`."
        + (f"\nIts top-level imports now: {'; '.join(ast.unparse(n) for n in imports)}" if imports else ""))
    geometry = ex.load("geometry")
    for name, line in bound.items():
        got = getattr(geometry, name, None)
        if got is ex.standard_module("math"):
            continue
        # The import itself may have found a file of the learner's (math.py beside geometry.py): nothing was
        # assigned then, so say where the module came from.
        where = getattr(got, "__file__", None) if ex.type_name(got) == "module" else None
        if isinstance(where, str) and Path(where).resolve().is_relative_to(ex.dir.resolve()):
            ex.fail(f"{ex.show(ex.path('geometry.py'))}, line {line}: the import found {ex.show(Path(where))}, a file "
                    f"of yours, not the standard library's math: the folder of the code being run comes first on "
                    f"sys.path, so a file named like a standard module hides it. Rename or delete "
                    f"{Path(where).name if Path(where).name != '__init__.py' else Path(where).parent.name + '/'}.")
        ex.fail(f"{ex.show(ex.path('geometry.py'))}, line {line} binds `{name}` to the standard library's math "
                f"module, but after importing geometry it is {got!r}. Do not assign anything else to `{name}`.")


def test_hypotenuse_uses_math_sqrt(ex):
    hypotenuse = function(ex, "hypotenuse")
    for a, b, expected in [(3, 4, 5.0), (5, 12, 13.0), (1, 1, math.sqrt(2))]:
        got = hypotenuse(a, b)
        assert same(ex, got, expected), f"hypotenuse({a}, {b}) should be {expected}, but it returned {ex.plain(got)!r}."
    require_math(ex, "hypotenuse", ["sqrt"], accepted={"sqrt", "hypot"})


def test_circle_area_uses_math_pi(ex):
    circle_area = function(ex, "circle_area")
    for radius in (1, 2, 0.5):
        got = circle_area(radius)
        expected = math.pi * radius**2
        hint = (" That is 3.14 × radius²: 3.14 is only a rough value of π; math.pi has all the digits a float "
                "can hold." if close(got, 3.14 * radius**2) else "")
        assert same(ex, got, expected), (
            f"circle_area({radius}) should be {expected}, but it returned {ex.plain(got)!r}.{hint}")
    require_math(ex, "circle_area", ["pi"])


def test_arrangements_uses_math_factorial(ex):
    arrangements = function(ex, "arrangements")
    for n, expected in [(5, 120), (0, 1), (1, 1), (10, 3628800)]:
        got = arrangements(n)
        assert same(ex, got, expected), (
            f"arrangements({n}) should be the whole number {expected} ({n}!, an int), but it returned "
            f"{ex.plain(got)!r}."
            + (" Replace the `pass` with a `return`." if got is None else ""))
    require_math(ex, "arrangements", ["factorial"])


def test_sin_deg_converts_degrees_to_radians(ex):
    sin_deg = function(ex, "sin_deg")
    for degrees, expected in [(30, 0.5), (90, 1.0), (0, 0.0), (180, 0.0), (-90, -1.0)]:
        got = sin_deg(degrees)
        hint = (" That is math.sin of the number itself: math.sin reads its argument in radians, so convert "
                "the degrees with math.radians first." if close(got, math.sin(degrees)) and degrees else "")
        assert same(ex, got, expected), (
            f"sin_deg({degrees}) should be {expected}, but it returned {ex.plain(got)!r}.{hint}")
    require_math(ex, "sin_deg", ["sin", "radians"])
