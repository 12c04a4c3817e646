"""08 aliases: `import math as m` binds the math module under the name `m`, and not under `math`."""
import ast
import math


def aliases(ex):
    """{alias: line} of the top-level `import math as alias` statements of geometry.py."""
    return {a.asname: node.lineno for node in ex.imports("geometry.py") if isinstance(node, ast.Import)
            for a in node.names if a.name == "math" and a.asname and a.asname != "math"}


def call(ex, geometry, function, *args):
    """geometry.function(*args) (a NameError gets the catalogue's diagnosis: `math.` after the alias, a name of
    math used without the alias)."""
    return ex.call(geometry, function, *args,
                   missing=f"geometry.py no longer defines the function `{function}`. Keep all three "
                           f"functions; change only the name they use to reach the math module.")


def test_source_imports_math_under_an_alias(ex):
    geometry_py = ex.show(ex.path("geometry.py"))
    found = aliases(ex)
    for name, line in ex.module_bindings("geometry.py", "math").items():
        if name == "math":
            ex.fail(f"{geometry_py}, line {line}: a plain import of math is still there, which binds the module "
                    f"under its own name.\nThe alias replaces that name: `import math as m` imports the module and "
                    f"binds it only under `m`.")
        if name not in found:
            ex.fail(f"{geometry_py}, line {line} binds `{name}` to math with a call to import the module. This "
                    f"exercise is about the `as` clause of the import statement, which does the same in the "
                    f"statement itself.")
    assert found, (
        f"{geometry_py} should import the math module under an alias with the `as` clause of the import "
        f"statement, at its top level.{found_imports(ex)}")
    alias = next(iter(found))
    prefixed = next((n for n in ast.walk(ex.tree("geometry.py")) if isinstance(n, ast.Attribute)
                     and isinstance(n.value, ast.Name) and n.value.id == "math"), None)
    assert prefixed is None, (
        f"{geometry_py}, line {getattr(prefixed, 'lineno', 0)}: `{ast.unparse(prefixed) if prefixed else ''}` "
        f"reaches through the name `math`, which the import with `as` does not bind: the module is known here "
        f"only as `{alias}`.")
    for function in ("hypotenuse", "circle_area", "sin_deg"):
        node = next((n for n in ex.tree("geometry.py").body if isinstance(n, ast.FunctionDef) and n.name == function),
                    None)
        assert node is None or any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                                   and n.value.id in found for n in ast.walk(node)), (
            f"{geometry_py}, line {node.lineno}: {function}() does not reach the math module through the alias "
            f"`{alias}`. The README asks every function to use math's tools (`{alias}.sqrt`, `{alias}.pi`, ...), not "
            f"a formula or number of its own.")


def test_the_alias_is_the_math_module(ex):
    geometry = ex.load("geometry")
    names = ex.names(geometry)
    math_module = ex.standard_module("math")
    assert "math" not in names, (
        "geometry.py still has the name `math`.\nThe alias replaces it: keep only the import with `as`, and reach "
        "the module through the alias wherever the functions said `math.`.")
    found = aliases(ex)
    for alias in found:
        assert alias in names and getattr(geometry, alias) is math_module, (
            f"geometry.{alias} should be the math module itself (`import math as {alias}` binds the module "
            f"object),\nbut it is {getattr(geometry, alias, None)!r}. Do not assign anything else to `{alias}`.")
    assert found, "geometry.py has no alias for the math module: `import math as ...` at the top of the file."


def test_functions_still_work(ex):
    geometry = ex.load("geometry")
    result = call(ex, geometry, "hypotenuse", 3, 4)
    assert ex.same(result, 5.0), (
        f"hypotenuse(3, 4) should return 5.0 (the square root of 3**2 + 4**2), not {ex.plain(result)!r}.")
    result = call(ex, geometry, "circle_area", 2)
    assert ex.same(result, math.pi * 4, tolerance=1e-12), (
        f"circle_area(2) should return pi * 2 ** 2 ({math.pi * 4!r}), not {ex.plain(result)!r}.")
    result = call(ex, geometry, "sin_deg", 30)
    assert ex.same(result, 0.5, tolerance=1e-9), (
        f"sin_deg(30) should return about 0.5 (the sine of 30 degrees: convert the angle to radians first), not "
        f"{ex.plain(result)!r}.")


def found_imports(ex):
    imports = ex.imports("geometry.py")
    return (f"\nIts top-level imports now: {'; '.join(ast.unparse(n) for n in imports)}" if imports
            else "\nRight now it has no import statement at its top level.")
