"""11 first package: a folder with __init__.py is a regular package; without it, a namespace package."""


def check_init_spelling(ex):
    """A file that was meant to be __init__.py but is misspelled (`__init.py`, `init.py`, `__init__.py.txt`)."""
    folder = ex.path("mypackage")
    if (folder / "__init__.py").is_file() or not folder.is_dir():
        return
    near = sorted(p.name for p in folder.iterdir() if "init" in p.name.lower())
    if near:
        ex.fail(f"{ex.show(folder)}/ has {', '.join(near)} but no __init__.py. The name must be exactly "
                     f"`__init__.py`: two underscores, `init`, two underscores, `.py`. Rename the file.")


def test_init_file_makes_a_regular_package(ex):
    check_init_spelling(ex)
    package = ex.assert_regular_package("mypackage")
    assert isinstance(package.__path__, list)


def test_submodule_imports_from_the_package(ex):
    check_init_spelling(ex)
    ex.assert_regular_package("mypackage")
    mathutils = ex.load("mypackage.mathutils")
    assert mathutils.add(2, 3) == 5, (
        "mypackage.mathutils.add(2, 3) should be 5; leave mathutils.py as it was shipped.")
    assert mathutils.multiply(4, 5) == 20, (
        "mypackage.mathutils.multiply(4, 5) should be 20; leave mathutils.py as it was shipped.")
