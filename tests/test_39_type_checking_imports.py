"""39 imports only for type checkers: a cycle that exists only for annotations, broken with `if TYPE_CHECKING:` and
`from __future__ import annotations` (or, on Python 3.15+, PEP 810's `lazy` import)."""
import ast
import re
import sys

FILE = "shop/customer.py"
# The annotations of customer.py that name Order (where, how to find it): all must stay.
KEPT = {("add_order", "order"): "`order: Order` of add_order()", ("latest", "return"): "`-> Order | None` of latest()",
        ("__init__", "self.orders"): "`self.orders: list[Order]` in __init__()"}
ORDER = re.compile(r"\bOrder\b")


def imports_order(node):
    if isinstance(node, ast.Import):
        return any(a.name == "shop.order" for a in node.names)
    if isinstance(node, ast.ImportFrom):
        names = {a.name for a in node.names}
        return (node.level == 0 and (node.module == "shop.order" or node.module == "shop" and "order" in names)
                or node.level == 1 and (node.module == "order" or node.module is None and "order" in names))
    return False


def is_type_checking(test):
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or \
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def is_always_false(test):
    """`if False:`, `if 0:`: a block that never runs, and that type checkers treat as unreachable too."""
    return isinstance(test, ast.Constant) and not test.value


def order_imports(body, type_only=False, never=False):
    """(node, how) for each import of shop.order at module level: how is "runs", "type checkers", "lazy", or
    "never" (under `if False:`)."""
    found = []
    for node in body:
        if imports_order(node):
            found.append((node, "never" if never else "type checkers" if type_only else
                          "lazy" if getattr(node, "is_lazy", 0) else "runs"))
        elif isinstance(node, ast.If):
            found += order_imports(node.body, type_only or is_type_checking(node.test),
                                   never or is_always_false(node.test))
            found += order_imports(node.orelse, type_only, never)
        elif isinstance(node, ast.Try):
            for block in [node.body, node.orelse, node.finalbody, *[h.body for h in node.handlers]]:
                found += order_imports(block, type_only, never)
    return found


def advice(ex):
    """Why shop.customer cannot be imported, when customer.py still imports shop.order as the program runs."""
    running = [n for n, how in order_imports(ex.tree(FILE).body) if how == "runs"]
    if not running:
        return ""
    node = running[0]
    return (f"{ex.show(ex.path(FILE))}, line {node.lineno}: `{ast.unparse(node)}` runs when the file runs, and "
            f"shop/order.py imports shop.customer: a cycle, so whichever module is imported first finds the other "
            f"half-finished. customer.py needs Order only in its annotations: import it under "
            f"`if TYPE_CHECKING:` (from typing), where only type checkers see it.")


def name_error_advice(error):
    if getattr(error, "name", None) != "Order":
        return ""
    return ("Order is imported only for type checkers now, so it does not exist when the file runs, and Python "
            "3.10 to 3.13 evaluate a function's annotations when its `def` runs. Add `from __future__ import "
            "annotations` as the first statement of shop/customer.py: annotations then stay unevaluated strings.")


def test_each_module_can_be_imported_first(ex):
    ex.load("shop.customer", diagnose=lambda: advice(ex), on_name_error=name_error_advice)
    ex.load("shop.order", diagnose=lambda: advice(ex), on_name_error=name_error_advice)  # fresh: shop purged


def test_importing_customer_does_not_import_order(ex):
    ex.load("shop.customer", diagnose=lambda: advice(ex), on_name_error=name_error_advice)
    assert "shop.order" not in ex.modules, (
        f"`import shop.customer` also imported shop.order, but customer.py needs Order only for type checkers. "
        f"Move its import under `if TYPE_CHECKING:` in {ex.show(ex.path(FILE))}.")


