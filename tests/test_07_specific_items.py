"""07 specific items: `from math import sqrt, pi` binds exactly those names, the same objects as in math,
and not the name `math` itself."""
import ast
import math

import pytest


def call(ex, geometry, function, *args):
    """geometry.function(*args), with a NameError explained in this exercise's terms."""
    def advice(error):
        if error.name == "math":
            return ("After `from math import sqrt, pi` there is no name `math` in geometry.py, only `sqrt` and "
                    "`pi`:\nwrite `sqrt(...)` instead of `math.sqrt(...)` and `pi` instead of `math.pi`.")
        return (f"{function}() uses `{error.name}`, but geometry.py never imports it: list it in "
                f"`from math import ...` (the task needs exactly `sqrt, pi`).")
    return ex.call(geometry, function, *args, on_name_error=advice,
                   missing=f"geometry.py no longer defines the function `{function}`. Keep both functions; "
                           f"change only how they get sqrt and pi.")


def test_source_imports_only_sqrt_and_pi(ex):
    ex.assert_from_import("geometry.py", "math", {"sqrt", "pi"})
    for node in ex.imports("geometry.py"):
        if isinstance(node, ast.Import) and any(a.name == "math" for a in node.names):
            pytest.fail(f"{ex.show(ex.path('geometry.py'))}, line {node.lineno}: `{ast.unparse(node)}` is still "
                        f"there.\nDelete it: `from math import sqrt, pi` already gives the module everything it "
                        f"uses.", pytrace=False)


def test_sqrt_and_pi_are_the_math_modules_own_objects(ex):
    geometry = ex.load("geometry")
    names = ex.names(geometry)
    math = ex.standard_module("math")
    assert "math" not in names, (
        "geometry.py still has the name `math` (from `import math`).\nWith `from math import sqrt, pi` only "
        "`sqrt` and `pi` arrive: remove `import math` and use the two names directly.")
    for name in ("sqrt", "pi"):
        assert name in names, (
            f"geometry.py has no name `{name}`.\n`from math import sqrt, pi` at the top of the file makes "
            f"`sqrt` and `pi` names of geometry.")
    assert geometry.sqrt is math.sqrt, (
        f"geometry.sqrt should be math's own sqrt function (an import does not copy, it gives you the same "
        f"object), but it is {geometry.sqrt!r}.\nDo not define or assign sqrt yourself: import it.")
    assert geometry.pi is math.pi, (
        f"geometry.pi is {geometry.pi!r}, not math's own pi ({math.pi!r}).\nDo not type the number: "
        f"`from math import pi`.")


def test_functions_still_work(ex):
    geometry = ex.load("geometry")
    result = call(ex, geometry, "hypotenuse", 3, 4)
    assert result == 5.0, f"hypotenuse(3, 4) should return 5.0 (the square root of 3**2 + 4**2), not {result!r}."
    result = call(ex, geometry, "hypotenuse", 5, 12)
    assert result == 13.0, f"hypotenuse(5, 12) should return 13.0, not {result!r}."
    result = call(ex, geometry, "circle_area", 2)
    assert result == pytest.approx(math.pi * 4), (
        f"circle_area(2) should return pi * 2 ** 2 (about 12.566), not {result!r}.")
