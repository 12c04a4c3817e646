"""26 namespace packages: folders without __init__.py, on two sys.path entries, merge into one package."""
from pathlib import Path

PORTIONS = ("vendor_a", "vendor_b")


def load_merged_plugins(ex):
    """Put both vendors' folders on sys.path (vendor A first) and import `plugins`; the fixture puts
    sys.path back after the test."""
    for vendor in PORTIONS:
        folder = ex.path(f"{vendor}/plugins")
        assert folder.is_dir(), (
            f"The folder {ex.show(folder)}/ is missing. Both vendors' `plugins/` folders must stay; restore it "
            f"with `make reset EX=26` if you deleted it.")
    return ex.load("plugins", path=[ex.path(vendor) for vendor in PORTIONS])


def init_files(folder):
    """The files that make `folder` a regular package: an __init__ the import system can load, source,
    bytecode with no source (__init__.pyc) or an extension module. Not __pycache__/, nor __init__.py.bak."""
    return [p for p in sorted(folder.glob("__init__.*")) if p.name in ("__init__.py", "__init__.pyc")
            or p.name.endswith((".so", ".pyd"))]


def test_no_init_file_in_either_folder(ex):
    present = [ex.show(p) for vendor in PORTIONS for p in init_files(ex.path(f"{vendor}/plugins"))]
    assert not present, (
        f"{' and '.join(present)} must not exist. A `plugins/` folder with an __init__.py is a regular "
        f"package: Python takes it at once and never merges in the other vendor's `plugins/` folder. "
        f"Delete {' and '.join(present)} (a namespace package has no __init__.py in any of its folders).")


def test_plugins_is_one_namespace_package_of_two_folders(ex):
    plugins = load_merged_plugins(ex)
    file = getattr(plugins, "__file__", None)
    if file is not None and len(list(plugins.__path__)) > 1:
        ex.fail(f"`import plugins` loaded a regular package from {ex.show(file)}, which adds the other folders to "
                f"its __path__ itself (as pkgutil.extend_path does, the way before namespace packages existed).\nThis "
                f"exercise asks for a namespace package: no __init__ file in either `plugins/` folder.")
    assert file is None, (
        f"`import plugins` loaded a regular package from {ex.show(file)}, so only that one folder is part "
        f"of `plugins`. Delete {ex.show(file)}: without it, both `plugins/` folders merge into one namespace "
        f"package.")
    assert plugins.__spec__.origin is None, (
        f"A namespace package has no file of its own, so plugins.__spec__.origin should be None, not "
        f"{plugins.__spec__.origin!r}.")
    found = [Path(p).resolve() for p in plugins.__path__]
    expected = [ex.path(f"{vendor}/plugins").resolve() for vendor in PORTIONS]
    assert found == expected, (
        f"list(plugins.__path__) should hold both vendors' folders, {', '.join(ex.show(p) for p in expected)}, "
        f"but it is [{', '.join(ex.show(p) for p in found)}]. Keep a `plugins/` folder, with no __init__.py, in "
        f"both vendor_a/ and vendor_b/.")
    assert not isinstance(plugins.__path__, list), (
        "plugins.__path__ should be a namespace path (it recomputes itself when sys.path changes), not a "
        "plain list: is there an __init__.py left in a `plugins/` folder?")


def test_both_vendors_plugins_import(ex):
    plugins = load_merged_plugins(ex)
    assert getattr(plugins, "__file__", None) is None, (
        f"`plugins` is a regular package from {ex.show(plugins.__file__)}, not a namespace package. Delete "
        f"{ex.show(plugins.__file__)}.")
    csv_export = ex.load("plugins.csv_export")
    json_export = ex.load("plugins.json_export")
    for module, vendor in ((csv_export, "vendor_a"), (json_export, "vendor_b")):
        where = Path(module.__file__).resolve()
        assert where.parent == ex.path(f"{vendor}/plugins").resolve(), (
            f"{module.__name__} should come from {vendor}/plugins/, but it was loaded from {ex.show(where)}. "
            f"Leave each plugin module in its vendor's folder.")
    rows = [["a", 1], ["b", 2]]
    assert ex.same(csv_export.export(rows), "a,1\nb,2"), (
        f"plugins.csv_export.export({rows!r}) should return 'a,1\\nb,2', not {ex.plain(csv_export.export(rows))!r}. "
        f"Leave vendor_a/plugins/csv_export.py as it was shipped.")
    assert ex.same(json_export.export(rows), '[["a", 1], ["b", 2]]'), (
        f"plugins.json_export.export({rows!r}) returned {ex.plain(json_export.export(rows))!r}. Leave "
        f"vendor_b/plugins/json_export.py as it was shipped.")
