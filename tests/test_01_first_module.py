"""01 first module: a .py file is a module, and its top-level names are its attributes."""


def test_greet_returns_the_greeting(ex):
    mymodule = ex.load("mymodule")
    assert hasattr(mymodule, "greet"), "mymodule.py does not define a function `greet` yet."
    got = mymodule.greet("Ada")
    if got is None:
        detail = "it returned None: use `return`, not `print`"
    elif isinstance(got, str):
        detail = f"it returned {got!r}; compare the two character by character (comma, space, `!`)"
    else:
        detail = f"it returned {got!r}"
    assert got == "Hello, Ada!", f"greet('Ada') in mymodule.py should return 'Hello, Ada!', but {detail}."
    got = mymodule.greet("Grace")
    assert got == "Hello, Grace!", (
        f"greet('Grace') returned {got!r}: greet must use its argument `name`, not a fixed name."
    )


def test_pi_constant(ex):
    mymodule = ex.load("mymodule")
    assert hasattr(mymodule, "PI"), "mymodule.py does not define `PI` yet (a top-level `PI = 3.14159`)."
    assert mymodule.PI == 3.14159, f"PI should be 3.14159, not {mymodule.PI!r}."


def test_the_module_is_the_file_mymodule_py(ex):
    mymodule = ex.load("mymodule")  # ex.load also checks it comes from this exercise's folder
    assert not hasattr(mymodule, "__path__"), (
        f"`mymodule` was imported as a package (a folder), not as the file {ex.show(ex.path('mymodule.py'))}. "
        f"A module is one .py file: put the code in mymodule.py and remove the folder.")
    assert ex.path("mymodule.py").samefile(mymodule.__file__), (
        f"`import mymodule` loaded {mymodule.__file__}, not {ex.show(ex.path('mymodule.py'))}.")
