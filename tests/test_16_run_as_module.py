"""16 python -m: a relative import works when the module runs as part of its package (-m pkg.mod), and fails
when the file runs as a plain script."""
import ast
import io
import tokenize

from kata.diagnoses import catalogue, explain, facts

REPORT = "mathkit/report.py"
EXPECTED = "Scores: 70, 85, 90, 100\nMean: 86.25\nMedian: 87.5"
FUNCTIONS = ("mean", "median")


def _bare_stats_import(ex) -> str:
    """A message for `from stats import ...` without the sys.path hack, else "". (The harness would say that
    stats.py does not exist, while it does: it is just not a top-level module.)"""
    for node in ex.imports(REPORT):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "stats":
            return (f"{ex.show(ex.path(REPORT))}, line {node.lineno}: `{ast.unparse(node)}` looks for a top-level "
                    f"module `stats`, but stats.py is inside the package mathkit, so Python does not find it. "
                    f"Write `from .stats import mean, median` (the dot: \"in my own package\").")
    return ""


def _advice(ex, error) -> str:
    """This exercise's message for a failed `import mathkit.report`, from the exception object."""
    if isinstance(error, ImportError) and not isinstance(error, ModuleNotFoundError) and error.name == "mathkit":
        return (f"{ex.where(error, REPORT)}\nImportError: {error}.\nIn `from . import name`, the dot alone is the "
                f"package mathkit itself (its __init__.py), which defines no mean or median. Name the module "
                f"after the dot: `from .stats import mean, median`.")
    return _bare_stats_import(ex) if isinstance(error, ModuleNotFoundError) and error.name == "stats" else ""


def _without_comment(line: str) -> str:
    """A source line without its trailing comment (the stub's comment has backticks of its own)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(line).readline):
            if token.type == tokenize.COMMENT:
                return line[:token.start[1]].strip()
    except (tokenize.TokenError, SyntaxError):  # a line that continues on the next one
        pass
    return line.strip()


def _relative_names(ex) -> dict[str, str]:
    """{name bound in report.py: "mean", "median" or "module"} for `from .stats import mean [as m], ...` and
    `from . import stats [as s]` at the top level."""
    bound = {}
    for node in ex.imports(REPORT):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            for a in node.names:
                if node.module == "stats" and a.name in FUNCTIONS or node.module is None and a.name == "stats":
                    bound[a.asname or a.name] = a.name if node.module else "module"
    return bound


def test_report_imports_stats_relatively(ex):
    tree = ex.tree(REPORT)
    lines = ex.source(REPORT).splitlines()
    where = ex.show(ex.path(REPORT))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "path" and isinstance(node.value, ast.Name) \
                and node.value.id == "sys":
            code = _without_comment(lines[node.lineno - 1])
            ex.fail(f"{where}, line {node.lineno}: `{code}` is still there. Remove the "
                    f"sys.path hack (and `import os`, `import sys` if nothing else uses them): a module "
                    f"inside a package finds its neighbours with a relative import.")
    for node in tree.body:
        if isinstance(node, ast.Try) and any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(node)):
            ex.fail(f"{where}, line {node.lineno}: the imports sit in a `try` block with a fallback in `except`. "
                    f"The fallback makes the file run by its path again (through the script's folder, as a "
                    f"top-level `stats`), and it hides the real error whenever the first import fails. Write the "
                    f"relative import alone, at the top level, and run the module with `python -m mathkit.report`.")
    for node in ex.imports(REPORT):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in ("stats", "mathkit.stats"):
            ex.fail(
                f"{where}, line {node.lineno}: `{ast.unparse(node)}` is an absolute import. "
                + ("It finds stats.py only while the file's own folder is on sys.path (the hack). "
                   if node.module == "stats" else "It works with -m, but this exercise is about relative imports. ")
                + "Write `from .stats import mean, median`: the dot means \"the package this module is in\".")
        if isinstance(node, ast.Import) and any(a.name in ("stats", "mathkit.stats") for a in node.names):
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is an absolute import. Write "
                    f"`from .stats import mean, median` instead.")
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "stats" \
                and any(a.name == "*" for a in node.names):
            ex.fail(f"{where}, line {node.lineno}: `{ast.unparse(node)}` is relative, but a star import hides "
                    f"which names report.py takes from stats. Name them: `from .stats import mean, median`.")
    bound = set(_relative_names(ex).values())
    assert "module" in bound or set(FUNCTIONS) <= bound, (
        f"{where} should import its neighbour with a relative import at its top level: "
        f"`from .stats import mean, median` (or `from . import stats`).{explain.found_imports(ex.imports(REPORT))}")


def test_report_uses_the_package_module(ex):
    path_before = ex.sys_path()
    ex.load("mathkit")
    report = ex.load("mathkit.report", on_error=lambda error: _advice(ex, error))
    added = [p for p in ex.sys_path() if p not in path_before]
    assert not added, (
        f"Importing mathkit.report added {added} to sys.path. Remove the sys.path.insert(...) line from "
        f"{ex.show(ex.path(REPORT))}: a module should not change where Python looks for every other module.")
    assert "stats" not in ex.modules, (
        "Importing mathkit.report also loaded stats.py a second time, as a top-level module `stats` (separate "
        "from `mathkit.stats`). Import it relatively: `from .stats import mean, median`.")
    stats = ex.modules.get("mathkit.stats")
    for name, what in _relative_names(ex).items():
        expected = stats if what == "module" else getattr(stats, what, None)
        assert stats is not None and getattr(report, name, None) is expected, (
            f"mathkit.report's `{name}` should be {'the module' if what == 'module' else 'the function ' + what + ' of'}"
            f" mathkit.stats, as the relative import binds it: do not assign that name again.")
    text = ex.call(report, "report", [70, 85, 90, 100])
    assert ex.same(text, EXPECTED), f"report(SCORES) should return\n{EXPECTED}\nbut returned\n{ex.plain(text)}"


def test_runs_with_dash_m(ex):
    result = ex.run_module("mathkit.report", check=False)
    if result.returncode != 0 and _bare_stats_import(ex):
        ex.fail(_bare_stats_import(ex))
    ex.expect_success(result)
    assert result.stdout.strip() == EXPECTED, (
        f"`python -m mathkit.report` should print\n{EXPECTED}\nbut printed\n{result.stdout.strip()}\n"
        f"Keep the `if __name__ == \"__main__\":` block that prints report(SCORES).")


def test_running_the_file_by_path_fails_as_expected(ex):
    result = ex.run(REPORT, check=False)
    if result.returncode == 0:
        ex.fail(f"`{result.command}` still works as a plain script, so report.py does not use a relative "
                f"import yet. Once it says `from .stats import mean, median`, running the file by its path "
                f"must fail (a script has no package); `python -m mathkit.report` is the way to run it.")
    failure = facts.from_stderr(result.stderr, ex.dir, ex.root, started="script", target=str(ex.path(REPORT)),
                                sys_path=[])
    diagnosis = catalogue.diagnose(failure)
    assert diagnosis is not None and diagnosis.id == "K402", (  # K402: a relative import in a script run directly
        f"`{result.command}` should fail at the relative import, with `ImportError: attempted relative import "
        f"with no known parent package` (a script is the module __main__, of no package), but it failed "
        f"with:\n{result.stderr.strip()}")
