"""07 specific items: `from math import sqrt, pi` binds exactly those names, the same objects as in math,
and not the name `math` itself."""
import ast
import math


def call(ex, geometry, function, *args):
    """geometry.function(*args) (a NameError gets the catalogue's diagnosis: `math.` after a from-import, a
    name the from-import does not list)."""
    return ex.call(geometry, function, *args,
                   missing=f"geometry.py no longer defines the function `{function}`. Keep both functions; "
                           f"change only how they get sqrt and pi.")


def from_math(ex):
    """{name in math: name bound in geometry.py} for the top-level `from math import ...` statements."""
    return {a.name: a.asname or a.name for node in ex.imports("geometry.py")
            if isinstance(node, ast.ImportFrom) and node.module == "math" and not node.level for a in node.names}


def test_source_imports_only_sqrt_and_pi(ex):
    geometry_py = ex.show(ex.path("geometry.py"))
    imported = from_math(ex)
    for name, line in ex.module_bindings("geometry.py", "math").items():
        ex.fail(f"{geometry_py}, line {line} imports the module math itself (as `{name}`).\n"
                + ("Delete that import: the from-import already gives the module everything it uses." if imported
                   else "This exercise asks for the other form: a from-import that binds just the two names "
                        "geometry.py uses, sqrt and pi, and no name for the module."))
    if "*" in imported:
        ex.fail(f"{geometry_py} uses `from math import *`: a star import binds every public name of math in "
                f"geometry.py and hides which ones it uses. List the two names it needs.")
    missing, extra = {"sqrt", "pi"} - set(imported), set(imported) - {"sqrt", "pi"}
    elsewhere = {a.asname or a.name: node.module for node in ex.imports("geometry.py")
                 if isinstance(node, ast.ImportFrom) and node.module != "math" for a in node.names}
    assert not missing and not extra, (
        f"{geometry_py} should import exactly sqrt and pi from math with a from-import at its top level ("
        + "; ".join(([f"missing: {', '.join(sorted(missing))}"] if missing else [])
                    + ([f"not wanted: {', '.join(sorted(extra))}"] if extra else [])) + ")."
        + "".join(f"\n`{n}` comes from the module `{elsewhere[n]}`, not from math." for n in sorted(missing)
                  if n in elsewhere))
    tree = ex.tree("geometry.py")
    prefixed = next((n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                     and n.value.id == "math"), None)
    assert prefixed is None, (
        f"{geometry_py}, line {getattr(prefixed, 'lineno', 0)}: `{ast.unparse(prefixed) if prefixed else ''}` "
        f"still reaches through the name `math`, which the from-import does not define: it binds only the names "
        f"it lists, so use them directly.")
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    unused = sorted(bound for bound in imported.values() if bound not in read)
    assert not unused, (
        f"{geometry_py} imports {' and '.join(f'`{n}`' for n in unused)} but never uses "
        f"{'them' if len(unused) > 1 else 'it'}. The README asks the functions to use the names the from-import "
        f"binds, not a number or formula of their own.")


def test_sqrt_and_pi_are_the_math_modules_own_objects(ex):
    geometry = ex.load("geometry")
    names = ex.names(geometry)
    math = ex.standard_module("math")
    modules = sorted(n for n in names if getattr(geometry, n) is math)
    assert not modules, (
        f"geometry.py still has the name `{modules[0] if modules else ''}`, bound to the math module.\nWith "
        f"`from math import sqrt, pi` only `sqrt` and `pi` arrive: remove the import of the module and use the "
        f"two names directly.")
    for name, bound in from_math(ex).items():
        if name not in ("sqrt", "pi"):
            continue
        assert bound in names, (
            f"geometry.py has no name `{bound}`.\n`from math import sqrt, pi` at the top of the file makes "
            f"`sqrt` and `pi` names of geometry.")
        assert getattr(geometry, bound) is getattr(math, name), (
            f"geometry.{bound} is {ex.plain(getattr(geometry, bound))!r}, not math's own {name} "
            f"({getattr(math, name)!r}).\nThe from-import binds the name to math's object (nothing is copied): "
            f"do not assign `{bound}` yourself afterwards.")


def test_functions_still_work(ex):
    geometry = ex.load("geometry")
    result = call(ex, geometry, "hypotenuse", 3, 4)
    assert ex.same(result, 5.0), (
        f"hypotenuse(3, 4) should return 5.0 (the square root of 3**2 + 4**2), not {ex.plain(result)!r}.")
    result = call(ex, geometry, "hypotenuse", 5, 12)
    assert ex.same(result, 13.0), f"hypotenuse(5, 12) should return 13.0, not {ex.plain(result)!r}."
    result = call(ex, geometry, "circle_area", 2)
    assert ex.same(result, math.pi * 4, tolerance=1e-12), (
        f"circle_area(2) should return pi * 2 ** 2 ({math.pi * 4!r}), not {ex.plain(result)!r}.")
