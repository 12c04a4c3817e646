"""11 first package: a folder with __init__.py is a regular package; without it, a namespace package."""


def test_init_file_makes_a_regular_package(ex):
    package = ex.assert_regular_package("mypackage")
    assert isinstance(package.__path__, list)


def test_submodule_imports_from_the_package(ex):
    ex.assert_regular_package("mypackage")
    mathutils = ex.load("mypackage.mathutils")
    assert mathutils.add(2, 3) == 5, "mypackage.mathutils.add(2, 3) should be 5."
    assert mathutils.multiply(4, 5) == 20
