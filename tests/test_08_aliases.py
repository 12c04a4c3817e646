"""08 aliases: `import math as m` binds the math module under the name `m`, and not under `math`."""
import ast
import math

import pytest


def call(ex, geometry, function, *args):
    """geometry.function(*args), with a NameError explained in this exercise's terms."""
    def advice(error):
        if error.name == "math":
            return ("After `import math as m` the module is known in geometry.py only as `m`: write "
                    "`m.sqrt(...)`, `m.pi`, `m.sin(...)`, `m.radians(...)`.")
        return (f"{function}() uses `{error.name}`, which geometry.py never defines. Reach everything from "
                f"math through the alias: `m.<name>`.")
    return ex.call(geometry, function, *args, on_name_error=advice,
                   missing=f"geometry.py no longer defines the function `{function}`. Keep all three "
                           f"functions; change only the name they use to reach the math module.")


def test_source_imports_math_as_m(ex):
    ex.assert_import("geometry.py", "math", alias="m")
    for node in ex.imports("geometry.py"):
        if isinstance(node, ast.Import) and any(a.name == "math" and a.asname is None for a in node.names):
            pytest.fail(f"{ex.show(ex.path('geometry.py'))}, line {node.lineno}: a plain `import math` is still "
                        f"there.\nDelete it: `import math as m` already imports the module, under the name `m`.",
                        pytrace=False)


def test_m_is_the_math_module(ex):
    geometry = ex.load("geometry")
    names = ex.names(geometry)
    assert "math" not in names, (
        "geometry.py still has the name `math`.\nThe alias replaces it: keep only `import math as m`, and write "
        "`m.` wherever the functions said `math.`.")
    assert "m" in names, "geometry.py has no name `m`.\n`import math as m` at the top of the file defines it."
    assert geometry.m is ex.standard_module("math"), (
        f"geometry.m should be the math module itself (`import math as m` binds the module object),\nbut it is "
        f"{geometry.m!r}.")


def test_functions_still_work(ex):
    geometry = ex.load("geometry")
    result = call(ex, geometry, "hypotenuse", 3, 4)
    assert result == 5.0, f"hypotenuse(3, 4) should return 5.0 (the square root of 3**2 + 4**2), not {result!r}."
    result = call(ex, geometry, "circle_area", 2)
    assert result == pytest.approx(math.pi * 4), (
        f"circle_area(2) should return pi * 2 ** 2 (about 12.566), not {result!r}.")
    result = call(ex, geometry, "sin_deg", 30)
    assert result == pytest.approx(0.5), (
        f"sin_deg(30) should return about 0.5 (sine of 30 degrees: convert with m.radians first), not {result!r}.")
