"""14 subpackages: every folder level of a package needs its own __init__.py, and any module reaches any
other by its full dotted name (shapes.two_d.circle)."""
import ast
import math

CIRCLE = "shapes.two_d.circle"
CYLINDER = "shapes/three_d/cylinder.py"


def module_beside_folder(ex) -> str:
    """The message when a module NAME.py sits beside a folder NAME/ that has no __init__.py (shapes/two_d.py and
    shapes/two_d/): the import takes the module, so the folder's modules cannot be reached. "" otherwise."""
    for init in sorted(ex.path("shapes").rglob("__init__.py")):
        for folder in sorted(p for p in init.parent.iterdir() if p.is_dir() and p.name != "__pycache__"):
            module = folder.with_name(folder.name + ".py")
            if (folder / "__init__.py").exists() or not module.is_file():
                continue
            dotted = ".".join(folder.relative_to(ex.dir).parts)
            return (f"{ex.show(module)}, a module, takes the name `{dotted}` ahead of the folder {ex.show(folder)}/: "
                    f"a folder without __init__.py is only a namespace package, which an import takes when no module "
                    f"or regular package of that name is found. So `{dotted}` is a plain module, not a package, and "
                    f"the modules in {folder.name}/ cannot be imported through it.\nRemove or rename "
                    f"{module.name}, and give {folder.name}/ its __init__.py back.")
    return ""


def advice_for(ex, error) -> str:
    """This exercise's message for a failed `import shapes.three_d.cylinder`, from the exception object."""
    if module_beside_folder(ex):
        return module_beside_folder(ex)
    missing = getattr(error, "name", None) if isinstance(error, ModuleNotFoundError) else None
    if not missing or missing == "shapes" or missing.partition(".")[0] not in ("shapes", "two_d", "circle"):
        return ""  # not one of this exercise's classic mistakes: the harness's explanation
    where = ex.where(error, CYLINDER)
    if missing.startswith("shapes.three_d."):
        advice = ("A leading dot means \"this package\": in cylinder.py, `.two_d` is shapes.three_d.two_d, which "
                  "does not exist. Two dots climb to shapes (`from ..two_d.circle import area`), or write the full "
                  f"dotted name from the top-level package: `from {CIRCLE} import area`.")
    elif missing.startswith(CIRCLE + "."):
        advice = (f"An `import` statement names modules only, and {missing.rpartition('.')[2]} is a function of "
                  f"the module {CIRCLE}: take it out with a from-import, `from {CIRCLE} import area`.")
    else:
        advice = ("Without a leading dot, an import is absolute: Python searches sys.path, where only the "
                  "top-level package\n`shapes` can be found, never a folder inside it. Start the name at the top: "
                  f"`from {CIRCLE} import area`.")
    return f"{where}\nModuleNotFoundError: No module named '{missing}'.\n{advice}"


def load_cylinder(ex):
    """`import shapes.three_d.cylinder`, fresh, with the classic wrong names for the circle module explained."""
    ex.load("shapes")  # forget every shapes.* module of an earlier load
    return ex.load("shapes.three_d.cylinder", on_error=lambda error: advice_for(ex, error))


def circle_names(ex) -> dict[str, str]:
    """{name bound at cylinder.py's top level: "area" or "module"} for the imports of shapes.two_d.circle
    (absolute or relative, `import a.b.c [as x]`, `from a.b import c`, `from a.b.c import area [as x]`)."""
    found = {}
    where = ex.show(ex.path(CYLINDER))
    for node in ex.imports(CYLINDER):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == CIRCLE:
                    found[a.asname or "shapes"] = "module" if a.asname else "top"
        elif isinstance(node, ast.ImportFrom):
            base = ["shapes", "three_d"][:max(0, 2 - node.level + 1)] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for a in node.names:
                if target == CIRCLE and a.name == "*":
                    ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is a star import: it binds every "
                            f"public name of the circle module (its `math` too) and hides which one cylinder.py "
                            f"uses. Name it: `from {CIRCLE} import area`.")
                if target == CIRCLE and a.name == "area" or target == "shapes.two_d" and a.name == "circle":
                    found[a.asname or a.name] = "area" if a.name == "area" else "module"
    found.update({name: "module" for name in ex.module_bindings(CYLINDER, CIRCLE)})
    return found


