"""20 relative imports: in shop/sub/pricing.py, `.x` is shop.sub.x and `..x` is shop.x."""
import ast
import shutil

PRICING = "shop/sub/pricing.py"
PACKAGE = ("shop", "sub")  # the package pricing.py is in
NEEDED = {"shop.config": "TAX", "shop.sub.discounts": "MEMBER_DISCOUNT"}


def bindings(ex) -> dict[str, tuple[str, str | None, ast.ImportFrom]]:
    """{name bound at pricing.py's top level by a relative import: (module, attribute or None for the module
    itself, node)}, with the dots resolved from shop.sub (`from ..config import TAX as t`: t -> shop.config.TAX;
    `from .. import config`: config -> the module shop.config)."""
    found = {}
    for node in ex.imports(PRICING):
        if not isinstance(node, ast.ImportFrom) or not node.level or node.level > len(PACKAGE):
            continue
        base = ".".join(PACKAGE[:len(PACKAGE) - node.level + 1] + ((node.module,) if node.module else ()))
        for a in node.names:  # `from .. import config` binds a submodule, `from ..config import TAX` a name
            sub = f"{base}.{a.name}"
            found[a.asname or a.name] = (sub, None, node) if sub in NEEDED else (base, a.name, node)
    return found


def _one_dot_config(ex) -> str:
    """The message for `from .config import TAX` (one dot too few), else ""."""
    for node in ex.imports(PRICING):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "config":
            return (f"{ex.show(ex.path(PRICING))}, line {node.lineno}: `{ast.unparse(node)}` looks in the package "
                    f"pricing.py is in, shop.sub, for shop/sub/config.py, which does not exist. config.py is in "
                    f"shop, one package up: each extra dot climbs one package.")
    return ""


def _advice(ex, error) -> str:
    """The exercise's message for a failed import of pricing, from the exception object."""
    asks_package = any(isinstance(n, ast.ImportFrom) and n.level == 2 and n.module is None
                       and any(a.name == "TAX" for a in n.names) for n in ex.imports(PRICING))
    if isinstance(error, ImportError) and not isinstance(error, ModuleNotFoundError) and error.name == "shop" \
            and asks_package:
        return (f"{ex.where(error, PRICING)}\nImportError: {error}.\n`from .. import TAX` asks the package shop "
                f"itself (shop/__init__.py) for TAX, and it has none: TAX is in the module config. Name the module "
                f"after the dots: `from ..config import TAX`.")
    if isinstance(error, ModuleNotFoundError) and error.name == "shop.sub.config":
        return _one_dot_config(ex)
    return ""


def _load_pricing(ex):
    ex.load("shop")
    return ex.load("shop.sub.pricing", on_error=lambda error: _advice(ex, error))


def test_pricing_computes_prices(ex):
    path_before = ex.sys_path()
    pricing = _load_pricing(ex)
    added = [p for p in ex.sys_path() if p not in path_before]
    assert not added, (
        f"Importing shop.sub.pricing added {added} to sys.path: that makes the package's files top-level modules "
        f"too (a second module object each) and changes where every later import looks. Reach config.py with "
        f"dots: `from ..config import TAX`.")
    for function, expected, how in (("price_with_tax", 120.0, "TAX is 0.20"), ("member_price", 108.0,
                                                                                "120.0 minus 10%")):
        result = ex.call(pricing, function, 100)
        assert ex.same(result, expected), f"{function}(100) should be {expected!r} ({how}), not {ex.plain(result)!r}."
    for name, (module, attribute, node) in bindings(ex).items():
        if module in NEEDED and attribute is None or NEEDED.get(module) == attribute:
            source = ex.modules.get(module)
            expected = source if attribute is None else getattr(source, attribute, None)
            assert source is not None and getattr(pricing, name, None) is expected, (
                f"pricing.{name} should be {'the module ' + module if attribute is None else module + '.' + attribute}, "
                f"as line {node.lineno} imports it: do not assign `{name}` again afterwards.")


def test_imports_are_relative_with_the_right_level(ex):
    where = ex.show(ex.path(PRICING))
    for node in ex.tree(PRICING).body:
        if isinstance(node, ast.Try) and any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(node)):
            ex.fail(f"{where}, line {node.lineno}: an import sits in a `try` block with a way out in `except`: "
                    f"when the import is wrong, the fallback hides it. Write the relative imports alone, at the "
                    f"top level.")
    for node in ex.imports(PRICING):
        names = [node.module] if isinstance(node, ast.ImportFrom) and not node.level else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if any(n and n.partition(".")[0] in ("shop", "config", "discounts") for n in names):
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is an absolute import"
                    + (", and it only works while the folder that holds shop/ is on sys.path" if
                       any(n.startswith("shop") for n in names) else "")
                    + ". This exercise wants the relative form: dots instead of the package's name.")
    message = _one_dot_config(ex)
    if message:
        ex.fail(message)
    for node in ex.imports(PRICING):
        if isinstance(node, ast.ImportFrom) and node.level > len(PACKAGE):
            extra = "one dot" if node.level == 3 else f"{node.level - 2} dots"
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` has {extra} too many. From "
                    f"shop/sub/pricing.py, `.` is shop.sub and `..` is shop, where config.py is; a third "
                    f"dot would climb above shop, the top-level package. Write `from ..config import TAX`.")
    found = {(module, attribute) for module, attribute, _ in bindings(ex).values()}
    for module, attribute in NEEDED.items():
        assert (module, attribute) in found or (module, None) in found, (
            f"{where} should import {attribute} from {module.replace('.', '/')}.py with a relative import at its "
            f"top level: "
            + ("`from ..config import TAX` (two dots: shop.sub, then shop)." if module == "shop.config" else
               "`from .discounts import MEMBER_DISCOUNT` (one dot: the package shop.sub), as it was.")
            + "".join(f"\nIts top-level imports now: {'; '.join(ast.unparse(n) for n in ex.imports(PRICING))}"
                      for _ in [1] if ex.imports(PRICING)))


def test_renamed_package_still_works(ex):
    """A relative import does not name the package, so a renamed copy of it works as well."""
    ex.call(_load_pricing(ex), "member_price", 100)  # a mistake in the original shows up here, explained
    copy = ex.tmp_path / "renamed"
    shutil.copytree(ex.path("shop"), copy / "store", ignore=shutil.ignore_patterns("__pycache__"))
    ex.purge("shop")
    pricing = ex.load("store.sub.pricing", path=[copy])
    leaked = sorted(n for n in ex.modules if n == "shop" or n.startswith("shop."))
    assert not leaked, (
        f"A copy of the package renamed to `store` still loaded {', '.join(leaked)}: {ex.show(ex.path(PRICING))} "
        f"names the package `shop` in an import. Use relative imports (dots) so it finds its neighbours "
        f"whatever the package is called.")
    result = ex.call(pricing, "member_price", 100)
    assert ex.same(result, 108.0), f"store.sub.pricing.member_price(100) should be 108.0, not {ex.plain(result)!r}."
