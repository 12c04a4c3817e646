"""18 __all__ in a module: `from m import *` binds exactly the names listed in m.__all__; every name stays
reachable explicitly."""
import ast

API = {"slugify", "word_count"}
FILE = "textutils.py"


def _all_assignments(ex) -> list[ast.stmt]:
    """The top-level statements that bind __all__ (`=`, an annotated `=`, `+=`)."""
    found = []
    for node in ex.tree(FILE).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            found.append(node)
    return found


def _name_items(ex) -> str:
    """A message when __all__ lists names instead of strings (`[slugify]` rather than `["slugify"]`)."""
    for node in _all_assignments(ex):
        names = [ast.unparse(e) for e in getattr(node.value, "elts", []) if isinstance(e, ast.Name)]
        if names:
            return (f"{ex.show(ex.path(FILE))}, line {node.lineno}: __all__ must list the names as strings, "
                    f"in quotes: write \"{names[0]}\", not {names[0]}.")
    return ""


def _misspelt(ex) -> str:
    """A message for an assignment to a near-miss of __all__ (`__all`, `_all_`, `__ALL__`, `all`), else ""."""
    if _all_assignments(ex):
        return ""
    for node in ex.tree(FILE).body:
        for target in node.targets if isinstance(node, ast.Assign) else []:
            if isinstance(target, ast.Name) and target.id.strip("_").lower() == "all":
                return (f"{ex.show(ex.path(FILE))}, line {node.lineno}: `{target.id}` is not `__all__`: a star "
                        f"import only looks for the name `__all__`, two underscores, lower-case `all`, two "
                        f"underscores. Any other name is an ordinary variable.")
    return ""


def _load(ex):
    return ex.load("textutils", diagnose=lambda: _name_items(ex))


def test_star_import_gives_exactly_the_api(ex):
    textutils = _load(ex)
    names = getattr(textutils, "__all__", None)
    problem = ""
    try:
        namespace = ex.execute("from textutils import *")
    except TypeError as e:  # an item of __all__ that is not a string, or __all__ is no sequence
        problem = (f"`from textutils import *` failed: {e}. "
                   + (_name_items(ex) or (f"textutils.__all__ is a {ex.type_name(names)}, which a star import "
                                          f"cannot read item by item: make it a list." if not isinstance(
                                              names, (list, tuple, str)) else
                                          "Every item of __all__ must be a string.")))
    except AttributeError as e:  # a name in __all__ that the module does not define
        if isinstance(names, str):
            problem = (f"`from textutils import *` failed: {e}. textutils.__all__ is the string "
                       f"{names!r}, so Python reads it letter by letter. Make it a list of strings: "
                       f"[\"slugify\", ...] (parentheses around one string do not make a tuple).")
        else:
            problem = (f"`from textutils import *` failed: {e}. Every string in __all__ must be the name of "
                       f"something textutils.py defines: check the spelling.")
    if problem:
        ex.fail(problem)
    got = set(namespace)
    extra, missing = sorted(got - API), sorted(API - got)
    assert not extra and not missing, (
        f"`from textutils import *` brought in {sorted(got)}; it should bring exactly ['slugify', 'word_count']"
        + (f" (not wanted: {', '.join(extra)})" if extra else "")
        + (f" (missing: {', '.join(missing)})" if missing else "")
        + ". " + (_misspelt(ex) or "Declare the public API in textutils.py: `__all__ = [\"slugify\", \"word_count\"]`."))
    for name in API:
        assert namespace[name] is getattr(textutils, name), (
            f"After `from textutils import *`, {name} should be textutils.{name} itself.")


def test_all_lists_the_public_names(ex):
    textutils = _load(ex)
    where = ex.show(ex.path(FILE))
    assert "__all__" in ex.names(textutils), (
        _misspelt(ex) or f"{where} has no `__all__` yet. Add `__all__ = [\"slugify\", \"word_count\"]` near the "
                         f"top of the file.")
    names = textutils.__all__
    assert type(names) in (list, tuple), (
        f"textutils.__all__ should be a list of strings, not {ex.type_name(names)} {ex.plain(names)!r}. "
        + ("(A single string in parentheses is still a string: `(\"slugify\")`; write a list: [\"slugify\", ...].)"
           if isinstance(names, str) else "(A star import reads it item by item, in order: a list or a tuple.)"))
    assert all(type(n) is str for n in names), _name_items(ex) or (
        f"Every item of textutils.__all__ must be a string; it is {ex.plain(names)!r}.")
    assert sorted(names) == sorted(API), (
        f"textutils.__all__ is {list(names)!r}; it should list exactly the public API, 'slugify' and 'word_count' "
        f"(the helper normalize, the pattern WORD and the module re are not part of it).")


def test_helpers_stay_reachable(ex):
    textutils = _load(ex)
    result = ex.call(textutils, "slugify", "Hello, World!")
    assert ex.same(result, "hello-world"), f"slugify('Hello, World!') should be 'hello-world', not {ex.plain(result)!r}."
    result = ex.call(textutils, "word_count", "one, two, three")
    assert ex.same(result, 3), f"word_count('one, two, three') should be 3, not {ex.plain(result)!r}."
    for name in ("normalize", "WORD", "re"):
        assert name in ex.names(textutils), (
            f"textutils.{name} is gone. __all__ only decides which names `import *` binds: keep `{name}` in "
            f"textutils.py under the same name.")
    result = ex.call(textutils, "normalize", "Hello, World!")
    assert ex.same(result, ["hello", "world"]), (
        f"normalize('Hello, World!') should still be ['hello', 'world'], not {ex.plain(result)!r}.")
    assert textutils.re is ex.standard_module("re"), (
        "textutils.re should still be the standard module re (`import re` in textutils.py).")
    namespace = ex.execute("from textutils import normalize")
    assert namespace["normalize"] is textutils.normalize
