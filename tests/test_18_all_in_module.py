"""18 __all__ in a module: `from m import *` binds exactly the names listed in m.__all__; every name stays
reachable explicitly."""
import ast
import re


API = {"slugify", "word_count"}
FILE = "textutils.py"


def _name_items(ex) -> str:
    """A message when __all__ lists names instead of strings (`[slugify]` rather than `["slugify"]`)."""
    for node in ex.tree(FILE).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            names = [ast.unparse(e) for e in getattr(node.value, "elts", []) if not isinstance(e, ast.Constant)]
            if names:
                return (f"{ex.show(ex.path(FILE))}, line {node.lineno}: __all__ must list the names as strings, "
                        f"in quotes: write \"{names[0]}\", not {names[0]}.")
    return ""


def _load(ex):
    return ex.load("textutils", diagnose=lambda: _name_items(ex))


def test_star_import_gives_exactly_the_api(ex):
    textutils = _load(ex)
    namespace = {}
    problem = ""
    try:
        exec("from textutils import *", namespace)
    except TypeError as e:  # an item of __all__ that is not a string
        problem = f"`from textutils import *` failed: {e}. {_name_items(ex) or 'Every item of __all__ must be a string.'}"
    except AttributeError as e:  # a name in __all__ that the module does not define
        if isinstance(getattr(textutils, "__all__", None), str):
            problem = (f"`from textutils import *` failed: {e}. textutils.__all__ is the string "
                       f"{textutils.__all__!r}, so Python reads it letter by letter. Make it a list of strings: "
                       f"[\"slugify\", ...] (parentheses around one string do not make a tuple).")
        else:
            problem = (f"`from textutils import *` failed: {e}. Every string in __all__ must be the name of "
                       f"something textutils.py defines: check the spelling.")
    if problem:
        ex.fail(problem)
    got = {name for name in namespace if name != "__builtins__"}
    extra, missing = sorted(got - API), sorted(API - got)
    assert not extra and not missing, (
        f"`from textutils import *` brought in {sorted(got)}; it should bring exactly ['slugify', 'word_count']"
        + (f" (not wanted: {', '.join(extra)})" if extra else "")
        + (f" (missing: {', '.join(missing)})" if missing else "")
        + ". Declare the public API in textutils.py: `__all__ = [\"slugify\", \"word_count\"]`.")
    assert namespace["slugify"] is textutils.slugify and namespace["word_count"] is textutils.word_count


def test_all_lists_the_public_names(ex):
    textutils = _load(ex)
    where = ex.show(ex.path(FILE))
    assert hasattr(textutils, "__all__"), (
        f"{where} has no `__all__` yet. Add `__all__ = [\"slugify\", \"word_count\"]` near the top of the file.")
    names = textutils.__all__
    assert isinstance(names, (list, tuple)), (
        f"textutils.__all__ should be a list of strings, not {type(names).__name__} {names!r}. "
        f"(A single string in parentheses is still a string: `(\"slugify\")`; write a list: [\"slugify\", ...].)")
    assert all(isinstance(n, str) for n in names), _name_items(ex) or (
        f"Every item of textutils.__all__ must be a string; it is {names!r}.")
    assert sorted(names) == sorted(API), (
        f"textutils.__all__ is {list(names)!r}; it should list exactly the public API, 'slugify' and 'word_count' "
        f"(the helper normalize, the pattern WORD and the module re are not part of it).")


def test_helpers_stay_reachable(ex):
    textutils = _load(ex)
    assert textutils.slugify("Hello, World!") == "hello-world", "slugify('Hello, World!') should be 'hello-world'."
    assert textutils.word_count("one, two, three") == 3, "word_count('one, two, three') should be 3."
    for name in ("normalize", "WORD", "re"):
        assert hasattr(textutils, name), (
            f"textutils.{name} is gone. __all__ only decides which names `import *` binds: keep `{name}` in textutils.py "
            f"under the same name.")
    assert textutils.normalize("Hello, World!") == ["hello", "world"]
    assert textutils.re is re, "textutils.re should still be the standard module re (`import re` in textutils.py)."
    namespace = {}
    exec("from textutils import normalize", namespace)
    assert namespace["normalize"] is textutils.normalize
