"""09 star import: `from math import *` silently replaces your own `e`; explicit imports bring only what you
name."""
import ast
import math


EMAIL = "user@example.com"


def call(ex, contacts, function, *args):
    """contacts.function(*args), with a NameError explained in this exercise's terms."""
    def advice(error):
        return (f"{function}() uses `{error.name}`, but nothing in contacts.py binds that name (a star import "
                f"used to bind it, hidden among all of math's names).\nImport it by name (one from-import can list "
                f"several names).")
    return ex.call(contacts, function, *args, on_name_error=advice,
                   missing=f"contacts.py no longer defines the function `{function}`. Keep the functions; "
                           f"change only the imports.")


def test_e_is_still_the_email_address(ex):
    contacts = ex.load("contacts")
    assert hasattr(contacts, "e"), f"contacts.py no longer defines `e`. Keep `e = {EMAIL!r}`."
    math = ex.standard_module("math")
    if contacts.e is math.e:
        tree = ex.tree("contacts.py")
        star = next((n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "math"
                     and any(a.name == "*" for a in n.names)), None)
        named = next((n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == "math"
                      and any(a.name == "e" and a.asname in (None, "e") for a in n.names)), None)
        how = (f"`{ast.unparse(named)}` (line {named.lineno}) lists math's own `e`, and binds it over yours"
               if named else f"`from math import *` (line {star.lineno}) bound math's own `e` over yours without "
               f"a word" if star else "math's own `e` replaced yours")
        ex.fail(f"contacts.e is {contacts.e!r} (Euler's number, math.e), not {EMAIL!r}.\n{how}.\nImport only the "
                f"names contacts.py uses, and not one called `e`.")
    assert ex.same(contacts.e, EMAIL), f"contacts.e should be {EMAIL!r}, not {ex.plain(contacts.e)!r}."
    contact = call(ex, contacts, "new_contact", "Ada")
    assert ex.same(contact, {"name": "Ada", "email": EMAIL}), (
        f"new_contact('Ada') should return {{'name': 'Ada', 'email': {EMAIL!r}}}, not {ex.plain(contact)!r}.")


def test_no_star_import_and_no_leaked_names(ex):
    contacts = ex.load("contacts")
    named = {a.asname or a.name for node in ast.walk(ex.tree("contacts.py"))
             if isinstance(node, (ast.Import, ast.ImportFrom)) for a in node.names}
    math = ex.standard_module("math")
    leaked = sorted(n for n in dir(math) if not n.startswith("_") and n not in named
                    and getattr(contacts, n, None) is getattr(math, n))
    leaked.sort(key=lambda n: n != "factorial")  # the README's example first
    star = any(isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
               for node in ast.walk(ex.tree("contacts.py")))
    assert not leaked, (
        f"contacts has {len(leaked)} names from math that contacts.py never imports by name "
        f"({', '.join(leaked[:8])}{', ...' if len(leaked) > 8 else ''}).\n"
        + ("`from math import *` binds every public name of math in the module.\nImport only what you use, by name."
           if star else "They reach the module some other way than an import statement that names them (an "
                        "assignment from __import__ or importlib, say): a reader, and tools, cannot see where "
                        "they come from.\nImport only what you use, by name: a from-import that lists them."))
    assert not hasattr(contacts, "factorial"), (
        "contacts has a name `factorial`, but no function of contacts.py uses it.\nImport only the names the "
        "functions use.")
    ex.assert_no_star_import("contacts.py")


def test_math_helpers_still_work(ex):
    contacts = ex.load("contacts")
    pages = call(ex, contacts, "pages_needed", 25)
    assert ex.same(pages, 3), (
        f"pages_needed(25) should return 3 (25 contacts, 10 per page, rounded up), not {ex.plain(pages)!r}.")
    pages = call(ex, contacts, "pages_needed", 20)
    assert ex.same(pages, 2), f"pages_needed(20) should return 2, not {ex.plain(pages)!r}."
    d = call(ex, contacts, "distance", (0, 0), (3, 4))
    assert ex.same(d, 5.0), f"distance((0, 0), (3, 4)) should return 5.0, not {ex.plain(d)!r}."