def test_customers_place_orders(ex):
    order = ex.load("shop.order", diagnose=lambda: advice(ex), on_name_error=name_error_advice)
    Customer = ex.modules["shop.customer"].Customer
    ada = Customer("Ada")
    pear = order.Order(ada, "pear", 2.5)
    order.Order(ada, "fig", 1.0)
    assert ex.same(ada.total(), 3.5) and ada.orders[0] is pear, (
        f"Two orders of Ada (2.5 and 1.0) should give ada.total() == 3.5 and ada.orders [pear, fig]; got "
        f"{ada.total()!r} and {ada.orders!r}. Change only how customer.py imports Order, not what it does.")
    latest = ada.latest()
    assert latest is not pear and latest.item == "fig", "ada.latest() should be the last order placed, the fig."
    try:
        order.Order("Bob", "plum", 1.0)
    except TypeError:
        pass
    else:
        ex.fail("Order('Bob', ...) should raise TypeError: shop/order.py checks its customer at run time. Restore "
                "shop/order.py (`make reset EX=39` restores every file) and change only shop/customer.py.")


def annotations(tree):
    """{(function, parameter or "return" or "self.x"): annotation node} in the file."""
    found = {}
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = func.args
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if a is not None and a.annotation is not None:
                    found[(func.name, a.arg)] = a.annotation
            if func.returns is not None:
                found[(func.name, "return")] = func.returns
            for node in ast.walk(func):
                if isinstance(node, ast.AnnAssign):
                    found[(func.name, ast.unparse(node.target))] = node.annotation
    return found


def names_order_unquoted(annotation):
    return any(isinstance(n, ast.Name) and n.id == "Order" for n in ast.walk(annotation))


def test_order_is_imported_for_type_checkers_only(ex):
    shown = ex.show(ex.path(FILE))
    tree = ex.tree(FILE)
    found = order_imports(tree.body)
    running = [n for n, how in found if how == "runs"]
    assert not running, advice(ex)
    hints = annotations(tree)
    for key, shown_as in KEPT.items():
        annotation = hints.get(key)
        text = annotation.value if isinstance(annotation, ast.Constant) else \
            ast.unparse(annotation) if annotation is not None else ""
        assert ORDER.search(str(text)), (
            f"In {shown}, keep the annotation {shown_as}: the task is to import Order only for type checkers, "
            f"not to drop the type hints that need it.")
    assert found, (
        f"{shown} no longer imports Order at all, so a type checker cannot tell what `Order` in the annotations "
        f"is. Keep the import, under `if TYPE_CHECKING:` (`from typing import TYPE_CHECKING`)"
        + (", or as `lazy from shop.order import Order`." if sys.version_info >= (3, 15) else "."))
    hidden = [n for n, how in found if how == "never"]
    assert not hidden or any(how in ("type checkers", "lazy") for _, how in found), (
        f"{shown}, line {hidden[0].lineno}: `{ast.unparse(hidden[0])}` sits in a block that never runs "
        f"(`if False:` and the like). That breaks the cycle, but it is a legacy trick that type checkers do not "
        f"agree on: pyright (VS Code's Pylance) drops such a block as unreachable, so Order is unknown to it. "
        f"Put the import under `if TYPE_CHECKING:` (from typing), the condition every type checker reads as true.")
    if all(how == "lazy" for _, how in found):
        return  # PEP 810 (3.15+): the name is bound to a lazy import, resolved only if something uses it
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations"
                                                                                     for a in n.names)
                 for n in tree.body)
    evaluated = [(func, arg) for (func, arg), annotation in hints.items()
                 if not arg.startswith("self.") and names_order_unquoted(annotation)]
    assert future or not evaluated, (
        f"{shown}: the {'return annotation' if evaluated[0][1] == 'return' else f'annotation of `{evaluated[0][1]}`'} "
        f"of {evaluated[0][0]}() names Order, which exists only for "
        f"type checkers, and Python 3.10 to 3.13 evaluate it when the `def` runs (NameError)"
        + (" (this Python, 3.14 or newer, evaluates annotations only when asked, so it works here, but not on "
           "the Pythons this kata supports)" if sys.version_info >= (3, 14) else "")
        + ". Add `from __future__ import annotations` as the first statement of the file.")
