"""14 subpackages: every folder level of a package needs its own __init__.py, and any module reaches any
other by its full dotted name (shapes.two_d.circle)."""
import ast
import math
import re

import pytest


CIRCLE = "shapes.two_d.circle"


def load_cylinder(ex):
    """`import shapes.three_d.cylinder`, fresh, with the classic wrong names for the circle module explained."""
    ex.load("shapes")  # forget every shapes.* module of an earlier load
    try:
        return ex.load("shapes.three_d.cylinder")
    except pytest.fail.Exception as e:
        message = str(e)
    missing = re.search(r"No module named `([\w.]+)`", message)
    if missing is None or missing.group(1) == "shapes":
        ex.fail(message)  # not one of this exercise's classic mistakes: the harness's explanation
    # outside the `except`, so the report shows no chained traceback
    where = message.splitlines()[0] if ", line " in message.splitlines()[0] else ""
    if missing.group(1).startswith("shapes.three_d."):
        advice = ("A leading dot means \"this package\": in cylinder.py, `.two_d` is shapes.three_d.two_d, which "
                  "does not exist.\nWrite the full dotted name from the top-level package instead: "
                  f"`from {CIRCLE} import area`.")
    else:
        advice = ("Without a leading dot, an import is absolute: Python searches sys.path, where only the "
                  "top-level package\n`shapes` can be found, never a folder inside it. Start the name at the top: "
                  f"`from {CIRCLE} import area`.")
    ex.fail(f"{where}\nModuleNotFoundError: No module named '{missing.group(1)}'.\n{advice}".lstrip())


def circle_imports(ex) -> list[ast.AST]:
    """cylinder.py's top-level imports that name the module shapes.two_d.circle (absolute or relative)."""
    found = []
    for node in ex.imports("shapes/three_d/cylinder.py"):
        if isinstance(node, ast.Import) and any(a.name == CIRCLE for a in node.names):
            found.append(node)
        elif isinstance(node, ast.ImportFrom):
            base = ["shapes", "three_d"][:max(0, 2 - node.level + 1)] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            if target == CIRCLE or (target == "shapes.two_d" and any(a.name == "circle" for a in node.names)):
                found.append(node)
    return found


def test_every_level_is_a_regular_package(ex):
    for name in ("shapes", "shapes.two_d", "shapes.three_d"):
        package = ex.assert_regular_package(name)
        assert package.__name__ == name


def test_existing_modules_still_work(ex):
    circle = ex.load("shapes.two_d.circle")
    assert circle.area(1) == pytest.approx(math.pi), "shapes.two_d.circle.area(1) should be pi. Leave circle.py as it was."
    square = ex.load("shapes.two_d.square")
    assert square.area(3) == 9, "shapes.two_d.square.area(3) should be 9. Leave square.py as it was."
    sphere = ex.load("shapes.three_d.sphere")
    assert sphere.volume(1) == pytest.approx(4 / 3 * math.pi), (
        "shapes.three_d.sphere.volume(1) should be 4/3 * pi. Leave sphere.py as it was.")


def test_cylinder_volume_reuses_circle_area(ex):
    cylinder = load_cylinder(ex)
    path = ex.show(ex.path("shapes/three_d/cylinder.py"))
    result = ex.call(cylinder, "volume", 2, 3,
                     missing=f"{path} has no function `volume` yet.\nDefine `volume(radius, height)` there, at "
                             f"the top level.",
                     on_name_error=lambda error: (
                         f"After `from {CIRCLE} import area` you can call `area(...)`;\nafter `import {CIRCLE}` the "
                         f"name you get is `shapes`, so the call is `{CIRCLE}.area(...)`."))
    assert result == pytest.approx(math.pi * 2 ** 2 * 3), (
        f"volume(2, 3) should be the base's area times the height, pi * 2 ** 2 * 3 (about 37.699), not {result!r}.")
    assert cylinder.volume(1, 10) == pytest.approx(math.pi * 10), "volume(1, 10) should be about 31.416."
    assert circle_imports(ex), (
        f"{path} should import the circle module's area by its full dotted name:\n`from {CIRCLE} import area` "
        f"(at the top of the file), and use it instead of computing pi * radius ** 2 again.")
    assert CIRCLE in ex.modules, f"Importing shapes.three_d.cylinder should load {CIRCLE}."
