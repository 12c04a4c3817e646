"""25 circular imports: two modules that from-import each other fail; break the cycle."""
import ast
import json


EXPECTED = {"labels": ["pen: $1.50", "notebook: $3.25"], "total": "$4.75"}
REPORT = ("import json\n"
          "items = services.catalog()\n"
          "print(json.dumps({'labels': [p.label() for p in items], 'total': services.total(items)}))\n")


def check_import_order(ex, first, second):
    # Each order needs a fresh interpreter: once either module is in sys.modules, the other order is
    # no longer tried from scratch (and this pytest process must not keep a half-imported module).
    result = ex.run_code(f"import {first}\nimport {second}\n{REPORT}",
                         what=f'python -c "import {first}; import {second}"')
    try:
        got = json.loads(result.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        got = result.stdout.strip()
    assert got == EXPECTED, (
        f"After `import {first}` then `import {second}`, the product labels and the total should be "
        f"{EXPECTED['labels']} and {EXPECTED['total']!r}, got {got!r}.\nKeep Product.label(), "
        f"services.catalog() and services.total() working as they were.")


def test_import_models_first(ex):
    check_import_order(ex, "models", "services")


def test_import_services_first(ex):
    check_import_order(ex, "services", "models")


def own_modules(ex):
    """The modules of this folder, by name; the learner's own test files are not part of the program."""
    return sorted(p.stem for p in ex.dir.glob("*.py") if not (p.name.startswith("test_") or p.stem.endswith("_test")
                                                              or p.name == "conftest.py"))


def is_type_checking(test):
    """`if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`: a block that never runs."""
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_run_on_import(statements):
    """The import statements that run while the module itself is imported: at its top level, also inside
    `if`, `try` and `with` blocks, but not in functions or classes, nor under `if TYPE_CHECKING:`."""
    for node in statements:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if not is_type_checking(node.test):
                yield from imports_run_on_import(node.body)
            yield from imports_run_on_import(node.orelse)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from imports_run_on_import(block)
        elif isinstance(node, (ast.With, ast.For, ast.While)):
            yield from imports_run_on_import(node.body)


def test_shared_code_defined_once(ex):
    defined = [stem for stem in own_modules(ex) if any(
        isinstance(n, ast.FunctionDef) and n.name == "format_price" for n in ex.tree(f"{stem}.py").body)]
    assert len(defined) <= 1, (
        f"format_price is defined in {len(defined)} files ({', '.join(s + '.py' for s in defined)}).\nA copy breaks "
        f"the circle, but starts a second version of the function that can drift from the first: keep it in one "
        f"module and import it from there where it is needed.")


def test_no_from_import_in_a_cycle(ex):
    local = set(own_modules(ex))
    edges = {}  # module -> [(imported local module, node)]
    for stem in sorted(local):
        for node in imports_run_on_import(ex.tree(f"{stem}.py").body):
            if isinstance(node, ast.Import):
                targets = [a.name.split(".")[0] for a in node.names]
            elif node.level == 0 and node.module:
                targets = [node.module.split(".")[0]]
            else:
                continue
            edges.setdefault(stem, []).extend((t, node) for t in targets if t in local and t != stem)

    def path_back(start, goal):
        """A chain of imports leading from `start` to `goal`, or None."""
        todo, seen = [[start]], {start}
        while todo:
            chain = todo.pop(0)
            if chain[-1] == goal:
                return chain
            for target, _ in edges.get(chain[-1], []):
                if target not in seen:
                    seen.add(target)
                    todo.append(chain + [target])
        return None

    for stem in sorted(edges):
        for target, node in edges[stem]:
            if isinstance(node, ast.ImportFrom):
                back = path_back(target, stem)
                if back:
                    circle = " -> ".join([stem] + back)
                    ex.fail(
                        f"{ex.show(ex.path(stem + '.py'))}, line {node.lineno}: `{ast.unparse(node)}` is part of "
                        f"an import circle ({circle}).\nA from-import needs the name to exist already, and in a "
                        f"circle it may not.\nMove the shared code into a third module, or use `import "
                        f"{target}` and write `{target}.name` where the name is used (on both sides).")
