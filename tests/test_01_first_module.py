"""01 first module: a .py file is a module, and its top-level names are its attributes."""


def test_greet_returns_the_greeting(ex):
    mymodule = ex.load("mymodule")
    assert hasattr(mymodule, "greet"), "mymodule.py does not define a function `greet` yet."
    assert mymodule.greet("Ada") == "Hello, Ada!", "greet('Ada') should return 'Hello, Ada!' (return it, not print)."
    assert mymodule.greet("Grace") == "Hello, Grace!", "greet must use its argument, not a fixed name."


def test_pi_constant(ex):
    mymodule = ex.load("mymodule")
    assert hasattr(mymodule, "PI"), "mymodule.py does not define `PI` yet (a top-level `PI = 3.14159`)."
    assert mymodule.PI == 3.14159, f"PI should be 3.14159, not {mymodule.PI!r}."


def test_loaded_from_this_exercise(ex):
    mymodule = ex.load("mymodule")  # ex.load also checks the file lives in this exercise's folder
    assert mymodule.__name__ == "mymodule"
    assert mymodule.__file__.endswith("mymodule.py")
