"""01 first module: a .py file is a module, and its top-level names are its attributes."""

GREETINGS = {"Ada": "Hello, Ada!", "Grace": "Hello, Grace!", "Zoë": "Hello, Zoë!"}


def greet(ex, mymodule, name):
    """mymodule.greet(name), with a call that does not fit greet's parameters explained."""
    error = None
    try:
        return ex.call(mymodule, "greet", name, missing="mymodule.py does not define a function `greet` yet.")
    except TypeError as e:
        error = e  # failed below, outside the `except`, so the report shows no chained traceback
    at = ex.where(error)
    if at == ex.show(ex.dir):  # no line of mymodule.py ran: the call itself did not fit the parameters
        ex.fail(f"greet({name!r}) raised TypeError: {error}.\nThe README's greet takes one argument, the name: "
                f"its `def` line needs exactly one parameter (mymodule.py).")
    ex.fail(f"{at}\ngreet({name!r}) raised TypeError: {error}.")


def test_greet_returns_the_greeting(ex):
    mymodule = ex.load("mymodule")
    ex.output()  # what importing printed is not greet's output
    for name, expected in GREETINGS.items():
        got = greet(ex, mymodule, name)
        if ex.same(got, expected):
            continue
        printed = ex.output().out
        value = ex.plain(got)
        if got is None:  # why, from greet's own source: a print() instead of a return, no return at all...
            ex.fail(f"greet({name!r}) in mymodule.py should return {expected!r}, but it returned None.\n"
                    + (ex.explain_none("mymodule.py", "greet", printed) or
                       "A function hands its result to the caller with `return`."))
        elif name != "Ada" and ex.same(got, GREETINGS["Ada"]):
            detail = f"it returned {value!r}: greet must build the text from its parameter `name`, not a fixed name"
        elif isinstance(value, str):
            detail = f"it returned {value!r}; compare the two character by character (comma, space, `!`)"
        else:
            detail = f"it returned {value!r}; greet must return a plain str"
        ex.fail(f"greet({name!r}) in mymodule.py should return {expected!r}, but {detail}.")
    printed = ex.output().out
    assert not printed, (
        f"greet() returns the right text, but it also prints: {printed.strip()!r}. The README asks greet to return "
        f"the text, not print it: the code that calls greet decides what to do with the value (mymodule.py).")


def test_pi_constant(ex):
    mymodule = ex.load("mymodule")
    assert hasattr(mymodule, "PI"), "mymodule.py does not define `PI` yet, at its top level (not inside greet)."
    value = ex.plain(mymodule.PI)
    if isinstance(value, str):
        ex.fail(f"mymodule.PI is the text {value!r} (a str), not a number: a number is written without quotes.")
    assert ex.same(mymodule.PI, 3.14159), (
        f"mymodule.PI should be the number 3.14159 (a float), not {value!r}"
        + (f" (a {ex.type_name(mymodule.PI)})" if not isinstance(value, float) else "") + ".")


def test_the_module_is_the_file_mymodule_py(ex):
    mymodule = ex.load("mymodule")  # ex.load also checks it comes from this exercise's folder
    assert not hasattr(mymodule, "__path__"), (
        f"`mymodule` was imported as a package (a folder), not as the file {ex.show(ex.path('mymodule.py'))}. "
        f"A module is one .py file: put the code in mymodule.py and remove the folder.")
    assert ex.path("mymodule.py").samefile(mymodule.__file__), (
        f"`import mymodule` loaded {mymodule.__file__}, not {ex.show(ex.path('mymodule.py'))}.")
