"""20 relative imports: in shop/sub/pricing.py, `.x` is shop.sub.x and `..x` is shop.x."""
import ast
import shutil


PRICING = "shop/sub/pricing.py"


def _one_dot_config(ex) -> str:
    """The message for `from .config import TAX` (one dot too few), else ""."""
    for node in ex.imports(PRICING):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "config":
            return (f"{ex.show(ex.path(PRICING))}, line {node.lineno}: `{ast.unparse(node)}` looks in the package "
                    f"pricing.py is in, shop.sub, for shop/sub/config.py, which does not exist. config.py is in "
                    f"shop, one package up: each extra dot climbs one package.")
    return ""


def _load_pricing(ex):
    ex.load("shop")
    return ex.load("shop.sub.pricing", diagnose=lambda: _one_dot_config(ex))


def test_pricing_computes_prices(ex):
    pricing = _load_pricing(ex)
    assert pricing.price_with_tax(100) == 120.0, (
        f"price_with_tax(100) should be 120.0 (TAX is 0.20), not {pricing.price_with_tax(100)!r}.")
    assert pricing.member_price(100) == 108.0, (
        f"member_price(100) should be 108.0, not {pricing.member_price(100)!r}.")
    config = ex.modules.get("shop.config")
    assert config is not None and pricing.TAX is config.TAX, (
        "pricing.TAX should come from the module shop.config (shop/config.py).")


def test_imports_are_relative_with_the_right_level(ex):
    where = ex.show(ex.path(PRICING))
    for node in ex.imports(PRICING):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in ("shop.config", "config"):
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is an absolute import"
                         + (", and it only works while the folder that holds shop/ is on sys.path"
                            if node.module == "shop.config" else "")
                         + ". This exercise wants the relative form: dots instead of the package's name.")
    message = _one_dot_config(ex)
    if message:
        ex.fail(message)
    for node in ex.imports(PRICING):
        if isinstance(node, ast.ImportFrom) and node.level > 2 and node.module == "config":
            extra = "one dot" if node.level == 3 else f"{node.level - 2} dots"
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` has {extra} too many. From "
                         f"shop/sub/pricing.py, `.` is shop.sub and `..` is shop, where config.py is; a third "
                         f"dot would climb above shop, the top-level package. Write `from ..config import TAX`.")
    ex.assert_from_import(PRICING, "config", {"TAX"}, level=2)
    ex.assert_from_import(PRICING, "discounts", {"MEMBER_DISCOUNT"}, level=1)


def test_renamed_package_still_works(ex):
    """A relative import does not name the package, so a renamed copy of it works as well."""
    _load_pricing(ex).member_price(100)  # a mistake in the original shows up here, with its own explanation
    copy = ex.tmp_path / "renamed"
    shutil.copytree(ex.path("shop"), copy / "store", ignore=shutil.ignore_patterns("__pycache__"))
    ex.purge("shop")
    pricing = ex.load("store.sub.pricing", path=[copy])
    leaked = sorted(n for n in ex.modules if n == "shop" or n.startswith("shop."))
    assert not leaked, (
        f"A copy of the package renamed to `store` still loaded {', '.join(leaked)}: {ex.show(ex.path(PRICING))} "
        f"names the package `shop` in an import. Use relative imports (dots) so it finds its neighbours "
        f"whatever the package is called.")
    assert pricing.member_price(100) == 108.0
    assert pricing.TAX is ex.modules["store.config"].TAX