def uses_circle_area(ex, bound: dict[str, str]) -> bool:
    """Whether a function of cylinder.py (volume, or a helper of it) calls the imported area: `area(...)`,
    `circle.area(...)`, `shapes.two_d.circle.area(...)`, under whatever name the import bound."""
    functions = [n for n in ex.tree(CYLINDER).body if isinstance(n, (ast.FunctionDef, ast.Assign))]
    for node in (sub for f in functions for sub in ast.walk(f)):
        if isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            for name, kind in bound.items():
                if called == {"area": name, "module": f"{name}.area", "top": f"{CIRCLE}.area"}[kind]:
                    return True
    return False


def test_every_level_is_a_regular_package(ex):
    if module_beside_folder(ex):
        ex.fail(module_beside_folder(ex))
    for name in ("shapes", "shapes.two_d", "shapes.three_d"):
        package = ex.assert_regular_package(name)
        assert package.__name__ == name


def test_existing_modules_still_work(ex):
    if module_beside_folder(ex):
        ex.fail(module_beside_folder(ex))
    for module, function, args, expected, what in (
            ("shapes.two_d.circle", "area", (1,), math.pi, "pi"),
            ("shapes.two_d.square", "area", (3,), 9, "9"),
            ("shapes.three_d.sphere", "volume", (1,), 4 / 3 * math.pi, "4/3 * pi")):
        result = ex.call(ex.load(module), function, *args)
        assert ex.same(result, expected, tolerance=1e-12), (
            f"{module}.{function}({args[0]}) should be {what}, not {ex.plain(result)!r}. Leave "
            f"{module.rpartition('.')[2]}.py as it was.")


def test_cylinder_volume_reuses_circle_area(ex):
    path_before = ex.sys_path()
    cylinder = load_cylinder(ex)
    path = ex.show(ex.path(CYLINDER))
    added = [p for p in ex.sys_path() if p not in path_before]
    assert not added, (
        f"Importing shapes.three_d.cylinder added {added} to sys.path. A module of a package reaches another "
        f"through the package, `from {CIRCLE} import area`: a sys.path change makes circle.py a top-level module "
        f"too (a second module object) and changes where every later import of the program looks.")
    result = ex.call(cylinder, "volume", 2, 3,
                     missing=f"{path} has no function `volume` yet.\nDefine `volume(radius, height)` there, at "
                             f"the top level.",
                     on_name_error=lambda error: (
                         f"After `from {CIRCLE} import area` you can call `area(...)`;\nafter `import {CIRCLE}` the "
                         f"name you get is `shapes`, so the call is `{CIRCLE}.area(...)`."))
    assert ex.same(result, math.pi * 2 ** 2 * 3, tolerance=1e-12), (
        f"volume(2, 3) should be the base's area times the height, pi * 2 ** 2 * 3 (about 37.699), not "
        f"{ex.plain(result)!r}.")
    result = ex.call(cylinder, "volume", 1, 10)
    assert ex.same(result, math.pi * 10, tolerance=1e-12), (
        f"volume(1, 10) should be about 31.416, not {ex.plain(result)!r}.")
    bound = circle_names(ex)
    assert bound, (
        f"{path} should import the circle module's area by its full dotted name:\n`from {CIRCLE} import area` "
        f"(at the top of the file), and use it instead of computing pi * radius ** 2 again.")
    assert uses_circle_area(ex, bound), (
        f"{path} imports {', '.join(f'`{n}`' for n in bound)}, but never calls the circle's area: volume() "
        f"computes the base again. Return `area(radius) * height` (with the name your import binds).")
    assert CIRCLE in ex.modules, f"Importing shapes.three_d.cylinder should load {CIRCLE}."
