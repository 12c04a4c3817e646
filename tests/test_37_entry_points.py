"""37 entry points and metadata: [project.scripts] and entry-point groups in pyproject.toml, read back at run time
with importlib.metadata (version(), entry_points(group=...)) from a dist-info folder the test writes, as pip would."""
import ast
import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

GROUP = "wordcount.formatters"
RELEASE = "1.3.0"  # the version the test "installs", as after a bump in pyproject.toml
REFERENCE = re.compile(r"^\s*(?P<module>[\w.]+)\s*:\s*(?P<attr>[\w.]+)\s*(\[[^\]]*\])?\s*$")  # module:attr [extras]
YAML_PLUGIN = 'def to_yaml(counts):\n    return "\\n".join(f"{w}: {n}" for w, n in sorted(counts.items()))\n'
COUNTS = {"b": 2, "a": 1}


def project_table(ex):
    path = ex.path("pyproject.toml")
    shown = ex.show(path)
    if not path.is_file():
        ex.fail(f"{shown} is missing. Restore it with `make reset EX=37`.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        problem = f"{shown} is not valid TOML: {e}. Strings need double quotes (\"wordcount.cli:main\")."
    else:
        project = data.get("project")
        if isinstance(project, dict):
            return project, shown
        problem = f"{shown} needs its [project] table back."
    ex.fail(problem)


def install(ex, folder, version=RELEASE, plugin=True):
    """What pip writes into site-packages: wordcount's dist-info from pyproject.toml, and another distribution
    wordcount-yaml that adds a formatter to the group."""
    project, _ = project_table(ex)
    sections = {"console_scripts": project.get("scripts", {})}
    sections.update(project.get("entry-points", {}))
    text = "".join(f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in eps.items()
                                            if isinstance(value, str)) + "\n"
                   for group, eps in sections.items() if isinstance(eps, dict))
    info = folder / f"wordcount-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: wordcount\nVersion: {version}\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(text, encoding="utf-8")
    if plugin:
        other = folder / "wordcount_yaml-0.1.0.dist-info"
        other.mkdir()
        (other / "METADATA").write_text("Metadata-Version: 2.1\nName: wordcount-yaml\nVersion: 0.1.0\n",
                                        encoding="utf-8")
        (other / "entry_points.txt").write_text(f"[{GROUP}]\nyaml = wordcount_yaml:to_yaml\n", encoding="utf-8")
        (folder / "wordcount_yaml.py").write_text(YAML_PLUGIN, encoding="utf-8")
    return folder


def test_pyproject_declares_the_command_and_the_formatters(ex):
    project, shown = project_table(ex)
    scripts = project.get("scripts")
    assert isinstance(scripts, dict) and "wordcount" in scripts, (
        f"{shown} should declare the command in a [project.scripts] table: the line "
        f"wordcount = \"wordcount.cli:main\" under it. pip turns each line of that table into a program in the "
        f"environment's bin/ folder." + (f" (It has [project.scripts], but no key `wordcount`: {scripts}.)"
                                         if isinstance(scripts, dict) else ""))
    target = scripts["wordcount"]
    found = REFERENCE.match(target) if isinstance(target, str) else None
    assert found and found["module"] == "wordcount.cli" and found["attr"] == "main", (
        f"In {shown}, [project.scripts] has wordcount = {target!r}. An entry point names an importable module "
        f"and an attribute of it, with a colon: \"wordcount.cli:main\" (dots between package and module, no "
        f"file path, no .py, no parentheses).")
    groups = project.get("entry-points", {})
    if GROUP not in groups and isinstance(groups.get("wordcount"), dict) and "formatters" in groups["wordcount"]:
        ex.fail(f"In {shown}, `[project.entry-points.wordcount.formatters]` is read by TOML as a group `wordcount` "
                f"holding a table `formatters`: a dot separates table names. Quote the group name: "
                f"[project.entry-points.\"{GROUP}\"].")
    formatters = groups.get(GROUP)
    others = sorted(g for g in groups if g != GROUP) if isinstance(groups, dict) else []
    assert isinstance(formatters, dict) and {"plain", "json"} <= set(formatters), (
        f"{shown} should keep the formatters plain and json in the table [project.entry-points.\"{GROUP}\"], "
        f"not {formatters!r}."
        + (f" It declares the group(s) {', '.join(others)} instead: the group's name is the contract, the one "
           f"other distributions publish their formatters to, so it stays {GROUP!r}." if others else ""))
    functions = {n.name for n in ex.tree("wordcount/formatters.py").body if isinstance(n, ast.FunctionDef)}
    for name, value in formatters.items():
        ref = REFERENCE.match(value) if isinstance(value, str) else None
        assert ref and ref["module"] == "wordcount.formatters" and ref["attr"] in functions, (
            f"In {shown}, the formatter {name} = {value!r} should name a function of wordcount/formatters.py, "
            f"as \"wordcount.formatters:function_name\".")


def test_the_version_comes_from_the_installed_metadata(ex):
    site = install(ex, ex.tmp_path / "site", plugin=False)
    wordcount = ex.load("wordcount", path=[ex.dir, site])
    got = getattr(wordcount, "__version__", None)
    assert ex.same(got, RELEASE), (
        f"The test installed wordcount as version {RELEASE} (as after bumping the version in pyproject.toml), "
        f"but wordcount.__version__ is {got!r}. A number typed into {ex.show(ex.path('wordcount/__init__.py'))} "
        f"is a second copy that nobody updates: take it from importlib.metadata.version(\"wordcount\").")


def test_the_checkout_still_imports_when_not_installed(ex):
    init = ex.show(ex.path("wordcount/__init__.py"))
    error = ex.import_error("wordcount")
    if error is not None and ex.type_name(error) == "PackageNotFoundError":
        ex.fail(f"Run from a checkout that was never installed, `import wordcount` fails: {ex.where(error)} raised "
                f"PackageNotFoundError: {error}. Catch importlib.metadata.PackageNotFoundError there and use "
                f"__version__ = \"0+unknown\".")
    wordcount = ex.load("wordcount")
    got = getattr(wordcount, "__version__", None)
    project, _ = project_table(ex)
    installed = ex.execute("from importlib import metadata\ntry:\n    at = str(metadata.distribution('wordcount')"
                           ".locate_file(''))\nexcept metadata.PackageNotFoundError:\n    at = None")["at"]
    if installed:
        ex.fail(f"wordcount is installed in the kata's environment ({installed}), perhaps by `pip install -e .`; "
                f"this test needs a checkout that is not installed. Remove it: .venv/bin/python -m pip uninstall "
                f"wordcount")
    assert isinstance(got, str) and got != project.get("version"), (
        f"Not installed, wordcount.__version__ should be a string that says so, like \"0+unknown\", not {got!r}"
        + (": that is a second copy of pyproject.toml's version, which will drift." if isinstance(got, str) else "."))


def group_selected(ex, shown, asked):
    """formatters.py selects the group by name; asked=False: check only a call of entry_points() without it."""
    calls = [n for n in ast.walk(ex.tree("wordcount/formatters.py")) if isinstance(n, ast.Call)]
    names = {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in calls}
    by_group = any(getattr(n.func, "attr", getattr(n.func, "id", "")) in ("entry_points", "select")
                   and any(k.arg == "group" for k in n.keywords) for n in calls)
    assert by_group or not (asked or "entry_points" in names), (
        f"{shown} should select the group by name: importlib.metadata.entry_points(group=\"{GROUP}\")"
        + (". entry_points() without arguments returned a dict keyed by group only up to Python 3.11 (with a "
           "DeprecationWarning); since 3.12 it returns every entry point of every group, and "
           "entry_points()[group] or .get(group) fails." if "entry_points" in names else "."))


def own_only(ex):
    """Why available() misses the other distribution's formatter, from formatters.py's source."""
    calls = {getattr(n.func, "attr", getattr(n.func, "id", "")) for n in ast.walk(ex.tree("wordcount/formatters.py"))
             if isinstance(n, ast.Call)}
    if "distribution" in calls or "distributions" in calls:
        return ("formatters.py asks a distribution for its entry points: that lists what that distribution itself "
                "declares. importlib.metadata.entry_points(group=\"wordcount.formatters\") lists the group across "
                "every installed distribution.")
    return ("Let it ask importlib.metadata.entry_points(group=\"wordcount.formatters\")"
            + (" instead of listing them by hand." if not calls & {"entry_points", "select"} else
               ", and keep every entry point of the group, whichever distribution declares it."))


def test_available_lists_every_installed_formatter(ex):
    site = install(ex, ex.tmp_path / "site")
    formatters = ex.load("wordcount.formatters", path=[ex.dir, site])
    shown = ex.show(ex.path("wordcount/formatters.py"))
    group_selected(ex, shown, asked=False)
    found = ex.call(formatters, "available")
    assert isinstance(found, dict), f"available() should return a dict {{name: function}}, not {found!r}."
    missing = sorted({"plain", "json", "yaml"} - set(found))
    assert not missing, (
        f"The test installed wordcount and a second distribution, wordcount-yaml, which adds the formatter "
        f"yaml to the entry-point group {GROUP!r}. available() found {sorted(found)} (missing: "
        f"{', '.join(missing)}). "
        + (own_only(ex) if "yaml" in missing else
           "Its own formatters come from the group in pyproject.toml: see the other test's message."))
    yaml = ex.modules.get("wordcount_yaml")
    assert yaml is not None and found["yaml"] is yaml.to_yaml and found["plain"] is formatters.plain, (
        f"available() should map each name to the function its entry point names (ep.load()), not "
        f"{found!r}.")
    group_selected(ex, shown, asked=True)


def test_the_command_runs_a_plugin_formatter(ex):
    site = install(ex, ex.tmp_path / "site")
    cli = ex.load("wordcount.cli", path=[ex.dir, site])
    ex.output()
    code = ex.call(cli, "main", ["yaml", "b", "a", "b"])
    out = ex.output().out
    assert ex.same(code, 0) and out == "a: 1\nb: 2\n", (
        f"`wordcount yaml b a b` (wordcount.cli.main) should print the counts with the yaml formatter of the "
        f"other distribution, \"a: 1\\nb: 2\", and return 0; it returned {code!r} and printed {out!r}. Fix "
        f"available() first.")
